"""`areasend demo`: everything a new user needs to see every feature working on real data.

Apps register steps with `@demo_step(order)`. Each step is idempotent and returns lines to print.
"""

from __future__ import annotations

from collections.abc import Callable

DemoStep = Callable[[], list[str]]
_STEPS: list[tuple[int, str, DemoStep]] = []

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo accounts, printed for the user on purpose
DEMO_AREA = "E10000012"  # Essex


def demo_step(order: int) -> Callable[[DemoStep], DemoStep]:
    def decorator(func: DemoStep) -> DemoStep:
        name = f"{func.__module__}.{func.__qualname__}"
        if name not in [n for _, n, _ in _STEPS]:
            _STEPS.append((order, name, func))
            _STEPS.sort(key=lambda s: s[0])
        return func

    return decorator


def steps() -> list[tuple[int, str, DemoStep]]:
    return list(_STEPS)
