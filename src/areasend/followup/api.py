"""Follow-up plans and visits through the API: the same services as the pages, the same permissions.

`If-Match` names the plan's version on a plan's own endpoints (submissions, reviews, actions) and
the inspection's on the others (opening a plan, visits); the response's `ETag` is the new one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from areasend.access import Action
from areasend.core.api_auth import TokenAuth
from areasend.core.api_types import Key, LongText, SensibleDate, Title
from areasend.inspections import selectors
from areasend.inspections.api import (
    CHANGE,
    Error,
    IfMatch,
    allowed,
    etag,
    expected_version,
    inspection_for,
    partner_of,
    run,
)
from areasend.inspections.services import InspectionError

from . import dates, services
from .models import Plan, PlanAction, PlanSubmission, Visit

router = Router(tags=["follow-up"])

SUBMIT = TokenAuth("plans.submit")


class PlanOut(Schema):
    id: int
    document: str
    title: str
    status: str
    version: int
    submissions: list[dict[str, Any]]  # in force; withdrawn ones are listed apart, kept on record
    actions: list[dict[str, Any]]
    warnings: list[str] = []  # the timeline's warnings for a date just recorded
    withdrawn_submissions: list[dict[str, Any]]
    withdrawn_actions: list[dict[str, Any]]


class VisitOut(Schema):
    id: int
    visit: str
    notified_on: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    overall: str
    reason_for_difference: str
    judgements: dict[str, str]
    warnings: list[str] = []  # the timeline's warnings for the dates just recorded


class PlanIn(Schema):
    document: Key


class SubmissionIn(Schema):
    submitted_on: SensibleDate
    summary: LongText = ""


class ReviewIn(Schema):
    judgement: Key
    reviewed_on: SensibleDate
    feedback: LongText = ""


class ActionIn(Schema):
    text: LongText
    owner: Key
    due_on: SensibleDate
    milestone: Title = ""
    finding: int | None = None


class ProgressIn(Schema):
    status: Key


class VisitIn(Schema):
    visit: Key
    notified_on: SensibleDate | None = None
    starts_on: SensibleDate | None = None
    ends_on: SensibleDate | None = None


class JudgementIn(Schema):
    per_finding: dict[int, Key] = {}
    overall: Key = ""
    published_on: SensibleDate | None = None
    # Needed when the overall judgement differs from what the judgement of each finding gives.
    reason_for_difference: LongText = ""


class VisitDatesIn(Schema):
    notified_on: SensibleDate | None = None
    starts_on: SensibleDate | None = None
    ends_on: SensibleDate | None = None


# --- helpers ---


def dry_run(call: Any, *args: Any) -> list[str]:
    """The warnings a dry run of a write's dates gives, before the write (a date the rules refuse
    gives none here: the write itself is refused with 400)."""
    try:
        return list(call(*args))
    except InspectionError:
        return []


def submission_out(submission: PlanSubmission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "number": submission.number,
        "submitted_on": submission.submitted_on.isoformat(),
        "reviewed_on": submission.reviewed_on.isoformat() if submission.reviewed_on else None,
        "judgement": submission.judgement,
    }


def action_out(action: PlanAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "text": action.text,
        "owner": action.owner.name,
        "due_on": action.due_on.isoformat(),
        "status": action.status,
    }


def plan_out(plan: Plan) -> dict[str, Any]:
    actions = plan.actions.select_related("owner")
    return {
        "id": plan.pk,
        "document": plan.document,
        "title": plan.title,
        "status": plan.status,
        "version": plan.version,
        "submissions": [submission_out(s) for s in plan.submissions.in_force()],
        "actions": [action_out(a) for a in actions.in_force()],
        "withdrawn_submissions": [submission_out(s) for s in plan.submissions.withdrawn()],
        "withdrawn_actions": [action_out(a) for a in actions.withdrawn()],
    }


def visit_out(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "visit": visit.visit,
        "notified_on": visit.notified_on,
        "starts_on": visit.starts_on,
        "ends_on": visit.ends_on,
        "overall": visit.overall,
        "reason_for_difference": visit.reason_for_difference,
        "judgements": {str(j.finding_id): j.judgement for j in visit.judgements.all()},
    }


# --- plans and visits ---


@router.post("/inspections/{pk}/plans", response={201: PlanOut, 400: Error, 409: Error}, auth=SUBMIT)
def open_plan(
    request: HttpRequest, response: HttpResponse, pk: int, payload: PlanIn, if_match: IfMatch = None
) -> Any:
    inspection = inspection_for(request, pk, Action.PLAN_SUBMIT)
    plan = run(
        services.plan_open,
        inspection=inspection,
        document=payload.document,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return Status(201, plan_out(plan))


def _plan_for(request: HttpRequest, pk: int) -> Plan:
    plan = Plan.objects.select_related("inspection").filter(pk=pk).first()
    if (
        plan is None
        or not selectors.inspections_visible_to(request.user).filter(pk=plan.inspection_id).exists()
    ):
        raise HttpError(404, "Not Found")
    return plan


@router.post("/plans/{pk}/submissions", response={201: PlanOut, 400: Error, 409: Error}, auth=SUBMIT)
def submit_plan(
    request: HttpRequest, response: HttpResponse, pk: int, payload: SubmissionIn, if_match: IfMatch = None
) -> Any:
    plan = _plan_for(request, pk)
    allowed(request, Action.PLAN_SUBMIT, plan)
    warnings = dry_run(dates.submission_warnings, plan, payload.submitted_on)
    run(
        services.plan_submit,
        plan=plan,
        submitted_on=payload.submitted_on,
        summary=payload.summary,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(plan.version)
    return Status(201, {**plan_out(plan), "warnings": warnings})


@router.post("/plans/{pk}/reviews", response={201: PlanOut, 400: Error, 409: Error}, auth=CHANGE)
def review_plan(
    request: HttpRequest, response: HttpResponse, pk: int, payload: ReviewIn, if_match: IfMatch = None
) -> Any:
    plan = _plan_for(request, pk)
    allowed(request, Action.PLAN_REVIEW, plan)
    run(
        services.plan_review,
        plan=plan,
        judgement=payload.judgement,
        reviewed_on=payload.reviewed_on,
        feedback=payload.feedback,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(plan.version)
    return Status(201, plan_out(plan))


@router.post("/plans/{pk}/actions", response={201: PlanOut, 400: Error, 409: Error}, auth=SUBMIT)
def add_plan_action(
    request: HttpRequest, response: HttpResponse, pk: int, payload: ActionIn, if_match: IfMatch = None
) -> Any:
    plan = _plan_for(request, pk)
    allowed(request, Action.PLAN_SUBMIT, plan)
    finding = plan.inspection.findings.filter(pk=payload.finding).first() if payload.finding else None
    run(
        services.plan_action_add,
        plan=plan,
        text=payload.text,
        owner=partner_of(plan.inspection, payload.owner),
        due_on=payload.due_on,
        milestone=payload.milestone,
        finding=finding,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(plan.version)
    return Status(201, plan_out(plan))


@router.post("/actions/{pk}/progress", response={200: PlanOut, 400: Error, 409: Error}, auth=SUBMIT)
def progress_action(
    request: HttpRequest, response: HttpResponse, pk: int, payload: ProgressIn, if_match: IfMatch = None
) -> Any:
    action = PlanAction.objects.filter(pk=pk).first()
    if action is None:
        raise HttpError(404, "Not Found")
    plan = _plan_for(request, action.plan_id)
    allowed(request, Action.PLAN_SUBMIT, plan)
    action.plan = plan
    run(
        services.plan_action_progress,
        action=action,
        status=payload.status,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(plan.version)
    return plan_out(plan)


@router.post("/inspections/{pk}/visits", response={201: VisitOut, 400: Error, 409: Error}, auth=CHANGE)
def schedule_visit(
    request: HttpRequest, response: HttpResponse, pk: int, payload: VisitIn, if_match: IfMatch = None
) -> Any:
    inspection = inspection_for(request, pk, Action.VISIT_CHANGE)
    warnings = dry_run(
        dates.visit_warnings,
        inspection,
        payload.visit,
        payload.notified_on,
        payload.starts_on,
        payload.ends_on,
    )
    visit = run(
        services.visit_schedule,
        inspection=inspection,
        visit=payload.visit,
        notified_on=payload.notified_on,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return Status(201, {**visit_out(visit), "warnings": warnings})


def _visit_for(request: HttpRequest, pk: int) -> Visit:
    """The visit, if the caller may see its inspection (else 404) and record visits on it (else 403)."""
    visit = Visit.objects.select_related("inspection").filter(pk=pk).first()
    if visit is None:
        raise HttpError(404, "Not Found")
    inspection_for(request, visit.inspection_id, Action.VISIT_CHANGE)
    return visit


@router.post("/visits/{pk}/judgements", response={200: VisitOut, 400: Error, 409: Error}, auth=CHANGE)
def judge_visit(
    request: HttpRequest, response: HttpResponse, pk: int, payload: JudgementIn, if_match: IfMatch = None
) -> Any:
    visit = _visit_for(request, pk)
    run(
        services.visit_judge,
        visit=visit,
        per_finding=payload.per_finding,
        overall=payload.overall,
        published_on=payload.published_on,
        reason_for_difference=payload.reason_for_difference,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(visit.inspection.version)
    return visit_out(visit)


@router.post("/visits/{pk}/dates", response={200: VisitOut, 400: Error, 409: Error}, auth=CHANGE)
def record_visit_dates(
    request: HttpRequest, response: HttpResponse, pk: int, payload: VisitDatesIn, if_match: IfMatch = None
) -> Any:
    visit = _visit_for(request, pk)
    warnings = dry_run(
        dates.visit_warnings,
        visit.inspection,
        visit.visit,
        payload.notified_on or visit.notified_on,
        payload.starts_on or visit.starts_on,
        payload.ends_on or visit.ends_on,
    )
    run(
        services.visit_dates_record,
        visit=visit,
        notified_on=payload.notified_on,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(visit.inspection.version)
    return {**visit_out(visit), "warnings": warnings}
