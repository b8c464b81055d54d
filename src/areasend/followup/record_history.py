"""The history of a plan's submission, a plan's action and a visit's judgement, oldest first and in
words (see `inspections.record_history`). Rows are found by the keys the follow-up services write: a
submission by its plan and number, an action by its id (or, in rows written before the id was kept,
by its text and owner), a judgement by its visit's id (or its kind of visit, when the inspection has
one visit of that kind) and its finding."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from areasend.core.audit import AuditAction
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Finding
from areasend.inspections.record_history import (
    Change,
    Entry,
    audit_rows,
    corrections_on,
    date_words,
    entry,
    on_object,
    pair,
    what_of,
)

from . import rules
from .models import PlanAction, PlanSubmission, Visit


def _field_changes(changes: dict[str, Any], fields: dict[str, tuple[str, Any]]) -> list[Change]:
    found = []
    for name, (label, words) in fields.items():
        if name in changes:
            before, after = pair(changes[name])
            found.append(Change(label, words(before) if before else "", words(after) if after else ""))
    return found


def _text(value: Any) -> str:
    return str(value)


# --- a plan's submissions -----------------------------------------------------------------------


def submission_history(submission: PlanSubmission) -> list[Entry]:
    """When it was submitted and reviewed, each correction of either, and its withdrawal."""
    plan = submission.plan
    judgements = {j.key: j.label for j in rules.document_of(plan).review_judgements}
    statuses = rules.plan_status_labels(plan.inspection)

    def status(value: Any) -> str:
        return statuses.get(str(value), str(value))

    def judged(value: Any) -> str:
        return judgements.get(str(value), status(value))

    fields = {
        "submitted_on": ("Submitted", date_words),
        "summary": ("Summary", _text),
        "reviewed_on": ("Reviewed", date_words),
        "judgement": ("Judgement", judged),
        "feedback": ("Feedback", _text),
        "status": ("Plan status", status),
    }
    on_plan = on_object(plan) & Q(action__in=[AuditAction.PLAN_SUBMIT, AuditAction.PLAN_REVIEW])
    entries: list[Entry] = []
    for row in audit_rows(on_plan | on_object(submission)):
        changes = row.changes
        if row.action == AuditAction.PLAN_SUBMIT:
            if changes.get("submission") == submission.number:
                entries.append(
                    entry(
                        row, "Submitted", [Change("Submitted", "", date_words(changes.get("submitted_on")))]
                    )
                )
        elif row.action == AuditAction.PLAN_REVIEW:
            if changes.get("submission") == submission.number:
                found = [Change("Judgement", "", judged(changes.get("judgement")))]
                if changes.get("status"):
                    found.append(Change("Plan status", "", status(changes["status"])))
                entries.append(entry(row, "Reviewed", found))
        else:
            entries.append(entry(row, what_of(row), _field_changes(changes, fields)))
    return entries


# --- a plan's actions ---------------------------------------------------------------------------


def action_history(action: PlanAction) -> list[Entry]:
    """When it was added, each change of its progress, each correction, and its withdrawal."""
    plan = action.plan
    labels = dict(rules.action_statuses(action))

    def status(value: Any) -> str:
        return labels.get(str(value), str(value))

    fields = {
        "text": ("Action", _text),
        "owner": ("Owner", _text),
        "milestone": ("Milestone", _text),
        "due_on": ("Due", date_words),
        "status": ("Progress", status),
    }
    others = plan.actions.exclude(pk=action.pk)
    on_plan = on_object(plan) & Q(action__in=[AuditAction.PLAN_ACTION_ADD, AuditAction.PLAN_ACTION_PROGRESS])
    entries: list[Entry] = []
    for row in audit_rows(on_plan | on_object(action)):
        changes = row.changes
        if row.action == AuditAction.PLAN_ACTION_ADD:
            if "action_id" in changes:
                same = changes["action_id"] == action.pk
            else:  # written before the id was kept: the only action with this text and owner
                text, owner = changes.get("action"), changes.get("owner")
                same = (text, owner) == (action.text[:100], action.owner.name) and not any(
                    (o.text[:100], o.owner.name) == (text, owner) for o in others.select_related("owner")
                )
            if same:
                entries.append(
                    entry(
                        row,
                        "Added",
                        [
                            Change("Action", "", str(changes.get("action") or "")),
                            Change("Owner", "", str(changes.get("owner") or "")),
                        ],
                    )
                )
        elif row.action == AuditAction.PLAN_ACTION_PROGRESS:
            if changes.get("action") == action.pk:
                entries.append(entry(row, "Progress recorded", _field_changes(changes, fields)))
        else:
            entries.append(entry(row, what_of(row), _field_changes(changes, fields)))
    return entries


# --- a visit's judgements -----------------------------------------------------------------------


def _judge_rows_of(visit: Visit) -> list[Any]:
    """The rows that judged this visit (by its id; in older rows, by its kind when it is the only one)."""
    inspection = visit.inspection
    alone = not inspection.visits.filter(visit=visit.visit).exclude(pk=visit.pk).exists()
    judged = on_object(inspection) & Q(action=AuditAction.VISIT_JUDGE)
    corrections = corrections_on(inspection) & Q(changes__visit_id=visit.pk)
    rows = []
    for row in audit_rows(judged | corrections):
        if row.action == AuditAction.VISIT_JUDGE:
            if "visit_id" in row.changes:
                if row.changes["visit_id"] != visit.pk:
                    continue
            elif not (alone and row.changes.get("visit") == visit.visit):
                continue
        rows.append(row)
    return rows


def _option_labels(visit: Visit) -> dict[str, str]:
    spec = framework_of(visit.inspection).visit(visit.visit)
    return {o.key: o.label for s in (spec.judgement_scales if spec else ()) for o in s.options}


def judgement_history(visit: Visit, finding: Finding | None = None) -> list[Entry]:
    """The judgement of one finding at a visit or (without `finding`) its overall judgement: each time
    it was judged, corrected or withdrawn, with the judgement it had before."""
    labels = _option_labels(visit)
    field = str(finding) if finding is not None else "Overall"

    def words(value: Any) -> str:
        return labels.get(str(value), str(value)) if value else ""

    current: Any = None
    entries: list[Entry] = []
    for row in _judge_rows_of(visit):
        changes = row.changes
        if row.action == AuditAction.VISIT_JUDGE:
            if finding is None:
                after = changes.get("overall") or None
            else:
                after = (changes.get("judgements") or {}).get(str(finding.pk))
            if after is None:
                continue
            before, what = current, "Judged" if current is None else "Judged again"
        else:
            if changes.get("finding") != (finding.pk if finding is not None else None):
                continue
            before, after = pair(changes.get("overall" if finding is None else "judgement"))
            what = what_of(row)
        entries.append(entry(row, what, [Change(field, words(before), words(after))]))
        current = after
    return entries
