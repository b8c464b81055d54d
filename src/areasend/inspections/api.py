"""Inspections through the API: the same services and selectors as the pages, the same permissions.

The inspection's full detail (`GET /api/inspections/{pk}`) is put together in `areasend.api.detail`,
with the parts the apps that hang from an inspection add to it.

Versions: reads return the inspection's `version` (and the detail its `ETag`); a write may name the
version it was based on in `If-Match` and is refused with 409 (`STALE_INSPECTION`) when the stored
one has moved on. Each write's response carries the new version in its `ETag`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from ninja import Header, Router, Schema, Status
from ninja.errors import HttpError

from areasend.access import AccessDenied, Action, decide
from areasend.areas.models import LocalArea, Partner
from areasend.core.api_auth import TokenAuth
from areasend.core.api_types import Key, LongText, SensibleDate, Title

from . import dates, framework_choice, selectors, services
from .frameworks import framework_of
from .models import Inspection
from .postponement import inspection_postpone as postpone
from .services import InspectionError, StaleVersion

router = Router(tags=["inspections"])

READ = TokenAuth("inspections.view")
CHANGE = TokenAuth("inspections.change")
CREATE = TokenAuth("inspections.create")

UNKNOWN_AREA = "There is no area with ONS code {code!r}."
UNKNOWN_FRAMEWORK = "No framework {framework!r} is loaded."
UNKNOWN_USER = "There is no user called {username!r}."
UNKNOWN_PARTNER = "{code!r} is not a partner of {area}: use a partner id or code from /api/areas/{ons_code}."
BAD_IF_MATCH = 'If-Match names the version you read, as its ETag gives it (for example "3"), not {value!r}.'

IF_MATCH = (
    "The version this write is based on: the inspection's (`version`, the ETag of "
    "GET /api/inspections/{id}), or for a plan's own endpoints the plan's (`plans[].version`). "
    "When the stored version has moved on, the write is refused with 409; without If-Match it is "
    "checked on the stored state only."
)
IfMatch = Annotated[str | None, Header(alias="If-Match", description=IF_MATCH)]


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
    version: int


class TeamOut(Schema):
    username: str
    role: str


class FindingOut(Schema):
    id: int
    kind: str
    number: int
    text: str
    responsible: list[str]


class PostponementOut(Schema):
    from_state: str
    to_state: str
    reason: str
    planned_for: dt.date
    cleared: dict[str, str]
    postponed_by: str
    postponed_at: dt.datetime


class InspectionDetailOut(InspectionOut):
    events: dict[str, str]
    team: list[TeamOut]
    findings: list[FindingOut]  # in force: a withdrawn finding counts for nothing
    withdrawn_findings: list[FindingOut]  # kept on record (their history: GET /findings/{id}/history)
    sign_offs: list[str]
    postponements: list[PostponementOut]


class MilestoneOut(Schema):
    key: str
    label: str
    due: dt.date
    rule: str
    source: str
    confidence: str
    status: str


class InspectionIn(Schema):
    area: Key
    framework: Key
    title: Title = ""


class MoveIn(Schema):
    target: Key
    on: SensibleDate | None = None


class PostponeIn(Schema):
    reason: LongText = ""
    # The new date, recorded as the framework's postponement event (a planned notification date).
    planned_for: SensibleDate | None = None


class PostponedOut(InspectionOut):
    warnings: list[str]


class EventIn(Schema):
    name: Key
    on: SensibleDate | None = None
    choice: Key = ""


class OutcomeIn(Schema):
    outcome: Key


class TeamIn(Schema):
    username: Key
    role: Key


class FindingIn(Schema):
    kind: Key
    text: LongText
    responsible: list[Key]


class SignOffIn(Schema):
    inspectorate: Key


class WarningsOut(Schema):
    warnings: list[str]
    version: int


class MovedOut(InspectionOut):
    warnings: list[str] = []  # the timeline's warnings for the date the move recorded


class NoteOut(Schema):
    author: str
    text: str


# --- helpers -------------------------------------------------------------------------------------


def inspection_for(request: HttpRequest, pk: int, action: Action | None = None) -> Inspection:
    """The inspection if the caller may see it (else 404) and, given an action, take it (else 403)."""
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    if action is not None:
        allowed(request, action, inspection)
    return inspection


def allowed(request: HttpRequest, action: Action, obj: Any) -> None:
    """403 with the access policy's reason unless the caller may take `action` on `obj`."""
    decision = decide(request.user, action, obj)
    if not decision:
        raise HttpError(403, decision.reason)


