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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from areasend.frameworks.selectors import available_frameworks
from areasend.frameworks.words import in_words

if TYPE_CHECKING:  # the schema (pydantic) loads when the history is read, not with the app
    from areasend.domain.frameworks import Framework

from .models import PublishedInspection

# By which date a row is counted.
PUBLICATION = "publication"
START = "start"
DUE = "due"
DATED_BY = {
    PUBLICATION: "The date the report was published",
    START: "The date the inspection or visit started (the date of publication where the start is not recorded)",
    DUE: "The date the next full inspection is due, as recorded with the area's latest published report",
}
PERIOD_HEADINGS = {PUBLICATION: "Year of publication", START: "Year started", DUE: "Month due"}

# What the figure's sorting rests on.
RULE = "rule"
ESTIMATE = "estimate"
BASES = {RULE: "Rule from a source", ESTIMATE: "Estimate from the record"}

ALL_FRAMEWORKS = "All frameworks"
HISTORY_RECORD = (
    "The national history of published inspections: Ofsted's published data "
    "(history/data/PROVENANCE.md) and the inspections published in this service"
)
_CONFIDENCE_ORDER = ("low", "medium", "high")

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


def _started(row: PublishedInspection) -> date | None:
    """The start; where the start is unknown, the publication."""
    return row.started_on if row.started_on is not None else row.published_on


def _published(row: PublishedInspection) -> date | None:
    return row.published_on


@dataclass(frozen=True)
class _Count:
    """Which rows a figure counts, by which date, and (for a figure in parts) in which part each is."""

    rows: Sequence[PublishedInspection]
    dated: Callable[[PublishedInspection], date | None]
    part: Callable[[PublishedInspection], str | None] | None = None
    names: tuple[str, ...] = ()
    distinct: bool = False  # count areas, not rows

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
            return len({r.area_id for r in chosen}) if self.distinct else len(chosen)
        counted = Counter(self.part(r) for r in chosen)
        return {name: counted.get(name, 0) for name in self.names}

    def years(self, as_of: date, first: int, last: int) -> range:
        """The years from `first` to `last` (at most the year of `as_of`), widened to every year in
        which a row counted by `as_of` falls."""
        dated = [d.year for d in (self.dated(r) for r in self.rows) if d is not None and d <= as_of]
        return range(min([first, *dated]), max([min(last, as_of.year), *dated]) + 1)


@dataclass(frozen=True)
class _Words:
    """Everything a figure says about itself (the numbers come from its `_Count`)."""

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


@dataclass(frozen=True)
class _Window:
    """The date the figures are counted to, and the years (if any) to count one by one."""

    as_of: date
    by_year: bool
    first_year: int | None
    last_year: int | None
    span: dict[str | None, tuple[int, int]] = field(default_factory=dict)  # framework -> its years


def _counted(words: _Words, count: _Count, window: _Window) -> Figure:
    as_of = window.as_of
    total_rows = count.chosen(as_of)
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


def _frameworks() -> list[Framework]:
    """The latest version of every framework, loaded or shipped, in the order they came into force."""
    found = available_frameworks()
    return sorted(found.values(), key=lambda f: (f.in_force_from, f.id))


def _unique(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for group in groups for s in group))


def _weakest(*values: str | None) -> str | None:
    given = [v for v in values if v in _CONFIDENCE_ORDER]
    return min(given, key=_CONFIDENCE_ORDER.index) if given else None


def _name(fw: Framework) -> str:
    return fw.short_title or fw.title


def _of(name: str, label: str) -> str:
    """A national figure's label for one framework's part of it, as the framework's own figures read."""
    return f"{name}: {label[0].lower()}{label[1:]}"


# -- the figures every framework adds to --------------------------------------------------------------


