"""Corrections and withdrawals of what a follow-up records: a plan's submissions and their reviews, its
actions and their progress (a visit's judgements: `visit_corrections`).

As for an inspection's records (`inspections.corrections`): each needs a reason and the access that
recording it needs (the area's partnership officers for a plan's submissions and actions:
`Action.PLAN_SUBMIT`; the inspection's team for reviews and visits: `Action.PLAN_REVIEW`,
`Action.VISIT_CHANGE`); each locks what it decides on, counts its change (the plan's version, and the
inspection's when it records an event) and writes one audit row with before and after, the reason,
the keys that find the record again (`inspection`, and `submission`, `action_id` or `visit_id` with
`finding`) and, in `events`, the events it changed. Follow-ups come after the report, so they stay
open to correction once it is published.

A withdrawn submission or action stays stored, marked withdrawn, and counts for nothing; a submission
can be withdrawn only while it is the latest and not yet reviewed, and the plan goes back to the status
it had before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from areasend.access import Action, check
from areasend.areas.models import Partner
from areasend.core import audit
from areasend.core.audit import AuditAction
from areasend.inspections.corrections import (
    CORRECTION,
    NOTHING_CHANGES,
    WITHDRAWAL,
    audit_mark,
    event_remove,
    plain,
    reason_given,
    recorded_since,
)
from areasend.inspections.errors import InspectionError
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Inspection
from areasend.inspections.services import (
    PARTNER_NOT_IN_AREA,
    count_change,
    event_store,
    inspection_events,
)

from . import rules
from .models import Plan, PlanAction, PlanSubmission
from .services import (
    DATE_ORDER,
    UNKNOWN_ACTION_STATUS,
    UNKNOWN_JUDGEMENT,
    _count_plan_change,
    _lock_plan,
    review_judgements,
)

# Refusals: tests import and assert these exactly.
SUBMISSION_WITHDRAWN = "Submission {number} has been withdrawn: it can no longer change."
ACTION_WITHDRAWN = "This action has been withdrawn: it can no longer change."
NOT_REVIEWED = "Submission {number} has not been reviewed: there is no review to correct."
NOT_THE_LATEST = (
    "Only the judgement of the latest submission can be corrected: submission {number} was made after it."
)
NOT_WITHDRAWABLE = "Only the latest submission can be withdrawn, and only before it is reviewed."
ACTION_TEXT_BLANK = "Enter the corrected action: it cannot be blank."


# --- a plan's submissions and reviews -----------------------------------------------------------


def _locked_submission(submission: PlanSubmission, expected_version: int | None) -> PlanSubmission:
    plan = submission.plan
    _lock_plan(plan, expected_version)
    stored = PlanSubmission.objects.select_for_update().get(pk=submission.pk)
    stored.plan = plan
    if stored.is_withdrawn:
        raise InspectionError(SUBMISSION_WITHDRAWN.format(number=stored.number))
    return stored


def _is_first(submission: PlanSubmission) -> bool:
    """The first submission in force (one withdrawn before it keeps its number and counts for nothing)."""
    return not submission.plan.submissions.in_force().filter(number__lt=submission.number).exists()


def _latest_in_force(plan: Plan) -> PlanSubmission | None:
    return plan.submissions.in_force().order_by("-number").first()


def _copy_into(target: Any, stored: Any, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(target, name, getattr(stored, name))


_SUBMISSION_FIELDS = (
    "submitted_on",
    "summary",
    "reviewed_on",
    "judgement",
    "feedback",
    "withdrawn_at",
    "withdrawn_by_id",
    "withdrawal_reason",
)


def _store_event(inspection: Inspection, name: str | None, events: dict[str, Any], **value: Any) -> None:
    """Record an event a correction changes (when its document has one), noting before and after."""
    if not name:
        return
    before = plain(inspection_events(inspection).get(name))
    event_store(inspection=inspection, name=name, actor=value.pop("actor"), **value)
    after = plain(inspection_events(inspection).get(name))
    if before != after:
        events[name] = [before, after]


def _remove_event(inspection: Inspection, name: str | None, events: dict[str, Any]) -> None:
    if not name:
        return
    before = event_remove(inspection=inspection, name=name)
    if before is not None:
        events[name] = [before, None]


def _changes(
    *,
    inspection: Inspection,
    keys: dict[str, Any],
    changes: dict[str, Any],
    events: dict[str, Any],
    mark: int | None,
    reason: str,
) -> dict[str, Any]:
    """A correction's audit changes; `mark` (from `audit_mark`) when it may have recorded events."""
    return {
        "inspection": inspection.pk,
        **keys,
        **changes,
        "events": events,
        "reason": reason,
        "recorded": recorded_since(inspection, mark) if mark is not None else [],
    }


