"""What the framework cross-checks share: the shape of a check and its small helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable

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
