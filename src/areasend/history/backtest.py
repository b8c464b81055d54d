"""The backtest: every real inspection and follow-up visit in the shipped history, run through the
timeline its framework gives, and the predicted publication held against the real one.

The record is read from the shipped files (``history/data``, through :mod:`.reference_data`, with
the register of areas from ``areas/data``), not from the database: the backtest measures the rules
against Ofsted's published record, the same for every checkout, with or without an import
(docs/adr/0028-backtest-and-estimates.md).

Each event is given to the timeline as its framework defines it, never by a key written here:

- a full inspection: the framework's ``timetable`` names the notification, on-site start and end
  events and its ``lifecycle.publication`` the publication event;
- a follow-up visit (the visit ``framework_keys.yaml`` says the rows describe): the visit's own
  ``events`` (notified, start, end, published).

The notification date is the notice period before the start (the deadline that runs from the
notification to the start); the last day on site is the record's where it has one, otherwise the
framework's. The deadline the backtest checks is the one the publication event completes.
``delta_wd`` is the working days from the predicted to the real publication (positive: published
later than predicted); ``held_by`` names the periods that moved the prediction
(:meth:`WorkingDayCalendar.publication_hold`). An event the timeline cannot be built for is skipped
with the reason, never dropped silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from areasend.domain.calendar import WorkingDayCalendar, default_calendar
from areasend.domain.frameworks import Deadline, Framework, shipped_frameworks
from areasend.domain.timeline import Milestone, TimelineError, build_timeline

from .reference_data import DATA_DIR, InspectionRow, read_history

FULL = "full"  # the kind the file reader gives a full inspection (history/reference_data.py)
VISIT_ROW = "visit"  # and a follow-up visit: framework_keys.yaml says which visit
KEYS_FILE = "framework_keys.yaml"

SKIP_NO_FRAMEWORK = "framework {framework} is not shipped"
SKIP_NO_VISIT = "framework {framework} has no follow-up visit {kind!r}"
SKIP_NO_EVENTS = "framework {framework} does not say which events {what} has"
SKIP_NO_DEADLINE = "framework {framework} has no deadline for {event}"
SKIP_NO_START = "the record has no start date"
SKIP_NO_PUBLISHED = "the record has no publication date"
SKIP_NO_PREDICTION = "the timeline gives no date for {deadline}"
SKIP_TIMELINE = "the timeline refuses the dates: {error}"


@dataclasses.dataclass(frozen=True)
class RecordedEvent:
    """One real inspection or visit, in the reader's terms."""

    area_code: str
    area_name: str
    framework_id: str
    kind: str  # FULL, or the key of the framework's follow-up visit
    started_on: dt.date | None
    ended_on: dt.date | None
    published_on: dt.date | None
    source: str
    line: int


@dataclasses.dataclass(frozen=True)
class EventKeys:
    """What a kind of event is called in its framework."""

    notified: str | None
    start: str
    end: str
    published: str
    deadline: Deadline  # the deadline the publication event completes
    notice: Deadline | None  # the deadline that runs from the notification to the start


@dataclasses.dataclass(frozen=True)
class BacktestRow:
    area: str
    area_name: str
    framework_id: str
    kind: str
    deadline_key: str
    on_site_end: dt.date
    end_recorded: bool  # False: the last day on site is the framework's, worked out from the start
    published: dt.date
    predicted: dt.date
    delta_wd: int
    lag_wd: int  # working days from the last day on site to publication
    held_by: tuple[str, ...]

    @property
    def on_time(self) -> bool:
        return self.published <= self.predicted

    def as_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "kind": self.kind,
            "on_site_end": self.on_site_end.isoformat(),
            "published": self.published.isoformat(),
            "predicted": self.predicted.isoformat(),
            "delta_wd": self.delta_wd,
            "held_by": list(self.held_by),
            "framework": self.framework_id,
            "area_name": self.area_name,
            "lag_wd": self.lag_wd,
            "on_site_end_recorded": self.end_recorded,
        }


