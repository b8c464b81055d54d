"""The audit log. Services call `record()` inside their own transaction, before it commits.

Every action the log can hold is a member of `AuditAction`, with the label the audit log page shows;
`record()` refuses any other. An app that adds a kind of change adds its action here.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models

from .models import AuditEvent
from .request_context import current_request_id

NOT_IN_TRANSACTION = "Audit records must be written inside the transaction that makes the change."
UNKNOWN_ACTION = "{action!r} is not an audit action: add it to AuditAction in areasend/core/audit.py."


class AuditOutsideTransaction(RuntimeError):
    pass


class UnknownAuditAction(ValueError):
    pass


class AuditAction(models.TextChoices):
    """Every kind of change the audit log records. Each value is the string stored in the log."""

    # Accounts
    USER_CREATE = "user.create", "User created"
    USER_DEACTIVATE = "user.deactivate", "User deactivated"
    USER_REACTIVATE = "user.reactivate", "User reactivated"
    PASSWORD_RESET = "user.password_reset", "Password reset and set-password link made"
    PASSWORD_SET = "user.password_set", "Password set with a set-password link"
    ROLE_ASSIGN = "role.assign", "Role assigned"
    ROLE_REMOVE = "role.remove", "Role removed"
    API_TOKEN_CREATE = "api_token.create", "API token created"
    API_TOKEN_REVOKE = "api_token.revoke", "API token revoked"
    USER_GRADE = "user.grade", "Inspector's grade recorded"
    # The register of local areas
    AREAS_IMPORT = "areas.import", "Register of local areas imported"
    PARTNER_CREATE = "partner.create", "Partner added"
    PARTNER_UPDATE = "partner.update", "Partner changed"
    PARTNER_DELETE = "partner.delete", "Partner removed"
    # Published inspection history
    HISTORY_IMPORT = "history.import", "Published inspection history imported"
    # Frameworks
    FRAMEWORKS_LOAD = "frameworks.load", "Framework version loaded"
    # Inspections
    INSPECTION_CREATE = "inspection.create", "Inspection created"
    CONFLICT_DECLARE = "conflict.declare", "Conflict of interest declared"
    INSPECTION_TEAM_ASSIGN = "inspection.team_assign", "Inspector added to the team"
    INSPECTION_TEAM_REMOVE = "inspection.team_remove", "Inspector removed from the team"
    INSPECTION_ACTIVITY_ADD = "inspection.activity_add", "Timetable activity added"
    INSPECTION_NOTE_ADD = "inspection.note_add", "Private note added"
    INSPECTION_EVENT = "inspection.event", "Inspection date recorded"
    INSPECTION_FRAMEWORK = (
        "inspection.framework",
        "Inspection moved to the framework version in force on its date",
    )
    INSPECTION_OUTCOME = "inspection.outcome", "Inspection outcome recorded"
    INSPECTION_MOVE = "inspection.move", "Inspection moved to a new stage"
    INSPECTION_POSTPONE = "inspection.postpone", "Inspection postponed, with the reason and new date"
    INSPECTION_FINDING_ADD = "inspection.finding_add", "Finding added"
    INSPECTION_SIGN_OFF = "inspection.sign_off", "Report signed off by an inspectorate"
    # Corrections and withdrawals (each with its reason; see inspections.corrections)
    INSPECTION_EVENT_CORRECT = "inspection.event_correct", "Inspection date or decision corrected"
    INSPECTION_EVENT_WITHDRAW = "inspection.event_withdraw", "Inspection date or decision withdrawn"
    INSPECTION_OUTCOME_CORRECT = "inspection.outcome_correct", "Inspection outcome corrected"
    INSPECTION_FINDING_CORRECT = "inspection.finding_correct", "Finding corrected"
    INSPECTION_FINDING_WITHDRAW = "inspection.finding_withdraw", "Finding withdrawn"
    # Follow-up plans and visits
    PLAN_OPEN = "plan.open", "Follow-up plan opened"
    PLAN_SUBMIT = "plan.submit", "Follow-up plan submitted"
    PLAN_REVIEW = "plan.review", "Follow-up plan reviewed"
    PLAN_ACTION_ADD = "plan.action_add", "Plan action added"
    PLAN_ACTION_PROGRESS = "plan.action_progress", "Plan action progress recorded"
    PLAN_DOCUMENT_ATTACH = "plan.document_attach", "Document attached to a follow-up plan"
    VISIT_SCHEDULE = "visit.schedule", "Follow-up visit scheduled"
    VISIT_JUDGE = "visit.judge", "Follow-up visit judged"
    VISIT_DATES = "visit.dates", "Follow-up visit dates recorded"
    PLAN_SUBMISSION_CORRECT = "plan.submission_correct", "Plan submission corrected"
    PLAN_SUBMISSION_WITHDRAW = "plan.submission_withdraw", "Plan submission withdrawn"
    PLAN_REVIEW_CORRECT = "plan.review_correct", "Plan review corrected"
    PLAN_ACTION_CORRECT = "plan.action_correct", "Plan action corrected"
    PLAN_ACTION_WITHDRAW = "plan.action_withdraw", "Plan action withdrawn"
    VISIT_JUDGEMENT_CORRECT = "visit.judgement_correct", "Follow-up visit judgement corrected"
    VISIT_JUDGEMENT_WITHDRAW = "visit.judgement_withdraw", "Follow-up visit judgement withdrawn"
    # Deadlines
    CALENDAR_FEED_CREATE = "calendar_feed.create", "Calendar feed created"
    CALENDAR_FEED_REPLACE = "calendar_feed.replace", "Calendar feed address replaced"
    REMINDER_SEND = "reminder.send", "Deadline reminder sent"
    # Data packs and lines of enquiry
    DATAPACK_LINES_PROPOSE = "datapack.lines_propose", "Lines of enquiry proposed"
    DATAPACK_LINE_ACCEPT = "datapack.line_accept", "Line of enquiry accepted"
    DATAPACK_LINE_REJECT = "datapack.line_reject", "Line of enquiry rejected"
    DATAPACK_LINE_REOPEN = "datapack.line_reopen", "Line of enquiry reopened"
    # Background jobs
    JOB_START = "job.start", "Background job started"


def action_label(action: str) -> str:
    """The label of an action for people, or the stored string for one no longer in the list."""
    try:
        return str(AuditAction(action).label)
    except ValueError:
        return action


def record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Write one audit event. `actor` is a user, or None for the system (commands, imports).

    `action` must be one of `AuditAction` (its member or its string value).
    """
    if action not in AuditAction.values:
        raise UnknownAuditAction(UNKNOWN_ACTION.format(action=str(action)))
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(NOT_IN_TRANSACTION)
    user = actor if getattr(actor, "pk", None) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user else "system",
        action=str(action),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        request_id=current_request_id(),
    )


def model_changes(instance: models.Model, fields: list[str], before: dict[str, Any]) -> dict[str, Any]:
    """`{field: [old, new]}` for each of `fields` whose value differs from `before`."""
    diff: dict[str, Any] = {}
    for name in fields:
        new = getattr(instance, name)
        old = before.get(name)
        if old != new:
            diff[name] = [_plain(old), _plain(new)]
    return diff


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
