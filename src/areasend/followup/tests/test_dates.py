"""The dates follow-up plans and visits record, checked against the report they follow, against each
other and against today, for each regime, through the services and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import api_headers, walk_to
from areasend.followup import dates as follow_up_dates
from areasend.followup import services as follow_up
from areasend.followup.models import Plan, Visit
from areasend.inspections import dates, services
from areasend.inspections.models import Inspection
from areasend.inspections.services import InspectionError

D = dt.date
ESSEX = "E10000012"


def _published(
    frameworks: Any, team: dict[str, Any], framework: str, outcome: str, on: dt.date
) -> Inspection:
    """An Essex inspection whose report was published on `on`, with the given outcome."""
    admin = team["admin"]
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX), framework_version=frameworks[framework], actor=admin
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=admin)
    monday = on - dt.timedelta(days=70)
    walk_to(inspection, "drafting", team["lead"], notified=monday - dt.timedelta(days=monday.weekday()))
    services.outcome_record(inspection=inspection, outcome=outcome, actor=admin)
    services.event_record(inspection=inspection, name="published", on=on, actor=admin)
    return inspection


def _2023(frameworks: Any, team: dict[str, Any]) -> Inspection:
    return _published(frameworks, team, "area-send-2023", "widespread_systemic_failings", D(2025, 5, 13))


def _2016(frameworks: Any, team: dict[str, Any]) -> Inspection:
    return _published(frameworks, team, "local-area-send-2016", "wsoa_required", D(2019, 12, 23))


def _refused_submission(plan: Plan, on: dt.date, officer: Any) -> str:
    with pytest.raises(InspectionError) as caught:
        follow_up.plan_submit(plan=plan, submitted_on=on, actor=officer)
    status = plan.status
    plan.refresh_from_db()
    assert plan.status == status and plan.submissions.filter(submitted_on=on).count() == 0
    return str(caught.value)


@pytest.mark.django_db
def test_a_plan_submitted_before_the_report_was_published_is_refused(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    officer = team["officer"]
    # 2023: the final report's receipt is not recorded, so the publication date is the one that holds
    plan = follow_up.plan_open(
        inspection=_2023(frameworks, team), document="priority_action_plan", actor=officer
    )
    assert _refused_submission(plan, D(2025, 5, 9), officer) == dates.EVENT_BEFORE.format(
        event="Priority action plan submitted",
        date="9 May 2025",
        other="report published",
        other_date="13 May 2025",
    )
    # 2016
    wsoa = follow_up.plan_open(inspection=_2016(frameworks, team), document="wsoa", actor=officer)
    assert _refused_submission(wsoa, D(2019, 12, 20), officer) == dates.EVENT_BEFORE.format(
        event="WSOA submitted to Ofsted",
        date="20 December 2019",
        other="outcome letter published",
        other_date="23 December 2019",
    )
    assert plan.inspection.events.filter(name="pap_submitted").count() == 0


@pytest.mark.django_db
def test_a_plan_submitted_in_the_future_is_refused(frameworks, team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dates, "today", lambda: D(2025, 6, 30))
    officer = team["officer"]
    plan = follow_up.plan_open(
        inspection=_2023(frameworks, team), document="priority_action_plan", actor=officer
    )
    assert _refused_submission(plan, D(2025, 7, 1), officer) == dates.EVENT_IN_FUTURE.format(
        event="Priority action plan submitted", date="1 July 2025", today="30 June 2025"
    )


@pytest.mark.django_db
def test_a_resubmission_follows_the_review_and_the_submission_rules(frameworks, team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dates, "today", lambda: D(2025, 9, 1))
    officer, lead = team["officer"], team["lead"]
    plan = follow_up.plan_open(
        inspection=_2023(frameworks, team), document="priority_action_plan", actor=officer
    )
    follow_up.plan_submit(plan=plan, submitted_on=D(2025, 6, 30), actor=officer)
    follow_up.plan_review(plan=plan, judgement="not_fit_for_purpose", reviewed_on=D(2025, 7, 14), actor=lead)
    # a priority action plan's resubmission records no event of its own
    assert _refused_submission(
        plan, D(2025, 7, 10), officer
    ) == follow_up_dates.RESUBMITTED_BEFORE_REVIEW.format(
        date="10 July 2025", number=1, reviewed="14 July 2025"
    )
    assert _refused_submission(plan, D(2025, 9, 2), officer) == dates.EVENT_IN_FUTURE.format(
        event="Priority action plan submitted", date="2 September 2025", today="1 September 2025"
    )
    follow_up.plan_submit(plan=plan, submitted_on=D(2025, 8, 11), actor=officer)
    assert plan.submissions.count() == 2


@pytest.mark.django_db
def test_an_accelerated_progress_plan_follows_the_revisit_letter(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    officer, admin = team["officer"], team["admin"]
    inspection = _2016(frameworks, team)
    services.event_record(inspection=inspection, name="revisit_published", on=D(2022, 7, 27), actor=admin)
    services.event_record(
        inspection=inspection, name="revisit_outcome", choice="sufficient_in_some", actor=admin
    )
    plan = follow_up.plan_open(inspection=inspection, document="accelerated_progress_plan", actor=officer)
    assert _refused_submission(plan, D(2022, 7, 1), officer) == dates.EVENT_BEFORE.format(
        event="Accelerated progress plan submitted",
        date="1 July 2022",
        other="revisit letter published",
        other_date="27 July 2022",
    )


@pytest.mark.django_db
def test_an_action_cannot_be_due_before_the_report_was_published(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    officer = team["officer"]
    plan = follow_up.plan_open(inspection=_2016(frameworks, team), document="wsoa", actor=officer)
    owner = Partner.objects.filter(area__ons_code=ESSEX).first()
    assert owner is not None
    with pytest.raises(InspectionError) as caught:
        follow_up.plan_action_add(
            plan=plan, text="Join up", owner=owner, due_on=D(2019, 11, 1), actor=officer
        )
    assert str(caught.value) == follow_up_dates.DUE_BEFORE_REPORT.format(
        due="1 November 2019", event="outcome letter published", published="23 December 2019"
    )
    assert plan.actions.count() == 0


@pytest.mark.django_db
def test_visit_dates_before_the_report_are_refused_and_nothing_is_scheduled(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    lead = team["lead"]
    inspection = _2023(frameworks, team)
    with pytest.raises(InspectionError) as caught:
        follow_up.visit_schedule(
            inspection=inspection, visit="monitoring_inspection", notified_on=D(2025, 5, 5), actor=lead
        )
    assert str(caught.value) == dates.EVENT_BEFORE.format(
        event="Partnership notified of the monitoring inspection",
        date="5 May 2025",
        other="report published",
        other_date="13 May 2025",
    )
    # 2016: a first day with no notification recorded is still held to the letter, through it
    revisited = _2016(frameworks, team)
    with pytest.raises(InspectionError) as caught:
        follow_up.visit_schedule(inspection=revisited, visit="revisit", starts_on=D(2019, 12, 2), actor=lead)
    assert str(caught.value) == dates.EVENT_BEFORE.format(
        event="First day of the revisit",
        date="2 December 2019",
        other="outcome letter published",
        other_date="23 December 2019",
    )
    assert Visit.objects.count() == 0
    assert not inspection.events.filter(name__startswith="monitoring").exists()


@pytest.mark.django_db
def test_a_visit_s_dates_corrected_together_are_checked_together(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    lead = team["lead"]
    inspection = _2016(frameworks, team)
    visit = follow_up.visit_schedule(
        inspection=inspection,
        visit="revisit",
        notified_on=D(2022, 5, 3),
        starts_on=D(2022, 5, 17),
        ends_on=D(2022, 5, 19),
        actor=lead,
    )
    # the notification alone moved past the first day is refused ...
    with pytest.raises(InspectionError) as caught:
        follow_up.visit_dates_record(visit=visit, notified_on=D(2022, 6, 6), actor=lead)
    assert str(caught.value) == dates.EVENT_AFTER.format(
        event="Local area notified of the revisit",
        date="6 June 2022",
        other="first day of the revisit",
        other_date="17 May 2022",
    )
    # ... but all three moved on together are in order
    follow_up.visit_dates_record(
        visit=visit, notified_on=D(2022, 6, 6), starts_on=D(2022, 6, 20), ends_on=D(2022, 6, 22), actor=lead
    )
    events = services.inspection_events(inspection)
    assert (events["revisit_notified"], events["revisit_start"], events["revisit_end"]) == (
        D(2022, 6, 6),
        D(2022, 6, 20),
        D(2022, 6, 22),
    )


# --- the API ----------------------------------------------------------------------------------------


def _post(client: Any, user: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api{path}", body, content_type="application/json", headers=api_headers(user))


@pytest.mark.django_db
def test_the_api_refuses_follow_up_dates_with_400_and_returns_warnings(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    officer, lead = team["officer"], team["lead"]
    inspection = _2023(frameworks, team)
    plan = follow_up.plan_open(inspection=inspection, document="priority_action_plan", actor=officer)
    early = _post(client, officer, f"/plans/{plan.pk}/submissions", {"submitted_on": "2025-05-09"})
    assert early.status_code == 400
    assert early.json() == {
        "detail": dates.EVENT_BEFORE.format(
            event="Priority action plan submitted",
            date="9 May 2025",
            other="report published",
            other_date="13 May 2025",
        )
    }
    saturday = _post(client, officer, f"/plans/{plan.pk}/submissions", {"submitted_on": "2025-06-28"})
    assert saturday.status_code == 201
    assert saturday.json()["warnings"] == [
        "pap_submitted is 2025-06-28 (Saturday), which is not a working day"
    ]
    visit = _post(
        client,
        lead,
        f"/inspections/{inspection.pk}/visits",
        {"visit": "monitoring_inspection", "notified_on": "2025-05-12"},
    )
    assert visit.status_code == 400 and visit.json()["detail"].startswith(
        "Partnership notified of the monitoring inspection (12 May 2025) cannot be before"
    )
    assert Visit.objects.count() == 0
    scheduled = _post(
        client,
        lead,
        f"/inspections/{inspection.pk}/visits",
        {"visit": "monitoring_inspection", "notified_on": "2026-11-02", "starts_on": "2026-11-16"},
    )
    assert scheduled.status_code == 201 and scheduled.json()["warnings"] == []
    moved = _post(client, lead, f"/visits/{scheduled.json()['id']}/dates", {"starts_on": "2026-11-14"})
    assert moved.status_code == 200
    assert (
        "monitoring_on_site_start is 2026-11-14 (Saturday), which is not a working day"
        in moved.json()["warnings"]
    )
