"""Other apps add sections to the area page by registering a function here.

A section function takes (request, area) and returns a dict with `title`, `template` and
`context`, or None to show nothing. Each checks the viewer's permissions itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SectionFunc = Callable[[Any, Any], dict[str, Any] | None]
_SECTIONS: list[tuple[int, SectionFunc]] = []


def register(order: int) -> Callable[[SectionFunc], SectionFunc]:
    def decorator(func: SectionFunc) -> SectionFunc:
        if func not in [f for _, f in _SECTIONS]:
            _SECTIONS.append((order, func))
            _SECTIONS.sort(key=lambda item: item[0])
        return func

    return decorator


def sections_for(request: Any, area: Any) -> list[dict[str, Any]]:
    found = []
    for _, func in _SECTIONS:
        section = func(request, area)
        if section:
            found.append(section)
    return found
