from __future__ import annotations

from areasend.core.demo import demo_step

from .services import load_shipped_frameworks


@demo_step(15)
def load_frameworks() -> list[str]:
    return ["Frameworks: " + result.line() for result in load_shipped_frameworks()]
