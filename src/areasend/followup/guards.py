"""Guards follow-up adds to an inspection's moves."""

from __future__ import annotations

from typing import Any

from areasend.inspections.errors import InspectionError
from areasend.inspections.registry import move_guard

from .selectors import open_plans

PLANS_OPEN = "Close every follow-up plan first: {plans} not yet complete."


@move_guard
def plans_closed_before_final_state(inspection: Any, framework: Any, target: str) -> None:
    """An inspection reaches a final state only when every follow-up plan is complete (accepted by a
    review, or submitted where its document is not reviewed)."""
    if target not in framework.lifecycle.final:
        return
    plans = open_plans(inspection)
    if plans:
        raise InspectionError(PLANS_OPEN.format(plans=", ".join(p.title for p in plans)))
