"""Correcting and withdrawing what a follow-up records (a plan's submissions, reviews and actions, a
visit's judgements), by the right role and with a reason, after the report is published, and the
history of each record in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.access import AccessDenied
from areasend.access.policy import NO_PERMISSION, NOT_YOUR_AREA, RULES, Action
from areasend.areas.models import LocalArea, Partner
from areasend.core.models import AuditEvent
from areasend.followup import corrections, visit_corrections
from areasend.followup import services as follow_up
from areasend.followup.corrections import (
    ACTION_WITHDRAWN,
    NOT_THE_LATEST,
    NOT_WITHDRAWABLE,
    SUBMISSION_WITHDRAWN,
)
from areasend.followup.models import Plan, PlanAction, PlanSubmission
from areasend.followup.record_history import action_history, judgement_history, submission_history
from areasend.followup.selectors import overdue_actions
from areasend.inspections import services
from areasend.inspections.corrections import CORRECTION, REASON_NEEDED
from areasend.inspections.models import Inspection
from areasend.inspections.record_history import event_history
from areasend.inspections.services import InspectionError

D = dt.date
ESSEX = "E10000012"


@pytest.fixture
def published(frameworks: dict[str, Any], team: dict[str, Any]) -> Inspection:
    """Essex's 2019 inspection (WSOA required for three weaknesses), published on 23 December 2019."""
    from areasend.inspections.demo_steps import TITLE_2016, _essex_2019

    users = {
        "demo-admin": team["admin"],
        "demo-lead-inspector": team["lead"],
        "demo-cqc-inspector": team["cqc"],
    }
    _essex_2019(LocalArea.objects.get(ons_code=ESSEX), users)
    return Inspection.objects.get(title=TITLE_2016)


def _plan(inspection: Inspection, team: dict[str, Any]) -> Plan:
    return follow_up.plan_open(inspection=inspection, document="wsoa", actor=team["officer"])


def _stored(plan: Plan) -> tuple[Any, ...]:
    plan.refresh_from_db()
    plan.inspection.refresh_from_db()
    return (
        plan.status,
        plan.version,
        plan.inspection.version,
        sorted(plan.submissions.values_list("number", "submitted_on", "judgement", "withdrawn_at")),
        sorted(plan.actions.values_list("pk", "text", "due_on", "status", "withdrawn_at")),
        sorted(plan.inspection.events.values_list("name", "on", "choice")),
        AuditEvent.objects.count(),
    )


def _refused(call: Any, message: str, plan: Plan, error: type[Exception] = InspectionError) -> None:
    before = _stored(plan)
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message
    assert _stored(plan) == before


# --- submissions and reviews --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_submission_date_is_corrected_after_publication_and_its_event_follows(published, team) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(published, team)
    submission = follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 20), actor=team["officer"])
    plan_version, inspection_version = plan.version, published.version
    corrections.plan_submission_correct(
        submission=submission,
        submitted_on=D(2020, 3, 18),
        reason="Sent by e-mail on the 18th",
        actor=team["officer"],
        expected_version=plan_version,
    )
    assert PlanSubmission.objects.get(pk=submission.pk).submitted_on == D(2020, 3, 18)
    assert services.inspection_events(published)["wsoa_submitted"] == D(2020, 3, 18)
    published.refresh_from_db()
    assert (plan.version, published.version) == (plan_version + 1, inspection_version + 1)
    assert [(e.what, [c.words for c in e.changes], e.reason) for e in submission_history(submission)] == [
        ("Submitted", ["Submitted: 20 March 2020"], ""),
        ("Corrected", ["Submitted: was 20 March 2020, now 18 March 2020"], "Sent by e-mail on the 18th"),
    ]
    # the event's own history shows the correction once, with its reason
    assert [(e.what, e.reason) for e in event_history(published, "wsoa_submitted")] == [
        ("Recorded", ""),
        ("Plan submission corrected", "Sent by e-mail on the 18th"),
    ]


