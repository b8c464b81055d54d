"""What the framework cross-checks share: the shape of a check and its small helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .messages import (
    MSG_DUPLICATE,
    MSG_UNKNOWN_TERM,
)
from .problems import Loc, format_path
from .schema import (
    VOCABULARY_KEYS,
    Framework,
    VocabularyKind,
)

Found = list[tuple[Loc, str]]
Check = Callable[[Framework], Found]


def check_unique(items: Iterable[tuple[Loc, str]], what: str) -> Found:
    seen: dict[str, Loc] = {}
    found: Found = []
    for loc, value in items:
        if value in seen:
            found.append((loc, MSG_DUPLICATE.format(what=what, value=value, other=format_path(seen[value]))))
        else:
            seen[value] = loc
    return found


def keys_of(section: str | Loc, items: Iterable[object], attribute: str = "key") -> Iterable[tuple[Loc, str]]:
    """(key path, value) of one attribute of every item in a list, for :func:`check_unique`."""
    prefix: Loc = (section,) if isinstance(section, str) else section
    return (((*prefix, i, attribute), str(getattr(item, attribute))) for i, item in enumerate(items))


# -- the checks, in file order ----------------------------------------------------------------------


TERM_NAMES = {
    "sectors": "sector code",
    "age_phases": "age phase code",
    "evidence_sources": "evidence source code",
    "activity_types": "activity type code",
    "plan_statuses": "plan status code",
}


def unknown_term(fw: Framework, code: str, kind: VocabularyKind) -> str:
    codes = ", ".join(t.code for t in fw.vocabulary(kind)) or "none declared"
    return MSG_UNKNOWN_TERM.format(code=code, vocabulary=VOCABULARY_KEYS[kind].replace("_", " "), codes=codes)


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in a directed graph, as a path that ends where it started; None if there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None
