"""What a national figure is (its words, its numbers) and how its rows are counted: the types the
figures' definitions (``figure_definitions``) and their count (``figures``) share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .models import PublishedInspection

# By which date a row is counted.
PUBLICATION = "publication"
START = "start"
DUE = "due"
INSPECTION = "inspection"
DATED_BY = {
    PUBLICATION: "The date the report was published",
    START: "The date the inspection or visit started (the date of publication where the start is not recorded)",
    DUE: "The date the next full inspection is due, as recorded with the area's latest published report",
    INSPECTION: "The date of the inspection or visit: its start (its last day on site where the start is not "
    "recorded). One with neither date recorded is counted as 'Inspection date not recorded', in the total "
    "once its report is published by the date",
}
PERIOD_HEADINGS = {
    PUBLICATION: "Year of publication",
    START: "Year started",
    DUE: "Month due",
    INSPECTION: "Year of inspection",
}
UNKNOWN_DATE = "Inspection date not recorded"

# How the figures are counted: as each figure is defined (by publication or start), or every figure
# by the date of the inspection (as Ofsted's official statistics count).
PUBLISHED = "published"
INSPECTED = "inspected"
COUNT_BY = (PUBLISHED, INSPECTED)

# What the figure's sorting rests on.
RULE = "rule"
ESTIMATE = "estimate"
BASES = {RULE: "Rule from a source", ESTIMATE: "Estimate from the record"}

ALL_FRAMEWORKS = "All frameworks"
HISTORY_RECORD = (
    "The national history of published inspections: Ofsted's published data "
    "(history/data/PROVENANCE.md) and the inspections published in this service"
)
CONFIDENCE_ORDER = ("low", "medium", "high")

Value = int | dict[str, int]


@dataclass(frozen=True)
class Part:
    """One of the groups a figure is counted in: ``name`` as `areasend stats` prints it (an outcome's
    number, a result's name), ``label`` in the framework's words."""

    name: str
    label: str


@dataclass(frozen=True)
class Period:
    label: str  # "2019", or "January 2027"
    short: str  # the same, short enough for a chart's axis ("Jan 2027")
    value: Value


@dataclass(frozen=True)
class Figure:
    key: str  # the figure's name in `areasend stats` and the API (never shown on a page)
    label: str  # what `areasend stats` calls it
    framework_id: str | None  # None: counted over every framework
    framework: str  # the framework's short title, or "All frameworks"
    in_stats: bool  # printed by `areasend stats` (False: a framework's share of a national figure)
    unit: str  # what one counts: "areas", "inspections", "reports", "visits", "rows"
    counts: str  # what is counted, in words
    dated_by: str  # PUBLICATION, START or DUE
    basis: str  # RULE or ESTIMATE
    basis_text: str  # why, in words
    sources: tuple[str, ...] = ()
    confidence: str | None = None
    parts: tuple[Part, ...] = ()  # empty: one number
    total: Value = 0
    periods: tuple[Period, ...] = ()
    scraped: int = 0  # rows counted in the total that come from scraped reports
    distinct: bool = False  # counts areas once each: the periods need not add up to the total

    @property
    def period_heading(self) -> str:
        return PERIOD_HEADINGS[self.dated_by]


# -- counting ----------------------------------------------------------------------------------------


def started(row: PublishedInspection) -> date | None:
    """The start; where the start is unknown, the publication."""
    return row.started_on if row.started_on is not None else row.published_on


def published(row: PublishedInspection) -> date | None:
    return row.published_on


def inspected(row: PublishedInspection) -> date | None:
    """The inspection's start; where it is unknown, its last day on site; else None (not recorded)."""
    return row.started_on if row.started_on is not None else row.ended_on


@dataclass(frozen=True)
class Count:
    """Which rows a figure counts, by which date, and (for a figure in parts) in which part each is."""

    rows: Sequence[PublishedInspection]
    dated: Callable[[PublishedInspection], date | None]
    part: Callable[[PublishedInspection], str | None] | None = None
    names: tuple[str, ...] = ()
    distinct: bool = False  # count areas, not rows
    area: Callable[[PublishedInspection], int] | None = None  # the area a row counts for (distinct)
    unknown_by: Callable[[PublishedInspection], date | None] | None = None  # known by: rows with no date

    def unknown(self, until: date) -> list[PublishedInspection]:
        """Rows with no date of their own, known by `until` (by `unknown_by`): counted as unknown."""
        if self.unknown_by is None:
            return []
        found = []
        for row in self.rows:
            known = self.unknown_by(row)
            if self.dated(row) is None and known is not None and known <= until:
                found.append(row)
        return found

    def chosen(self, until: date, since: date | None = None) -> list[PublishedInspection]:
        found = []
        for row in self.rows:
            day = self.dated(row)
            if day is not None and day <= until and (since is None or day >= since):
                found.append(row)
        return found

    def value(self, rows: Iterable[PublishedInspection]) -> Value:
        chosen = list(rows)
        if self.part is None:
            if not self.distinct:
                return len(chosen)
            return len({self.area(r) if self.area else r.area_id for r in chosen})
        counted = Counter(self.part(r) for r in chosen)
        return {name: counted.get(name, 0) for name in self.names}

    def years(self, as_of: date, first: int, last: int) -> range:
        """The years from `first` to `last` (at most the year of `as_of`), widened to every year in
        which a row counted by `as_of` falls."""
        dated = [d.year for d in (self.dated(r) for r in self.rows) if d is not None and d <= as_of]
        return range(min([first, *dated]), max([min(last, as_of.year), *dated]) + 1)


@dataclass(frozen=True)
class Words:
    """Everything a figure says about itself (the numbers come from its `Count`)."""

    key: str
    label: str
    framework_id: str | None
    framework: str
    unit: str
    counts: str
    dated_by: str
    basis: str
    basis_text: str
    in_stats: bool = True
    sources: tuple[str, ...] = ()
    confidence: str | None = None
    parts: tuple[Part, ...] = ()
