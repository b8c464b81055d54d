"""A follow-up visit is judged once it is over: its last day recorded and passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.areas.models import LocalArea
from areasend.conftest import api_headers, walk_to
from areasend.followup import services as follow_up
from areasend.followup.dates import VISIT_NOT_DATED, VISIT_NOT_OVER
from areasend.inspections import dates as inspection_dates
from areasend.inspections import services

pytestmark = pytest.mark.django_db
D = dt.date


def _revisit(frameworks: Any, team: dict[str, Any]) -> Any:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["local-area-send-2016"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    walk_to(inspection, "drafting", team["lead"])
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["lead"])
    services.event_record(
        inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=team["lead"]
    )
    return follow_up.visit_schedule(inspection=inspection, visit="revisit", actor=team["lead"])


def test_a_visit_is_judged_only_once_it_has_ended(frameworks, team, monkeypatch, client) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(inspection_dates, "today", lambda: D(2021, 5, 25))
    visit = _revisit(frameworks, team)
    lead = team["lead"]
    with pytest.raises(services.InspectionError) as caught:
        follow_up.visit_judge(visit=visit, overall="sufficient_in_all", actor=lead)
    assert str(caught.value) == VISIT_NOT_DATED.format(visit="Revisit")
    follow_up.visit_dates_record(visit=visit, starts_on=D(2021, 5, 24), ends_on=D(2021, 5, 26), actor=lead)
    with pytest.raises(services.InspectionError) as caught:
        follow_up.visit_judge(visit=visit, overall="sufficient_in_all", actor=lead)
    assert str(caught.value) == VISIT_NOT_OVER.format(visit="Revisit", date="26 May 2021")
    response = client.post(
        f"/api/visits/{visit.pk}/judgements",
        {"overall": "sufficient_in_all"},
        content_type="application/json",
        headers=api_headers(lead),
    )
    assert response.status_code == 400
    assert response.json() == {"detail": VISIT_NOT_OVER.format(visit="Revisit", date="26 May 2021")}
    visit.refresh_from_db()
    assert visit.overall == ""
    monkeypatch.setattr(inspection_dates, "today", lambda: D(2021, 5, 26))
    follow_up.visit_judge(visit=visit, overall="sufficient_in_all", actor=lead)
    visit.refresh_from_db()
    assert visit.overall == "sufficient_in_all"