@dataclasses.dataclass(frozen=True)
class Skipped:
    area: str
    area_name: str
    framework_id: str
    kind: str
    reason: str
    source: str
    line: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "area_name": self.area_name,
            "framework": self.framework_id,
            "kind": self.kind,
            "reason": self.reason,
            "source": f"{self.source} line {self.line}",
        }


@dataclasses.dataclass(frozen=True)
class Summary:
    n: int
    on_time: int
    median_delta_wd: float
    p90_delta_wd: int
    median_lag_wd: float
    p90_lag_wd: int

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.n if self.n else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "on_time": self.on_time,
            "median_delta_wd": _plain(self.median_delta_wd),
            "p90_delta_wd": self.p90_delta_wd,
        }


@dataclasses.dataclass(frozen=True)
class Backtest:
    rows: tuple[BacktestRow, ...]
    skipped: tuple[Skipped, ...]

    def summary(self) -> dict[str, dict[str, Summary]]:
        """Framework id -> kind -> figures, in the order the rows come."""
        grouped: dict[str, dict[str, list[BacktestRow]]] = {}
        for row in self.rows:
            grouped.setdefault(row.framework_id, {}).setdefault(row.kind, []).append(row)
        return {fw: {kind: summarise(rows) for kind, rows in kinds.items()} for fw, kinds in grouped.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": {
                fw: {kind: s.as_dict() for kind, s in kinds.items()} for fw, kinds in self.summary().items()
            },
            "rows": [row.as_dict() for row in self.rows],
            "skipped": [s.as_dict() for s in self.skipped],
        }

    def for_framework(self, framework_id: str) -> Backtest:
        return Backtest(
            tuple(r for r in self.rows if r.framework_id == framework_id),
            tuple(s for s in self.skipped if s.framework_id == framework_id),
        )


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def percentile(values: Sequence[int], percent: int) -> int:
    """The nearest-rank percentile: the smallest value at least ``percent``% of the values reach."""
    if not values:
        return 0
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def summarise(rows: Sequence[BacktestRow]) -> Summary:
    deltas = [r.delta_wd for r in rows]
    lags = [r.lag_wd for r in rows]
    return Summary(
        n=len(rows),
        on_time=sum(r.on_time for r in rows),
        median_delta_wd=statistics.median(deltas) if deltas else 0,
        p90_delta_wd=percentile(deltas, 90),
        median_lag_wd=statistics.median(lags) if lags else 0,
        p90_lag_wd=percentile(lags, 90),
    )


# -- the record ----------------------------------------------------------------------------------


def _visit_kinds() -> dict[str, str]:
    """Framework id -> the follow-up visit its rows of kind ``visit`` describe (framework_keys.yaml)."""
    loaded = yaml.safe_load((DATA_DIR / KEYS_FILE).read_text(encoding="utf-8")) or {}
    return {str(fw): str(spec["visit"]) for fw, spec in loaded.items() if spec and spec.get("visit")}


@functools.cache
def recorded_events() -> tuple[RecordedEvent, ...]:
    """Every inspection and visit in the shipped history files, with the register's area names."""
    from areasend.areas.reference_data import DATA_DIR as AREAS_DIR
    from areasend.areas.reference_data import LAS_FILE, read_areas, resolve_la_number
    from areasend.domain.intake import IntakeError

    problems: list[Any] = []
    areas = read_areas(AREAS_DIR / LAS_FILE, problems)
    if problems:
        raise IntakeError(problems)
    number_to_code = {n: a.ons_code for n, a in resolve_la_number(areas).items()}
    code_to_name = {a.ons_code: a.name for a in areas}
    rows, problems = read_history(DATA_DIR, number_to_code, code_to_name)
    if problems:
        raise IntakeError(problems)
    visits = _visit_kinds()
    return tuple(_recorded(row, code_to_name, visits) for row in rows)


