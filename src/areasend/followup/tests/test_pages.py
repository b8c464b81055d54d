"""The inspection pages, driven as a user would: each scenario goes from planning to follow-up
through the forms, and every due date the page shows is checked against the working-day calendar."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import PageClient, make_user, signed_in, walk_to
from areasend.core.pages import CONFIRM_FIELD
from areasend.core.routes import all_routes
from areasend.domain.calendar import add_months, default_calendar
from areasend.domain.frameworks import shipped_frameworks
from areasend.domain.pauses import shipped_programme
from areasend.followup import forms as follow_up_forms
from areasend.followup import services as follow_up
from areasend.followup.models import Plan, PlanAction, Visit
from areasend.inspections import dates, forms, services
from areasend.inspections import dates as inspection_dates
from areasend.inspections.models import Activity, Finding, Inspection, InspectorNote
from areasend.inspections.stages import SIGN_OFF_NOT_NOW

D = dt.date
V2016, V2023 = (shipped_frameworks()[key].version for key in ("local-area-send-2016", "area-send-2023"))
CAL = default_calendar()


def revisit_due_after(accepted: dt.date) -> dt.date:
    """18 months after the WSOA was accepted, the clock stopped while revisits were paused (ADR 0025)."""
    due = add_months(accepted, 18)
    for pause in shipped_programme().pauses:
        if "revisits" in pause.activities and accepted <= pause.end and due >= pause.start:
            due += dt.timedelta(days=(pause.end - max(accepted, pause.start)).days + 1)
    return due


# the publication deadlines' working days, as the framework file gives them (an estimate from the record)
PUBLICATION_WD, REVISIT_PUBLICATION_WD = (
    shipped_frameworks()["local-area-send-2016"].deadline(key).value  # type: ignore[union-attr]
    for key in ("publication", "revisit_publication")
)
ESSEX = "E10000012"
KENT = "E10000016"


# --- helpers -------------------------------------------------------------------------------------


class _Timeline(HTMLParser):
    """The timeline table: {milestone key: {"due": date, "status": status}}."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, Any]] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            row_id = found.get("id") or ""
            self.current = row_id.removeprefix("milestone-") if row_id.startswith("milestone-") else None
            if self.current:
                self.rows[self.current] = {}
        elif self.current is not None:
            row = self.rows[self.current]
            if tag == "time" and "due" not in row:
                row["due"] = D.fromisoformat(found["datetime"] or "")
            if tag == "strong" and found.get("data-status"):
                row["status"] = found["data-status"]


def timeline(response: Any) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200
    parser = _Timeline()
    parser.feed(response.content.decode())
    return parser.rows


def due(response: Any, key: str) -> dt.date:
    found: dt.date = timeline(response)[key]["due"]
    return found


def errors(response: Any) -> list[str]:
    """The texts in the page's GOV.UK error summary."""
    html = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if summary is None:
        return []
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    ]


def title(response: Any) -> str:
    found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def confirm_token(response: Any) -> str:
    """What the page's "Save anyway" button posts."""
    found = re.search(rf'name="{CONFIRM_FIELD}" value="([0-9a-f]+)"', response.content.decode())
    assert found is not None, "no Save anyway button"
    return found.group(1)


def ok(response: Any) -> Any:
    """A form post that worked: redirected to the inspection, no error summary."""
    assert response.status_code == 302, errors(response) or response.status_code
    return response


def refused(response: Any, message: str) -> None:
    """A form post that was refused: the page again, titled 'Error: ...', with `message` in the summary."""
    assert response.status_code == 200
    assert title(response).startswith("Error: ")
    assert escape(message) in errors(response), errors(response)


def client_for(user: Any) -> PageClient:
    client = PageClient()
    signed_in(client, user)
    return client


def partners(kind: str) -> list[Partner]:
    return list(Partner.objects.filter(area__ons_code=ESSEX, kind=kind))


def essex_inspection(
    frameworks: Any, team: dict[str, Any], framework: str = "local-area-send-2016"
) -> Inspection:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX),
        framework_version=frameworks[framework],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    services.team_assign(inspection=inspection, user=team["cqc"], role="cqc_inspector", actor=team["admin"])
    return inspection