@pytest.mark.django_db
def test_each_plan_entry_is_corrected_only_by_the_role_that_records_it(published, team) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(published, team)
    submission = follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 20), actor=team["officer"])
    follow_up.plan_review(
        plan=plan, judgement="fit_for_purpose", reviewed_on=D(2020, 4, 2), actor=team["lead"]
    )

    def correct_submission(actor: Any, reason: str = "A typing slip") -> Any:
        return lambda: corrections.plan_submission_correct(
            submission=submission, submitted_on=D(2020, 3, 19), reason=reason, actor=actor
        )

    def correct_review(actor: Any) -> Any:
        return lambda: corrections.plan_review_correct(
            submission=submission, reviewed_on=D(2020, 4, 3), reason="A typing slip", actor=actor
        )

    submit = NO_PERMISSION.format(what=RULES[Action.PLAN_SUBMIT].what)
    review = NO_PERMISSION.format(what=RULES[Action.PLAN_REVIEW].what)
    _refused(correct_submission(team["officer"], reason=""), REASON_NEEDED.format(change=CORRECTION), plan)
    for actor, message in (
        (team["lead"], submit),
        (team["viewer"], submit),
        (team["kent_officer"], NOT_YOUR_AREA),
    ):
        _refused(correct_submission(actor), message, plan, AccessDenied)
    for actor in (team["officer"], team["viewer"]):
        _refused(correct_review(actor), review, plan, AccessDenied)
    correct_review(team["cqc"])()
    correct_submission(team["officer"])()
    assert PlanSubmission.objects.get(pk=submission.pk).reviewed_on == D(2020, 4, 3)
    assert services.inspection_events(published)["wsoa_reviewed"] == D(2020, 4, 3)
    assert services.inspection_events(published)["wsoa_accepted"] == D(2020, 4, 3)


@pytest.mark.django_db
def test_a_mistaken_submission_is_withdrawn_and_the_next_is_the_first(published, team) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(published, team)
    mistaken = follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 2), actor=team["officer"])
    corrections.plan_submission_withdraw(
        submission=mistaken, reason="The draft was sent, not the plan", actor=team["officer"]
    )
    plan.refresh_from_db()
    assert plan.status == "drafting"
    assert "wsoa_submitted" not in services.inspection_events(published)
    stored = PlanSubmission.objects.get(pk=mistaken.pk)
    assert stored.is_withdrawn and stored.withdrawal_reason == "The draft was sent, not the plan"
    _refused(
        lambda: corrections.plan_submission_correct(
            submission=stored, summary="x", reason="x", actor=team["officer"]
        ),
        SUBMISSION_WITHDRAWN.format(number=1),
        plan,
    )
    real = follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 20), actor=team["officer"])
    assert real.number == 2
    follow_up.plan_review(
        plan=plan, judgement="fit_for_purpose", reviewed_on=D(2020, 4, 2), actor=team["lead"]
    )
    events = services.inspection_events(published)
    # the first submission in force is reviewed as the first: its review dates the WSOA's review
    assert (events["wsoa_submitted"], events["wsoa_reviewed"], events["wsoa_judgement"]) == (
        D(2020, 3, 20),
        D(2020, 4, 2),
        "fit_for_purpose",
    )
    _refused(
        lambda: corrections.plan_submission_withdraw(
            submission=real, reason="Reviewed", actor=team["officer"]
        ),
        NOT_WITHDRAWABLE,
        plan,
    )
    assert [e.what for e in submission_history(stored)] == ["Submitted", "Withdrawn"]


@pytest.mark.django_db
def test_a_review_judgement_is_corrected_and_the_plan_status_and_events_follow(published, team) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(published, team)
    first = follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 20), actor=team["officer"])
    follow_up.plan_review(
        plan=plan, judgement="not_fit_for_purpose", reviewed_on=D(2020, 4, 2), actor=team["lead"]
    )
    corrections.plan_review_correct(
        submission=first,
        judgement="fit_for_purpose",
        reason="The panel's decision was misread",
        actor=team["lead"],
    )
    plan.refresh_from_db()
    events = services.inspection_events(published)
    assert plan.status == "fit_for_purpose"
    assert (events["wsoa_judgement"], events["wsoa_accepted"]) == ("fit_for_purpose", D(2020, 4, 2))
    corrections.plan_review_correct(
        submission=first, judgement="not_fit_for_purpose", reason="Back as it was", actor=team["lead"]
    )
    plan.refresh_from_db()
    assert plan.status == "not_fit_for_purpose"
    assert "wsoa_accepted" not in services.inspection_events(published)
    follow_up.plan_submit(plan=plan, submitted_on=D(2020, 5, 1), actor=team["officer"])
    _refused(
        lambda: corrections.plan_review_correct(
            submission=first, judgement="fit_for_purpose", reason="x", actor=team["lead"]
        ),
        NOT_THE_LATEST.format(number=2),
        plan,
    )
    history = submission_history(first)
    assert [e.what for e in history] == ["Submitted", "Reviewed", "Corrected", "Corrected"]
    assert [c.words for c in history[2].changes] == [
        "Judgement: was Not fit for purpose (resubmit within 20 working days), now Fit for purpose",
        "Plan status: was Not fit for purpose: resubmission due, now Fit for purpose",
    ]


