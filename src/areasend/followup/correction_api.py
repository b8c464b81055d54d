"""Follow-up corrections through the API: the history of a plan's submission, a plan's action and a
visit's judgement, and writes that correct or withdraw them; the same services and permissions as the
pages (404 when the inspection is not visible, 403 when the role may not, 400 for a refused
correction, 409 for an edit from an older version). `If-Match` names the plan's version for
submissions, reviews and actions, and the inspection's for visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from areasend.access import Action
from areasend.core.api_auth import TokenAuth
from areasend.core.api_types import Key, LongText, SensibleDate, Title
from areasend.inspections.api import (
    CHANGE,
    READ,
    Error,
    IfMatch,
    allowed,
    etag,
    expected_version,
    partner_of,
    run,
)
from areasend.inspections.correction_api import (
    EntryOut,
    WithdrawalIn,
    WithdrawalOut,
    history_out,
    withdrawal_out,
)
from areasend.inspections.models import Finding
from areasend.inspections.selectors import inspections_visible_to

from . import corrections, visit_corrections
from .models import PlanAction, PlanSubmission, Visit, VisitJudgement
from .record_history import action_history, judgement_history, submission_history

router = Router(tags=["corrections"])

SUBMIT = TokenAuth("plans.submit")


class SubmissionRecordOut(Schema):
    id: int
    plan: int
    number: int
    submitted_on: dt.date
    summary: str
    reviewed_on: dt.date | None
    judgement: str
    feedback: str
    withdrawn: WithdrawalOut | None
    history: list[EntryOut]
    version: int


class ActionRecordOut(Schema):
    id: int
    plan: int
    text: str
    owner: str
    milestone: str
    due_on: dt.date
    status: str
    withdrawn: WithdrawalOut | None
    history: list[EntryOut]
    version: int


class JudgementRecordOut(Schema):
    visit: int
    finding: int | None
    judgement: str
    history: list[EntryOut]
    version: int


class SubmissionCorrectionIn(Schema):
    submitted_on: SensibleDate | None = None
    summary: LongText | None = None
    reason: LongText = ""


class ReviewCorrectionIn(Schema):
    reviewed_on: SensibleDate | None = None
    judgement: Key | None = None
    feedback: LongText | None = None
    reason: LongText = ""


class ActionCorrectionIn(Schema):
    text: LongText | None = None
    owner: Key | None = None
    milestone: Title | None = None
    due_on: SensibleDate | None = None
    status: Key | None = None
    reason: LongText = ""


class JudgementCorrectionIn(Schema):
    judgement: Key
    reason: LongText = ""


def _visible(request: HttpRequest, inspection_id: int) -> None:
    if not inspections_visible_to(request.user).filter(pk=inspection_id).exists():
        raise HttpError(404, "Not Found")


# --- submissions and reviews --------------------------------------------------------------------


def _submission_for(request: HttpRequest, pk: int) -> PlanSubmission:
    submission = (
        PlanSubmission.objects.select_related("plan__inspection__area", "withdrawn_by").filter(pk=pk).first()
    )
    if submission is None:
        raise HttpError(404, "Not Found")
    _visible(request, submission.plan.inspection_id)
    return submission


def _submission_out(submission: PlanSubmission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "plan": submission.plan_id,
        "number": submission.number,
        "submitted_on": submission.submitted_on,
        "summary": submission.summary,
        "reviewed_on": submission.reviewed_on,
        "judgement": submission.judgement,
        "feedback": submission.feedback,
        "withdrawn": withdrawal_out(submission),
        "history": history_out(submission_history(submission)),
        "version": submission.plan.version,
    }


@router.get("/submissions/{pk}/history", response=SubmissionRecordOut, auth=READ)
def get_submission_history(request: HttpRequest, response: HttpResponse, pk: int) -> dict[str, Any]:
    """A plan's submission and its review (withdrawn or not) and their history, oldest first."""
    submission = _submission_for(request, pk)
    response["ETag"] = etag(submission.plan.version)
    return _submission_out(submission)


