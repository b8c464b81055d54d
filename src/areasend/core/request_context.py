"""The id of the request (or command run) being served, for the audit log and logs."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("areasend_request_id", default=None)


def new_request_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex}"


def set_request_id(value: str | None) -> object:
    return _request_id.set(value)


def reset_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]


def current_request_id() -> str:
    value = _request_id.get()
    if value is None:
        value = new_request_id("run-")
        _request_id.set(value)
    return value