def _national_words(labels: dict[str, str]) -> dict[str, _Words]:
    common: dict[str, Any] = {"framework_id": None, "framework": ALL_FRAMEWORKS, "sources": (HISTORY_RECORD,)}
    return {
        "areas_inspected": _Words(
            key="areas_inspected",
            label=labels["areas_inspected"],
            unit="areas",
            counts="Local areas with at least one full inspection, under any framework, started by the "
            "date. Each area is counted once, however many inspections it had.",
            dated_by=START,
            basis=ESTIMATE,
            basis_text="Counted from the areas the rows are recorded against: an area that was "
            "reorganised may be counted under its old and its new code.",
            **common,
        ),
        "inspections_started": _Words(
            key="inspections_started",
            label=labels["inspections_started"],
            unit="inspections",
            counts="Full inspections, under any framework, started by the date.",
            dated_by=START,
            basis=ESTIMATE,
            basis_text="Counted from the rows as recorded; where a start date is not recorded, the "
            "date of publication stands in for it.",
            **common,
        ),
        "reports_published": _Words(
            key="reports_published",
            label=labels["reports_published"],
            unit="reports",
            counts="Reports of full inspections, under any framework, published by the date.",
            dated_by=PUBLICATION,
            basis=ESTIMATE,
            basis_text="Counted from the rows as recorded, with their dates of publication.",
            **common,
        ),
        "next_inspections_due": _Words(
            key="next_inspections_due",
            label=labels["next_inspections_due"],
            unit="areas",
            counts="Areas whose latest full inspection report published by the date gives a next full "
            "inspection due in the twelve months after the date.",
            dated_by=DUE,
            basis=ESTIMATE,
            basis_text="The date recorded with the report: taken from the report, or worked out from "
            "its outcome and the framework's interval to the next full inspection.",
            **common,
        ),
        "scraped_rows_counted": _Words(
            key="scraped_rows_counted",
            label=labels["scraped_rows_counted"],
            unit="rows",
            counts="Rows of the history (full inspections and visits) started by the date that were "
            "scraped from published reports rather than taken from official statistics.",
            dated_by=START,
            basis=ESTIMATE,
            basis_text="Rows read from the text of published reports: check them before relying on them.",
            **common,
        ),
    }


def _shares(
    fw: Framework, mine: list[PublishedInspection], labels: dict[str, str]
) -> list[tuple[_Words, _Count]]:
    """A framework's part of the national counts of full inspections (not printed by `areasend stats`)."""
    name = _name(fw)
    full = [r for r in mine if r.is_full]
    common: dict[str, Any] = {"framework_id": fw.id, "framework": name, "in_stats": False, "basis": ESTIMATE}
    return [
        (
            _Words(
                key="inspections_started",
                label=_of(name, labels["inspections_started"]),
                unit="inspections",
                counts=f"Full inspections under the {name} framework started by the date.",
                dated_by=START,
                basis_text="Counted from the rows as recorded; where a start date is not recorded, the "
                "date of publication stands in for it.",
                sources=(HISTORY_RECORD,),
                **common,
            ),
            _Count(full, _started),
        ),
        (
            _Words(
                key="reports_published",
                label=_of(name, labels["reports_published"]),
                unit="reports",
                counts=f"Reports of full inspections under the {name} framework published by the date.",
                dated_by=PUBLICATION,
                basis_text="Counted from the rows as recorded, with their dates of publication.",
                sources=(HISTORY_RECORD,),
                **common,
            ),
            _Count(full, _published),
        ),
    ]


# -- the figures each framework's file names ----------------------------------------------------------