def _recorded(row: InspectionRow, names: Mapping[str, str], visits: Mapping[str, str]) -> RecordedEvent:
    kind = visits.get(row.framework_id, row.kind) if row.kind == VISIT_ROW else row.kind
    return RecordedEvent(
        area_code=row.area_code,
        area_name=names.get(row.area_code, row.area_code),
        framework_id=row.framework_id,
        kind=kind,
        started_on=row.started_on,
        ended_on=row.ended_on,
        published_on=row.published_on,
        source=row.source,
        line=row.line,
    )


# -- the framework's names for each event --------------------------------------------------------


def event_keys(framework: Framework, kind: str) -> EventKeys | str:
    """The events of a full inspection or of a visit, and its publication deadline; or why not."""
    notified: str | None
    start: str | None
    end: str | None
    published: str | None
    if kind == FULL:
        table = framework.timetable
        publication = framework.lifecycle.publication
        notified, start, end = table.notification_event, table.on_site_start_event, table.on_site_end_event
        published = None if publication is None else publication.event
    else:
        visit = next((v for v in framework.visits if v.key == kind), None)
        if visit is None:
            return SKIP_NO_VISIT.format(framework=framework.id, kind=kind)
        events = visit.events
        notified = None if events is None else events.notified
        start = None if events is None else events.start
        end = None if events is None else events.end
        published = None if events is None else events.published
    if not (start and end and published):
        return SKIP_NO_EVENTS.format(framework=framework.id, what=kind.replace("_", " "))
    deadline = next((d for d in framework.deadlines if d.event == published and not d.repeat_until), None)
    if deadline is None:
        return SKIP_NO_DEADLINE.format(framework=framework.id, event=published)
    notice = next(
        (d for d in framework.deadlines if d.event == start and d.from_ == notified and not d.when),
        None,
    ) or next((d for d in framework.deadlines if d.event == start and d.from_ == notified), None)
    return EventKeys(notified, start, end, published, deadline, notice)


def publication_deadlines(framework: Framework) -> dict[str, Deadline]:
    """Kind -> the deadline its publication completes, for a full inspection and each visit."""
    found = {}
    for kind in (FULL, *(v.key for v in framework.visits)):
        keys = event_keys(framework, kind)
        if isinstance(keys, EventKeys):
            found[kind] = keys.deadline
    return found


def _names(held: Iterable[Any]) -> tuple[str, ...]:
    return tuple(item if isinstance(item, str) else str(getattr(item, "name", item)) for item in held)


def _without_hold(framework: Framework, key: str) -> Framework:
    deadlines = tuple(
        d.model_copy(update={"hold_for_pre_election": False}) if d.key == key else d
        for d in framework.deadlines
    )
    return framework.model_copy(update={"deadlines": deadlines})


def _held_by(
    milestone: Milestone,
    framework: Framework,
    events: Mapping[str, dt.date],
    keys: EventKeys,
    area_code: str,
    overrides: Mapping[str, int],
    calendar: WorkingDayCalendar,
) -> tuple[str, ...]:
    """The periods that moved the prediction: the milestone's own ``held_by`` where the timeline gives
    one, else the calendar's hold of the date the rule gives before any hold."""
    given = getattr(milestone, "held_by", None)
    if given is not None:
        return _names(given)
    if not keys.deadline.hold_for_pre_election:
        return ()
    unheld = build_timeline(
        _without_hold(framework, keys.deadline.key),
        events,
        area_code=area_code,
        overrides=overrides,
        calendar=calendar,
    ).get(keys.deadline.key)
    if unheld is None:
        return ()
    hold = calendar.publication_hold(unheld.due, area_code)
    return _names(hold.held_by) if hold.held else ()


