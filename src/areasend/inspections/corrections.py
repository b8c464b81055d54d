"""Corrections and withdrawals of what an inspection records: its dates and decisions (events), its
outcome and its findings.

A correction or a withdrawal needs a reason and the access that recording the thing needs (the
inspection's team: `Action.INSPECTION_CHANGE`); read-only roles never have it. Like every service it
locks the inspection, counts its change and writes one audit row inside its transaction, with what
changed (before and after), the reason, and the keys that find the record again (`record_history`):
`inspection`, and `event` with `events` ({name: [before, after]}) or `finding`. A correction that
records through `event_store` or `outcome_record` lists the audit rows they wrote in `recorded`, so a
record's history shows the correction once, with its reason.

A withdrawn finding stays stored, marked with who withdrew it, when and why, and counts for nothing
(`Finding.objects.in_force()`). A withdrawn event leaves the timeline (its row is removed; its history
is the audit log's). An event that a stage the inspection has reached needs cannot be withdrawn: which
stage needs which event is the framework's lifecycle (`requires_event`). Once the report is published
its findings, its outcome and the dates its stages needed up to publication are closed; later dates
(plans, visits) are corrected where they are recorded (`followup.corrections`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from areasend.access import Action, check
from areasend.areas.models import Partner
from areasend.core import audit
from areasend.core.audit import AuditAction
from areasend.core.models import AuditEvent
from areasend.domain.frameworks import OUTCOME_EVENT, Framework, State
from areasend.domain.timeline import TimelineError, build_timeline

from . import services
from .errors import InspectionError
from .frameworks import framework_of
from .models import Finding, Inspection
from .services import (
    CLOSED_ONCE_PUBLISHED,
    PARTNER_NOT_IN_AREA,
    UNKNOWN_EVENT,
    condition_met,
    count_change,
    event_store,
    inspection_events,
    lock_inspection,
    state_label,
)

OUTCOME = OUTCOME_EVENT
REASON_MAX = 2000

# Refusals: tests import and assert these exactly.
REASON_NEEDED = "Give the reason for the {change}."
REASON_TOO_LONG = "The reason must be {max:,} characters or less."
NOT_RECORDED = "'{label}' has not been recorded: there is nothing to {change}."
NOTHING_CHANGES = "Nothing would change: give the corrected {what}."
NEEDED_BY_STAGE = (
    "'{label}' cannot be withdrawn: the inspection needed it to reach '{needing}' and is now at "
    "'{current}'. Correct it instead."
)
RECORDED_WITH_FOLLOW_UP = "'{label}' is recorded with the {record}: correct it there."
OUTCOME_NOT_RECORDED = "No outcome has been recorded: there is nothing to correct."
OUTCOME_NOT_WITHDRAWN = "The outcome cannot be withdrawn: correct it instead."
OUTCOME_LEAVES_FINDING = (
    "The outcome cannot become '{outcome}' while {finding} is in force: withdraw the finding first."
)
FINDING_WITHDRAWN = "{finding} has been withdrawn: it can no longer change."
FINDING_TEXT_BLANK = "Enter the corrected finding: it cannot be blank."

CORRECTION = "correction"
WITHDRAWAL = "withdrawal"

# The audit actions that correct or withdraw something recorded, in every app.
CORRECTION_ACTIONS = frozenset(
    {
        AuditAction.INSPECTION_EVENT_CORRECT,
        AuditAction.INSPECTION_EVENT_WITHDRAW,
        AuditAction.INSPECTION_OUTCOME_CORRECT,
        AuditAction.INSPECTION_FINDING_CORRECT,
        AuditAction.INSPECTION_FINDING_WITHDRAW,
        AuditAction.PLAN_SUBMISSION_CORRECT,
        AuditAction.PLAN_SUBMISSION_WITHDRAW,
        AuditAction.PLAN_REVIEW_CORRECT,
        AuditAction.PLAN_ACTION_CORRECT,
        AuditAction.PLAN_ACTION_WITHDRAW,
        AuditAction.VISIT_JUDGEMENT_CORRECT,
        AuditAction.VISIT_JUDGEMENT_WITHDRAW,
    }
)
# The rows `event_store` and `outcome_record` write.
RECORDING_ACTIONS = (AuditAction.INSPECTION_EVENT, AuditAction.INSPECTION_OUTCOME)


# --- shared by every correction -----------------------------------------------------------------


def reason_given(reason: str, change: str) -> str:
    """The reason, trimmed; refused when blank or too long."""
    text = (reason or "").strip()
    if not text:
        raise InspectionError(REASON_NEEDED.format(change=change))
    if len(text) > REASON_MAX:
        raise InspectionError(REASON_TOO_LONG.format(max=REASON_MAX))
    return text


def plain(value: Any) -> Any:
    """A value as the audit log stores it: a date as ISO text."""
    return value.isoformat() if isinstance(value, dt.date) else value


def audit_mark(inspection: Inspection) -> int:
    """The last audit row recording an event or the outcome of the (locked) inspection, or 0."""
    last = (
        AuditEvent.objects.filter(
            object_type=Inspection._meta.label_lower,
            object_id=str(inspection.pk),
            action__in=RECORDING_ACTIONS,
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


def recorded_since(inspection: Inspection, mark: int) -> list[int]:
    """The audit rows recording its events or outcome written after `mark` (by this transaction:
    the inspection is locked)."""
    return list(
        AuditEvent.objects.filter(
            object_type=Inspection._meta.label_lower,
            object_id=str(inspection.pk),
            action__in=RECORDING_ACTIONS,
            pk__gt=mark,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- what the framework says about an event -----------------------------------------------------


def event_label(framework: Framework, name: str) -> str:
    if name == OUTCOME:
        return "Outcome"
    found = framework.event(name)
    return found.label if found else name


def report_events(framework: Framework) -> frozenset[str]:
    """The dates the report's stages need, up to and including its publication."""
    publication = framework.lifecycle.publication
    if publication is None:
        return frozenset()
    states = framework.lifecycle.states
    keys = [s.key for s in states]
    upto = states[: keys.index(publication.state) + 1] if publication.state in keys else ()
    return frozenset({s.requires_event for s in upto if s.requires_event} | {publication.event})