def _framework_figures(
    fw: Framework, mine: list[PublishedInspection], labels: dict[str, str]
) -> list[tuple[_Words, _Count]]:
    """The figures a framework's ``national_history`` names, with the rows each counts."""
    from areasend.domain.timeline import describe_conditions  # with the schema, when figures are read

    history = fw.national_history
    if history is None:
        return []
    name = _name(fw)
    common: dict[str, Any] = {"framework_id": fw.id, "framework": name}
    full = [r for r in mine if r.is_full]
    found: list[tuple[_Words, _Count]] = []
    for entry in history.documents:
        document = fw.document(entry.document)
        title = document.title if document else entry.document
        when = in_words(fw, describe_conditions(document.required_when)) if document else ""
        required = [r for r in full if entry.document in (r.documents_required or ())]
        found.append(
            (
                _Words(
                    key=entry.figure,
                    label=labels[entry.figure],
                    unit="reports",
                    counts=f"Reports of full inspections under the {name} framework published by the "
                    f"date whose outcome requires a {title}"
                    + (f" (the framework requires one {when})." if when else "."),
                    dated_by=PUBLICATION,
                    basis=RULE,
                    basis_text=f"Which outcomes require a {title} is a rule of the framework file, "
                    "from its sources; each report is counted by its recorded outcome.",
                    sources=_unique(document.source if document else (), history.source),
                    confidence=_weakest(document.confidence if document else None, history.confidence),
                    **common,
                ),
                _Count(required, _published),
            )
        )
    for visit in history.visits:
        spec = fw.visit(visit.visit)
        title = spec.title if spec else visit.visit
        visits = [r for r in mine if r.kind == visit.visit]
        found.append(
            (
                _Words(
                    key=visit.figure,
                    label=labels[visit.figure],
                    unit="visits",
                    counts=f"{title}s under the {name} framework started by the date.",
                    dated_by=START,
                    basis=ESTIMATE,
                    basis_text="Counted from the visits as recorded; where a start date is not recorded, "
                    "the date of publication stands in for it.",
                    sources=_unique(history.source),
                    confidence=history.confidence,
                    **common,
                ),
                _Count(visits, _started),
            )
        )
        scale = (
            next((s for s in spec.judgement_scales if s.key == visit.result_scale), None) if spec else None
        )
        if visit.results_figure is None or scale is None:
            continue
        names = {o.key: visit.result_names.get(o.key, o.key) for o in scale.options}
        found.append(
            (
                _Words(
                    key=visit.results_figure,
                    label=labels[visit.results_figure],
                    unit="visits",
                    counts=f"{title}s under the {name} framework published by the date, by their "
                    f"result ({scale.label}).",
                    dated_by=PUBLICATION,
                    basis=RULE,
                    basis_text=f"The results are the framework's own ({scale.label}), from its sources; "
                    "each visit is counted by its recorded result.",
                    sources=_unique(spec.source if spec else (), history.source),
                    confidence=_weakest(spec.confidence if spec else None, history.confidence),
                    parts=tuple(Part(names[o.key], o.label) for o in scale.options),
                    **common,
                ),
                _Count(
                    visits,
                    _published,
                    part=lambda r, names=names: names.get(r.visit_result),  # type: ignore[misc]
                    names=tuple(names.values()),
                ),
            )
        )
    if history.outcomes is not None:
        numbers = {o.key: str(o.number) for o in fw.outcomes}
        found.append(
            (
                _Words(
                    key=history.outcomes.figure,
                    label=labels[history.outcomes.figure],
                    unit="reports",
                    counts=f"Reports of full inspections under the {name} framework published by the "
                    "date, by their outcome.",
                    dated_by=PUBLICATION,
                    basis=RULE,
                    basis_text="The outcomes are the framework's own, from its sources; each report is "
                    "counted by its recorded outcome.",
                    sources=_unique(*(o.source for o in fw.outcomes), history.source),
                    confidence=_weakest(*(o.confidence for o in fw.outcomes), history.confidence),
                    parts=tuple(Part(str(o.number), o.label) for o in fw.outcomes),
                    **common,
                ),
                _Count(
                    full,
                    _published,
                    part=lambda r, numbers=numbers: numbers.get(r.outcome_key),  # type: ignore[misc]
                    names=tuple(numbers.values()),
                ),
            )
        )
        if history.outcomes.unknown_figure is not None:
            found.append(
                (
                    _Words(
                        key=history.outcomes.unknown_figure,
                        label=labels[history.outcomes.unknown_figure],
                        unit="reports",
                        counts=f"Reports of full inspections under the {name} framework published by "
                        "the date whose outcome is not recorded.",
                        dated_by=PUBLICATION,
                        basis=ESTIMATE,
                        basis_text="Reports whose outcome could not be read from the record.",
                        sources=(HISTORY_RECORD,),
                        **common,
                    ),
                    _Count([r for r in full if not r.outcome_key], _published),
                )
            )
    return found


# -- areas due a full inspection ------------------------------------------------------------------------


