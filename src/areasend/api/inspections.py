"""Inspections through the API: the same services and selectors as the pages, the same permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from areasend.areas.models import LocalArea, Partner
from areasend.frameworks.models import FrameworkVersion
from areasend.inspections import selectors, services
from areasend.inspections.models import Inspection, Plan, PlanAction, Visit
from areasend.inspections.services import InspectionError

from .auth import TokenAuth

router = Router(tags=["inspections"])

READ = TokenAuth("inspections.view")
CHANGE = TokenAuth("inspections.change")
CREATE = TokenAuth("inspections.create")
SUBMIT = TokenAuth("plans.submit")

NOT_YOURS = "You are not in this inspection's team."
NOT_YOUR_AREA = "Only the area's partnership officers can submit its plans."
UNKNOWN_AREA = "There is no area with ONS code {code!r}."
UNKNOWN_FRAMEWORK = "No framework {framework!r} is loaded."
UNKNOWN_USER = "There is no user called {username!r}."
UNKNOWN_PARTNER = "{code!r} is not a partner of {area}: use a partner id or code from /api/areas/{ons_code}."


class Error(Schema):
    detail: str


class AreaRef(Schema):
    ons_code: str
    name: str


class FrameworkRef(Schema):
    id: str
    version: int


class InspectionOut(Schema):
    id: int
    title: str
    area: AreaRef
    framework: FrameworkRef
    state: str
    outcome: str


class TeamOut(Schema):
    username: str
    role: str


class FindingOut(Schema):
    id: int
    kind: str
    number: int
    text: str
    responsible: list[str]


class PlanOut(Schema):
    id: int
    document: str
    title: str
    status: str
    submissions: list[dict[str, Any]]
    actions: list[dict[str, Any]]


class VisitOut(Schema):
    id: int
    visit: str
    notified_on: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    overall: str
    judgements: dict[str, str]


class InspectionDetailOut(InspectionOut):
    events: dict[str, str]
    team: list[TeamOut]
    findings: list[FindingOut]
    sign_offs: list[str]
    plans: list[PlanOut]
    visits: list[VisitOut]


class MilestoneOut(Schema):
    key: str
    label: str
    due: dt.date
    rule: str
    source: str
    confidence: str
    status: str


class InspectionIn(Schema):
    area: str
    framework: str
    title: str = ""


class MoveIn(Schema):
    target: str
    on: dt.date | None = None


class EventIn(Schema):
    name: str
    on: dt.date | None = None
    choice: str = ""


class OutcomeIn(Schema):
    outcome: str


class TeamIn(Schema):
    username: str
    role: str


class FindingIn(Schema):
    kind: str
    text: str
    responsible: list[str]


class SignOffIn(Schema):
    inspectorate: str


class PlanIn(Schema):
    document: str


class SubmissionIn(Schema):
    submitted_on: dt.date
    summary: str = ""


class ReviewIn(Schema):
    judgement: str
    reviewed_on: dt.date
    feedback: str = ""


class ActionIn(Schema):
    text: str
    owner: str
    due_on: dt.date
    milestone: str = ""
    finding: int | None = None


class ProgressIn(Schema):
    status: str


class VisitIn(Schema):
    visit: str
    notified_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class JudgementIn(Schema):
    per_finding: dict[int, str] = {}
    overall: str = ""
    published_on: dt.date | None = None


class WarningsOut(Schema):
    warnings: list[str]


class NoteOut(Schema):
    author: str
    text: str


# --- helpers -------------------------------------------------------------------------------------


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    return selectors.inspection_get(user=request.user, pk=pk)


def _changeable(request: HttpRequest, pk: int) -> Inspection:
    inspection = _inspection(request, pk)
    if not selectors.can_change(request.user, inspection):
        raise HttpError(403, NOT_YOURS)
    return inspection


def _run(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except InspectionError as exc:
        raise HttpError(400, str(exc)) from exc


def _summary(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "title": str(inspection),
        "area": {"ons_code": inspection.area.ons_code, "name": inspection.area.name},
        "framework": {"id": inspection.framework.framework_id, "version": inspection.framework.version},
        "state": inspection.state,
        "outcome": inspection.outcome,
    }


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "document": plan.document,
        "title": plan.title,
        "status": plan.status,
        "submissions": [
            {
                "number": s.number,
                "submitted_on": s.submitted_on.isoformat(),
                "reviewed_on": s.reviewed_on.isoformat() if s.reviewed_on else None,
                "judgement": s.judgement,
            }
            for s in plan.submissions.all()
        ],
        "actions": [
            {
                "id": a.pk,
                "text": a.text,
                "owner": a.owner.name,
                "due_on": a.due_on.isoformat(),
                "status": a.status,
            }
            for a in plan.actions.select_related("owner")
        ],
    }


def _visit(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "visit": visit.visit,
        "notified_on": visit.notified_on,
        "starts_on": visit.starts_on,
        "ends_on": visit.ends_on,
        "overall": visit.overall,
        "judgements": {str(j.finding_id): j.judgement for j in visit.judgements.all()},
    }


def _detail(inspection: Inspection) -> dict[str, Any]:
    events = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v))
        for k, v in services.inspection_events(inspection).items()
    }
    return {
        **_summary(inspection),
        "events": events,
        "team": [
            {"username": m.user.get_username(), "role": m.role}
            for m in inspection.team.select_related("user")
        ],
        "findings": [
            {
                "id": f.pk,
                "kind": f.kind,
                "number": f.number,
                "text": f.text,
                "responsible": [p.name for p in f.responsible.all()],
            }
            for f in inspection.findings.all()
        ],
        "sign_offs": list(inspection.sign_offs.values_list("inspectorate", flat=True)),
        "plans": [_plan(p) for p in inspection.plans.all()],
        "visits": [_visit(v) for v in inspection.visits.all()],
    }


def _partner(inspection: Inspection, ref: str) -> Partner:
    partners = inspection.area.partners.all()
    found = partners.filter(pk=int(ref)).first() if ref.isdigit() else partners.filter(code=ref).first()
    if found is None:
        raise HttpError(
            400,
            UNKNOWN_PARTNER.format(code=ref, area=inspection.area.name, ons_code=inspection.area.ons_code),
        )
    return found


# --- reads ---------------------------------------------------------------------------------------


@router.get("/inspections", response=list[InspectionOut], auth=READ, summary="Inspections you may see")
def list_inspections(request: HttpRequest) -> list[dict[str, Any]]:
    found = selectors.inspections_visible_to(request.user).select_related("area", "framework")
    return [_summary(i) for i in found]


@router.get("/inspections/{pk}", response=InspectionDetailOut, auth=READ)
def get_inspection(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(_inspection(request, pk))


@router.get("/inspections/{pk}/milestones", response=list[MilestoneOut], auth=READ)
def get_milestones(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    timeline = services.inspection_timeline(_inspection(request, pk), today=dt.date.today())
    return [m.as_dict() for m in timeline.milestones]


@router.get(
    "/inspections/{pk}/notes",
    response={200: list[NoteOut], 403: Error},
    auth=TokenAuth("inspections.view_private_notes"),
)
def get_private_notes(request: HttpRequest, pk: int) -> Any:
    inspection = _inspection(request, pk)
    if not selectors.can_see_private_notes(request.user, inspection):
        raise HttpError(403, NOT_YOURS)
    return [
        {"author": n.author.get_username(), "text": n.text}
        for n in selectors.private_notes(user=request.user, inspection=inspection)
    ]


# --- writes --------------------------------------------------------------------------------------


@router.post("/inspections", response={201: InspectionOut, 400: Error}, auth=CREATE)
def create_inspection(request: HttpRequest, payload: InspectionIn) -> Any:
    area = LocalArea.objects.filter(ons_code=payload.area.upper()).first()
    if area is None:
        raise HttpError(400, UNKNOWN_AREA.format(code=payload.area))
    version = FrameworkVersion.objects.filter(framework_id=payload.framework).order_by("-version").first()
    if version is None:
        raise HttpError(400, UNKNOWN_FRAMEWORK.format(framework=payload.framework))
    inspection = _run(
        services.inspection_create,
        area=area,
        framework_version=version,
        title=payload.title,
        actor=request.user,
    )
    return Status(201, _summary(inspection))


@router.post("/inspections/{pk}/moves", response={200: InspectionOut, 400: Error}, auth=CHANGE)
def move_inspection(request: HttpRequest, pk: int, payload: MoveIn) -> Any:
    inspection = _changeable(request, pk)
    _run(
        services.inspection_move,
        inspection=inspection,
        target=payload.target,
        on=payload.on,
        actor=request.user,
    )
    return _summary(inspection)


@router.post("/inspections/{pk}/events", response={200: WarningsOut, 400: Error}, auth=CHANGE)
def record_event(request: HttpRequest, pk: int, payload: EventIn) -> Any:
    inspection = _changeable(request, pk)
    warnings = _run(
        services.event_record,
        inspection=inspection,
        name=payload.name,
        on=payload.on,
        choice=payload.choice,
        actor=request.user,
    )
    return {"warnings": warnings}


@router.post("/inspections/{pk}/outcome", response={200: WarningsOut, 400: Error}, auth=CHANGE)
def record_outcome(request: HttpRequest, pk: int, payload: OutcomeIn) -> Any:
    inspection = _changeable(request, pk)
    return {
        "warnings": _run(
            services.outcome_record, inspection=inspection, outcome=payload.outcome, actor=request.user
        )
    }


@router.post("/inspections/{pk}/team", response={201: TeamOut, 400: Error}, auth=CREATE)
def assign_team_member(request: HttpRequest, pk: int, payload: TeamIn) -> Any:
    inspection = _inspection(request, pk)
    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise HttpError(400, UNKNOWN_USER.format(username=payload.username))
    _run(services.team_assign, inspection=inspection, user=user, role=payload.role, actor=request.user)
    return Status(201, {"username": payload.username, "role": payload.role})


@router.post("/inspections/{pk}/findings", response={201: FindingOut, 400: Error}, auth=CHANGE)
def add_finding(request: HttpRequest, pk: int, payload: FindingIn) -> Any:
    inspection = _changeable(request, pk)
    partners = [_partner(inspection, ref) for ref in payload.responsible]
    finding = _run(
        services.finding_add,
        inspection=inspection,
        kind=payload.kind,
        text=payload.text,
        responsible=partners,
        actor=request.user,
    )
    return Status(
        201,
        {
            "id": finding.pk,
            "kind": finding.kind,
            "number": finding.number,
            "text": finding.text,
            "responsible": [p.name for p in partners],
        },
    )


@router.post("/inspections/{pk}/sign-offs", response={201: dict[str, str], 400: Error}, auth=CHANGE)
def add_sign_off(request: HttpRequest, pk: int, payload: SignOffIn) -> Any:
    inspection = _changeable(request, pk)
    _run(services.sign_off, inspection=inspection, inspectorate=payload.inspectorate, actor=request.user)
    return Status(201, {"inspectorate": payload.inspectorate})


@router.post("/inspections/{pk}/plans", response={201: PlanOut, 400: Error}, auth=SUBMIT)
def open_plan(request: HttpRequest, pk: int, payload: PlanIn) -> Any:
    inspection = _inspection(request, pk)
    if not selectors.can_submit_plans(request.user, inspection):
        raise HttpError(403, NOT_YOUR_AREA)
    plan = _run(services.plan_open, inspection=inspection, document=payload.document, actor=request.user)
    return Status(201, _plan(plan))


def _plan_for(request: HttpRequest, pk: int) -> Plan:
    plan = Plan.objects.select_related("inspection").filter(pk=pk).first()
    if (
        plan is None
        or not selectors.inspections_visible_to(request.user).filter(pk=plan.inspection_id).exists()
    ):
        raise HttpError(404, "Not Found")
    return plan


@router.post("/plans/{pk}/submissions", response={201: PlanOut, 400: Error}, auth=SUBMIT)
def submit_plan(request: HttpRequest, pk: int, payload: SubmissionIn) -> Any:
    plan = _plan_for(request, pk)
    if not selectors.can_submit_plans(request.user, plan.inspection):
        raise HttpError(403, NOT_YOUR_AREA)
    _run(
        services.plan_submit,
        plan=plan,
        submitted_on=payload.submitted_on,
        summary=payload.summary,
        actor=request.user,
    )
    return Status(201, _plan(plan))


@router.post("/plans/{pk}/reviews", response={201: PlanOut, 400: Error}, auth=CHANGE)
def review_plan(request: HttpRequest, pk: int, payload: ReviewIn) -> Any:
    plan = _plan_for(request, pk)
    if not selectors.can_change(request.user, plan.inspection):
        raise HttpError(403, NOT_YOURS)
    _run(
        services.plan_review,
        plan=plan,
        judgement=payload.judgement,
        reviewed_on=payload.reviewed_on,
        feedback=payload.feedback,
        actor=request.user,
    )
    return Status(201, _plan(plan))


@router.post("/plans/{pk}/actions", response={201: PlanOut, 400: Error}, auth=SUBMIT)
def add_plan_action(request: HttpRequest, pk: int, payload: ActionIn) -> Any:
    plan = _plan_for(request, pk)
    if not selectors.can_submit_plans(request.user, plan.inspection):
        raise HttpError(403, NOT_YOUR_AREA)
    finding = plan.inspection.findings.filter(pk=payload.finding).first() if payload.finding else None
    _run(
        services.plan_action_add,
        plan=plan,
        text=payload.text,
        owner=_partner(plan.inspection, payload.owner),
        due_on=payload.due_on,
        milestone=payload.milestone,
        finding=finding,
        actor=request.user,
    )
    return Status(201, _plan(plan))


@router.post("/actions/{pk}/progress", response={200: PlanOut, 400: Error}, auth=SUBMIT)
def progress_action(request: HttpRequest, pk: int, payload: ProgressIn) -> Any:
    action = PlanAction.objects.select_related("plan__inspection").filter(pk=pk).first()
    if action is None:
        raise HttpError(404, "Not Found")
    plan = _plan_for(request, action.plan_id)
    if not selectors.can_submit_plans(request.user, plan.inspection):
        raise HttpError(403, NOT_YOUR_AREA)
    _run(services.plan_action_progress, action=action, status=payload.status, actor=request.user)
    return _plan(plan)


@router.post("/inspections/{pk}/visits", response={201: VisitOut, 400: Error}, auth=CHANGE)
def schedule_visit(request: HttpRequest, pk: int, payload: VisitIn) -> Any:
    inspection = _changeable(request, pk)
    visit = _run(
        services.visit_schedule,
        inspection=inspection,
        visit=payload.visit,
        notified_on=payload.notified_on,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        actor=request.user,
    )
    return Status(201, _visit(visit))


@router.post("/visits/{pk}/judgements", response={200: VisitOut, 400: Error}, auth=CHANGE)
def judge_visit(request: HttpRequest, pk: int, payload: JudgementIn) -> Any:
    visit = Visit.objects.select_related("inspection").filter(pk=pk).first()
    if visit is None:
        raise HttpError(404, "Not Found")
    _changeable(request, visit.inspection_id)
    _run(
        services.visit_judge,
        visit=visit,
        per_finding=payload.per_finding,
        overall=payload.overall,
        published_on=payload.published_on,
        actor=request.user,
    )
    return _visit(visit)


@router.delete("/inspections/{pk}/team/{username}", response={204: None, 400: Error}, auth=CREATE)
def remove_team_member(request: HttpRequest, pk: int, username: str) -> Any:
    inspection = _inspection(request, pk)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise HttpError(400, UNKNOWN_USER.format(username=username))
    _run(services.team_remove, inspection=inspection, user=user, actor=request.user)
    return Status(204, None)


class VisitDatesIn(Schema):
    notified_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


@router.post("/visits/{pk}/dates", response={200: VisitOut, 400: Error}, auth=CHANGE)
def record_visit_dates(request: HttpRequest, pk: int, payload: VisitDatesIn) -> Any:
    visit = Visit.objects.select_related("inspection").filter(pk=pk).first()
    if visit is None:
        raise HttpError(404, "Not Found")
    _changeable(request, visit.inspection_id)
    _run(
        services.visit_dates_record,
        visit=visit,
        notified_on=payload.notified_on,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        actor=request.user,
    )
    return _visit(visit)
