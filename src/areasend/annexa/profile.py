"""The area's profile from one list: counts and percentages by age band, need, phase, setting,
social care, suspensions, exclusions and absence.

Category keys are the product's codes (age bands as ``11-15``; needs as SEN2 codes such as ``ASD``;
settings as the phase groups of vocabulary.yaml), so that a page can set them beside the area's
published figures (the data pack's EHC plan needs are the same SEN2 codes).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .checks import age_on, parse_date, percentage
from .derived import NOT_KNOWN, band_of, labels, yes_no
from .reading import AnnexAList
from .schema import match_key, vocabularies

# Absence (percentage of sessions missed): DfE's persistent absence is 10% or more, severe 50% or more.
ABSENCE_BANDS = (
    ("under_10", "Missed under 10% of sessions", 0.0, 10.0),
    ("persistent", "Persistently absent (10% to under 50%)", 10.0, 50.0),
    ("severe", "Severely absent (50% or more)", 50.0, 100.01),
)


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    total: int
    categories: tuple[Category, ...]

    def count(self, key: str) -> int:
        return next((c.count for c in self.categories if c.key == key), 0)


@dataclass(frozen=True)
class Profile:
    list_number: int
    rows: int
    reference_date: dt.date
    dimensions: tuple[Dimension, ...]

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_number,
            "rows": self.rows,
            "reference_date": self.reference_date.isoformat(),
            "dimensions": [
                {
                    "key": d.key,
                    "label": d.label,
                    "total": d.total,
                    "categories": [c.__dict__ for c in d.categories],
                }
                for d in self.dimensions
            ],
        }


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _dimension(key: str, label: str, total: int, counts: Counter[str], words: dict[str, str],
               keep_order: Iterable[str] | None = None) -> Dimension:  # fmt: skip
    order = list(keep_order) if keep_order is not None else [k for k in words if counts[k]]
    order += [k for k in counts if k not in order]
    return Dimension(
        key,
        label,
        total,
        tuple(Category(k, words.get(k, k), counts[k], _percent(counts[k], total)) for k in order),
    )


def _mapped(values: list[str | None], to: Callable[[str | None], str]) -> Counter[str]:
    """Counts of ``to(value)`` over a column, calling ``to`` once per distinct value."""
    counts: Counter[str] = Counter()
    for value, n in Counter(values).items():
        counts[to(value)] += n
    return counts


def _term(vocabulary: str, attribute: str) -> Callable[[str | None], str]:
    lookup = vocabularies()[vocabulary].lookup

    def code(value: str | None) -> str:
        term = lookup.get(match_key(value)) if value else None
        return getattr(term, attribute) if term else NOT_KNOWN

    return code


def _count_band(value: str | None) -> str:
    if value is None or not value.isdigit():
        return NOT_KNOWN
    return "at_least_one" if int(value) > 0 else "none"


def profile(annex_list: AnnexAList, *, reference_date: dt.date) -> Profile:
    """The profile of a list, counted a column at a time (each distinct value looked at once)."""
    c = annex_list.columns
    total = len(annex_list)
    dims = [
        _dimension("age_band", "Age on the list's date", total,
                   _mapped(c["date_of_birth"], lambda v: band_of(age_on(parse_date(v), reference_date))),
                   labels("age_band"), list(labels("age_band"))),
        _dimension("need", "SEN primary need", total, _mapped(c["primary_need"], _term("needs", "code")),
                   labels("need")),
        _dimension("phase", "Main education establishment: phase", total,
                   _mapped(c["main_phase"], _term("phases", "code")), labels("phase")),
        _dimension("setting", "Setting", total, _mapped(c["main_phase"], _term("phases", "group")),
                   labels("setting")),
        _dimension("social_care", "Children's social care", total, _mapped(c["social_care"], yes_no),
                   labels("social_care"), list(labels("social_care"))),
    ]  # fmt: skip
    teams: Counter[str] = Counter()
    for (known, team), n in Counter(zip(c["social_care"], c["social_care_team"], strict=True)).items():
        if yes_no(known) == "yes":
            teams[team or NOT_KNOWN] += n
    dims.append(_dimension("social_care_team", "Children's social care team (of those known)",
                           sum(teams.values()), teams, {NOT_KNOWN: "Not recorded"}))  # fmt: skip
    words = {"at_least_one": "At least one", "none": "None", NOT_KNOWN: "Not recorded"}
    for key, label in (("suspensions", "Suspensions"), ("permanent_exclusions", "Permanent exclusions")):
        dims.append(_dimension(key, label, total, _mapped(c[key], _count_band), words, list(words)))
    absence = _mapped(c["absence"], lambda v: _absence_band(percentage(v)))
    words = {k: w for k, w, _, _ in ABSENCE_BANDS} | {NOT_KNOWN: "Not recorded"}
    dims.append(_dimension("absence", "Absence", total, absence, words, list(words)))
    if "home_education" in c:
        dims.append(_dimension("home_education", "Elective home education", total,
                               _mapped(c["home_education"], yes_no), {"yes": "Yes", "no": "No",
                               NOT_KNOWN: "Not recorded"}, ["yes", "no", NOT_KNOWN]))  # fmt: skip
    return Profile(annex_list.number, total, reference_date, tuple(dims))


def _absence_band(value: float | None) -> str:
    if value is None:
        return NOT_KNOWN
    for key, _, low, high in ABSENCE_BANDS:
        if low <= value < high:
            return key
    return NOT_KNOWN