def plan_submission_correct(
    *,
    submission: PlanSubmission,
    actor: User,
    reason: str,
    submitted_on: dt.date | None = None,
    summary: str | None = None,
    expected_version: int | None = None,
) -> PlanSubmission:
    """Correct a submission's date and/or summary; the date the submission recorded (the document's
    `submitted` event for the first submission in force, `resubmitted` for the latest later one)
    follows. `expected_version` is the plan's."""
    check(actor, Action.PLAN_SUBMIT, submission)
    reason = reason_given(reason, CORRECTION)
    plan = submission.plan
    document = rules.document_of(plan)
    with transaction.atomic():
        stored = _locked_submission(submission, expected_version)
        inspection = plan.inspection
        mark = audit_mark(inspection)
        changes: dict[str, Any] = {}
        events: dict[str, Any] = {}
        if submitted_on is not None and submitted_on != stored.submitted_on:
            if stored.reviewed_on is not None and stored.reviewed_on < submitted_on:
                raise InspectionError(
                    DATE_ORDER.format(
                        later="The review",
                        later_date=stored.reviewed_on,
                        earlier="the submission",
                        earlier_date=submitted_on,
                    )
                )
            names = document.events
            if names is not None:
                latest = _latest_in_force(plan)
                name = (
                    names.submitted
                    if _is_first(stored)
                    else names.resubmitted
                    if latest is not None and latest.pk == stored.pk
                    else None
                )
                _store_event(inspection, name, events, on=submitted_on, actor=actor)
            changes["submitted_on"] = [plain(stored.submitted_on), plain(submitted_on)]
            stored.submitted_on = submitted_on
        if summary is not None and summary.strip() != stored.summary:
            changes["summary"] = [stored.summary, summary.strip()]
            stored.summary = summary.strip()
        if not changes:
            raise InspectionError(NOTHING_CHANGES.format(what="date or summary"))
        stored.save(update_fields=["submitted_on", "summary"])
        _count_plan_change(plan)
        if events:
            count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.PLAN_SUBMISSION_CORRECT,
            obj=stored,
            changes=_changes(
                inspection=inspection,
                keys={"plan": plan.pk, "submission": stored.number},
                changes=changes,
                events=events,
                mark=mark,
                reason=reason,
            ),
        )
    _copy_into(submission, stored, _SUBMISSION_FIELDS)
    return submission


