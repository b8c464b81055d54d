"""Ofsted's own published counts (``data/official_figures.yaml``) held against the national figures
counted from the stored history, as the national figures page shows them.

Each official count names its framework, the national figure it is (from the framework file's
``national_history``), whether it counts by date of inspection or of publication, the period, the
total and the count of each part (an outcome's number). :func:`official_comparisons` counts the same
figure the same way over the same period and says, part by part, whether the two agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .figure_types import COUNT_BY, Figure

OFFICIAL_FILE = Path(__file__).resolve().parent / "data" / "official_figures.yaml"

MSG_BAD_FILE = "{file}: {problem}"
MSG_FIELD = "release {n}: '{field}' is required"
MSG_SINCE = "release {n}: 'since' must be the first of January of a year, got {value}"
MSG_UNTIL = "release {n}: 'until' ({until}) is before 'since' ({since})"
MSG_COUNT_BY = "release {n}: 'count_by' must be one of {known}, got {value!r}"
MSG_PARTS = "release {n}: the parts add up to {sum}, not the total {total}"
MSG_NUMBER = "release {n}: {field} must be a whole number of at least 0, got {value!r}"


class OfficialFiguresError(ValueError):
    """The official figures file cannot be read; the message says where and why."""


@dataclass(frozen=True)
class OfficialCount:
    title: str
    url: str
    note: str
    framework_id: str
    figure: str
    count_by: str
    since: dt.date
    until: dt.date
    total: int
    parts: dict[str, int]
    confidence: str


@dataclass(frozen=True)
class PartComparison:
    label: str
    official: int
    counted: int

    @property
    def agrees(self) -> bool:
        return self.official == self.counted


@dataclass(frozen=True)
class Comparison:
    official: OfficialCount
    figure_label: str
    framework: str
    total: PartComparison
    parts: tuple[PartComparison, ...]

    @property
    def agrees(self) -> bool:
        return self.total.agrees and all(p.agrees for p in self.parts)


def _number(n: int, field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise OfficialFiguresError(MSG_NUMBER.format(n=n, field=field, value=value))
    return value


def _read_one(n: int, item: dict[str, Any]) -> OfficialCount:
    for name in ("title", "url", "framework", "figure", "count_by", "since", "until", "total", "parts"):
        if item.get(name) in (None, ""):
            raise OfficialFiguresError(MSG_FIELD.format(n=n, field=name))
    since, until = item["since"], item["until"]
    if not isinstance(since, dt.date) or (since.month, since.day) != (1, 1):
        raise OfficialFiguresError(MSG_SINCE.format(n=n, value=since))
    if not isinstance(until, dt.date) or until < since:
        raise OfficialFiguresError(MSG_UNTIL.format(n=n, until=until, since=since))
    if item["count_by"] not in COUNT_BY:
        raise OfficialFiguresError(
            MSG_COUNT_BY.format(n=n, known=", ".join(COUNT_BY), value=item["count_by"])
        )
    total = _number(n, "total", item["total"])
    parts = {str(k): _number(n, f"part {k}", v) for k, v in dict(item["parts"]).items()}
    if sum(parts.values()) != total:
        raise OfficialFiguresError(MSG_PARTS.format(n=n, sum=sum(parts.values()), total=total))
    return OfficialCount(
        title=str(item["title"]),
        url=str(item["url"]),
        note=str(item.get("note") or ""),
        framework_id=str(item["framework"]),
        figure=str(item["figure"]),
        count_by=str(item["count_by"]),
        since=since,
        until=until,
        total=total,
        parts=parts,
        confidence=str(item.get("confidence") or ""),
    )


def load_official_counts(path: Path = OFFICIAL_FILE) -> list[OfficialCount]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise OfficialFiguresError(MSG_BAD_FILE.format(file=path.name, problem=exc)) from None
    releases = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(releases, list):
        raise OfficialFiguresError(MSG_BAD_FILE.format(file=path.name, problem="no list under 'releases'"))
    try:
        return [_read_one(n, item) for n, item in enumerate(releases, start=1)]
    except OfficialFiguresError as exc:
        raise OfficialFiguresError(MSG_BAD_FILE.format(file=path.name, problem=exc)) from None


def _summed(figure: Figure, first_year: int) -> dict[str, int]:
    """The figure's parts added up over its years from `first_year` (its window ends at `until`)."""
    summed: dict[str, int] = {}
    for period in figure.periods:
        if not period.label.isdigit() or int(period.label) < first_year:
            continue
        values = period.value if isinstance(period.value, dict) else {"": period.value}
        for name, number in values.items():
            summed[name] = summed.get(name, 0) + number
    return summed


def compare(official: OfficialCount) -> Comparison | None:
    """The official count beside the same figure counted from the history; None if the framework
    in use names no such figure."""
    from .figures import national_figures

    figures = national_figures(
        as_of=official.until,
        first_year=official.since.year,
        framework_id=official.framework_id,
        count_by=official.count_by,
    )
    figure = next((f for f in figures if f.key == official.figure), None)
    if figure is None:
        return None
    counted = _summed(figure, official.since.year)
    labels = {part.name: part.label for part in figure.parts}
    parts = tuple(
        PartComparison(labels.get(name, name), number, counted.get(name, 0))
        for name, number in official.parts.items()
    )
    total = PartComparison("Total", official.total, sum(counted.values()))
    return Comparison(official, figure.label, figure.framework, total, parts)


def official_comparisons(path: Path = OFFICIAL_FILE) -> list[Comparison]:
    found = (compare(official) for official in load_official_counts(path))
    return [c for c in found if c is not None]