def run_event(
    event: RecordedEvent,
    framework: Framework,
    *,
    overrides: Mapping[str, int] | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> BacktestRow | Skipped:
    """One real event through its framework's timeline."""
    calendar = calendar or default_calendar()
    overrides = dict(overrides or {})

    def skip(reason: str) -> Skipped:
        return Skipped(
            event.area_code, event.area_name, event.framework_id, event.kind, reason, event.source, event.line
        )

    keys = event_keys(framework, event.kind)
    if isinstance(keys, str):
        return skip(keys)
    if event.started_on is None:
        return skip(SKIP_NO_START)
    if event.published_on is None:
        return skip(SKIP_NO_PUBLISHED)
    events: dict[str, dt.date] = {keys.start: event.started_on, keys.published: event.published_on}
    if keys.notified and keys.notice is not None and keys.notice.unit == "working_days":
        events[keys.notified] = calendar.add_working_days(event.started_on, -keys.notice.value)
    if event.ended_on is not None:
        events[keys.end] = event.ended_on
    overrides = {k: v for k, v in overrides.items() if framework.deadline(k) is not None}
    try:
        timeline = build_timeline(
            framework, events, area_code=event.area_code, overrides=overrides, calendar=calendar
        )
    except TimelineError as exc:
        return skip(SKIP_TIMELINE.format(error=exc))
    milestone = timeline.get(keys.deadline.key)
    if milestone is None:
        return skip(SKIP_NO_PREDICTION.format(deadline=keys.deadline.label))
    end = event.ended_on
    if end is None:
        end_deadline = next((d for d in framework.deadlines if d.event == keys.end), None)
        end_milestone = None if end_deadline is None else timeline.get(end_deadline.key)
        if end_milestone is None:
            return skip(SKIP_NO_PREDICTION.format(deadline=keys.end.replace("_", " ")))
        end = end_milestone.due
    published = event.published_on
    return BacktestRow(
        area=event.area_code,
        area_name=event.area_name,
        framework_id=event.framework_id,
        kind=event.kind,
        deadline_key=keys.deadline.key,
        on_site_end=end,
        end_recorded=event.ended_on is not None,
        published=published,
        predicted=milestone.due,
        delta_wd=calendar.working_days_between(milestone.due, published),
        lag_wd=calendar.working_days_between(end, published),
        held_by=_held_by(milestone, framework, events, keys, event.area_code, overrides, calendar),
    )


def run_backtest(
    *,
    framework_id: str | None = None,
    frameworks: Mapping[str, Framework] | None = None,
    overrides: Mapping[str, Mapping[str, int]] | None = None,
    events: Iterable[RecordedEvent] | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> Backtest:
    """Every recorded event (of one framework when ``framework_id`` is given) through its timeline.

    ``overrides`` (framework id -> deadline key -> value) replaces configurable deadlines' values, as
    :func:`build_timeline` does; :func:`stated_overrides` gives the values the sources state.
    """
    frameworks = shipped_frameworks() if frameworks is None else frameworks
    calendar = calendar or default_calendar()
    rows: list[BacktestRow] = []
    skipped: list[Skipped] = []
    for event in recorded_events() if events is None else events:
        if framework_id is not None and event.framework_id != framework_id:
            continue
        framework = frameworks.get(event.framework_id)
        if framework is None:
            skipped.append(
                Skipped(
                    event.area_code,
                    event.area_name,
                    event.framework_id,
                    event.kind,
                    SKIP_NO_FRAMEWORK.format(framework=event.framework_id),
                    event.source,
                    event.line,
                )
            )
            continue
        result = run_event(
            event, framework, overrides=(overrides or {}).get(event.framework_id), calendar=calendar
        )
        (rows if isinstance(result, BacktestRow) else skipped).append(result)  # type: ignore[arg-type]
    return Backtest(tuple(rows), tuple(skipped))


def stated_overrides(frameworks: Mapping[str, Framework] | None = None) -> dict[str, dict[str, int]]:
    """For every estimated deadline, the value its source states (the rule before the estimate)."""
    frameworks = shipped_frameworks() if frameworks is None else frameworks
    found: dict[str, dict[str, int]] = {}
    for framework in frameworks.values():
        for deadline in framework.deadlines:
            estimate = getattr(deadline, "estimate", None)
            if estimate is not None and estimate.stated_value is not None:
                found.setdefault(framework.id, {})[deadline.key] = estimate.stated_value
    return found
