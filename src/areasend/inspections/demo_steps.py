"""Demo inspections: one per regime, both of Essex (the demo area), at stages worth exploring.

The 2016 inspection follows Essex's real published dates and outcome (notified 23 September 2019,
on site 30 September to 4 October, letter published 23 December 2019 after the general election,
WSOA required for 3 significant weaknesses, revisited 17 May 2022 with sufficient progress in all);
the WSOA's own dates and the weaknesses' wording are not in the published data, so they are
illustrative and say so. The 2023 inspection is a new one under way this week.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from areasend.areas.models import LocalArea, Partner
from areasend.core.demo import DEMO_AREA, demo_step
from areasend.domain.calendar import default_calendar
from areasend.frameworks.models import FrameworkVersion

from . import framework_choice, services
from .frameworks import framework_of
from .models import Inspection

TITLE_2016 = "Essex 2019 (local area SEND inspection)"
TITLE_2023 = "Essex (area SEND inspection, demonstration)"
ILLUSTRATIVE = "Illustrative wording: the published data gives the number of weaknesses, not their text."


def _users() -> dict[str, User]:
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__startswith="demo-")}


def _latest(framework_id: str) -> FrameworkVersion:
    return framework_choice.version_for(framework_id, None)  # type: ignore[return-value]


def _team(inspection: Inspection, users: dict[str, User], admin: User) -> None:
    services.team_assign(
        inspection=inspection, user=users["demo-lead-inspector"], role="lead_hmi", actor=admin
    )
    services.team_assign(
        inspection=inspection, user=users["demo-cqc-inspector"], role="cqc_inspector", actor=admin
    )


@transaction.atomic
def _essex_2019(area: LocalArea, users: dict[str, User]) -> None:
    admin, lead, cqc = (users[k] for k in ("demo-admin", "demo-lead-inspector", "demo-cqc-inspector"))
    inspection = services.inspection_create(
        area=area, framework_version=_latest("local-area-send-2016"), title=TITLE_2016, actor=admin
    )
    _team(inspection, users, admin)
    D = dt.date
    services.inspection_move(inspection=inspection, target="notified", on=D(2019, 9, 23), actor=lead)
    services.inspection_move(inspection=inspection, target="on_site", on=D(2019, 9, 30), actor=lead)
    services.inspection_move(inspection=inspection, target="drafting", on=D(2019, 10, 4), actor=lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    partners = list(Partner.objects.filter(area=area))
    # the kind of finding this outcome calls for (areas of significant weakness)
    kind = next(k.key for k in framework_of(inspection).finding_kinds if k.required)
    for text in (
        "The area's leaders do not have an accurate, shared understanding of its effectiveness.",
        "Waiting times for assessment by health services are too long.",
        "The quality of education, health and care plans is too variable.",
    ):
        services.finding_add(
            inspection=inspection,
            kind=kind,
            text=f"{text} ({ILLUSTRATIVE})",
            responsible=partners,
            actor=lead,
        )
    services.inspection_move(inspection=inspection, target="quality_assurance", actor=lead)
    services.inspection_move(inspection=inspection, target="factual_accuracy", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="CQC", actor=cqc)
    services.inspection_move(inspection=inspection, target="published", on=D(2019, 12, 23), actor=lead)
    services.event_record(inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=lead)
    services.inspection_move(inspection=inspection, target="follow_up", actor=lead)


@transaction.atomic
def _essex_now(area: LocalArea, users: dict[str, User], today: dt.date) -> None:
    admin, lead = users["demo-admin"], users["demo-lead-inspector"]
    inspection = services.inspection_create(
        area=area, framework_version=_latest("area-send-2023"), title=TITLE_2023, actor=admin
    )
    _team(inspection, users, admin)
    services.inspection_move(
        inspection=inspection, target="notified", on=_monday_last_week(today), actor=lead
    )
    fieldwork = default_calendar().add_working_days(_monday_last_week(today), 8)
    if fieldwork <= today:
        services.inspection_move(inspection=inspection, target="fieldwork", on=fieldwork, actor=lead)
    services.note_add(
        inspection=inspection,
        text="Line of enquiry to test on site: waiting times for the neurodevelopmental pathway.",
        actor=lead,
    )


def _monday_last_week(today: dt.date) -> dt.date:
    calendar = default_calendar()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    while not calendar.is_working_day(monday):  # a bank-holiday Monday: notify on the next Monday
        monday += dt.timedelta(days=7)
    return monday


@demo_step(40)
def demo_inspections() -> list[str]:
    area = LocalArea.objects.get(ons_code=DEMO_AREA)
    users = _users()
    created = []
    if not Inspection.objects.filter(area=area, title=TITLE_2016).exists():
        _essex_2019(area, users)
        created.append(TITLE_2016)
    if not Inspection.objects.filter(area=area, title=TITLE_2023).exists():
        _essex_now(area, users, dt.date.today())
        created.append(TITLE_2023)
    if not created:
        return ["Demo inspections: already present."]
    return [f"Demo inspections: created {', '.join(created)}."]
