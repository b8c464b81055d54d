from __future__ import annotations

from areasend.core.demo import demo_step

from .services import history_import


@demo_step(30)
def load_history() -> list[str]:
    return ["Inspection history: " + line for line in history_import().lines()]
