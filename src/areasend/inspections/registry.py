"""Extension points of an inspection, so that the apps hanging from it register themselves and the
inspection app never imports them.

- Page sections: functions that add a section (plans, visits, later evidence, cases, letters) to the
  inspection page. Each takes (request, inspection, framework) and returns a dict with `id`,
  `title`, `template` and `context`, or None to show nothing; each checks the viewer's access itself.
- Move guards: functions called, inside the move's transaction and on the locked inspection, before
  an inspection enters a state; each raises `InspectionError` with its own message to refuse it.
- After-create receivers: called with ``inspection`` and ``actor`` once the transaction that created
  the inspection has committed (never if it rolled back). Each runs in its own transaction; one that
  fails is logged and undoes neither the inspection nor the other receivers' work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

SectionFunc = Callable[[Any, Any, Any], dict[str, Any] | None]
GuardFunc = Callable[[Any, Any, str], None]

_SECTIONS: list[tuple[int, SectionFunc]] = []
_GUARDS: list[GuardFunc] = []
AfterCreate = Callable[..., None]
_AFTER_CREATE: list[AfterCreate] = []


def page_section(order: int) -> Callable[[SectionFunc], SectionFunc]:
    """Register a section of the inspection page; lower `order` comes first."""

    def decorator(func: SectionFunc) -> SectionFunc:
        if func not in [f for _, f in _SECTIONS]:
            _SECTIONS.append((order, func))
            _SECTIONS.sort(key=lambda item: item[0])
        return func

    return decorator


def sections_for(request: Any, inspection: Any, framework: Any) -> list[dict[str, Any]]:
    found = []
    for _, func in _SECTIONS:
        section = func(request, inspection, framework)
        if section:
            found.append(section)
    return found


def move_guard(func: GuardFunc) -> GuardFunc:
    """Register a guard on every move: `func(inspection, framework, target)` raises to refuse it."""
    if func not in _GUARDS:
        _GUARDS.append(func)
    return func


def check_move_guards(inspection: Any, framework: Any, target: str) -> None:
    for guard in _GUARDS:
        guard(inspection, framework, target)


def after_create(receiver: AfterCreate) -> AfterCreate:
    """Register ``receiver(*, inspection, actor)`` (once, however often this is called)."""
    if receiver not in _AFTER_CREATE:
        _AFTER_CREATE.append(receiver)
    return receiver


def inspection_created(*, inspection: Any, actor: Any) -> None:
    """Run every after-create receiver once the current transaction commits."""
    for receiver in list(_AFTER_CREATE):
        transaction.on_commit(partial(_run_after_create, receiver, inspection, actor))


def _run_after_create(receiver: AfterCreate, inspection: Any, actor: Any) -> None:
    try:
        with transaction.atomic():
            receiver(inspection=inspection, actor=actor)
    except Exception:
        logger.exception(
            "After creating inspection %s, %s.%s failed",
            inspection.pk,
            receiver.__module__,
            getattr(receiver, "__qualname__", receiver),
        )