def follow_up_record_of(framework: Framework, name: str) -> str:
    """The title of the follow-up document or visit that records this event ('' for none)."""
    for document in framework.follow_up_documents:
        if document.events is not None and name in document.events.model_dump().values():
            return str(document.title)
    for visit in framework.visits:
        if visit.events is not None and name in visit.events.model_dump().values():
            return str(visit.title)
    return ""


def stages_needing(framework: Framework, state: str, name: str) -> list[State]:
    """The stages up to `state` (the inspection's) that need the event `name` to be entered."""
    keys = [s.key for s in framework.lifecycle.states]
    if state not in keys:
        return []
    reached = framework.lifecycle.states[: keys.index(state) + 1]
    return [s for s in reached if s.requires_event == name]


def correction_refusal(inspection: Inspection, framework: Framework, name: str) -> str:
    """Why the event `name` (or the outcome) cannot be corrected now; '' when it can."""
    published = framework.is_published(inspection.state)
    stage = state_label(framework, inspection.state)
    label = event_label(framework, name)
    if name == OUTCOME:
        if published:
            return CLOSED_ONCE_PUBLISHED.format(what="The outcome", state=stage)
        return "" if inspection.outcome else OUTCOME_NOT_RECORDED
    record = follow_up_record_of(framework, name)
    if record:
        return RECORDED_WITH_FOLLOW_UP.format(label=label, record=record)
    if published and name in report_events(framework):
        return CLOSED_ONCE_PUBLISHED.format(what=f"'{label}'", state=stage)
    return ""


def withdrawal_refusal(inspection: Inspection, framework: Framework, name: str) -> str:
    """Why the event `name` cannot be withdrawn now; '' when it can."""
    if name == OUTCOME:
        return OUTCOME_NOT_WITHDRAWN
    refusal = correction_refusal(inspection, framework, name)
    if refusal:
        return refusal
    return _needed_by_stage(inspection, framework, name)


def _needed_by_stage(inspection: Inspection, framework: Framework, name: str) -> str:
    needing = stages_needing(framework, inspection.state, name)
    if not needing:
        return ""
    return NEEDED_BY_STAGE.format(
        label=event_label(framework, name),
        needing=needing[-1].label,
        current=state_label(framework, inspection.state),
    )


def _event_of(framework: Framework, name: str) -> Any:
    event = framework.event(name)
    if event is None:
        raise InspectionError(
            UNKNOWN_EVENT.format(
                name=name, framework=framework.title, names=", ".join(sorted(framework.event_names))
            )
        )
    return event


