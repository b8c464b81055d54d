"""Stale edits to plans and visits are refused: a plan's changes add one to the plan's version (and
those that record the inspection's events, to the inspection's); an edit from an older read is refused."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.html import escape

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import PageClient, api_headers, signed_in, walk_to
from areasend.core.models import AuditEvent
from areasend.followup import services as follow_up
from areasend.followup.models import Plan, PlanAction, Visit
from areasend.followup.services import STALE_PLAN
from areasend.inspections import services
from areasend.inspections.models import Inspection
from areasend.inspections.services import STALE_INSPECTION, StaleVersion

D = dt.date
ESSEX = "E10000012"


@pytest.fixture
def world(frameworks, team) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    essex = LocalArea.objects.get(ons_code=ESSEX)
    inspection = services.inspection_create(
        area=essex, framework_version=frameworks["local-area-send-2016"], actor=team["admin"]
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    walk_to(inspection, "drafting", team["lead"])
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["lead"])
    services.event_record(
        inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=team["lead"]
    )
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=team["officer"])
    partner = Partner.objects.filter(area=essex, kind=Partner.LOCAL_AUTHORITY).first()
    assert partner is not None
    return {"inspection": inspection, "plan": plan, "partner": partner, **team}


def _versions(w: dict[str, Any]) -> tuple[int, int]:
    """(the inspection's, the plan's) stored versions."""
    return (
        Inspection.objects.values_list("version", flat=True).get(pk=w["inspection"].pk),
        Plan.objects.values_list("version", flat=True).get(pk=w["plan"].pk),
    )


def _plan_audit(w: dict[str, Any]) -> int:
    return AuditEvent.objects.filter(object_type="followup.plan", object_id=str(w["plan"].pk)).count()


def _action(w: dict[str, Any]) -> PlanAction:
    return follow_up.plan_action_add(
        plan=w["plan"], text="Joint board", owner=w["partner"], due_on=D(2020, 9, 1), actor=w["officer"]
    )


# A change to a plan, taking (world, expected plan version); and what it adds to (inspection, plan).
PLAN_CHANGES: dict[str, tuple[Callable[[dict[str, Any], int | None], Any], tuple[int, int]]] = {
    "plan_submit": (
        lambda w, v: follow_up.plan_submit(
            plan=w["plan"], submitted_on=D(2020, 3, 20), actor=w["officer"], expected_version=v
        ),
        (1, 1),
    ),
    "plan_review": (
        lambda w, v: follow_up.plan_review(
            plan=w["plan"],
            judgement="not_fit_for_purpose",
            reviewed_on=D(2020, 3, 27),
            actor=w["lead"],
            expected_version=v,
        ),
        (1, 1),
    ),
    "plan_action_add": (
        lambda w, v: follow_up.plan_action_add(
            plan=w["plan"],
            text="Autism pathway",
            owner=w["partner"],
            due_on=D(2020, 9, 1),
            actor=w["officer"],
            expected_version=v,
        ),
        (0, 1),  # actions record nothing on the inspection's timeline
    ),
    "plan_action_progress": (
        lambda w, v: follow_up.plan_action_progress(
            action=w["action"], status="in_progress", actor=w["officer"], expected_version=v
        ),
        (0, 1),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PLAN_CHANGES))
def test_every_change_to_a_plan_adds_one_to_its_version_and_a_stale_one_is_refused(name, world) -> None:  # type: ignore[no-untyped-def]
    if name == "plan_review":
        follow_up.plan_submit(plan=world["plan"], submitted_on=D(2020, 3, 20), actor=world["officer"])
    world["action"] = _action(world)
    change, adds = PLAN_CHANGES[name]
    inspection_version, plan_version = _versions(world)
    audited = _plan_audit(world)

    with pytest.raises(StaleVersion) as caught:
        change(world, plan_version - 1)
    assert str(caught.value) == STALE_PLAN
    assert _versions(world) == (inspection_version, plan_version)
    assert _plan_audit(world) == audited

    change(world, plan_version)
    assert _versions(world) == (inspection_version + adds[0], plan_version + adds[1])
    assert world["plan"].version == plan_version + 1
    assert _plan_audit(world) == audited + 1


@pytest.mark.django_db
def test_opening_plans_and_visits_count_as_changes_to_the_inspection(world) -> None:  # type: ignore[no-untyped-def]
    inspection, lead = world["inspection"], world["lead"]
    version = _versions(world)[0]
    with pytest.raises(StaleVersion, match=re.escape(STALE_INSPECTION)):
        follow_up.visit_schedule(
            inspection=inspection, visit="revisit", actor=lead, expected_version=version - 1
        )
    assert not Visit.objects.filter(inspection=inspection).exists()
    visit = follow_up.visit_schedule(
        inspection=inspection, visit="revisit", actor=lead, expected_version=version
    )
    follow_up.visit_dates_record(
        visit=visit,
        starts_on=D(2021, 5, 24),
        ends_on=D(2021, 5, 26),
        actor=lead,
        expected_version=version + 1,
    )
    follow_up.visit_judge(visit=visit, overall="sufficient_in_all", actor=lead, expected_version=version + 2)
    with pytest.raises(StaleVersion, match=re.escape(STALE_INSPECTION)):
        follow_up.visit_judge(visit=visit, overall="sufficient_in_none", actor=lead, expected_version=version)
    visit.refresh_from_db()
    assert visit.overall == "sufficient_in_all"
    assert _versions(world)[0] == inspection.version == version + 3
    with pytest.raises(StaleVersion, match=re.escape(STALE_INSPECTION)):
        follow_up.plan_open(
            inspection=inspection, document="wsoa", actor=world["officer"], expected_version=version
        )


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plan_endpoints_take_the_plans_version_in_if_match(client, world) -> None:  # type: ignore[no-untyped-def]
    officer = api_headers(world["officer"])
    inspection = world["inspection"]
    detail = client.get(f"/api/inspections/{inspection.pk}", headers=officer).json()
    plan_read = detail["plans"][0]["version"]
    assert plan_read == world["plan"].version

    _action(world)  # someone else adds an action: the plan moves on
    # the plan's version, not the inspection's, is what a plan's endpoint checks
    assert detail["version"] != plan_read + 1
    for named in (plan_read, detail["version"]):
        refused = client.post(
            f"/api/plans/{world['plan'].pk}/submissions",
            {"submitted_on": "2020-03-20"},
            content_type="application/json",
            headers={**officer, "If-Match": f'"{named}"'},
        )
        assert refused.status_code == 409
        assert refused.json() == {"detail": STALE_PLAN}
    assert not world["plan"].submissions.exists()

    submitted = client.post(
        f"/api/plans/{world['plan'].pk}/submissions",
        {"submitted_on": "2020-03-20"},
        content_type="application/json",
        headers={**officer, "If-Match": f'"{plan_read + 1}"'},
    )
    assert submitted.status_code == 201, submitted.content
    assert submitted.json()["version"] == plan_read + 2
    assert submitted["ETag"] == f'"{plan_read + 2}"'

    action = world["plan"].actions.get()
    progressed = client.post(
        f"/api/actions/{action.pk}/progress",
        {"status": "complete"},
        content_type="application/json",
        headers={**officer, "If-Match": f'"{plan_read + 2}"'},
    )
    assert progressed.status_code == 200 and progressed.json()["version"] == plan_read + 3
    stale = client.post(
        f"/api/actions/{action.pk}/progress",
        {"status": "complete"},
        content_type="application/json",
        headers={**officer, "If-Match": f'"{plan_read + 2}"'},
    )
    assert stale.status_code == 409 and stale.json() == {"detail": STALE_PLAN}


# --- the pages -----------------------------------------------------------------------------------


def _hidden_version(response: Any) -> int | None:
    found = re.search(r'<input type="hidden" name="version" value="(\d+)">', response.content.decode())
    return int(found.group(1)) if found else None


def _errors(response: Any) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if summary is None:
        return []
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    ]


@pytest.mark.django_db
def test_plan_pages_carry_the_plans_version_and_refuse_a_stale_one(world) -> None:  # type: ignore[no-untyped-def]
    inspection, plan = world["inspection"], world["plan"]
    action = _action(world)
    officer = signed_in(PageClient(), world["officer"])
    lead = signed_in(PageClient(), world["lead"])
    base = f"/inspections/{inspection.pk}/"
    inspection_version, plan_version = _versions(world)
    assert inspection_version != plan_version  # so the test tells them apart

    for page in (
        f"plans/{plan.pk}/submit/",
        f"plans/{plan.pk}/actions/",
        f"plans/{plan.pk}/actions/{action.pk}/progress/",
    ):
        assert _hidden_version(officer.get(base + page)) == plan_version, page
    assert _hidden_version(lead.get(base + f"plans/{plan.pk}/review/")) == plan_version
    assert _hidden_version(lead.get(base + "visits/")) == inspection_version

    opened = plan_version
    follow_up.plan_action_progress(action=action, status="complete", actor=world["officer"])
    audited = _plan_audit(world)
    refused = officer.post(
        base + f"plans/{plan.pk}/submit/", {"submitted_on": "20/03/2020", "summary": "", "version": opened}
    )
    assert refused.status_code == 200
    assert _errors(refused) == [escape(STALE_PLAN)]
    assert not plan.submissions.exists() and _plan_audit(world) == audited
    assert _hidden_version(refused) == opened + 1
    again = officer.post(
        base + f"plans/{plan.pk}/submit/",
        {"submitted_on": "20/03/2020", "summary": "", "version": opened + 1},
    )
    assert again.status_code == 302, _errors(again)
    assert [s.number for s in plan.submissions.all()] == [1]