# --- actions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_action_is_corrected_and_a_withdrawn_one_is_never_overdue(published, team) -> None:  # type: ignore[no-untyped-def]
    from areasend.programme.selectors import open_plan_actions

    plan = _plan(published, team)
    owner, other = list(Partner.objects.filter(area__ons_code=ESSEX).order_by("name"))[:2]
    action = follow_up.plan_action_add(
        plan=plan, text="Cut waiting times", owner=owner, due_on=D(2020, 6, 30), actor=team["officer"]
    )
    follow_up.plan_action_progress(action=action, status="complete", actor=team["officer"])
    corrections.plan_action_correct(
        action=action,
        status="in_progress",
        owner=other,
        reason="Marked complete too early; the health partner owns it",
        actor=team["officer"],
    )
    stored = PlanAction.objects.get(pk=action.pk)
    assert (stored.status, stored.owner) == ("in_progress", other)
    today = D(2021, 1, 4)
    assert [a.pk for a in overdue_actions(inspection=published, today=today)] == [action.pk]
    corrections.plan_action_withdraw(
        action=action, reason="Merged into another action", actor=team["officer"]
    )
    assert overdue_actions(inspection=published, today=today) == []
    assert [
        m for m in open_plan_actions(user=team["admin"], today=today) if m.key == f"plan-action-{action.pk}"
    ] == []
    _refused(
        lambda: corrections.plan_action_correct(action=action, text="x", reason="x", actor=team["officer"]),
        ACTION_WITHDRAWN,
        plan,
    )
    history = action_history(stored)
    assert [e.what for e in history] == ["Added", "Progress recorded", "Corrected", "Withdrawn"]
    assert [c.words for c in history[2].changes] == [
        f"Owner: was {owner.name}, now {other.name}",
        "Progress: was Complete, now In progress",
    ]


# --- visit judgements ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_visit_judgement_is_corrected_or_withdrawn(published, team) -> None:  # type: ignore[no-untyped-def]
    from areasend.history.models import PublishedInspection

    visit = follow_up.visit_schedule(
        inspection=published,
        visit="revisit",
        starts_on=D(2022, 6, 6),
        ends_on=D(2022, 6, 8),
        actor=team["lead"],
    )
    one, two, three = published.findings.order_by("number")
    follow_up.visit_judge(
        visit=visit,
        per_finding={f.pk: "sufficient_progress" for f in (one, two, three)},
        overall="sufficient_in_all",
        published_on=D(2022, 7, 27),
        actor=team["lead"],
    )
    visit_corrections.visit_judgement_correct(
        visit=visit, finding=two, judgement="insufficient_progress", reason="Moderation", actor=team["cqc"]
    )
    visit_corrections.visit_judgement_correct(
        visit=visit, judgement="sufficient_in_some", reason="Moderation", actor=team["cqc"]
    )
    visit_corrections.visit_judgement_withdraw(
        visit=visit, finding=three, reason="Not judged at this visit", actor=team["lead"]
    )
    record = PublishedInspection.objects.get(source="areasend", source_key=f"visit:{visit.pk}")
    assert record.judgements == {"sufficient_progress": 1, "insufficient_progress": 1}
    assert record.visit_result == "sufficient_in_some"
    assert services.inspection_events(published)["revisit_outcome"] == "sufficient_in_some"
    with pytest.raises(AccessDenied):
        visit_corrections.visit_judgement_correct(
            visit=visit, finding=one, judgement="insufficient_progress", reason="x", actor=team["officer"]
        )
    assert [(e.what, [c.words for c in e.changes]) for e in judgement_history(visit, two)] == [
        ("Judged", [f"{two}: Sufficient progress"]),
        ("Corrected", [f"{two}: was Sufficient progress, now Insufficient progress"]),
    ]
    assert [e.what for e in judgement_history(visit, three)] == ["Judged", "Withdrawn"]
    assert [e.what for e in judgement_history(visit)] == ["Judged", "Corrected"]