def plan_review_correct(
    *,
    submission: PlanSubmission,
    actor: User,
    reason: str,
    reviewed_on: dt.date | None = None,
    judgement: str | None = None,
    feedback: str | None = None,
    expected_version: int | None = None,
) -> PlanSubmission:
    """Correct a review: its date, its feedback, and (for the latest submission only) its judgement,
    which sets the plan's status again as the review would have. The events the review recorded
    follow. `expected_version` is the plan's."""
    check(actor, Action.PLAN_REVIEW, submission)
    reason = reason_given(reason, CORRECTION)
    plan = submission.plan
    document = rules.document_of(plan)
    if judgement is not None:
        choices = [key for key, _ in review_judgements(plan)]
        if judgement not in choices:
            raise InspectionError(
                UNKNOWN_JUDGEMENT.format(
                    judgement=judgement, title=document.title, choices=", ".join(sorted(choices))
                )
            )
    with transaction.atomic():
        stored = _locked_submission(submission, expected_version)
        inspection = plan.inspection
        if not stored.judgement:
            raise InspectionError(NOT_REVIEWED.format(number=stored.number))
        mark = audit_mark(inspection)
        changes: dict[str, Any] = {}
        events: dict[str, Any] = {}
        names = document.events
        first = _is_first(stored)
        day = reviewed_on if reviewed_on is not None else stored.reviewed_on
        if reviewed_on is not None and reviewed_on != stored.reviewed_on:
            if reviewed_on < stored.submitted_on:
                raise InspectionError(
                    DATE_ORDER.format(
                        later="The review",
                        later_date=reviewed_on,
                        earlier="the submission",
                        earlier_date=stored.submitted_on,
                    )
                )
            changes["reviewed_on"] = [plain(stored.reviewed_on), plain(reviewed_on)]
        before_accepts = _accepts(document, stored.judgement)
        if judgement is not None and judgement != stored.judgement:
            latest = _latest_in_force(plan)
            if latest is not None and latest.pk != stored.pk:
                raise InspectionError(NOT_THE_LATEST.format(number=latest.number))
            earlier = plan.submissions.in_force().filter(number__lt=stored.number).exclude(judgement="")
            failed_before = rules.failed_reviews(document, earlier.values_list("judgement", flat=True))
            status = rules.status_after_review(document, judgement, failed_before)
            changes["judgement"] = [stored.judgement, judgement]
            if status != plan.status:
                changes["status"] = [plan.status, status]
            stored.judgement = judgement
            plan.status = status
        if names is not None:
            if first and "judgement" in changes:
                _store_event(inspection, names.judgement, events, choice=stored.judgement, actor=actor)
            dated = []
            if first and "reviewed_on" in changes:
                dated.append(names.reviewed)
            accepts = _accepts(document, stored.judgement)
            if accepts and (not before_accepts or "reviewed_on" in changes):
                dated.append(names.accepted)
            elif before_accepts and not accepts:
                _remove_event(inspection, names.accepted, events)
            # the review's dates move together: a later date moves the acceptance first, an earlier
            # one the review, so that neither is ever stored out of order with the other
            if stored.reviewed_on is not None and day is not None and day > stored.reviewed_on:
                dated.reverse()
            for name in dated:
                _store_event(inspection, name, events, on=day, actor=actor)
        stored.reviewed_on = day
        if feedback is not None and feedback.strip() != stored.feedback:
            changes["feedback"] = [stored.feedback, feedback.strip()]
            stored.feedback = feedback.strip()
        if not changes:
            raise InspectionError(NOTHING_CHANGES.format(what="date, judgement or feedback"))
        stored.save(update_fields=["reviewed_on", "judgement", "feedback"])
        plan.save(update_fields=["status"])
        _count_plan_change(plan)
        if events:
            count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.PLAN_REVIEW_CORRECT,
            obj=stored,
            changes=_changes(
                inspection=inspection,
                keys={"plan": plan.pk, "submission": stored.number},
                changes=changes,
                events=events,
                mark=mark,
                reason=reason,
            ),
        )
    _copy_into(submission, stored, _SUBMISSION_FIELDS)
    return submission


def _accepts(document: Any, judgement: str) -> bool:
    found = document.judgement(judgement) if judgement else None
    return bool(found is not None and found.accepts)


def plan_submission_withdraw(
    *, submission: PlanSubmission, actor: User, reason: str, expected_version: int | None = None
) -> PlanSubmission:
    """Withdraw the latest submission before it is reviewed (recorded by mistake): it stays stored,
    marked withdrawn; the plan goes back to the status it had before, and the date it recorded goes
    back to the one before (or is removed). `expected_version` is the plan's."""
    check(actor, Action.PLAN_SUBMIT, submission)
    reason = reason_given(reason, WITHDRAWAL)
    plan = submission.plan
    document = rules.document_of(plan)
    framework = framework_of(plan.inspection)
    with transaction.atomic():
        stored = _locked_submission(submission, expected_version)
        inspection = plan.inspection
        latest = _latest_in_force(plan)
        if stored.judgement or latest is None or latest.pk != stored.pk:
            raise InspectionError(NOT_WITHDRAWABLE)
        mark = audit_mark(inspection)
        events: dict[str, Any] = {}
        earlier = list(plan.submissions.in_force().filter(number__lt=stored.number).order_by("number"))
        if earlier:
            failed = rules.failed_reviews(document, [s.judgement for s in earlier[:-1] if s.judgement])
            status = rules.status_after_review(document, earlier[-1].judgement, failed)
        else:
            status = rules.statuses_of(document, framework).opened
        names = document.events
        if names is not None:
            if not earlier:
                _remove_event(inspection, names.submitted, events)
            elif len(earlier) > 1:  # the resubmission before it
                _store_event(inspection, names.resubmitted, events, on=earlier[-1].submitted_on, actor=actor)
            else:
                _remove_event(inspection, names.resubmitted, events)
        stored.withdrawn_at = timezone.now()
        stored.withdrawn_by = actor
        stored.withdrawal_reason = reason
        stored.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        changes = {"status": [plan.status, status]} if status != plan.status else {}
        plan.status = status
        plan.save(update_fields=["status"])
        _count_plan_change(plan)
        count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.PLAN_SUBMISSION_WITHDRAW,
            obj=stored,
            changes=_changes(
                inspection=inspection,
                keys={"plan": plan.pk, "submission": stored.number},
                changes=changes,
                events=events,
                mark=mark,
                reason=reason,
            ),
        )
    _copy_into(submission, stored, _SUBMISSION_FIELDS)
    submission.withdrawn_by = actor
    return submission


