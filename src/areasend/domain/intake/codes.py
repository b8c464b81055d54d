"""Checks of single values: each returns the value parsed, or a Problem naming the cell.

A blank cell is a problem (``REQUIRED``) for every check; where a blank is allowed, use
``optional(check, cell)``, which gives None for a blank cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, TypeVar

from .problems import Problem

T = TypeVar("T")

REQUIRED = "a value is required"
BAD_ONS_CODE = "{value!r} is not an ONS code for {kind} ({prefixes} and 6 digits)"
BAD_LA_NUMBER = "{value!r} is not a 3-digit DfE LA number"
BAD_DATE = "{value!r} is not a date in the form {forms}"
NO_SUCH_DATE = "{value!r} is not a date: there is no such day"
BAD_INTEGER = "{value!r} is not a whole number"
BAD_YES_NO = "{value!r} is not Yes or No"


class Cell(NamedTuple):
    """One value of a table and where it is. ``value`` is the text with surrounding whitespace removed."""

    file: str
    line: int | None
    column: str
    value: str

    @property
    def blank(self) -> bool:
        return not self.value

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, self.column, message)


def optional(check: Callable[[Cell], T | Problem], cell: Cell) -> T | Problem | None:
    """``check(cell)``, or None when the cell is blank."""
    return None if cell.blank else check(cell)


def take(result: T | Problem, problems: list[Problem]) -> T | None:
    """The value of a check; a Problem is added to ``problems`` and gives None."""
    if isinstance(result, Problem):
        problems.append(result)
        return None
    return result


def required(cell: Cell) -> str | Problem:
    return cell.problem(REQUIRED) if cell.blank else cell.value


# --- ONS area codes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnsCodeKind:
    """A set of ONS entity codes (three characters, then six digits), with what they are called."""

    description: str
    prefixes: tuple[str, ...]

    def matches(self, code: str) -> bool:
        digits = code[3:]
        return len(code) == 9 and code[:3] in self.prefixes and digits.isascii() and digits.isdigit()


# ONS entity codes of English areas. The register of areas holds E06, E08, E09 and E10 codes; the
# DfE region lookups E12 (regions) and E13 (Inner and Outer London); E11 (metropolitan counties,
# which have had no council since 1986) appears only in ONS geography files.
UNITARY_AUTHORITY = "E06"
METROPOLITAN_DISTRICT = "E08"
LONDON_BOROUGH = "E09"
COUNTY = "E10"
METROPOLITAN_COUNTY = "E11"
REGION_PREFIX = "E12"
INNER_OUTER_LONDON = "E13"

UPPER_TIER_AREA = OnsCodeKind(
    "an English upper-tier area", (UNITARY_AUTHORITY, METROPOLITAN_DISTRICT, LONDON_BOROUGH, COUNTY)
)
REGION = OnsCodeKind("an English region", (REGION_PREFIX,))
ENGLISH_AREA = OnsCodeKind(
    "an English local-authority area or region",
    (
        UNITARY_AUTHORITY,
        METROPOLITAN_DISTRICT,
        LONDON_BOROUGH,
        COUNTY,
        METROPOLITAN_COUNTY,
        REGION_PREFIX,
        INNER_OUTER_LONDON,
    ),
)
INTEGRATED_CARE_BOARD = OnsCodeKind("an integrated care board", ("E54",))


def ons_code(cell: Cell, kind: OnsCodeKind = ENGLISH_AREA) -> str | Problem:
    """An ONS code of ``kind``, in capitals (``e06000001`` is read as ``E06000001``)."""
    if cell.blank:
        return cell.problem(REQUIRED)
    code = cell.value.upper()
    if kind.matches(code):
        return code
    return cell.problem(
        BAD_ONS_CODE.format(value=cell.value, kind=kind.description, prefixes="/".join(kind.prefixes))
    )


def upper_tier_area_code(cell: Cell) -> str | Problem:
    return ons_code(cell, UPPER_TIER_AREA)


def region_code(cell: Cell) -> str | Problem:
    return ons_code(cell, REGION)


# --- DfE LA numbers --------------------------------------------------------------------------------

_LA_NUMBER = re.compile(r"[0-9]{3}")


def la_number(cell: Cell) -> str | Problem:
    """A DfE (old-style, 3-digit) local-authority number, kept as text: ``"881"``."""
    if cell.blank:
        return cell.problem(REQUIRED)
    if _LA_NUMBER.fullmatch(cell.value):
        return cell.value
    return cell.problem(BAD_LA_NUMBER.format(value=cell.value))


# --- dates -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateForm:
    """A way of writing a date: ``label`` (``DD/MM/YYYY``) names it in messages; ``pattern``
    captures three numbers, the day first or (``day_first`` false) the year first."""

    label: str
    pattern: re.Pattern[str]
    day_first: bool


ISO_DATE = DateForm("YYYY-MM-DD", re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), day_first=False)
UK_DATE = DateForm("DD/MM/YYYY", re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"), day_first=True)
UK_DATE_SHORT_YEAR = DateForm("DD/MM/YY", re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{2})"), day_first=True)
DATE_FORMS = (ISO_DATE, UK_DATE, UK_DATE_SHORT_YEAR)
# A two-digit year: 69-99 is in the 1900s, 00-68 in the 2000s (as strptime's %y).
CENTURY_PIVOT = 69


def date_value(cell: Cell, forms: tuple[DateForm, ...] = DATE_FORMS) -> date | Problem:
    """A date in one of ``forms`` (by default ISO, DD/MM/YYYY and DD/MM/YY)."""
    value = cell.value
    if not value:
        return cell.problem(REQUIRED)
    for form in forms:
        found = form.pattern.fullmatch(value)
        if found is None:
            continue
        first, month, last = found.groups()
        day, year_text = (first, last) if form.day_first else (last, first)
        year = int(year_text)
        if len(year_text) == 2:
            year += 1900 if year >= CENTURY_PIVOT else 2000
        try:
            return date(year, int(month), int(day))
        except ValueError:
            return cell.problem(NO_SUCH_DATE.format(value=value))
    labels = [f.label for f in forms]
    shown = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return cell.problem(BAD_DATE.format(value=value, forms=shown))


# --- numbers and answers ---------------------------------------------------------------------------

_INTEGER = re.compile(r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0*)?")


def integer(cell: Cell) -> int | Problem:
    """A whole number: ``12``, ``-3``, ``1,234`` (thousands grouped by commas) or ``12.0``."""
    if cell.blank:
        return cell.problem(REQUIRED)
    if _INTEGER.fullmatch(cell.value):
        return int(cell.value.partition(".")[0].replace(",", ""))
    return cell.problem(BAD_INTEGER.format(value=cell.value))


_YES = frozenset({"yes", "y"})
_NO = frozenset({"no", "n"})


def yes_no(cell: Cell) -> bool | Problem:
    """``Yes``/``No`` (or ``Y``/``N``), in any case."""
    if cell.blank:
        return cell.problem(REQUIRED)
    answer = cell.value.casefold()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    return cell.problem(BAD_YES_NO.format(value=cell.value))