def event_remove(*, inspection: Inspection, name: str) -> Any:
    """Remove a recorded event, for a service that has checked its own actor's access and locked the
    inspection (a withdrawn plan submission removes the date it recorded). Refused when a stage the
    inspection has reached needs it, or when the events left cannot make a timeline. Returns the
    value it had (as the audit log stores it), or None when it was not recorded."""
    stored = inspection.events.filter(name=name).first()
    if stored is None:
        return None
    framework = framework_of(inspection)
    refusal = _needed_by_stage(inspection, framework, name)
    if refusal:
        raise InspectionError(refusal)
    events = inspection_events(inspection)
    events.pop(name, None)
    try:
        build_timeline(framework, events, area_code=inspection.area.ons_code)
    except TimelineError as exc:
        raise InspectionError(str(exc)) from exc
    before = plain(stored.on if stored.on is not None else stored.choice)
    stored.delete()
    return before


# --- events and the outcome ---------------------------------------------------------------------


def event_correct(
    *,
    inspection: Inspection,
    name: str,
    actor: User,
    reason: str,
    on: dt.date | None = None,
    choice: str = "",
    expected_version: int | None = None,
) -> list[str]:
    """Correct a recorded date (`on`) or decision (`choice`); the outcome is corrected by its name too.
    The framework's rules for the event apply as when it was recorded (`event_store`). Returns the
    timeline's warnings."""
    check(actor, Action.INSPECTION_CHANGE, inspection)
    if name == OUTCOME:
        return outcome_correct(
            inspection=inspection,
            outcome=choice,
            actor=actor,
            reason=reason,
            expected_version=expected_version,
        )
    reason = reason_given(reason, CORRECTION)
    framework = framework_of(inspection)
    event = _event_of(framework, name)
    label = event_label(framework, name)
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        refusal = correction_refusal(inspection, framework, name)
        if refusal:
            raise InspectionError(refusal)
        stored = inspection.events.filter(name=name).first()
        if stored is None:
            raise InspectionError(NOT_RECORDED.format(label=label, change="correct"))
        before = plain(stored.on if stored.on is not None else stored.choice)
        if plain(choice if event.choices else on) == before:
            raise InspectionError(NOTHING_CHANGES.format(what="date" if not event.choices else "decision"))
        mark = audit_mark(inspection)
        warnings = event_store(inspection=inspection, name=name, on=on, choice=choice, actor=actor)
        after = plain(inspection_events(inspection)[name])
        count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.INSPECTION_EVENT_CORRECT,
            obj=inspection,
            changes={
                "inspection": inspection.pk,
                "event": name,
                "events": {name: [before, after]},
                "reason": reason,
                "recorded": recorded_since(inspection, mark),
            },
        )
    return warnings


def event_withdraw(
    *, inspection: Inspection, name: str, actor: User, reason: str, expected_version: int | None = None
) -> list[str]:
    """Withdraw a recorded date or decision: it leaves the timeline, and its history stays in the
    audit log. Returns the warnings of the timeline left."""
    check(actor, Action.INSPECTION_CHANGE, inspection)
    framework = framework_of(inspection)
    if name == OUTCOME:
        raise InspectionError(OUTCOME_NOT_WITHDRAWN)
    reason = reason_given(reason, WITHDRAWAL)
    _event_of(framework, name)
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        refusal = withdrawal_refusal(inspection, framework, name)
        if refusal:
            raise InspectionError(refusal)
        before = event_remove(inspection=inspection, name=name)
        if before is None:
            raise InspectionError(NOT_RECORDED.format(label=event_label(framework, name), change="withdraw"))
        count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.INSPECTION_EVENT_WITHDRAW,
            obj=inspection,
            changes={
                "inspection": inspection.pk,
                "event": name,
                "events": {name: [before, None]},
                "reason": reason,
            },
        )
    timeline = build_timeline(framework, inspection_events(inspection), area_code=inspection.area.ons_code)
    return list(timeline.warnings)


def outcome_correct(
    *, inspection: Inspection, outcome: str, actor: User, reason: str, expected_version: int | None = None
) -> list[str]:
    """Correct the recorded outcome, before the report is published. Refused while a finding in force
    is of a kind the new outcome does not allow (withdraw it first)."""
    check(actor, Action.INSPECTION_CHANGE, inspection)
    reason = reason_given(reason, CORRECTION)
    framework = framework_of(inspection)
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        refusal = correction_refusal(inspection, framework, OUTCOME)
        if refusal:
            raise InspectionError(refusal)
        before = inspection.outcome
        found = framework.outcome(outcome)
        if found is not None:
            if found.key == before:
                raise InspectionError(NOTHING_CHANGES.format(what="outcome"))
            _findings_allowed(inspection, framework, found.key, found.label)
        mark = audit_mark(inspection)
        warnings = services.outcome_record(inspection=inspection, outcome=outcome, actor=actor)
        audit.record(
            actor=actor,
            action=AuditAction.INSPECTION_OUTCOME_CORRECT,
            obj=inspection,
            changes={
                "inspection": inspection.pk,
                "event": OUTCOME,
                "events": {OUTCOME: [before, inspection.outcome]},
                "reason": reason,
                "recorded": recorded_since(inspection, mark),
            },
        )
    return warnings