# --- a plan's actions ---------------------------------------------------------------------------

_ACTION_FIELDS = (
    "text",
    "owner_id",
    "milestone",
    "due_on",
    "status",
    "withdrawn_at",
    "withdrawn_by_id",
    "withdrawal_reason",
)


def _locked_action(action: PlanAction, expected_version: int | None) -> PlanAction:
    _lock_plan(action.plan, expected_version)
    stored = PlanAction.objects.select_for_update().select_related("owner").get(pk=action.pk)
    stored.plan = action.plan
    if stored.is_withdrawn:
        raise InspectionError(ACTION_WITHDRAWN)
    return stored


def plan_action_correct(
    *,
    action: PlanAction,
    actor: User,
    reason: str,
    text: str | None = None,
    owner: Partner | None = None,
    milestone: str | None = None,
    due_on: dt.date | None = None,
    status: str | None = None,
    expected_version: int | None = None,
) -> PlanAction:
    """Correct an action: its wording, owner, milestone, date or progress (a correction may move its
    status back, with its reason). `expected_version` is the plan's."""
    check(actor, Action.PLAN_SUBMIT, action)
    reason = reason_given(reason, CORRECTION)
    plan = action.plan
    if text is not None and not text.strip():
        raise InspectionError(ACTION_TEXT_BLANK)
    if owner is not None and owner.area_id != plan.inspection.area_id:
        raise InspectionError(PARTNER_NOT_IN_AREA.format(partner=owner.name, area=plan.inspection.area.name))
    order = [code for code, _ in rules.action_statuses(action)]
    if status is not None and status not in order:
        raise InspectionError(
            UNKNOWN_ACTION_STATUS.format(status=status, title=plan.title, choices=", ".join(order))
        )
    with transaction.atomic():
        stored = _locked_action(action, expected_version)
        changes: dict[str, Any] = {}
        for name, value in (
            ("text", text.strip() if text is not None else None),
            ("milestone", milestone.strip() if milestone is not None else None),
            ("due_on", due_on),
            ("status", status),
        ):
            if value is not None and value != getattr(stored, name):
                changes[name] = [plain(getattr(stored, name)), plain(value)]
                setattr(stored, name, value)
        if owner is not None and owner.pk != stored.owner_id:
            changes["owner"] = [stored.owner.name, owner.name]
            stored.owner = owner
        if not changes:
            raise InspectionError(NOTHING_CHANGES.format(what="action"))
        stored.full_clean()
        stored.save(update_fields=["text", "owner", "milestone", "due_on", "status"])
        _count_plan_change(plan)
        audit.record(
            actor=actor,
            action=AuditAction.PLAN_ACTION_CORRECT,
            obj=stored,
            changes=_changes(
                inspection=plan.inspection,
                keys={"plan": plan.pk, "action_id": stored.pk},
                changes=changes,
                events={},
                mark=None,
                reason=reason,
            ),
        )
    _copy_into(action, stored, _ACTION_FIELDS)
    action.owner = stored.owner
    return action


def plan_action_withdraw(
    *, action: PlanAction, actor: User, reason: str, expected_version: int | None = None
) -> PlanAction:
    """Withdraw an action: it stays stored, marked withdrawn, and is never overdue.
    `expected_version` is the plan's."""
    check(actor, Action.PLAN_SUBMIT, action)
    reason = reason_given(reason, WITHDRAWAL)
    plan = action.plan
    with transaction.atomic():
        stored = _locked_action(action, expected_version)
        stored.withdrawn_at = timezone.now()
        stored.withdrawn_by = actor
        stored.withdrawal_reason = reason
        stored.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        _count_plan_change(plan)
        audit.record(
            actor=actor,
            action=AuditAction.PLAN_ACTION_WITHDRAW,
            obj=stored,
            changes=_changes(
                inspection=plan.inspection,
                keys={"plan": plan.pk, "action_id": stored.pk},
                changes={},
                events={},
                mark=None,
                reason=reason,
            ),
        )
    _copy_into(action, stored, _ACTION_FIELDS)
    action.withdrawn_by = actor
    return action
