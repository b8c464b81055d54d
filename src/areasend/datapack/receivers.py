"""What the data pack does when something happens to an inspection, kept light so that registering it
at start-up imports nothing heavy (the data pack's analytics load when a receiver first runs)."""

from __future__ import annotations

from typing import Any


def propose_lines_for_new_inspection(*, inspection: Any, actor: Any) -> None:
    """A new inspection gets its first lines of enquiry proposed from its area's data pack."""
    from .services import lines_propose_for_new_inspection

    lines_propose_for_new_inspection(inspection=inspection, actor=actor)
