"""National figures counted from the stored history as of a date: one count for `areasend stats`, the
national figures page and the API.

Each figure says what it counts (in the framework files' words), by which date a row is placed (the
publication of its report, or the start of the inspection or visit), and whether what it sorts by
follows a rule a source states (a framework's outcomes, the documents an outcome requires, a visit's
results) or is an estimate from the record (rows counted as recorded, with their gaps). Nothing here
knows a regime: each framework's ``national_history`` names the figures its inspections add.

`national_figures` counts every figure, with its numbers year by year when asked;
`national_stats` is the totals of the figures `areasend stats` prints, as one mapping.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from .figure_definitions import (
    figure_labels,
    framework_figures,
    framework_spans,
    latest_frameworks,
    name_of,
    national_words,
    shares,
)
from .figure_types import (
    BASES,
    COUNT_BY,
    DATED_BY,
    DUE,
    INSPECTED,
    INSPECTION,
    PUBLICATION,
    PUBLISHED,
    START,
    UNKNOWN_DATE,
    Count,
    Figure,
    Part,
    Period,
    Value,
    Words,
    inspected,
    published,
    started,
)
from .models import PublishedInspection

__all__ = [
    "BASES",
    "COUNT_BY",
    "DATED_BY",
    "DUE",
    "INSPECTED",
    "INSPECTION",
    "PUBLICATION",
    "PUBLISHED",
    "START",
    "Figure",
    "Part",
    "Period",
    "Value",
    "figure_labels",
    "framework_choices",
    "national_figures",
    "national_stats",
    "stats_of",
]


@dataclass(frozen=True)
class _Window:
    """The date the figures are counted to, and the years (if any) to count one by one."""

    as_of: date
    by_year: bool
    first_year: int | None
    last_year: int | None
    span: dict[str | None, tuple[int, int]] = field(default_factory=dict)  # framework -> its years


def _counted(words: Words, count: Count, window: _Window) -> Figure:
    as_of = window.as_of
    unknown = count.unknown(as_of)
    total_rows = count.chosen(as_of) + unknown
    periods: list[Period] = []
    if window.by_year:
        first, last = window.span.get(words.framework_id, window.span[None])
        for year in count.years(as_of, first, last):
            if window.first_year is not None and year < window.first_year:
                continue
            if window.last_year is not None and year > window.last_year:
                continue
            since, until = date(year, 1, 1), min(date(year, 12, 31), as_of)
            periods.append(Period(str(year), str(year), count.value(count.chosen(until, since))))
        if unknown:
            periods.append(Period(UNKNOWN_DATE, "Not recorded", count.value(unknown)))
    return Figure(
        key=words.key,
        label=words.label,
        framework_id=words.framework_id,
        framework=words.framework,
        in_stats=words.in_stats,
        unit=words.unit,
        counts=words.counts,
        dated_by=words.dated_by,
        basis=words.basis,
        basis_text=words.basis_text,
        sources=words.sources,
        confidence=words.confidence,
        parts=words.parts,
        total=count.value(total_rows),
        periods=tuple(periods),
        scraped=sum(r.reliability == PublishedInspection.SCRAPED for r in total_rows),
        distinct=count.distinct,
    )


# -- areas due a full inspection ------------------------------------------------------------------------


def _months(after: date, to: date) -> list[tuple[int, int]]:
    """(year, month) from the month of the day after `after` to the month of `to`."""
    first = after + timedelta(days=1)
    year, month, found = first.year, first.month, []
    while (year, month) <= (to.year, to.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _due(words: Words, full: list[PublishedInspection], window: _Window) -> Figure:
    """Areas whose latest published report gives a next full inspection in the following twelve
    months, month by month."""
    as_of = window.as_of
    published = sorted((r for r in full if _published_by(r, as_of)), key=lambda r: r.published_on or as_of)
    latest: dict[int, PublishedInspection] = {}
    for row in published:
        latest[row.area_id] = row
    horizon = _one_year_after(as_of)
    due = [r for r in latest.values() if r.next_inspection_by and as_of < r.next_inspection_by <= horizon]
    periods: tuple[Period, ...] = ()
    if window.by_year:
        by_month = Counter(
            (r.next_inspection_by.year, r.next_inspection_by.month) for r in due if r.next_inspection_by
        )
        periods = tuple(
            Period(f"{date(y, m, 1):%B %Y}", f"{date(y, m, 1):%b %Y}", by_month.get((y, m), 0))
            for y, m in _months(as_of, horizon)
        )
    return Figure(
        key=words.key,
        label=words.label,
        framework_id=None,
        framework=words.framework,
        in_stats=True,
        unit=words.unit,
        counts=words.counts,
        dated_by=words.dated_by,
        basis=words.basis,
        basis_text=words.basis_text,
        sources=words.sources,
        total=len(due),
        periods=periods,
        scraped=sum(r.reliability == PublishedInspection.SCRAPED for r in due),
        distinct=True,
    )


def _published_by(row: PublishedInspection, as_of: date) -> bool:
    return row.published_on is not None and row.published_on <= as_of


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day + timedelta(days=365)


# -- by the date of inspection ------------------------------------------------------------------------

BY_DATE_OF = (" published by the date", " started by the date")
BY_INSPECTION = " carried out by the date"


def by_inspection(words: Words, count: Count) -> tuple[Words, Count]:
    """A figure counted by publication or start, counted instead by the date of the inspection (or
    visit): rows with no inspection date are counted as unknown once published."""
    if words.dated_by not in (PUBLICATION, START):
        return words, count
    counts = words.counts
    for phrase in BY_DATE_OF:
        counts = counts.replace(phrase, BY_INSPECTION)
    return (
        replace(words, counts=counts, dated_by=INSPECTION),
        replace(count, dated=inspected, unknown_by=published),
    )


def _successors() -> dict[int, int]:
    """Area id -> the id of the current area its rows count for (the area itself unless reorganised)."""
    from areasend.areas.models import LocalArea
    from areasend.areas.successors import counted_successors

    ids = dict(LocalArea.objects.values_list("ons_code", "pk"))
    return {ids[old]: ids[new] for old, new in counted_successors().items() if old in ids and new in ids}


# -- every figure --------------------------------------------------------------------------------------


def national_figures(
    *,
    as_of: date,
    by_year: bool = True,
    first_year: int | None = None,
    last_year: int | None = None,
    framework_id: str | None = None,
    count_by: str = PUBLISHED,
) -> list[Figure]:
    """Every national figure as of a date (inclusive): the ones every framework adds to, and each
    framework's (its share of the full inspections, then the figures its file names), in the order
    `areasend stats` prints them.

    With `by_year`, each figure also carries its numbers year by year (month by month for the
    inspections due), from the first year of its framework (or of any framework) to the year of
    `as_of`, kept to `first_year`-`last_year` when given. With `framework_id`, only that framework's
    figures. With `count_by` INSPECTED, every figure counted by publication or start is counted by
    the date of the inspection instead (``by_inspection``)."""
    if count_by not in COUNT_BY:
        raise ValueError(f"count_by must be one of {', '.join(COUNT_BY)}, not {count_by!r}")
    rows = list(PublishedInspection.objects.all())
    frameworks = latest_frameworks()
    labels = figure_labels(frameworks)
    spans = framework_spans()
    earliest = min([spans[fw.id][0].year for fw in frameworks] or [as_of.year])
    span: dict[str | None, tuple[int, int]] = {None: (earliest, as_of.year)}
    for fw in frameworks:
        start, end = spans[fw.id]
        span[fw.id] = (start.year, end.year if end else as_of.year)
    window = _Window(as_of=as_of, by_year=by_year, first_year=first_year, last_year=last_year, span=span)

    full = [r for r in rows if r.is_full]
    national = national_words(labels)
    successors = _successors()
    counted: list[tuple[Words, Count]] = [
        (
            national["areas_inspected"],
            Count(full, started, distinct=True, area=lambda r: successors.get(r.area_id, r.area_id)),
        ),
        (national["inspections_started"], Count(full, started)),
        (national["reports_published"], Count(full, published)),
    ]
    for fw in frameworks:
        mine = [r for r in rows if r.framework_id == fw.id]
        counted += shares(fw, mine, labels)
        counted += framework_figures(fw, mine, labels)
    counted.append(
        (
            national["scraped_rows_counted"],
            Count([r for r in rows if r.reliability == PublishedInspection.SCRAPED], started),
        )
    )
    if count_by == INSPECTED:
        counted = [by_inspection(words, count) for words, count in counted]
    figures = [_counted(words, count, window) for words, count in counted]
    figures.insert(-1, _due(national["next_inspections_due"], full, window))
    if framework_id is not None:
        figures = [f for f in figures if f.framework_id == framework_id]
    return figures


def framework_choices() -> tuple[list[tuple[str, str]], int]:
    """(framework id, short title) of each framework, and the first year any was in force."""
    frameworks = latest_frameworks()
    spans = framework_spans()
    earliest = min([spans[fw.id][0].year for fw in frameworks] or [date.today().year])
    return [(fw.id, name_of(fw)) for fw in frameworks], earliest


def _add(stats: dict[str, Any], key: str, value: Value) -> None:
    """Add a framework's figure to the national one of the same name (two frameworks may share it)."""
    if key not in stats:
        stats[key] = dict(value) if isinstance(value, dict) else value
    elif isinstance(value, dict):
        for name, number in value.items():
            stats[key][name] = stats[key].get(name, 0) + number
    else:
        stats[key] += value


def stats_of(figures: Iterable[Figure], as_of: date) -> dict[str, Any]:
    """The figures `areasend stats` prints, as one mapping: a figure two frameworks share is added up."""
    stats: dict[str, Any] = {"as_of": as_of.isoformat()}
    for figure in figures:
        if figure.in_stats:
            _add(stats, figure.key, figure.total)
    return stats


def national_stats(*, as_of: date, count_by: str = PUBLISHED) -> dict[str, Any]:
    """National figures counted from stored history as of a date (inclusive): the same figures for
    every framework, then those each framework's file names, in the order they came into force."""
    return stats_of(national_figures(as_of=as_of, by_year=False, count_by=count_by), as_of)
