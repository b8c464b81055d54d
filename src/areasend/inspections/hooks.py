"""Other apps act on inspections by registering functions here, in their AppConfig.ready(), so that
inspections never imports them.

- ``after_create``: called with ``inspection`` and ``actor`` once the transaction that created the
  inspection has committed (``transaction.on_commit``), never if it rolled back. Each receiver runs
  in its own transaction; one that fails is logged and undoes neither the inspection nor the other
  receivers' work.
- ``page_context``: called with the viewing ``user`` and the ``inspection`` when its page is shown;
  returns entries for the page's template context (each checks the viewer's permissions itself).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

AfterCreate = Callable[..., None]
PageContext = Callable[[Any, Any], dict[str, Any]]
_AFTER_CREATE: list[AfterCreate] = []
_PAGE_CONTEXT: list[PageContext] = []


def after_create(receiver: AfterCreate) -> AfterCreate:
    """Register ``receiver(*, inspection, actor)`` (once, however often this is called)."""
    if receiver not in _AFTER_CREATE:
        _AFTER_CREATE.append(receiver)
    return receiver


def page_context(provider: PageContext) -> PageContext:
    """Register ``provider(user, inspection) -> dict`` for the inspection page."""
    if provider not in _PAGE_CONTEXT:
        _PAGE_CONTEXT.append(provider)
    return provider


def inspection_created(*, inspection: Any, actor: Any) -> None:
    """Run every ``after_create`` receiver once the current transaction commits."""
    for receiver in list(_AFTER_CREATE):
        transaction.on_commit(partial(_run, receiver, inspection, actor))


def _run(receiver: AfterCreate, inspection: Any, actor: Any) -> None:
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


def context_for_page(user: Any, inspection: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for provider in _PAGE_CONTEXT:
        found.update(provider(user, inspection))
    return found
