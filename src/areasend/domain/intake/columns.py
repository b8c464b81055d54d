"""Which columns a table must have, and finding them in a header row.

Header cells are matched on a key that ignores case, surrounding and repeated whitespace, and the
difference between hyphens, dashes, underscores and spaces (``Date of birth``, ``date_of_birth``,
``DATE-OF-BIRTH`` and ``Date  of – birth`` are one column), and between straight and curly
apostrophes. A column may also be known by aliases.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .problems import Problem

MISSING_COLUMNS = "missing column(s): {columns}"
DUPLICATE_COLUMN = "the header has this column more than once: {found}"
UNEXPECTED_COLUMNS = "unexpected column(s): {columns}"

# Hyphen-minus, the Unicode hyphens and dashes, the minus sign, underscore and any whitespace.
_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+")
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\ufeff": None})


@functools.lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """The key a header cell is matched on."""
    return _SEPARATORS.sub(" ", text.translate(_APOSTROPHES)).strip().casefold()


@dataclass(frozen=True)
class Column:
    """A column the reader looks for: ``name`` is how rows and problems call it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    @functools.cached_property
    def header_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(header_key(n) for n in (self.name, *self.aliases)))


@dataclass(frozen=True)
class ColumnSpec:
    """The columns of a table. Columns not in the spec are ignored unless ``allow_other_columns``
    is false, when each is a problem."""

    columns: tuple[Column, ...]
    allow_other_columns: bool = True
    # header key -> name of the column it matches
    lookup: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for column in self.columns:
            for key in column.header_keys:
                if key in seen:
                    raise ValueError(f"{column.name!r} and {seen[key]!r} match the same header {key!r}")
                seen[key] = column.name
        object.__setattr__(self, "lookup", seen)

    @classmethod
    def of(
        cls,
        *required: str,
        optional: Iterable[str] = (),
        aliases: Mapping[str, Sequence[str]] | None = None,
        allow_other_columns: bool = True,
    ) -> ColumnSpec:
        """A spec from column names: ``ColumnSpec.of("urn", "la_code", optional=["note"])``."""
        aliases = aliases or {}
        columns = [Column(n, tuple(aliases.get(n, ())), True) for n in required]
        columns += [Column(n, tuple(aliases.get(n, ())), False) for n in optional]
        return cls(tuple(columns), allow_other_columns)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Header:
    """A header row matched against a spec: ``positions`` gives the 0-based position of each spec
    column found (an optional column not found is absent)."""

    line: int
    cells: tuple[str, ...]
    positions: Mapping[str, int] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return len(self.cells)

    def name_at(self, position: int) -> str | None:
        """The spec name of the column at ``position``, else the header cell when not blank."""
        for name, index in self.positions.items():
            if index == position:
                return name
        if position < len(self.cells) and self.cells[position]:
            return self.cells[position]
        return None


def match_header(
    cells: Sequence[str], spec: ColumnSpec, *, file: str, line: int
) -> tuple[Header, list[Problem]]:
    """Find each spec column in a header row. Problems: required columns missing (one problem
    naming them all), a column found more than once, and columns the spec does not allow."""
    stripped = tuple(map(str.strip, cells))
    lookup = spec.lookup
    matches: dict[str, list[int]] = {}
    for index, key in enumerate(map(header_key, stripped)):
        name = lookup.get(key)
        if name is not None:
            matches.setdefault(name, []).append(index)
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    missing: list[str] = []
    claimed = {i for found in matches.values() for i in found}
    for column in spec.columns:
        found = matches.get(column.name, [])
        if not found:
            if column.required:
                missing.append(column.name)
        elif len(found) > 1:
            shown = ", ".join(f"{stripped[i]!r} at position {i + 1}" for i in found)
            problems.append(Problem(file, line, column.name, DUPLICATE_COLUMN.format(found=shown)))
        else:
            positions[column.name] = found[0]
    if missing:
        problems.insert(0, Problem(file, line, None, MISSING_COLUMNS.format(columns=", ".join(missing))))
    if not spec.allow_other_columns:
        others = [cell for i, cell in enumerate(stripped) if cell and i not in claimed]
        if others:
            problems.append(Problem(file, line, None, UNEXPECTED_COLUMNS.format(columns=", ".join(others))))
    return Header(line, stripped, positions), problems