def changeable_for(request: HttpRequest, pk: int) -> Inspection:
    return inspection_for(request, pk, Action.INSPECTION_CHANGE)


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header names: `"3"` (as the ETag gives it), `W/"3"` or `3`; None for none
    or `*` (any version)."""
    value = (if_match or "").strip()
    if value in ("", "*"):
        return None
    number = value.removeprefix("W/").strip('"')
    if not (number.isascii() and number.isdigit()):
        raise HttpError(400, BAD_IF_MATCH.format(value=if_match))
    return int(number)


def etag(version: int) -> str:
    return f'"{version}"'


def run(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a service: its refusals become 400 (a rule), 403 (access) or 409 (an edit from an older
    version) with the service's message."""
    try:
        return call(*args, **kwargs)
    except StaleVersion as exc:
        raise HttpError(409, str(exc)) from exc
    except InspectionError as exc:
        raise HttpError(400, str(exc)) from exc
    except AccessDenied as exc:
        raise HttpError(403, str(exc)) from exc


def date_warnings(inspection: Inspection, changes: dict[str, dt.date]) -> list[str]:
    """The timeline's warnings for dates a write is about to record (a dry run before it: a date
    the rules refuse gives none here, and the write itself is refused with 400)."""
    try:
        return dates.date_warnings(inspection, changes)
    except InspectionError:
        return []


def summary(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "title": str(inspection),
        "area": {"ons_code": inspection.area.ons_code, "name": inspection.area.name},
        "framework": {"id": inspection.framework.framework_id, "version": inspection.framework.version},
        "state": inspection.state,
        "outcome": inspection.outcome,
        "version": inspection.version,
    }


def detail(inspection: Inspection) -> dict[str, Any]:
    events = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v))
        for k, v in services.inspection_events(inspection).items()
    }
    return {
        **summary(inspection),
        "events": events,
        "team": [
            {"username": m.user.get_username(), "role": m.role}
            for m in inspection.team.select_related("user")
        ],
        "findings": [finding_out(f) for f in inspection.findings.in_force()],
        "withdrawn_findings": [finding_out(f) for f in inspection.findings.withdrawn()],
        "sign_offs": list(inspection.sign_offs.values_list("inspectorate", flat=True)),
        "postponements": [
            {
                "from_state": p.from_state,
                "to_state": p.to_state,
                "reason": p.reason,
                "planned_for": p.planned_for,
                "cleared": p.cleared,
                "postponed_by": p.postponed_by.get_username(),
                "postponed_at": p.postponed_at,
            }
            for p in inspection.postponements.select_related("postponed_by")
        ],
    }


def finding_out(finding: Any) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "kind": finding.kind,
        "number": finding.number,
        "text": finding.text,
        "responsible": [p.name for p in finding.responsible.all()],
    }


def partner_of(inspection: Inspection, ref: str) -> Partner:
    partners = inspection.area.partners.all()
    by_id = ref.isascii() and ref.isdigit()
    found = partners.filter(pk=int(ref)).first() if by_id else partners.filter(code=ref).first()
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
    return [summary(i) for i in found]


