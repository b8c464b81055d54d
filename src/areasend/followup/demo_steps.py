"""The demo's follow-up: the Written Statement of Action and the revisit of Essex's 2019 inspection.

Essex was revisited on 17 May 2022 (letter published 27 July 2022) and found to have made sufficient
progress in all its weaknesses; the WSOA's own dates are not in the published data, so they are
illustrative and say so.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from areasend.areas.models import LocalArea, Partner
from areasend.core.demo import DEMO_AREA, demo_step
from areasend.domain.calendar import default_calendar
from areasend.inspections.demo_steps import TITLE_2016
from areasend.inspections.models import Inspection

from . import services
from .documents import plan_document_attach
from .models import Plan

# A one-page PDF saying what it stands for: the demo's WSOA document is illustrative.
DEMO_WSOA_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 88>>stream\nBT /F1 14 Tf 72 770 Td (Essex written statement of action: "
    b"an illustrative demo document) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@transaction.atomic
def essex_2019_follow_up(inspection: Inspection) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="demo-")}
    lead, officer = users["demo-lead-inspector"], users["demo-area-officer"]
    partners = list(Partner.objects.filter(area=inspection.area))
    D = dt.date
    calendar = default_calendar()
    plan = services.plan_open(inspection=inspection, document="wsoa", actor=officer)
    submitted = calendar.add_working_days(D(2019, 12, 23), 68)
    services.plan_submit(
        plan=plan,
        submitted_on=submitted,
        actor=officer,
        summary="Illustrative dates: the WSOA's own dates are not in the published data.",
    )
    plan_document_attach(
        plan=plan,
        upload=SimpleUploadedFile("Essex WSOA (illustrative).pdf", DEMO_WSOA_PDF),
        description="Illustrative: a stand-in for the written statement of action as submitted",
        actor=officer,
    )
    services.plan_review(
        plan=plan,
        judgement="fit_for_purpose",
        reviewed_on=calendar.add_working_days(submitted, 9),
        actor=lead,
    )
    for finding in inspection.findings.all():
        services.plan_action_add(
            plan=plan,
            text=f"Address weakness {finding.number}",
            owner=partners[0],
            due_on=D(2021, 3, 31),
            finding=finding,
            actor=officer,
        )
    visit = services.visit_schedule(
        inspection=inspection,
        visit="revisit",
        notified_on=D(2022, 5, 3),
        starts_on=D(2022, 5, 17),
        ends_on=D(2022, 5, 19),
        actor=lead,
    )
    services.visit_judge(
        visit=visit,
        per_finding={f.pk: "sufficient_progress" for f in inspection.findings.all()},
        overall="sufficient_in_all",
        published_on=D(2022, 7, 27),
        actor=lead,
    )


@demo_step(45)
def demo_follow_up() -> list[str]:
    area = LocalArea.objects.get(ons_code=DEMO_AREA)
    inspection = Inspection.objects.filter(area=area, title=TITLE_2016).first()
    if inspection is None:
        return ["Demo follow-up: no Essex 2019 inspection to follow up."]
    if Plan.objects.filter(inspection=inspection).exists():
        return ["Demo follow-up: already present."]
    essex_2019_follow_up(inspection)
    return ["Demo follow-up: WSOA and revisit of the Essex 2019 inspection."]