@router.post(
    "/submissions/{pk}/corrections", response={200: SubmissionRecordOut, 400: Error, 409: Error}, auth=SUBMIT
)
def correct_submission(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    payload: SubmissionCorrectionIn,
    if_match: IfMatch = None,
) -> Any:
    """Correct a submission's `submitted_on` and/or `summary`, with the `reason`."""
    submission = _submission_for(request, pk)
    allowed(request, Action.PLAN_SUBMIT, submission)
    run(
        corrections.plan_submission_correct,
        submission=submission,
        submitted_on=payload.submitted_on,
        summary=payload.summary,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(submission.plan.version)
    return _submission_out(submission)


@router.post(
    "/submissions/{pk}/review-corrections",
    response={200: SubmissionRecordOut, 400: Error, 409: Error},
    auth=CHANGE,
)
def correct_review(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    payload: ReviewCorrectionIn,
    if_match: IfMatch = None,
) -> Any:
    """Correct a review's `reviewed_on`, `judgement` (the latest submission's only) and/or `feedback`."""
    submission = _submission_for(request, pk)
    allowed(request, Action.PLAN_REVIEW, submission)
    run(
        corrections.plan_review_correct,
        submission=submission,
        reviewed_on=payload.reviewed_on,
        judgement=payload.judgement,
        feedback=payload.feedback,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(submission.plan.version)
    return _submission_out(submission)


@router.post(
    "/submissions/{pk}/withdrawals", response={200: SubmissionRecordOut, 400: Error, 409: Error}, auth=SUBMIT
)
def withdraw_submission(
    request: HttpRequest, response: HttpResponse, pk: int, payload: WithdrawalIn, if_match: IfMatch = None
) -> Any:
    """Withdraw the latest submission before it is reviewed, with the `reason`."""
    submission = _submission_for(request, pk)
    allowed(request, Action.PLAN_SUBMIT, submission)
    run(
        corrections.plan_submission_withdraw,
        submission=submission,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(submission.plan.version)
    return _submission_out(submission)


# --- actions ------------------------------------------------------------------------------------


def _action_for(request: HttpRequest, pk: int) -> PlanAction:
    action = (
        PlanAction.objects.select_related("plan__inspection__area", "owner", "withdrawn_by")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise HttpError(404, "Not Found")
    _visible(request, action.plan.inspection_id)
    return action


def _action_out(action: PlanAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "plan": action.plan_id,
        "text": action.text,
        "owner": action.owner.name,
        "milestone": action.milestone,
        "due_on": action.due_on,
        "status": action.status,
        "withdrawn": withdrawal_out(action),
        "history": history_out(action_history(action)),
        "version": action.plan.version,
    }


@router.get("/actions/{pk}/history", response=ActionRecordOut, auth=READ)
def get_action_history(request: HttpRequest, response: HttpResponse, pk: int) -> dict[str, Any]:
    """A plan's action (withdrawn or not) and its history, oldest first."""
    action = _action_for(request, pk)
    response["ETag"] = etag(action.plan.version)
    return _action_out(action)


@router.post(
    "/actions/{pk}/corrections", response={200: ActionRecordOut, 400: Error, 409: Error}, auth=SUBMIT
)
def correct_action(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    payload: ActionCorrectionIn,
    if_match: IfMatch = None,
) -> Any:
    """Correct an action's `text`, `owner`, `milestone`, `due_on` or `status` (which may go back)."""
    action = _action_for(request, pk)
    allowed(request, Action.PLAN_SUBMIT, action)
    owner = partner_of(action.plan.inspection, payload.owner) if payload.owner is not None else None
    run(
        corrections.plan_action_correct,
        action=action,
        text=payload.text,
        owner=owner,
        milestone=payload.milestone,
        due_on=payload.due_on,
        status=payload.status,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(action.plan.version)
    return _action_out(action)


@router.post(
    "/actions/{pk}/withdrawals", response={200: ActionRecordOut, 400: Error, 409: Error}, auth=SUBMIT
)
def withdraw_action(
    request: HttpRequest, response: HttpResponse, pk: int, payload: WithdrawalIn, if_match: IfMatch = None
) -> Any:
    """Withdraw an action, with the `reason`: it stays on record and is never overdue."""
    action = _action_for(request, pk)
    allowed(request, Action.PLAN_SUBMIT, action)
    run(
        corrections.plan_action_withdraw,
        action=action,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(action.plan.version)
    return _action_out(action)


# --- visit judgements ---------------------------------------------------------------------------


def _visit_for(request: HttpRequest, pk: int) -> Visit:
    visit = Visit.objects.select_related("inspection").filter(pk=pk).first()
    if visit is None:
        raise HttpError(404, "Not Found")
    _visible(request, visit.inspection_id)
    return visit


def _finding_of(visit: Visit, finding_pk: int) -> Finding:
    finding = visit.inspection.findings.filter(pk=finding_pk).first()
    if finding is None:
        raise HttpError(404, "Not Found")
    finding.inspection = visit.inspection
    return finding


def _judgement_out(visit: Visit, finding: Finding | None) -> dict[str, Any]:
    if finding is None:
        current = visit.overall
    else:
        stored = VisitJudgement.objects.filter(visit=visit, finding=finding).first()
        current = stored.judgement if stored is not None else ""
    return {
        "visit": visit.pk,
        "finding": finding.pk if finding is not None else None,
        "judgement": current,
        "history": history_out(judgement_history(visit, finding)),
        "version": visit.inspection.version,
    }


@router.get("/visits/{pk}/judgements/{finding_pk}/history", response=JudgementRecordOut, auth=READ)
def get_judgement_history(request: HttpRequest, response: HttpResponse, pk: int, finding_pk: int) -> Any:
    """The judgement of one finding at a visit and its history, oldest first."""
    visit = _visit_for(request, pk)
    response["ETag"] = etag(visit.inspection.version)
    return _judgement_out(visit, _finding_of(visit, finding_pk))


@router.get("/visits/{pk}/overall/history", response=JudgementRecordOut, auth=READ)
def get_overall_history(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    """A visit's overall judgement and its history, oldest first."""
    visit = _visit_for(request, pk)
    response["ETag"] = etag(visit.inspection.version)
    return _judgement_out(visit, None)


def _correct_judgement(
    request: HttpRequest,
    response: HttpResponse,
    visit: Visit,
    finding: Finding | None,
    payload: JudgementCorrectionIn,
    if_match: str | None,
) -> dict[str, Any]:
    allowed(request, Action.VISIT_CHANGE, visit)
    run(
        visit_corrections.visit_judgement_correct,
        visit=visit,
        finding=finding,
        judgement=payload.judgement,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(visit.inspection.version)
    return _judgement_out(visit, finding)


@router.post(
    "/visits/{pk}/judgements/{finding_pk}/corrections",
    response={200: JudgementRecordOut, 400: Error, 409: Error},
    auth=CHANGE,
)
def correct_judgement(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    finding_pk: int,
    payload: JudgementCorrectionIn,
    if_match: IfMatch = None,
) -> Any:
    """Correct the `judgement` of one finding at a visit, with the `reason`."""
    visit = _visit_for(request, pk)
    return _correct_judgement(request, response, visit, _finding_of(visit, finding_pk), payload, if_match)


@router.post(
    "/visits/{pk}/overall/corrections",
    response={200: JudgementRecordOut, 400: Error, 409: Error},
    auth=CHANGE,
)
def correct_overall(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    payload: JudgementCorrectionIn,
    if_match: IfMatch = None,
) -> Any:
    """Correct a visit's overall `judgement` (and the event it records), with the `reason`."""
    return _correct_judgement(request, response, _visit_for(request, pk), None, payload, if_match)


@router.post(
    "/visits/{pk}/judgements/{finding_pk}/withdrawals",
    response={200: JudgementRecordOut, 400: Error, 409: Error},
    auth=CHANGE,
)
def withdraw_judgement(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    finding_pk: int,
    payload: WithdrawalIn,
    if_match: IfMatch = None,
) -> Any:
    """Withdraw the judgement of one finding at a visit, with the `reason`."""
    visit = _visit_for(request, pk)
    finding = _finding_of(visit, finding_pk)
    allowed(request, Action.VISIT_CHANGE, visit)
    run(
        visit_corrections.visit_judgement_withdraw,
        visit=visit,
        finding=finding,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(visit.inspection.version)
    return _judgement_out(visit, finding)