def _months(after: date, to: date) -> list[tuple[int, int]]:
    """(year, month) from the month of the day after `after` to the month of `to`."""
    first = after + timedelta(days=1)
    year, month, found = first.year, first.month, []
    while (year, month) <= (to.year, to.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _due(words: _Words, full: list[PublishedInspection], window: _Window) -> Figure:
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


# -- every figure --------------------------------------------------------------------------------------


def national_figures(
    *,
    as_of: date,
    by_year: bool = True,
    first_year: int | None = None,
    last_year: int | None = None,
    framework_id: str | None = None,
) -> list[Figure]:
    """Every national figure as of a date (inclusive): the ones every framework adds to, and each
    framework's (its share of the full inspections, then the figures its file names), in the order
    `areasend stats` prints them.

    With `by_year`, each figure also carries its numbers year by year (month by month for the
    inspections due), from the first year of its framework (or of any framework) to the year of
    `as_of`, kept to `first_year`-`last_year` when given. With `framework_id`, only that framework's
    figures."""
    rows = list(PublishedInspection.objects.all())
    frameworks = _frameworks()
    labels = figure_labels(frameworks)
    earliest = min([fw.in_force_from.year for fw in frameworks] or [as_of.year])
    span: dict[str | None, tuple[int, int]] = {None: (earliest, as_of.year)}
    for fw in frameworks:
        span[fw.id] = (fw.in_force_from.year, fw.in_force_to.year if fw.in_force_to else as_of.year)
    window = _Window(as_of=as_of, by_year=by_year, first_year=first_year, last_year=last_year, span=span)

    full = [r for r in rows if r.is_full]
    national = _national_words(labels)
    counted: list[tuple[_Words, _Count]] = [
        (national["areas_inspected"], _Count(full, _started, distinct=True)),
        (national["inspections_started"], _Count(full, _started)),
        (national["reports_published"], _Count(full, _published)),
    ]
    for fw in frameworks:
        mine = [r for r in rows if r.framework_id == fw.id]
        counted += _shares(fw, mine, labels)
        counted += _framework_figures(fw, mine, labels)
    figures = [_counted(words, count, window) for words, count in counted]
    figures.append(_due(national["next_inspections_due"], full, window))
    figures.append(
        _counted(
            national["scraped_rows_counted"],
            _Count([r for r in rows if r.reliability == PublishedInspection.SCRAPED], _started),
            window,
        )
    )
    if framework_id is not None:
        figures = [f for f in figures if f.framework_id == framework_id]
    return figures


def framework_choices() -> tuple[list[tuple[str, str]], int]:
    """(framework id, short title) of each framework, and the first year any was in force."""
    frameworks = _frameworks()
    earliest = min([fw.in_force_from.year for fw in frameworks] or [date.today().year])
    return [(fw.id, _name(fw)) for fw in frameworks], earliest


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


def national_stats(*, as_of: date) -> dict[str, Any]:
    """National figures counted from stored history as of a date (inclusive): the same figures for
    every framework, then those each framework's file names, in the order they came into force."""
    return stats_of(national_figures(as_of=as_of, by_year=False), as_of)


def figure_labels(frameworks: Sequence[Framework] | None = None) -> dict[str, str]:
    """What each national figure counts, in the words of the framework files (for `areasend stats`)."""
    labels = {
        "as_of": "As of",
        "areas_inspected": "Areas with a full inspection started",
        "inspections_started": "Full inspections started",
        "reports_published": "Full inspection reports published",
        "next_inspections_due": "Areas whose next full inspection is due in the next twelve months",
        "scraped_rows_counted": "Rows from scraped reports counted (less reliable)",
    }
    for fw in _frameworks() if frameworks is None else frameworks:
        history = fw.national_history
        if history is None:
            continue
        name = _name(fw)
        if history.outcomes is not None:
            labels.setdefault(history.outcomes.figure, f"{name}: published reports by outcome")
            if history.outcomes.unknown_figure is not None:
                labels.setdefault(
                    history.outcomes.unknown_figure,
                    f"{name}: published reports whose outcome is not recorded",
                )
        for entry in history.documents:
            document = fw.document(entry.document)
            title = document.title if document else entry.document
            labels.setdefault(entry.figure, f"{name}: published reports requiring a {title}")
        for visit in history.visits:
            spec = fw.visit(visit.visit)
            title = spec.title if spec else visit.visit
            labels.setdefault(visit.figure, f"{name}: {title.lower()}s started")
            if visit.results_figure is not None:
                labels.setdefault(visit.results_figure, f"{name}: published {title.lower()}s by result")
    return labels
