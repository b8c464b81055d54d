"""Corrections through the API: the history of a recorded date, decision, outcome or finding, and
writes that correct or withdraw it. The same services and permissions as the pages: an inspection the
caller may not see is a 404, a write their role or team may not make a 403, a refused correction
(no reason, nothing changed, the report published) a 400 with the service's message, and an edit from
an older version (`If-Match`) a 409."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from areasend.core.api_types import Key, LongText, SensibleDate

from . import corrections, services
from .api import (
    CHANGE,
    READ,
    Error,
    IfMatch,
    changeable_for,
    etag,
    expected_version,
    inspection_for,
    partner_of,
    run,
)
from .corrections import OUTCOME
from .frameworks import framework_of
from .models import Finding, Inspection
from .record_history import Entry, event_history, finding_history

router = Router(tags=["corrections"])


class ChangeOut(Schema):
    field: str
    before: str
    after: str


class EntryOut(Schema):
    at: dt.datetime
    by: str
    what: str
    changes: list[ChangeOut]
    reason: str


class WithdrawalOut(Schema):
    by: str
    at: dt.datetime
    reason: str


class EventRecordOut(Schema):
    name: str
    value: str | None
    history: list[EntryOut]
    version: int


class FindingRecordOut(Schema):
    id: int
    kind: str
    number: int
    text: str
    responsible: list[str]
    withdrawn: WithdrawalOut | None
    history: list[EntryOut]
    version: int


class EventCorrectionIn(Schema):
    on: SensibleDate | None = None
    choice: Key = ""
    reason: LongText = ""


class WithdrawalIn(Schema):
    reason: LongText = ""


class FindingCorrectionIn(Schema):
    text: LongText | None = None
    responsible: list[Key] | None = None
    reason: LongText = ""


def history_out(entries: list[Entry]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in entries]


def withdrawal_out(record: Any) -> dict[str, Any] | None:
    if record.withdrawn_at is None:
        return None
    user = record.withdrawn_by
    return {
        "by": user.get_username() if user is not None else "",
        "at": record.withdrawn_at,
        "reason": record.withdrawal_reason,
    }


def _event_out(inspection: Inspection, name: str) -> dict[str, Any]:
    value = services.inspection_events(inspection).get(name)
    return {
        "name": name,
        "value": value.isoformat() if isinstance(value, dt.date) else value,
        "history": history_out(event_history(inspection, name)),
        "version": inspection.version,
    }


def _event_name(inspection: Inspection, name: str) -> str:
    if name != OUTCOME and framework_of(inspection).event(name) is None:
        raise HttpError(404, "Not Found")
    return name


@router.get("/inspections/{pk}/events/{name}/history", response=EventRecordOut, auth=READ)
def get_event_history(request: HttpRequest, response: HttpResponse, pk: int, name: str) -> dict[str, Any]:
    """A recorded date or decision (or, named `outcome`, the outcome) and its history, oldest first."""
    inspection = inspection_for(request, pk)
    response["ETag"] = etag(inspection.version)
    return _event_out(inspection, _event_name(inspection, name))


@router.post(
    "/inspections/{pk}/events/{name}/corrections",
    response={200: EventRecordOut, 400: Error, 409: Error},
    auth=CHANGE,
)
def correct_event(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    name: str,
    payload: EventCorrectionIn,
    if_match: IfMatch = None,
) -> Any:
    """Correct a date (`on`), a decision or the outcome (`choice`), with the `reason`."""
    inspection = changeable_for(request, pk)
    run(
        corrections.event_correct,
        inspection=inspection,
        name=_event_name(inspection, name),
        on=payload.on,
        choice=payload.choice,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return _event_out(inspection, name)


@router.post(
    "/inspections/{pk}/events/{name}/withdrawals",
    response={200: EventRecordOut, 400: Error, 409: Error},
    auth=CHANGE,
)
def withdraw_event(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    name: str,
    payload: WithdrawalIn,
    if_match: IfMatch = None,
) -> Any:
    """Withdraw a date or decision, with the `reason`; refused while a stage reached needs it."""
    inspection = changeable_for(request, pk)
    run(
        corrections.event_withdraw,
        inspection=inspection,
        name=_event_name(inspection, name),
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return _event_out(inspection, name)


# --- findings -----------------------------------------------------------------------------------


def _finding_for(request: HttpRequest, pk: int) -> Finding:
    """The finding, if the caller may see its inspection (else 404)."""
    finding = Finding.objects.filter(pk=pk).first()
    if finding is None:
        raise HttpError(404, "Not Found")
    finding.inspection = inspection_for(request, finding.inspection_id)
    return finding


def _finding_out(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "kind": finding.kind,
        "number": finding.number,
        "text": finding.text,
        "responsible": [p.name for p in finding.responsible.order_by("name")],
        "withdrawn": withdrawal_out(finding),
        "history": history_out(finding_history(finding)),
        "version": finding.inspection.version,
    }


@router.get("/findings/{pk}/history", response=FindingRecordOut, auth=READ)
def get_finding_history(request: HttpRequest, response: HttpResponse, pk: int) -> dict[str, Any]:
    """A finding (withdrawn or not) and its history, oldest first."""
    finding = _finding_for(request, pk)
    response["ETag"] = etag(finding.inspection.version)
    return _finding_out(finding)


@router.post(
    "/findings/{pk}/corrections", response={200: FindingRecordOut, 400: Error, 409: Error}, auth=CHANGE
)
def correct_finding(
    request: HttpRequest,
    response: HttpResponse,
    pk: int,
    payload: FindingCorrectionIn,
    if_match: IfMatch = None,
) -> Any:
    """Correct a finding's `text` and/or its `responsible` partners (ids or codes), with the `reason`."""
    finding = _finding_for(request, pk)
    changeable_for(request, finding.inspection_id)
    inspection = finding.inspection
    partners = (
        None if payload.responsible is None else [partner_of(inspection, r) for r in payload.responsible]
    )
    run(
        corrections.finding_correct,
        finding=finding,
        text=payload.text,
        responsible=partners,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(inspection.version)
    return _finding_out(finding)


@router.post(
    "/findings/{pk}/withdrawals", response={200: FindingRecordOut, 400: Error, 409: Error}, auth=CHANGE
)
def withdraw_finding(
    request: HttpRequest, response: HttpResponse, pk: int, payload: WithdrawalIn, if_match: IfMatch = None
) -> Any:
    """Withdraw a finding, with the `reason`: it stays on record, marked withdrawn, and counts for nothing."""
    finding = _finding_for(request, pk)
    changeable_for(request, finding.inspection_id)
    run(
        corrections.finding_withdraw,
        finding=finding,
        reason=payload.reason,
        actor=request.user,
        expected_version=expected_version(if_match),
    )
    response["ETag"] = etag(finding.inspection.version)
    return _finding_out(finding)
