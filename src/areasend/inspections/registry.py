"""Extension points of an inspection, so that the apps hanging from it register themselves and the
inspection app never imports them.

- Page sections: functions that add a section (plans, visits, later evidence, cases, letters) to the
  inspection page. Each takes (request, inspection, framework) and returns a dict with `id`,
  `title`, `template` and `context`, or None to show nothing; each checks the viewer's access itself.
- Move guards: functions called, inside the move's transaction and on the locked inspection, before
  an inspection enters a state; each raises `InspectionError` with its own message to refuse it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SectionFunc = Callable[[Any, Any, Any], dict[str, Any] | None]
GuardFunc = Callable[[Any, Any, str], None]

_SECTIONS: list[tuple[int, SectionFunc]] = []
_GUARDS: list[GuardFunc] = []


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
