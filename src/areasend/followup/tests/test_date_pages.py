"""Follow-up pages that enter dates (a plan's submission, a visit's dates) warn before saving a date
the timeline warns about, and save it when told to; a date the rules refuse is an error beside its
field, with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.areas.models import LocalArea
from areasend.conftest import PageClient, check_page, signed_in, walk_to
from areasend.core.pages import CONFIRM_FIELD
from areasend.followup import services as follow_up
from areasend.followup.models import Visit
from areasend.inspections import dates, services
from areasend.inspections.models import Inspection
from areasend.inspections.services import InspectionError

D = dt.date


def _client(user: Any) -> PageClient:
    client = PageClient()
    signed_in(client, user)
    return client


def _published_2023(frameworks: Any, team: dict[str, Any]) -> Inspection:
    admin = team["admin"]
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["area-send-2023"],
        actor=admin,
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=admin)
    walk_to(inspection, "drafting", team["lead"], notified=D(2025, 3, 3))
    services.outcome_record(inspection=inspection, outcome="widespread_systemic_failings", actor=admin)
    services.event_record(inspection=inspection, name="published", on=D(2025, 5, 13), actor=admin)
    return inspection


def _token(response: Any) -> str:
    assert response.status_code == 200 and not check_page(response).title.startswith("Error: ")
    return str(check_page(response).select_one(f'button[name="{CONFIRM_FIELD}"]').attributes["value"])


@pytest.mark.django_db
def test_a_plan_submitted_on_a_saturday_is_saved_once_confirmed(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _published_2023(frameworks, team)
    officer = team["officer"]
    plan = follow_up.plan_open(inspection=inspection, document="priority_action_plan", actor=officer)
    client = _client(officer)
    url = f"/inspections/{inspection.pk}/plans/{plan.pk}/submit/"
    # a date before the report is an error beside the field
    refused = client.post(url, {"submitted_on": "12/5/2025", "summary": "Our plan", "version": plan.version})
    message = dates.EVENT_BEFORE.format(
        event="Priority action plan submitted",
        date="12 May 2025",
        other="report published",
        other_date="13 May 2025",
    )
    assert check_page(refused).title.startswith("Error: ")
    assert check_page(refused).text("#id_submitted_on-error").endswith(message)
    assert plan.submissions.count() == 0
    plan.refresh_from_db()
    posted = {"submitted_on": "28/6/2025", "summary": "Our plan", "version": plan.version}
    warned = client.post(url, posted)
    token = _token(warned)
    assert check_page(warned).texts("#warnings-before-saving li") == [
        "Priority action plan submitted is 2025-06-28 (Saturday), which is not a working day"
    ]
    assert check_page(warned).text('textarea[name="summary"]') == "Our plan"
    assert plan.submissions.count() == 0
    assert client.post(url, {**posted, CONFIRM_FIELD: token}).status_code == 302
    assert plan.submissions.get().submitted_on == D(2025, 6, 28)
    # after outcome 3 the partnership writes a priority action plan, not an updated strategic plan
    with pytest.raises(InspectionError):
        follow_up.plan_open(inspection=inspection, document="strategic_plan_update", actor=officer)


@pytest.mark.django_db
def test_visit_dates_on_a_weekend_are_saved_once_confirmed(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _published_2023(frameworks, team)
    client = _client(team["lead"])
    schedule = f"/inspections/{inspection.pk}/visits/"
    refused = client.post(schedule, {"visit": "monitoring_inspection", "notified_on": "12/5/2025"})
    assert check_page(refused).title.startswith("Error: ")
    assert (
        check_page(refused)
        .text("#id_notified_on-error")
        .endswith(
            dates.EVENT_BEFORE.format(
                event="Partnership notified of the monitoring inspection",
                date="12 May 2025",
                other="report published",
                other_date="13 May 2025",
            )
        )
    )
    assert Visit.objects.count() == 0
    scheduled = client.post(
        schedule, {"visit": "monitoring_inspection", "notified_on": "2/11/2026", "starts_on": "16/11/2026"}
    )
    assert scheduled.status_code == 302  # no warnings: saved at once
    visit = Visit.objects.get()
    url = f"/inspections/{inspection.pk}/visits/{visit.pk}/dates/"
    posted = {"starts_on": "14/11/2026", "version": Inspection.objects.get(pk=inspection.pk).version}
    warned = client.post(url, posted)
    token = _token(warned)
    assert check_page(warned).texts("#warnings-before-saving li") == [
        "First day on site of the monitoring inspection is 2026-11-14 (Saturday), which is not a working day"
    ]
    visit.refresh_from_db()
    assert visit.starts_on == D(2026, 11, 16)
    assert client.post(url, {**posted, CONFIRM_FIELD: token}).status_code == 302
    visit.refresh_from_db()
    assert visit.starts_on == D(2026, 11, 14)
    assert services.inspection_events(inspection)["monitoring_on_site_start"] == D(2026, 11, 14)
