"""Every write service checks its actor itself: called directly with an actor outside its scope, it
refuses with the access policy's named reason and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from areasend.access import AccessDenied, Action, decide
from areasend.access.policy import NO_PERMISSION, NOT_IN_TEAM, NOT_SIGNED_IN, NOT_YOUR_AREA, RULES
from areasend.areas.models import LocalArea, Partner
from areasend.conftest import walk_to
from areasend.core.models import AuditEvent
from areasend.followup import services as follow_up
from areasend.inspections import services

D = dt.date


def _no(action: Action) -> str:
    return NO_PERMISSION.format(what=RULES[action].what)


@pytest.fixture
def world(frameworks, team) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    essex = LocalArea.objects.get(ons_code="E10000012")
    admin, lead, officer = team["admin"], team["lead"], team["officer"]
    inspection = services.inspection_create(
        area=essex, framework_version=frameworks["local-area-send-2016"], actor=admin
    )
    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    walk_to(inspection, "drafting", lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    services.event_record(inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=lead)
    partner = Partner.objects.filter(area=essex).first()
    assert partner is not None
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=officer)
    action = follow_up.plan_action_add(
        plan=plan, text="Act", owner=partner, due_on=D(2021, 1, 1), actor=officer
    )
    visit = follow_up.visit_schedule(inspection=inspection, visit="revisit", actor=lead)
    return {
        "area": essex,
        "inspection": inspection,
        "plan": plan,
        "action": action,
        "visit": visit,
        "partner": partner,
        "frameworks": frameworks,
        **team,
    }


def _calls(w: dict[str, Any]) -> list[tuple[str, str, Callable[[Any], Any], str]]:
    """(service, actor key, call taking the actor, the reason it must give)."""
    i, plan, action, visit = w["inspection"], w["plan"], w["action"], w["visit"]
    return [
        (
            "inspection_create",
            "viewer",
            lambda a: services.inspection_create(
                area=w["area"], framework_version=w["frameworks"]["area-send-2023"], actor=a
            ),
            _no(Action.INSPECTION_CREATE),
        ),
        (
            "inspection_create",
            "lead",
            lambda a: services.inspection_create(
                area=w["area"], framework_version=w["frameworks"]["area-send-2023"], actor=a
            ),
            _no(Action.INSPECTION_CREATE),
        ),
        (
            "team_assign",
            "lead",
            lambda a: services.team_assign(inspection=i, user=w["cqc"], role="cqc_inspector", actor=a),
            _no(Action.TEAM_MANAGE),
        ),
        (
            "team_remove",
            "officer",
            lambda a: services.team_remove(inspection=i, user=w["lead"], actor=a),
            _no(Action.TEAM_MANAGE),
        ),
        (
            "conflict_declare",
            "lead",
            lambda a: services.conflict_declare(inspector=w["cqc"], area=w["area"], reason="x", actor=a),
            _no(Action.INSPECTION_CREATE),
        ),
        (
            "conflict_declare",
            "officer",
            lambda a: services.conflict_declare(inspector=a, area=w["area"], reason="x", actor=a),
            _no(Action.CONFLICT_DECLARE),
        ),
        (
            "activity_add",
            "other_inspector",
            lambda a: services.activity_add(
                inspection=i,
                actor=a,
                on=D(2019, 9, 30),
                starts_at=dt.time(9),
                ends_at=dt.time(10),
                activity_type="other",
                title="x",
            ),
            NOT_IN_TEAM,
        ),
        (
            "note_add",
            "other_inspector",
            lambda a: services.note_add(inspection=i, text="x", actor=a),
            NOT_IN_TEAM,
        ),
        (
            "note_add",
            "viewer",
            lambda a: services.note_add(inspection=i, text="x", actor=a),
            _no(Action.NOTES),
        ),
        (
            "event_record",
            "other_inspector",
            lambda a: services.event_record(inspection=i, name="notified", on=D(2019, 9, 23), actor=a),
            NOT_IN_TEAM,
        ),
        (
            "event_record",
            "officer",
            lambda a: services.event_record(inspection=i, name="notified", on=D(2019, 9, 23), actor=a),
            _no(Action.INSPECTION_CHANGE),
        ),
        (
            "outcome_record",
            "other_inspector",
            lambda a: services.outcome_record(inspection=i, outcome="wsoa_not_required", actor=a),
            NOT_IN_TEAM,
        ),
        (
            "inspection_move",
            "other_inspector",
            lambda a: services.inspection_move(inspection=i, target="notified", on=D(2019, 9, 23), actor=a),
            NOT_IN_TEAM,
        ),
        (
            "finding_add",
            "other_inspector",
            lambda a: services.finding_add(
                inspection=i, kind="significant_weakness", text="x", responsible=[w["partner"]], actor=a
            ),
            NOT_IN_TEAM,
        ),
        (
            "sign_off",
            "viewer",
            lambda a: services.sign_off(inspection=i, inspectorate="Ofsted", actor=a),
            _no(Action.INSPECTION_CHANGE),
        ),
        (
            "plan_open",
            "kent_officer",
            lambda a: follow_up.plan_open(inspection=i, document="wsoa", actor=a),
            NOT_YOUR_AREA,
        ),
        (
            "plan_submit",
            "kent_officer",
            lambda a: follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 1), actor=a),
            NOT_YOUR_AREA,
        ),
        (
            "plan_submit",
            "lead",
            lambda a: follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 1), actor=a),
            _no(Action.PLAN_SUBMIT),
        ),
        (
            "plan_action_add",
            "kent_officer",
            lambda a: follow_up.plan_action_add(
                plan=plan, text="x", owner=w["partner"], due_on=D(2021, 1, 1), actor=a
            ),
            NOT_YOUR_AREA,
        ),
        (
            "plan_action_progress",
            "kent_officer",
            lambda a: follow_up.plan_action_progress(action=action, status="complete", actor=a),
            NOT_YOUR_AREA,
        ),
        (
            "plan_review",
            "other_inspector",
            lambda a: follow_up.plan_review(
                plan=plan, judgement="fit_for_purpose", reviewed_on=D(2020, 4, 1), actor=a
            ),
            NOT_IN_TEAM,
        ),
        (
            "plan_review",
            "officer",
            lambda a: follow_up.plan_review(
                plan=plan, judgement="fit_for_purpose", reviewed_on=D(2020, 4, 1), actor=a
            ),
            _no(Action.PLAN_REVIEW),
        ),
        (
            "visit_schedule",
            "other_inspector",
            lambda a: follow_up.visit_schedule(inspection=i, visit="revisit", actor=a),
            NOT_IN_TEAM,
        ),
        (
            "visit_judge",
            "other_inspector",
            lambda a: follow_up.visit_judge(visit=visit, overall="sufficient_in_all", actor=a),
            NOT_IN_TEAM,
        ),
        (
            "visit_dates_record",
            "officer",
            lambda a: follow_up.visit_dates_record(visit=visit, starts_on=D(2022, 5, 17), actor=a),
            _no(Action.VISIT_CHANGE),
        ),
    ]


SERVICES = [
    "inspection_create",
    "team_assign",
    "team_remove",
    "conflict_declare",
    "activity_add",
    "note_add",
    "event_record",
    "outcome_record",
    "inspection_move",
    "finding_add",
    "sign_off",
    "plan_open",
    "plan_submit",
    "plan_action_add",
    "plan_action_progress",
    "plan_review",
    "visit_schedule",
    "visit_judge",
    "visit_dates_record",
]


@pytest.mark.django_db
def test_every_write_service_refuses_an_actor_outside_its_scope(world) -> None:  # type: ignore[no-untyped-def]
    calls = _calls(world)
    assert {name for name, *_ in calls} == set(SERVICES)  # none left out
    for name, who, call, reason in calls:
        before = AuditEvent.objects.count()
        with pytest.raises(AccessDenied) as refused:
            call(world[who])
        assert str(refused.value) == reason, (name, who)
        assert AuditEvent.objects.count() == before, name


@pytest.mark.django_db
def test_an_inactive_or_anonymous_actor_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    lead = world["lead"]
    lead.is_active = False
    with pytest.raises(AccessDenied, match=NOT_SIGNED_IN):
        services.note_add(inspection=world["inspection"], text="x", actor=lead)
    assert not decide(AnonymousUser(), Action.INSPECTION_VIEW, world["inspection"])


@pytest.mark.django_db
def test_the_same_actors_succeed_within_their_scope(world) -> None:  # type: ignore[no-untyped-def]
    i = world["inspection"]
    assert services.note_add(inspection=i, text="Seen", actor=world["lead"]).pk
    assert decide(world["officer"], Action.PLAN_SUBMIT, world["plan"])
    assert decide(world["viewer"], Action.INSPECTION_VIEW, i)
    assert not decide(world["viewer"], Action.INSPECTION_CHANGE, i)
    assert decide(world["admin"], Action.VISIT_CHANGE, world["visit"])
    assert decide(world["kent_officer"], Action.AREA_VIEW, LocalArea.objects.get(ons_code="E10000016"))
    assert not decide(world["kent_officer"], Action.AREA_VIEW, world["area"])