@router.get("/inspections/{pk}/milestones", response=list[MilestoneOut], auth=READ)
def get_milestones(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    timeline = services.inspection_timeline(inspection_for(request, pk), today=dt.date.today())
    return [m.as_dict() for m in timeline.milestones]


@router.get(
    "/inspections/{pk}/notes",
    response={200: list[NoteOut], 403: Error},
    auth=TokenAuth("inspections.view_private_notes"),
)
def get_private_notes(request: HttpRequest, pk: int) -> Any:
    inspection = inspection_for(request, pk, Action.NOTES)
    return [
        {"author": n.author.get_username(), "text": n.text}
        for n in selectors.private_notes(user=request.user, inspection=inspection)
    ]


# --- writes --------------------------------------------------------------------------------------


@router.post("/inspections", response={201: InspectionOut, 400: Error}, auth=CREATE)
def create_inspection(request: HttpRequest, response: HttpResponse, payload: InspectionIn) -> Any:
    area = LocalArea.objects.filter(ons_code=payload.area.upper()).first()
    if area is None:
        raise HttpError(400, UNKNOWN_AREA.format(code=payload.area))
    version = framework_choice.version_for(payload.framework, None)  # the version in force today
    if version is None:
        raise HttpError(400, UNKNOWN_FRAMEWORK.format(framework=payload.framework))
    inspection = run(
        services.inspection_create,
        area=area,
        framework_version=version,
        title=payload.title,
        actor=request.user,
    )
    response["ETag"] = etag(inspection.version)
    return Status(201, summary(inspection))


@router.post("/inspections/{pk}/moves", response={200: MovedOut, 400: Error, 409: Error}, auth=CHANGE)
def move_inspection(
    request: HttpRequest, response: HttpResponse, pk: int, payload: MoveIn, if_match: IfMatch = None
) -> Any:
    inspection = changeable_for(request, pk)
    needed = services.required_events(framework_of(inspection), payload.target)
    warnings = date_warnings(inspection, {needed[0]: payload.on}) if needed and payload.on else []
    run(
        services.inspection_move,
        inspection=inspection,
        target=payload.target,
        on=payload.on,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return {**summary(inspection), "warnings": warnings}


@router.post(
    "/inspections/{pk}/postponements", response={200: PostponedOut, 400: Error, 409: Error}, auth=CHANGE
)
def postpone_inspection(
    request: HttpRequest, response: HttpResponse, pk: int, payload: PostponeIn, if_match: IfMatch = None
) -> Any:
    """Postpone the inspection: the move its framework marks `postpone`, with the reason and the new
    date (`planned_for`, today or later). The dates the postponed stage made void are cleared and
    every deadline is worked out again from the new date; `warnings` says whether the date is not
    the framework's notification weekday or not a working day."""
    inspection = changeable_for(request, pk)
    warnings = run(
        postpone,
        inspection=inspection,
        reason=payload.reason,
        planned_for=payload.planned_for,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return {**summary(inspection), "warnings": warnings}


@router.post("/inspections/{pk}/events", response={200: WarningsOut, 400: Error, 409: Error}, auth=CHANGE)
def record_event(
    request: HttpRequest, response: HttpResponse, pk: int, payload: EventIn, if_match: IfMatch = None
) -> Any:
    inspection = changeable_for(request, pk)
    warnings = run(
        services.event_record,
        inspection=inspection,
        name=payload.name,
        on=payload.on,
        choice=payload.choice,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return {"warnings": warnings, "version": inspection.version}


@router.post("/inspections/{pk}/outcome", response={200: WarningsOut, 400: Error, 409: Error}, auth=CHANGE)
def record_outcome(
    request: HttpRequest, response: HttpResponse, pk: int, payload: OutcomeIn, if_match: IfMatch = None
) -> Any:
    inspection = changeable_for(request, pk)
    warnings = run(
        services.outcome_record,
        inspection=inspection,
        outcome=payload.outcome,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return {"warnings": warnings, "version": inspection.version}


@router.post("/inspections/{pk}/team", response={201: TeamOut, 400: Error, 409: Error}, auth=CREATE)
def assign_team_member(
    request: HttpRequest, response: HttpResponse, pk: int, payload: TeamIn, if_match: IfMatch = None
) -> Any:
    inspection = inspection_for(request, pk)
    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise HttpError(400, UNKNOWN_USER.format(username=payload.username))
    run(
        services.team_assign,
        inspection=inspection,
        user=user,
        role=payload.role,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return Status(201, {"username": payload.username, "role": payload.role})


@router.post("/inspections/{pk}/findings", response={201: FindingOut, 400: Error, 409: Error}, auth=CHANGE)
def add_finding(
    request: HttpRequest, response: HttpResponse, pk: int, payload: FindingIn, if_match: IfMatch = None
) -> Any:
    inspection = changeable_for(request, pk)
    partners = [partner_of(inspection, ref) for ref in payload.responsible]
    finding = run(
        services.finding_add,
        inspection=inspection,
        kind=payload.kind,
        text=payload.text,
        responsible=partners,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
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


@router.post(
    "/inspections/{pk}/sign-offs", response={201: dict[str, str], 400: Error, 409: Error}, auth=CHANGE
)
def add_sign_off(
    request: HttpRequest, response: HttpResponse, pk: int, payload: SignOffIn, if_match: IfMatch = None
) -> Any:
    inspection = changeable_for(request, pk)
    run(
        services.sign_off,
        inspection=inspection,
        inspectorate=payload.inspectorate,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return Status(201, {"inspectorate": payload.inspectorate})


@router.delete("/inspections/{pk}/team/{username}", response={204: None, 400: Error, 409: Error}, auth=CREATE)
def remove_team_member(
    request: HttpRequest, response: HttpResponse, pk: int, username: str, if_match: IfMatch = None
) -> Any:
    inspection = inspection_for(request, pk)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise HttpError(400, UNKNOWN_USER.format(username=username))
    run(
        services.team_remove,
        inspection=inspection,
        user=user,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return Status(204, None)
