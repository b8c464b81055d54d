"""The audit log. Services call `record()` inside their own transaction, before it commits."""

from __future__ import annotations

from typing import Any

from django.db import connection, models

from .models import AuditEvent
from .request_context import current_request_id

NOT_IN_TRANSACTION = "Audit records must be written inside the transaction that makes the change."


class AuditOutsideTransaction(RuntimeError):
    pass


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Write one audit event. `actor` is a user, or None for the system (commands, imports)."""
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
        action=action,
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
