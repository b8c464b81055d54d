"""The pages of a recorded date, decision, outcome or finding, driven as a user would: what is recorded,
its history in words, and the forms that correct or withdraw it (GOV.UK error summary and field
errors, the right role only, nothing shown in internal codes)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils.html import escape
from selectolax.lexbor import LexborHTMLParser

from areasend.conftest import PageClient, signed_in
from areasend.core.forms import DATE_INVALID
from areasend.inspections import corrections, services
from areasend.inspections.correction_forms import (
    ENTER_CORRECTED_DATE,
    ENTER_CORRECTION_REASON,
    ENTER_WITHDRAWAL_REASON,
)
from areasend.inspections.corrections import NEEDED_BY_STAGE
from areasend.inspections.models import Finding, Inspection
from areasend.inspections.services import CLOSED_ONCE_PUBLISHED
from areasend.inspections.tests.test_corrections import _kent, _partners

D = dt.date
CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def client_for(user: Any) -> PageClient:
    return signed_in(PageClient(), user)  # type: ignore[return-value]


def text_of(response: Any, selector: str = "main") -> str:
    node = LexborHTMLParser(response.content.decode()).css_first(selector)
    return " ".join(node.text(separator=" ").split()) if node is not None else ""


def errors(response: Any) -> list[str]:
    return [
        " ".join(li.text().split())
        for li in LexborHTMLParser(response.content.decode()).css(".govuk-error-summary__list li")
    ]


def field_error(response: Any, name: str) -> str:
    return text_of(response, f"#id_{name}-error").removeprefix("Error: ")


def history_rows(response: Any) -> list[list[str]]:
    tree = LexborHTMLParser(response.content.decode())
    table = tree.css_first("#history ~ .app-table-scroll table")
    assert table is not None
    return [[" ".join(td.text().split()) for td in tr.css("td")] for tr in table.css("tbody tr")]


def links(response: Any) -> list[str]:
    return [
        " ".join(a.text().split())
        for a in LexborHTMLParser(response.content.decode()).css("#record-actions a")
    ]


def no_codes(response: Any) -> None:
    tree = LexborHTMLParser(response.content.decode())
    for node in tree.css("script, style, code"):
        node.decompose()
    assert CODE.findall(tree.body.text(separator=" ") if tree.body else "") == []


def _titled(inspection: Inspection) -> Inspection:
    inspection.title = "Kent 2026"
    inspection.save(update_fields=["title"])
    return inspection


# --- a date -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_date_is_corrected_through_its_page_and_the_history_shows_it(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _titled(_kent(frameworks, team))
    page = f"/inspections/{inspection.pk}/events/notified/"
    lead = client_for(team["lead"])
    response = lead.get(page)
    assert response.status_code == 200
    assert "Recorded now 2 March 2026" in text_of(response, ".govuk-summary-list")
    assert links(response) == ["Correct the date"]
    refusal = NEEDED_BY_STAGE.format(
        label="Partnership notified of the inspection",
        needing="Notified (week 1)",
        current="Drafting the report",
    )
    assert escape(refusal) in response.content.decode()
    no_codes(response)
    # from the inspection's page, each recorded date leads to its own
    assert f'href="{page}"' in lead.get(f"/inspections/{inspection.pk}/").content.decode()

    correct = f"{page}correct/"
    version = str(inspection.version)
    refused = lead.post(correct, {"on": "", "reason": "", "version": version})
    assert refused.status_code == 200
    assert errors(refused) == [ENTER_CORRECTED_DATE, ENTER_CORRECTION_REASON]
    assert field_error(refused, "reason") == ENTER_CORRECTION_REASON
    refused = lead.post(correct, {"on": "30/2/2026", "reason": "Typed the wrong week", "version": version})
    assert errors(refused) == [DATE_INVALID]
    done = lead.post(correct, {"on": "23/2/2026", "reason": "Typed the wrong week", "version": version})
    assert done.status_code == 302 and done["Location"] == page
    assert services.inspection_events(inspection)["notified"] == D(2026, 2, 23)
    rows = history_rows(lead.get(page))
    assert [row[1:] for row in rows] == [
        [
            "lead-hmi",
            "Recorded",
            "Partnership notified of the inspection: 2 March 2026",
            "No reason recorded",
        ],
        [
            "lead-hmi",
            "Corrected",
            "Partnership notified of the inspection: was 2 March 2026, now 23 February 2026",
            "Typed the wrong week",
        ],
    ]
    # the stale form is refused: someone else changed the inspection since it was opened
    stale = lead.post(correct, {"on": "24/2/2026", "reason": "Again", "version": version})
    assert errors(stale) == [services.STALE_INSPECTION]


@pytest.mark.django_db
def test_only_the_team_sees_the_forms_and_others_get_403_or_404(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _titled(_kent(frameworks, team))
    page = f"/inspections/{inspection.pk}/events/notified/"
    for role in ("viewer", "admin"):
        response = client_for(team[role]).get(page)
        assert response.status_code == 200
        assert "Partnership notified of the inspection: 2 March 2026" in text_of(response)
    assert links(client_for(team["viewer"]).get(page)) == []
    for path in (f"{page}correct/", f"{page}withdraw/"):
        assert client_for(team["viewer"]).get(path).status_code == 403
        assert client_for(team["viewer"]).post(path, {"reason": "x"}).status_code == 403
        assert client_for(team["other_inspector"]).get(path).status_code == 404
    assert client_for(team["other_inspector"]).get(page).status_code == 404
    assert client_for(team["lead"]).get(f"/inspections/{inspection.pk}/events/teatime/").status_code == 404
    assert services.inspection_events(inspection)["notified"] == D(2026, 3, 2)


@pytest.mark.django_db
def test_a_date_no_stage_needs_is_withdrawn_through_its_page(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _titled(_kent(frameworks, team))
    services.event_record(
        inspection=inspection, name="final_report_received", on=D(2026, 5, 1), actor=team["lead"]
    )
    page = f"/inspections/{inspection.pk}/events/final_report_received/"
    lead = client_for(team["lead"])
    assert links(lead.get(page)) == ["Correct the date", "Withdraw the date"]
    refused = lead.post(f"{page}withdraw/", {"reason": " ", "version": str(inspection.version)})
    assert errors(refused) == [ENTER_WITHDRAWAL_REASON]
    lead.post(f"{page}withdraw/", {"reason": "Not received yet", "version": str(inspection.version)})
    assert "final_report_received" not in services.inspection_events(inspection)
    response = lead.get(page)
    assert "Recorded now Withdrawn" in text_of(response, ".govuk-summary-list")
    assert [row[2] for row in history_rows(response)] == ["Recorded", "Withdrawn"]
    detail = lead.get(f"/inspections/{inspection.pk}/")
    assert "Partnership received the final inspection report Withdrawn" in text_of(detail, "#event-list")


# --- the outcome and findings -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_finding_is_corrected_then_withdrawn_and_shown_struck_through(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _titled(_kent(frameworks, team))
    services.outcome_record(inspection=inspection, outcome="inconsistent", actor=team["lead"])
    first, second = _partners()[:2]
    finding = services.finding_add(
        inspection=inspection,
        kind="improvement",
        text="Plans are late.",
        responsible=[first],
        actor=team["lead"],
    )
    page = f"/inspections/{inspection.pk}/findings/{finding.pk}/"
    lead = client_for(team["lead"])
    response = lead.get(page)
    assert links(response) == ["Correct the finding", "Withdraw the finding"]
    form = lead.get(f"{page}correct/")
    assert "Plans are late." in form.content.decode()  # the form starts from what is recorded
    refused = lead.post(
        f"{page}correct/", {"text": "", "responsible": [first.pk], "reason": "x", "version": ""}
    )
    assert errors(refused) == ["Enter the finding"]
    ok = lead.post(
        f"{page}correct/",
        {
            "text": "Education, health and care plans are late.",
            "responsible": [first.pk, second.pk],
            "reason": "The health partner shares it",
            "version": str(inspection.version),
        },
    )
    assert ok.status_code == 302
    inspection.refresh_from_db()
    lead.post(f"{page}withdraw/", {"reason": "Merged into another", "version": str(inspection.version)})
    stored = Finding.objects.get(pk=finding.pk)
    assert stored.is_withdrawn
    response = lead.get(page)
    assert "Withdrawn by lead-hmi" in text_of(response, "#withdrawn")
    assert "Reason: Merged into another" in text_of(response, "#withdrawn")
    assert [row[2] for row in history_rows(response)] == ["Added", "Corrected", "Withdrawn"]
    assert links(response) == []
    no_codes(response)
    detail = lead.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "<s>Education, health and care plans are late.</s>" in detail
    viewer = client_for(team["viewer"]).get(page)
    assert viewer.status_code == 200 and links(viewer) == []


@pytest.mark.django_db
def test_the_published_report_shows_why_it_cannot_be_corrected(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    from areasend.areas.models import LocalArea
    from areasend.inspections.demo_steps import TITLE_2016, _essex_2019

    users = {
        "demo-admin": team["admin"],
        "demo-lead-inspector": team["lead"],
        "demo-cqc-inspector": team["cqc"],
    }
    _essex_2019(LocalArea.objects.get(ons_code="E10000012"), users)
    inspection = Inspection.objects.get(title=TITLE_2016)
    finding = inspection.findings.first()
    assert finding is not None
    lead = client_for(team["lead"])
    closed = CLOSED_ONCE_PUBLISHED.format(what="Findings", state="Follow-up (WSOA and revisit)")
    page = f"/inspections/{inspection.pk}/findings/{finding.pk}/"
    response = lead.get(page)
    assert links(response) == [] and escape(closed) in response.content.decode()
    refused = lead.post(f"{page}withdraw/", {"reason": "Typo", "version": str(inspection.version)})
    assert errors(refused) == [closed]
    outcome = lead.get(f"/inspections/{inspection.pk}/events/outcome/")
    assert links(outcome) == []
    assert "Outcome: 2. Written statement of action required" in text_of(outcome)
    no_codes(outcome)
    # a date after the report stays open to correction
    later = lead.get(f"/inspections/{inspection.pk}/events/report_received/")
    assert links(later) == ["Correct the date", "Withdraw the date"]
    corrections.event_correct(
        inspection=inspection,
        name="report_received",
        on=D(2019, 12, 24),
        reason="A day late",
        actor=team["lead"],
    )
    assert [
        row[2] for row in history_rows(lead.get(f"/inspections/{inspection.pk}/events/report_received/"))
    ] == [
        "Recorded",
        "Corrected",
    ]