def to_follow_up_2016(inspection: Inspection, team: dict[str, Any]) -> list[Finding]:
    lead = team["lead"]
    services.inspection_move(inspection=inspection, target="notified", on=D(2019, 9, 23), actor=lead)
    services.inspection_move(inspection=inspection, target="on_site", on=D(2019, 9, 30), actor=lead)
    services.inspection_move(inspection=inspection, target="drafting", on=D(2019, 10, 4), actor=lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    return [
        services.finding_add(
            inspection=inspection,
            kind="significant_weakness",
            text=f"Weakness {n}",
            responsible=partners("local_authority"),
            actor=lead,
        )
        for n in (1, 2)
    ]


# --- the 2016 framework, from planning to closing -------------------------------------------------


@pytest.mark.django_db
def test_2016_scenario_through_pages(page_client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(page_client, team["admin"])
    lead, cqc, officer = client_for(team["lead"]), client_for(team["cqc"]), client_for(team["officer"])

    listing = admin.get("/inspections/")
    assert 'href="/inspections/new/"' in listing.content.decode()
    form = admin.get("/inspections/new/")
    assert title(form) == "Plan an inspection – Area SEND inspections – GOV.UK"
    response = ok(
        admin.post(
            "/inspections/new/", {"area": ESSEX, "framework": "local-area-send-2016", "title": "Essex 2019"}
        )
    )
    inspection = Inspection.objects.get(title="Essex 2019")
    base = f"/inspections/{inspection.pk}/"
    assert response["Location"] == base
    page = admin.get(base).content.decode()
    assert f'href="/frameworks/local-area-send-2016/?version={V2016}"' in page
    assert 'href="/areas/E10000012/"' in page
    assert '<dd class="govuk-summary-list__value" id="state">Planned</dd>' in page
    assert "No deadlines can be worked out yet" in page

    ok(admin.post(base + "team/", {"user": "lead-hmi", "role": "lead_hmi"}))
    ok(admin.post(base + "team/", {"user": "cqc-inspector", "role": "cqc_inspector"}))
    page = lead.get(base).content.decode()
    assert escape("Lead inspector (Her Majesty's Inspector)") in page
    assert "CQC children&#x27;s services inspector" in page
    assert f'href="{base}move/notified/"' in page  # the move needs a date, so it opens a page
    assert f'href="{base}team/"' not in page  # assigning the team is for administrators

    # notified on Monday 23 September 2019: the on-site week starts five working days later
    move_page = lead.get(base + "move/notified/")
    assert title(move_page) == "Notify the local area – Essex 2019 – Area SEND inspections – GOV.UK"
    assert 'name="on"' in move_page.content.decode()
    ok(lead.post(base + "move/notified/", {"on": "23/9/2019"}))
    notified = D(2019, 9, 23)
    rows = timeline(lead.get(base))
    on_site_start = CAL.add_working_days(notified, 5)
    assert rows["on_site_week_start"]["due"] == on_site_start == D(2019, 9, 30)
    assert rows["on_site_week_start"]["status"] in {"due", "overdue"}
    assert rows["on_site_week_end"]["due"] == CAL.add_working_days(on_site_start, 4)
    # the publication deadline from the last day on site, held if it falls in a pre-election period
    proposed = CAL.add_working_days(CAL.add_working_days(on_site_start, 4), PUBLICATION_WD)
    assert rows["publication"]["due"] == CAL.publication_date(proposed, ESSEX) > D(2019, 12, 12)

    ok(lead.post(base + "move/on_site/", {"on": "2019-09-30"}))
    ok(lead.post(base + "move/drafting/", {"on": "4 October 2019"}))
    rows = timeline(lead.get(base))
    assert rows["on_site_week_start"]["status"] == "met"
    assert rows["on_site_week_end"]["due"] == CAL.add_working_days(D(2019, 9, 30), 4) == D(2019, 10, 4)
    assert rows["on_site_week_end"]["status"] == "met"
    assert rows["publication"]["due"] == CAL.publication_date(
        CAL.add_working_days(D(2019, 10, 4), PUBLICATION_WD), ESSEX
    )

    ok(lead.post(base + "outcome/", {"outcome": "wsoa_required"}))
    page = lead.get(base).content.decode()
    assert "2. Written statement of action required" in page
    # the WSOA deadline is conditional until it can be dated from the report
    assert timeline(lead.get(base))["wsoa_submission"]["status"] in {"projected", "overdue"}

    la, icbs = partners("local_authority"), partners("icb")
    texts = (
        "Leaders' understanding of the area's effectiveness",
        "Waiting times for autism assessment",
        "Quality of EHC plans",
    )
    for text in texts:
        ok(
            lead.post(
                base + "findings/",
                {
                    "kind": "significant_weakness",
                    "text": text,
                    "responsible": [p.pk for p in la + icbs],
                },
            )
        )
    weaknesses = list(inspection.findings.order_by("number"))
    assert [w.number for w in weaknesses] == [1, 2, 3]
    page = lead.get(base).content.decode()
    assert "Area of significant weakness 3" in page
    assert escape(icbs[0].name) in page

    ok(lead.post(base + "move/quality_assurance/"))
    # returning the draft keeps the recorded last day on site: a plain button, no date asked for
    page = lead.get(base).content.decode()
    assert f'action="{base}move/drafting/"' in page and f'action="{base}move/factual_accuracy/"' in page
    assert 'name="on"' not in lead.get(base + "move/drafting/").content.decode()
    ok(lead.post(base + "move/drafting/"))
    ok(lead.post(base + "move/quality_assurance/"))
    ok(lead.post(base + "move/factual_accuracy/"))
    assert services.inspection_events(inspection)["on_site_end"] == D(2019, 10, 4)
    ok(lead.post(base + "sign-offs/", {"inspectorate": "Ofsted"}))
    ok(cqc.post(base + "sign-offs/", {"inspectorate": "CQC"}))
    assert "CQC: signed off by cqc-inspector" in lead.get(base).content.decode()
    ok(lead.post(base + "move/published/", {"on": "23/12/2019"}))
    # held until the release lag after polling day (12 December): published on the 23rd, as Essex was
    held_until = CAL.publication_date(proposed, ESSEX)
    expected = "met" if D(2019, 12, 23) <= held_until else "late"
    assert timeline(lead.get(base))["publication"]["status"] == expected
    ok(lead.post(base + "events/", {"name": "report_received", "on": "23/12/2019", "choice": ""}))
    ok(lead.post(base + "move/follow_up/"))
    report = D(2019, 12, 23)
    assert due(lead.get(base), "wsoa_submission") == CAL.add_working_days(report, 70) == D(2020, 4, 2)

    # the area officer opens the WSOA, adds an action and submits it
    page = officer.get(base).content.decode()
    assert "Move the inspection on" not in page
    assert f'href="{base}plans/"' in page
    ok(officer.post(base + "plans/", {"document": "wsoa"}))
    plan = inspection.plans.get()
    assert plan.title == "Written statement of action (WSOA)"
    ok(
        officer.post(
            f"{base}plans/{plan.pk}/actions/",
            {
                "text": "Commission an autism pathway",
                "owner": icbs[0].pk,
                "finding": weaknesses[1].pk,
                "due_on": "1/9/2020",
            },
        )
    )
    action = plan.actions.get()
    ok(
        officer.post(
            f"{base}plans/{plan.pk}/submit/", {"submitted_on": "20/03/2020", "summary": "First draft"}
        )
    )
    rows = timeline(officer.get(base))
    assert rows["wsoa_submission"]["status"] == "met"
    assert rows["wsoa_review"]["due"] == CAL.add_working_days(D(2020, 3, 20), 10)

    # reviewed as not fit for purpose: resubmission due 20 working days after the review
    page = lead.get(base).content.decode()
    assert f'href="{base}plans/{plan.pk}/review/"' in page
    ok(
        lead.post(
            f"{base}plans/{plan.pk}/review/",
            {
                "judgement": "not_fit_for_purpose",
                "reviewed_on": "2020-04-02",
                "feedback": "Targets are vague",
            },
        )
    )
    plan.refresh_from_db()
    assert plan.status == "not_fit_for_purpose"
    rows = timeline(officer.get(base))
    assert rows["wsoa_review"]["status"] == "met"
    assert rows["wsoa_resubmission"]["due"] == CAL.add_working_days(D(2020, 4, 2), 20)
    assert "Not fit for purpose (resubmit within 20 working days)" in officer.get(base).content.decode()

    ok(officer.post(f"{base}plans/{plan.pk}/submit/", {"submitted_on": "28/04/2020"}))
    rows = timeline(officer.get(base))
    assert rows["wsoa_resubmission"]["status"] == "met"
    assert rows["wsoa_resubmission_review"]["due"] == CAL.add_working_days(D(2020, 4, 28), 10)
    ok(
        lead.post(
            f"{base}plans/{plan.pk}/review/", {"judgement": "fit_for_purpose", "reviewed_on": "6/5/2020"}
        )
    )
    plan.refresh_from_db()
    assert plan.status == "fit_for_purpose"
    assert (
        due(lead.get(base), "revisit_due") == revisit_due_after(D(2020, 5, 6)) > add_months(D(2020, 5, 6), 18)
    )

    # the action moves forward, and is flagged as overdue (its date has passed)
    ok(officer.post(f"{base}plans/{plan.pk}/actions/{action.pk}/progress/", {"status": "in_progress"}))
    row = re.search(
        rf'<tr class="govuk-table__row" id="action-{action.pk}">(.*?)</tr>',
        officer.get(base).content.decode(),
        re.S,
    )
    assert row is not None and "In progress" in row.group(1) and "Overdue" in row.group(1)

    # the revisit: ten working days' notice, up to four days on site, then the letter
    ok(
        lead.post(
            base + "visits/",
            {
                "visit": "revisit",
                "notified_on": "10/5/2021",
                "starts_on": "24/5/2021",
                "ends_on": "26/5/2021",
            },
        )
    )
    rows = timeline(lead.get(base))
    assert rows["revisit_notice"]["due"] == CAL.add_working_days(D(2021, 5, 10), 10) == D(2021, 5, 24)
    assert rows["revisit_notice"]["status"] == "met"
    assert rows["revisit_last_day"]["due"] == CAL.add_working_days(D(2021, 5, 24), 3)
    assert rows["revisit_publication"]["due"] == CAL.publication_date(
        CAL.add_working_days(D(2021, 5, 26), REVISIT_PUBLICATION_WD), ESSEX
    )
    visit = inspection.visits.get()
    judge_page = lead.get(f"{base}visits/{visit.pk}/judge/").content.decode()
    assert f'name="finding_{weaknesses[0].pk}"' in judge_page
    ok(
        lead.post(
            f"{base}visits/{visit.pk}/judge/",
            {
                f"finding_{weaknesses[0].pk}": "sufficient_progress",
                f"finding_{weaknesses[1].pk}": "insufficient_progress",
                f"finding_{weaknesses[2].pk}": "sufficient_progress",
                "overall": "sufficient_in_some",
                "published_on": "2/7/2021",
            },
        )
    )
    response = lead.get(base)
    rows = timeline(response)
    assert rows["revisit_publication"]["status"] == "met"
    assert rows["dfe_progress_review"]["due"] == add_months(D(2021, 7, 2), 6) == D(2022, 1, 2)
    html = response.content.decode()
    assert "Sufficient progress in some areas" in html
    assert "Insufficient progress" in html

    ok(lead.post(base + "move/closed/"))
    inspection.refresh_from_db()
    assert inspection.state == "closed"
    page = lead.get(base).content.decode()
    assert '<dd class="govuk-summary-list__value" id="state">Closed</dd>' in page
    assert "This inspection is closed." in page
    row = re.search(
        rf'id="inspection-{inspection.pk}">(.*?)</tr>', admin.get("/inspections/").content.decode(), re.S
    )
    assert row is not None
    assert "Closed" in row.group(1) and "Written statement of action required" in row.group(1)
    assert f"Local area SEND inspection (2016), version {V2016}" in row.group(1)


# --- the 2023 framework: outcome 3, priority action plan, monitoring inspection ------------------


@pytest.mark.django_db
def test_2023_scenario_through_pages(page_client, frameworks, team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # told from after the monitoring inspection of 2027, so that it can be judged
    monkeypatch.setattr(inspection_dates, "today", lambda: dt.date(2027, 9, 1))
    admin = signed_in(page_client, team["admin"])
    lead, cqc, officer = client_for(team["lead"]), client_for(team["cqc"]), client_for(team["officer"])
    ok(admin.post("/inspections/new/", {"area": ESSEX, "framework": "area-send-2023", "title": ""}))
    inspection = Inspection.objects.get()
    base = f"/inspections/{inspection.pk}/"
    assert f"Area SEND inspection (2023), version {V2023}" in admin.get("/inspections/").content.decode()
    for user, role in (
        ("lead-hmi", "lead_hmi"),
        ("cqc-inspector", "cqc_inspector"),
        ("social-care-inspector", "social_care_inspector"),
    ):
        ok(admin.post(base + "team/", {"user": user, "role": role}))
    assert "Lead inspector for social care" in lead.get(base).content.decode()

    ok(lead.post(base + "move/notified/", {"on": "8/9/2025"}))
    notified = D(2025, 9, 8)
    rows = timeline(lead.get(base))
    assert rows["offsite_fieldwork"]["due"] == CAL.add_working_days(notified, 8) == D(2025, 9, 18)
    assert rows["on_site_week_start"]["due"] == CAL.add_working_days(notified, 10) == D(2025, 9, 22)
    ok(lead.post(base + "move/fieldwork/", {"on": "18/9/2025"}))
    ok(lead.post(base + "move/on_site/", {"on": "22/9/2025"}))
    ok(lead.post(base + "move/drafting/", {"on": "26/9/2025"}))
    rows = timeline(lead.get(base))
    assert rows["offsite_fieldwork"]["status"] == "met"
    assert rows["on_site_week_end"]["due"] == CAL.add_working_days(D(2025, 9, 22), 4) == D(2025, 9, 26)

    ok(lead.post(base + "outcome/", {"outcome": "widespread_systemic_failings"}))
    la, icbs = partners("local_authority"), partners("icb")
    ok(
        lead.post(
            base + "findings/",
            {
                "kind": "priority_action",
                "text": "Timeliness of EHC needs assessments",
                "responsible": [p.pk for p in la],
            },
        )
    )
    ok(
        lead.post(
            base + "findings/",
            {
                "kind": "priority_action",
                "text": "Neurodevelopmental waiting times",
                "responsible": [p.pk for p in icbs],
            },
        )
    )
    ok(
        lead.post(
            base + "findings/",
            {
                "kind": "improvement",
                "text": "Preparation for adulthood",
                "responsible": [p.pk for p in la],
            },
        )
    )
    page = lead.get(base).content.decode()
    assert "Area for priority action 2" in page and "Area for improvement 1" in page
    ok(lead.post(base + "move/quality_assurance/"))
    ok(lead.post(base + "move/factual_accuracy/"))
    ok(lead.post(base + "sign-offs/", {"inspectorate": "Ofsted"}))
    ok(cqc.post(base + "sign-offs/", {"inspectorate": "CQC"}))
    ok(lead.post(base + "move/published/", {"on": "12/12/2025"}))
    ok(lead.post(base + "events/", {"name": "final_report_received", "on": "10/12/2025"}))
    ok(lead.post(base + "move/follow_up/"))
    received = D(2025, 12, 10)
    rows = timeline(lead.get(base))
    assert rows["priority_action_plan"]["due"] == CAL.add_working_days(received, 35)
    assert rows["priority_action_plan_publication"]["due"] == CAL.add_working_days(received, 70)
    assert "strategic_plan_update" not in rows  # asked for after outcomes 1 and 2, not 3
    assert rows["monitoring_inspection_due"]["due"] == add_months(received, 18) == D(2027, 6, 10)
    assert rows["next_full_inspection"]["due"].year == 2028

    ok(officer.post(base + "plans/", {"document": "priority_action_plan"}))
    plan = inspection.plans.get()
    ok(officer.post(f"{base}plans/{plan.pk}/submit/", {"submitted_on": "30/1/2026"}))
    assert timeline(officer.get(base))["priority_action_plan"]["status"] == "met"
    ok(
        lead.post(
            f"{base}plans/{plan.pk}/review/", {"judgement": "fit_for_purpose", "reviewed_on": "20/2/2026"}
        )
    )
    assert "Fit for purpose" in officer.get(base).content.decode()

    ok(
        lead.post(
            base + "visits/",
            {
                "visit": "monitoring_inspection",
                "notified_on": "10/5/2027",
                "starts_on": "24/5/2027",
                "ends_on": "28/5/2027",
            },
        )
    )
    rows = timeline(lead.get(base))
    assert rows["monitoring_on_site"]["due"] == CAL.add_working_days(D(2027, 5, 10), 10)
    assert rows["monitoring_on_site_week_end"]["due"] == CAL.add_working_days(D(2027, 5, 24), 4)
    visit = inspection.visits.get()
    judge_page = lead.get(f"{base}visits/{visit.pk}/judge/").content.decode()
    assert "finding_" not in judge_page  # a monitoring inspection has one overall outcome only
    ok(lead.post(f"{base}visits/{visit.pk}/judge/", {"overall": "effective_action"}))
    response = lead.get(base)
    assert timeline(response)["monitoring_inspection_due"]["status"] == "met"
    assert (
        "Effective action: reasonable steps taken to address all the areas for priority action"
        in response.content.decode()
    )


# --- who may see and do what ---------------------------------------------------------------------


def _kent_inspection(frameworks: Any, team: dict[str, Any]) -> Inspection:
    return services.inspection_create(
        area=LocalArea.objects.get(ons_code=KENT),
        framework_version=frameworks["area-send-2023"],
        actor=team["admin"],
    )


@pytest.mark.django_db
def test_area_officer_sees_their_area_submits_plans_but_cannot_act_for_inspectors(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    essex = essex_inspection(frameworks, team)
    kent = _kent_inspection(frameworks, team)
    weaknesses = to_follow_up_2016(essex, team)
    services.note_add(inspection=essex, text="Director seemed unsure of the waiting list", actor=team["lead"])
    officer = client_for(team["officer"])
    base = f"/inspections/{essex.pk}/"

    listing = officer.get("/inspections/").content.decode()
    assert f'id="inspection-{essex.pk}"' in listing
    assert f'id="inspection-{kent.pk}"' not in listing
    assert "Plan an inspection" not in listing
    assert officer.get(f"/inspections/{kent.pk}/").status_code == 404
    assert officer.post(f"/inspections/{kent.pk}/plans/", {"document": "wsoa"}).status_code == 404

    page = officer.get(base).content.decode()
    assert "Director seemed unsure" not in page
    assert "Private notes" not in page
    for hidden in ("move/", "sign-offs/", "notes/", "visits/"):
        assert f'href="{base}{hidden}' not in page, hidden
    for form in ("findings/", "events/", "outcome/"):  # the forms (each recorded thing's own page is for all)
        assert f'href="{base}{form}"' not in page, form
    assert "/correct/" not in page and "/withdraw/" not in page

    ok(officer.post(base + "plans/", {"document": "wsoa"}))
    plan = essex.plans.get()
    ok(
        officer.post(
            f"{base}plans/{plan.pk}/actions/",
            {
                "text": "Recruit assessors",
                "owner": partners("icb")[0].pk,
                "due_on": "1/9/2030",
                "finding": weaknesses[0].pk,
            },
        )
    )
    ok(officer.post(f"{base}plans/{plan.pk}/submit/", {"submitted_on": "2/3/2020"}))
    plan.refresh_from_db()
    assert plan.status == "submitted"

    assert officer.post(base + "sign-offs/", {"inspectorate": "Ofsted"}).status_code == 403
    assert (
        officer.post(
            f"{base}plans/{plan.pk}/review/", {"judgement": "fit_for_purpose", "reviewed_on": "3/3/2020"}
        ).status_code
        == 403
    )
    assert officer.post(base + "move/quality_assurance/").status_code == 403
    assert officer.post(base + "notes/", {"text": "x"}).status_code == 403
    assert officer.get(base + "notes/").status_code == 403
    plan.refresh_from_db()
    essex.refresh_from_db()
    assert plan.status == "submitted" and essex.state == "drafting" and not essex.sign_offs.exists()

    # another area's officer cannot reach Essex's plans at all
    kent_officer = client_for(team["kent_officer"])
    assert (
        kent_officer.post(f"{base}plans/{plan.pk}/submit/", {"submitted_on": "2/3/2020"}).status_code == 404
    )
    assert kent_officer.get(base).status_code == 404

    # the team sees the note
    assert "Director seemed unsure" in client_for(team["lead"]).get(base).content.decode()
    assert "Director seemed unsure" in client_for(team["admin"]).get(base).content.decode()


def _sample_urls(inspection: Inspection, plan: Plan, action: PlanAction, visit: Visit) -> list[str]:
    """Every inspection page that changes something, with real ids."""
    values = {
        "pk": inspection.pk,
        "plan_pk": plan.pk,
        "action_pk": action.pk,
        "visit_pk": visit.pk,
        "target": "notified",
        "user_pk": inspection.team.values_list("user_id", flat=True).first(),
        "name": "notified",
        "finding_pk": inspection.findings.values_list("pk", flat=True).first() or 0,
        "submission_pk": plan.submissions.values_list("pk", flat=True).first() or 0,
    }
    urls = []
    for route in all_routes():
        if not route.name.startswith(("inspections:", "followup:")) or route.name in {
            "inspections:list",
            "inspections:detail",
            "followup:plan-document",  # a document to read (a download), not a page that changes anything
        }:
            continue
        if route.permission == "inspections.view":
            continue  # a page that reads (one recorded thing and its history)
        if not route.pattern.startswith("inspections/"):
            continue  # deadlines and calendar pages belong to another page set
        names = re.findall(r"<(?:\w+:)?(\w+)>", route.pattern)
        urls.append(reverse(route.name, kwargs={n: values[n] for n in names}))
    return urls


@pytest.mark.django_db
def test_viewer_reads_everything_and_every_post_is_refused(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = essex_inspection(frameworks, team)
    weaknesses = to_follow_up_2016(inspection, team)
    services.note_add(inspection=inspection, text="Not for the viewer", actor=team["lead"])
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=team["officer"])
    action = follow_up.plan_action_add(
        plan=plan,
        text="Act",
        owner=partners("local_authority")[0],
        due_on=D(2030, 1, 1),
        actor=team["officer"],
    )
    visit = follow_up.visit_schedule(inspection=inspection, visit="revisit", actor=team["lead"])
    viewer = client_for(team["viewer"])

    assert viewer.get("/inspections/").status_code == 200
    page = viewer.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Weakness 1" in page and "Written statement of action (WSOA)" in page
    assert "Not for the viewer" not in page and "Private notes" not in page
    assert '<form method="post" action="/inspections/' not in page
    before = (
        inspection.state,
        inspection.events.count(),
        inspection.findings.count(),
        InspectorNote.objects.count(),
    )

    urls = _sample_urls(inspection, plan, action, visit)
    assert len(urls) >= 17
    for url in urls:
        assert viewer.post(url, {"text": "x", "document": "wsoa", "on": "1/1/2020"}).status_code == 403, url
        assert viewer.get(url).status_code == 403, url
    inspection.refresh_from_db()
    assert (
        inspection.state,
        inspection.events.count(),
        inspection.findings.count(),
        InspectorNote.objects.count(),
    ) == before
    assert len(weaknesses) == 2


@pytest.mark.django_db
def test_inspector_outside_the_team_gets_404_and_one_who_only_sees_gets_403(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = essex_inspection(frameworks, team)
    base = f"/inspections/{inspection.pk}/"
    outsider = client_for(team["other_inspector"])
    assert outsider.get(base).status_code == 404
    assert outsider.post(base + "move/notified/", {"on": "23/9/2019"}).status_code == 404
    # an inspector scoped to Essex sees its inspections but is not in this team
    watcher = client_for(make_user("essex-inspector", "inspector", ESSEX))
    assert watcher.get(base).status_code == 200
    assert watcher.post(base + "move/notified/", {"on": "23/9/2019"}).status_code == 403
    assert watcher.post(base + "notes/", {"text": "x"}).status_code == 403
    inspection.refresh_from_db()
    assert inspection.state == "planned"
    # inspectors cannot plan inspections or pick teams
    lead = client_for(team["lead"])
    assert lead.get("/inspections/new/").status_code == 403
    assert (
        lead.post(base + "team/", {"user": "social-care-inspector", "role": "ofsted_inspector"}).status_code
        == 403
    )


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_input_shows_the_error_summary_and_changes_nothing(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = essex_inspection(frameworks, team)
    lead = client_for(team["lead"])
    base = f"/inspections/{inspection.pk}/"

    # a date in the wrong format, and no date at all
    response = lead.post(base + "move/notified/", {"on": "23rd of September"})
    refused(response, forms.DATE_INVALID)
    assert 'href="#id_on"' in response.content.decode()
    refused(
        lead.post(base + "move/notified/", {"on": ""}),
        forms.ENTER_MOVE_DATE.format(label="local area notified of the inspection"),
    )
    # a move the lifecycle does not have
    refused(
        lead.post(base + "move/on_site/", {"on": "30/9/2019"}),
        services.NO_SUCH_TRANSITION.format(
            current="Planned", target="On site", framework=frameworks["local-area-send-2016"].title
        ),
    )
    assert lead.get(base + "move/on_site/").status_code == 404  # no page for a move that is not offered
    inspection.refresh_from_db()
    assert inspection.state == "planned" and not inspection.events.exists()

    services.inspection_move(inspection=inspection, target="notified", on=D(2019, 9, 23), actor=team["lead"])
    services.inspection_move(inspection=inspection, target="on_site", on=D(2019, 9, 30), actor=team["lead"])
    services.inspection_move(inspection=inspection, target="drafting", on=D(2019, 10, 4), actor=team["lead"])

    # a refused move: the service's guard, in the summary
    response = lead.post(base + "move/quality_assurance/")
    refused(response, services.NEEDS_OUTCOME.format(target="Quality assurance and moderation"))
    assert "<button" in response.content.decode()  # the page offers the move again
    # unknown choices
    refused(lead.post(base + "outcome/", {"outcome": "outstanding"}), forms.SELECT_OUTCOME)
    refused(
        lead.post(base + "events/", {"name": "wsoa_judgement", "choice": "lovely"}), forms.SELECT_DECISION
    )
    refused(lead.post(base + "events/", {"name": "teatime", "on": "1/10/2019"}), forms.SELECT_EVENT)
    # the service's own checks on events
    refused(
        lead.post(base + "events/", {"name": "report_received"}),
        services.EVENT_NEEDS_DATE.format(name="report_received"),
    )
    refused(
        lead.post(base + "events/", {"name": "wsoa_judgement", "on": "1/10/2019"}),
        services.EVENT_NEEDS_CHOICE.format(
            name="wsoa_judgement", choices="fit_for_purpose, not_fit_for_purpose"
        ),
    )
    refused(
        lead.post(base + "events/", {"name": "on_site_end", "on": "27/9/2019"}),
        dates.EVENT_BEFORE.format(
            event="Last day on site",
            date="27 September 2019",
            other="first day on site",
            other_date="30 September 2019",
        ),
    )
    inspection.refresh_from_db()
    assert inspection.outcome == "" and inspection.state == "drafting"
    assert services.inspection_events(inspection) == {
        "notified": D(2019, 9, 23),
        "on_site_start": D(2019, 9, 30),
        "on_site_end": D(2019, 10, 4),
    }

    # findings, sign-offs and activities the services refuse
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["lead"])
    la = partners("local_authority")
    refused(
        lead.post(base + "findings/", {"kind": "priority_action", "text": "x", "responsible": [la[0].pk]}),
        forms.SELECT_FINDING_KIND,
    )
    kent_partner = Partner.objects.filter(area__ons_code=KENT).first()
    assert kent_partner is not None
    refused(
        lead.post(
            base + "findings/",
            {"kind": "significant_weakness", "text": "x", "responsible": [kent_partner.pk]},
        ),
        forms.SELECT_RESPONSIBLE,
    )
    refused(
        lead.post(base + "findings/", {"kind": "significant_weakness", "text": "", "responsible": []}),
        forms.ENTER_FINDING_TEXT,
    )
    refused(
        lead.post(base + "sign-offs/", {"inspectorate": "CQC"}),
        SIGN_OFF_NOT_NOW.format(
            state="Drafting the outcome letter",
            states="Quality assurance and moderation or Factual accuracy check",
        ),
    )
    refused(lead.post(base + "sign-offs/", {"inspectorate": "Estyn"}), forms.SELECT_INSPECTORATE)
    refused(
        lead.post(
            base + "activities/",
            {
                "on": "30/9/2019",
                "starts_at": "11:00",
                "ends_at": "10:00",
                "activity_type": "leaders_meeting",
                "title": "Set-up meeting",
            },
        ),
        services.ACTIVITY_TIMES.format(start=dt.time(11, 0), end=dt.time(10, 0)),
    )
    refused(
        lead.post(
            base + "activities/",
            {
                "on": "30/9/2019",
                "starts_at": "half nine",
                "ends_at": "10:00",
                "activity_type": "leaders_meeting",
                "title": "x",
            },
        ),
        forms.TIME_INVALID,
    )
    assert (
        not inspection.findings.exists()
        and not inspection.sign_offs.exists()
        and not Activity.objects.exists()
    )

    # a refused move with a date leaves no date behind
    services.finding_add(
        inspection=inspection, kind="significant_weakness", text="w", responsible=la, actor=team["lead"]
    )
    services.inspection_move(inspection=inspection, target="quality_assurance", actor=team["lead"])
    services.inspection_move(inspection=inspection, target="factual_accuracy", actor=team["lead"])
    refused(
        lead.post(base + "move/published/", {"on": "23/12/2019"}),
        services.NEEDS_SIGN_OFFS.format(missing="Ofsted and CQC"),
    )
    assert not inspection.events.filter(name="published").exists()

    # the administrator cannot put a conflicted inspector in the team
    admin = client_for(team["admin"])
    services.conflict_declare(
        inspector=team["other_inspector"],
        area=inspection.area,
        reason="Worked in Essex until 2018",
        actor=team["admin"],
    )
    refused(
        admin.post(base + "team/", {"user": "other-inspector", "role": "ofsted_inspector"}),
        services.CONFLICTED.format(user="other-inspector", area="Essex", reason="Worked in Essex until 2018"),
    )
    refused(
        admin.post(base + "team/", {"user": "essex-officer", "role": "ofsted_inspector"}),
        forms.SELECT_INSPECTOR,
    )
    refused(
        admin.post("/inspections/new/", {"area": "E99999999", "framework": "area-send-2023"}),
        forms.SELECT_AREA,
    )
    assert inspection.team.count() == 2 and Inspection.objects.count() == 1


@pytest.mark.django_db
def test_plan_and_visit_refusals_show_the_services_message(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = essex_inspection(frameworks, team)
    to_follow_up_2016(inspection, team)
    officer, lead = client_for(team["officer"]), client_for(team["lead"])
    base = f"/inspections/{inspection.pk}/"
    refused(
        officer.post(base + "plans/", {"document": "accelerated_progress_plan"}),
        follow_up.DOCUMENT_NOT_REQUIRED.format(title="Accelerated progress plan (APP)"),
    )
    ok(officer.post(base + "plans/", {"document": "wsoa"}))
    plan = inspection.plans.get()
    refused(
        lead.post(
            f"{base}plans/{plan.pk}/review/", {"judgement": "fit_for_purpose", "reviewed_on": "1/4/2020"}
        ),
        follow_up.PLAN_NOT_UNDER_REVIEW.format(status="Being drafted"),
    )
    ok(officer.post(f"{base}plans/{plan.pk}/submit/", {"submitted_on": "20/3/2020"}))
    refused(
        officer.post(f"{base}plans/{plan.pk}/submit/", {"submitted_on": "21/3/2020"}),
        follow_up.PLAN_NOT_SUBMITTABLE.format(status="Submitted, awaiting review"),
    )
    refused(
        lead.post(
            f"{base}plans/{plan.pk}/review/", {"judgement": "fit_for_purpose", "reviewed_on": "1/3/2020"}
        ),
        follow_up.DATE_ORDER.format(
            later="The review",
            later_date=D(2020, 3, 1),
            earlier="the submission",
            earlier_date=D(2020, 3, 20),
        ),
    )
    refused(
        lead.post(f"{base}plans/{plan.pk}/review/", {"judgement": "lovely", "reviewed_on": "1/4/2020"}),
        follow_up_forms.SELECT_JUDGEMENT,
    )
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.submissions.count() == 1
    refused(
        lead.post(base + "visits/", {"visit": "revisit", "starts_on": "26/5/2021", "ends_on": "24/5/2021"}),
        follow_up.DATE_ORDER.format(
            later="The last day",
            later_date=D(2021, 5, 24),
            earlier="the first day",
            earlier_date=D(2021, 5, 26),
        ),
    )
    assert not inspection.visits.exists()
    # a plan of another inspection is not found through this one
    other = essex_inspection(frameworks, team)
    assert (
        officer.post(
            f"/inspections/{other.pk}/plans/{plan.pk}/submit/", {"submitted_on": "1/4/2020"}
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_timetable_conflicts_and_private_notes(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = essex_inspection(frameworks, team)
    lead, admin = client_for(team["lead"]), client_for(team["admin"])
    base = f"/inspections/{inspection.pk}/"
    form = lead.get(base + "activities/").content.decode()
    assert 'type="checkbox"' in form and "cqc-inspector" in form
    ok(
        lead.post(
            base + "activities/",
            {
                "on": "30/9/2019",
                "starts_at": "09:30",
                "ends_at": "11:00",
                "activity_type": "leaders_meeting",
                "title": "Set-up meeting with leaders",
                "location": "County Hall",
                "inspectors": ["lead-hmi", "cqc-inspector"],
            },
        )
    )
    activity = inspection.activities.get()
    assert {u.username for u in activity.inspectors.all()} == {"lead-hmi", "cqc-inspector"}
    page = lead.get(base).content.decode()
    assert "Set-up meeting with leaders" in page and "09:30 to 11:00" in page

    # a team inspector declares their own conflict; the administrator declares one for anyone
    ok(lead.post(base + "conflicts/", {"reason": "Governor of an Essex special school"}))
    assert team["lead"].conflicts.get().reason == "Governor of an Essex special school"
    assert 'name="inspector"' in admin.get(base + "conflicts/").content.decode()
    ok(
        admin.post(
            base + "conflicts/", {"inspector": "social-care-inspector", "reason": "Sister works for Essex"}
        )
    )
    page = admin.get(base).content.decode()
    assert "Sister works for Essex" in page

    ok(lead.post(base + "notes/", {"text": "Ask about the autism pathway"}))
    assert InspectorNote.objects.get().author == team["lead"]
    assert "Ask about the autism pathway" in lead.get(base).content.decode()
    assert "Ask about the autism pathway" not in client_for(team["viewer"]).get(base).content.decode()
    assert "Ask about the autism pathway" not in client_for(team["officer"]).get(base).content.decode()
    refused(lead.post(base + "notes/", {"text": ""}), forms.ENTER_NOTE)


@pytest.mark.django_db
def test_timeline_warnings_are_shown(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = essex_inspection(frameworks, team)
    lead = client_for(team["lead"])
    base = f"/inspections/{inspection.pk}/"
    # a Tuesday: the page warns before saving, then saves when told to
    warned = lead.post(base + "move/notified/", {"on": "24/9/2019"})
    assert warned.status_code == 200 and 'id="warnings-before-saving"' in warned.content.decode()
    assert inspection.events.count() == 0
    ok(lead.post(base + "move/notified/", {"on": "24/9/2019", CONFIRM_FIELD: confirm_token(warned)}))
    page = lead.get(base).content.decode()
    assert 'id="warnings"' in page
    assert "Notified is 2019-09-24 (Tuesday); the framework expects notification on a Monday" in page
    assert due(lead.get(base), "on_site_week_start") == CAL.add_working_days(D(2019, 9, 24), 5)


@pytest.mark.django_db
def test_team_removal_and_visit_dates_through_pages(page_client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from areasend.areas.models import LocalArea
    from areasend.conftest import signed_in
    from areasend.followup.models import Visit
    from areasend.inspections import services as svc

    essex = LocalArea.objects.get(ons_code="E10000012")
    inspection = svc.inspection_create(
        area=essex, framework_version=frameworks["local-area-send-2016"], actor=team["admin"]
    )
    svc.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    svc.team_assign(
        inspection=inspection, user=team["other_inspector"], role="ofsted_inspector", actor=team["admin"]
    )
    walk_to(inspection, "drafting", team["lead"])
    svc.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["admin"])
    signed_in(page_client, team["admin"])
    url = f"/inspections/{inspection.pk}/team/{team['other_inspector'].pk}/remove/"
    assert page_client.get(url).status_code == 200
    assert page_client.post(url).status_code == 302
    assert not inspection.team.filter(user=team["other_inspector"]).exists()
    assert page_client.post(url).status_code == 404

    visit = follow_up.visit_schedule(inspection=inspection, visit="revisit", actor=team["lead"])
    signed_in(page_client, team["lead"])
    dates_url = f"/inspections/{inspection.pk}/visits/{visit.pk}/dates/"
    bad = page_client.post(
        dates_url, {"notified_on": "10/5/2021", "starts_on": "26/5/2021", "ends_on": "24/5/2021"}
    )
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    assert Visit.objects.get(pk=visit.pk).starts_on is None
    ok = page_client.post(
        dates_url, {"notified_on": "10/5/2021", "starts_on": "24/5/2021", "ends_on": "26/5/2021"}
    )
    assert ok.status_code == 302
    assert Visit.objects.get(pk=visit.pk).starts_on == dt.date(2021, 5, 24)
    signed_in(page_client, team["officer"])
    assert page_client.post(dates_url, {"starts_on": "24/5/2021"}).status_code == 403


@pytest.mark.django_db
def test_accepted_lines_of_enquiry_appear_on_the_inspection(page_client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    """Only the inspection's own accepted lines: not another inspection's of the same area."""
    from areasend.areas.models import LocalArea
    from areasend.conftest import signed_in
    from areasend.datapack.services import line_review, lines_propose
    from areasend.inspections import services as svc

    essex = LocalArea.objects.get(ons_code="E10000012")
    inspection = svc.inspection_create(
        area=essex, framework_version=frameworks["area-send-2023"], actor=team["admin"]
    )
    earlier = svc.inspection_create(
        area=essex, framework_version=frameworks["local-area-send-2016"], actor=team["admin"]
    )
    svc.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    proposed = lines_propose(inspection=inspection, actor=team["lead"])
    assert len(proposed) >= 2
    line_review(line=proposed[0], actor=team["lead"], decision="accept")
    line_review(line=proposed[1], actor=team["lead"], decision="reject")
    other = lines_propose(inspection=earlier, actor=team["lead"], previous_weaknesses=["Plans are late."])
    line_review(line=other[0], actor=team["lead"], decision="accept", text="A 2016 line of enquiry.")
    signed_in(page_client, team["lead"])
    html = page_client.get(f"/inspections/{inspection.pk}/").content.decode()
    section = html.split('id="lines-of-enquiry"')[1].split("</table>")[0]
    assert proposed[0].criterion is not None
    assert proposed[0].text in section and proposed[0].criterion.code in section
    assert proposed[1].text not in section
    assert "A 2016 line of enquiry." not in section
    assert f"?inspection={inspection.pk}" in html
    signed_in(page_client, team["admin"])
    html = page_client.get(f"/inspections/{earlier.pk}/").content.decode()
    section = html.split('id="lines-of-enquiry"')[1].split("</table>")[0]
    assert "A 2016 line of enquiry." in section and proposed[0].text not in section
    signed_in(page_client, team["officer"])  # area officers do not see the inspectors' hypotheses
    assert 'id="lines-of-enquiry"' not in page_client.get(f"/inspections/{inspection.pk}/").content.decode()