def _findings_allowed(inspection: Inspection, framework: Framework, outcome: str, label: str) -> None:
    events = {**inspection_events(inspection), OUTCOME: outcome}
    for finding in inspection.findings.in_force().order_by("kind", "number"):
        kind = framework.finding_kind(finding.kind)
        if kind is not None and kind.when and not condition_met(kind.when, events):
            raise InspectionError(OUTCOME_LEAVES_FINDING.format(outcome=label, finding=finding))


# --- findings -----------------------------------------------------------------------------------


def _locked_finding(finding: Finding, framework: Framework) -> Finding:
    """The finding's stored row, locked, once the (locked) inspection's report is not published."""
    inspection = finding.inspection
    if framework.is_published(inspection.state):
        raise InspectionError(
            CLOSED_ONCE_PUBLISHED.format(what="Findings", state=state_label(framework, inspection.state))
        )
    stored = Finding.objects.select_for_update().get(pk=finding.pk)
    stored.inspection = inspection
    if stored.is_withdrawn:
        raise InspectionError(FINDING_WITHDRAWN.format(finding=stored))
    return stored


def _copy_into(finding: Finding, stored: Finding) -> None:
    for name in ("text", "withdrawn_at", "withdrawn_by_id", "withdrawal_reason"):
        setattr(finding, name, getattr(stored, name))


def finding_correct(
    *,
    finding: Finding,
    actor: User,
    reason: str,
    text: str | None = None,
    responsible: Iterable[Partner] | None = None,
    expected_version: int | None = None,
) -> Finding:
    """Correct a finding's text and/or the partners responsible for it, before publication."""
    check(actor, Action.INSPECTION_CHANGE, finding)
    reason = reason_given(reason, CORRECTION)
    inspection = finding.inspection
    framework = framework_of(inspection)
    new_text = None if text is None else text.strip()
    if new_text == "":
        raise InspectionError(FINDING_TEXT_BLANK)
    partners = None if responsible is None else list(responsible)
    for partner in partners or ():
        if partner.area_id != inspection.area_id:
            raise InspectionError(PARTNER_NOT_IN_AREA.format(partner=partner.name, area=inspection.area.name))
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        stored = _locked_finding(finding, framework)
        changes: dict[str, Any] = {}
        if new_text is not None and new_text != stored.text:
            changes["text"] = [stored.text, new_text]
            stored.text = new_text
        current = list(stored.responsible.order_by("name"))
        if partners is not None and {p.pk for p in partners} != {p.pk for p in current}:
            changes["responsible"] = [
                [p.name for p in current],
                sorted(p.name for p in partners),
            ]
        if not changes:
            raise InspectionError(NOTHING_CHANGES.format(what="finding or partners"))
        stored.full_clean()
        stored.save(update_fields=["text"])
        if partners is not None:
            stored.responsible.set(partners)
        count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.INSPECTION_FINDING_CORRECT,
            obj=stored,
            changes={"inspection": inspection.pk, "finding": stored.pk, **changes, "reason": reason},
        )
    _copy_into(finding, stored)
    return finding


def finding_withdraw(
    *, finding: Finding, actor: User, reason: str, expected_version: int | None = None
) -> Finding:
    """Withdraw a finding, before publication: it stays stored, marked withdrawn (who, when, why),
    and no longer counts (guards, the report, the national history)."""
    check(actor, Action.INSPECTION_CHANGE, finding)
    reason = reason_given(reason, WITHDRAWAL)
    inspection = finding.inspection
    framework = framework_of(inspection)
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        stored = _locked_finding(finding, framework)
        stored.withdrawn_at = timezone.now()
        stored.withdrawn_by = actor
        stored.withdrawal_reason = reason
        stored.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.INSPECTION_FINDING_WITHDRAW,
            obj=stored,
            changes={
                "inspection": inspection.pk,
                "finding": stored.pk,
                "kind": stored.kind,
                "number": stored.number,
                "reason": reason,
            },
        )
    _copy_into(finding, stored)
    finding.withdrawn_by = actor
    return finding
