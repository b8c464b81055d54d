"""Every deadline of an inspection, worked out from its framework and the events known so far.

``build_timeline(framework, events)`` takes the events that have happened (``{"notified":
date(2019, 9, 23), "outcome": 2, ...}``; decision events such as ``outcome`` take a key or a
number) and returns one :class:`Milestone` per deadline that can be dated, each with the rule
behind it in words ("70 working days after report_received"), its source and confidence.

How a date is found. A deadline runs ``value`` ``unit`` from its ``from``: an event, or another
milestone. A past event gives its real date; a future one is *projected* from the first deadline
(in file order) it completes, or from its ``estimated_by`` milestone or planned date, so one known
date (``notified``) projects the whole chain. A deadline with ``when`` conditions on an unknown
decision is ``conditional``; one whose condition is false is left out. ``hold_for_pre_election``
deadlines leave the area's pre-election periods (:meth:`WorkingDayCalendar.publication_hold`);
programme starts and pauses (:mod:`.pauses`) move the deadlines of the activities they name.
``Milestone.held_by`` names what moved each date.

Statuses: ``met`` / ``late`` (completed on or before / after the due date), ``due`` (from real dates
only), ``projected`` (relies on a projected date), ``conditional`` (relies on an unknown decision),
``overdue`` (``today`` is past the due date and the completing event has not happened).

Bad input is a :class:`TimelineError` with one of the ``MSG_*`` messages (unknown framework, event
or override; an event before the event it runs from). Where the rule is guidance rather than law
(notification on a Monday, the on-site week in term time, dates on working days and on the
framework's timetable: :mod:`.dates`) the timeline is still built and the problem is listed in
``Timeline.warnings``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Literal

from .calendar import WorkingDayCalendar, default_calendar
from .dates import recorded_date_warnings
from .frameworks import (
    NEXT_FULL_INSPECTION,
    OUTCOME_EVENT,
    WEEKDAYS,
    Confidence,
    Deadline,
    Framework,
    Unit,
)
from .intervals import add_interval as add_interval
from .intervals import describe_conditions as describe_conditions
from .intervals import describe_deadline as describe_deadline
from .intervals import describe_interval as describe_interval
from .intervals import programme_moves
from .pauses import Programme, shipped_programme
from .timeline_editions import Known, framework_on

Status = Literal["met", "late", "due", "projected", "conditional", "overdue"]
EventValue = dt.date | int | str

MAX_REPEATS = 20

# -- messages (tests import these and assert them exactly) ----------------------------------------
MSG_UNKNOWN_FRAMEWORK = "unknown framework {framework_id!r}; known frameworks: {known}"
MSG_UNKNOWN_EVENT = "unknown event {name!r} for framework {framework}; known events: {known}"
MSG_NOT_A_DATE = "event {name!r} must be a date (YYYY-MM-DD), got {value!r}"
MSG_NOT_A_CHOICE = "event {name!r} must be one of {choices}, got {value!r}"
MSG_EVENT_BEFORE = "{event} ({event_date}) is before {anchor} ({anchor_date}), which it follows"
MSG_UNKNOWN_OVERRIDE = "cannot override {key!r}: it is not a deadline of framework {framework}"
MSG_NOT_CONFIGURABLE = "cannot override {key!r}: it is a {confidence}-confidence rule and is not configurable"
MSG_BAD_OVERRIDE = "override for {key!r} must be a whole number of at least 0, got {value!r}"

WARN_NOT_NOTIFICATION_DAY = (
    "{event} is {date} ({weekday}); the framework expects notification on a {expected}, "
    "so the dates worked out from it may not match practice"
)
WARN_SCHOOL_HOLIDAY = (
    "the on-site week {start} to {end} overlaps the school holiday '{holiday}' ({holiday_start} to "
    "{holiday_end}); inspections take place in term time"
)
WARN_OUTSIDE_FRAMEWORK = "{event} {date} is outside the period framework {framework} was in force ({period})"
WARN_PROJECTED_BANK_HOLIDAYS = (
    "{key} ({due}) is after the published bank holiday list ends ({until}); "
    "later bank holidays are projected from the usual rules"
)


class TimelineError(ValueError):
    """The events or overrides given cannot produce a timeline; the message says why."""


@dataclasses.dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    due: dt.date
    rule: str
    source: str
    confidence: Confidence
    status: Status
    actual: dt.date | None = None
    configurable: bool = False
    # the names of the programme starts, pauses and pre-election periods that moved the due date
    held_by: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, str | bool | list[str] | None]:
        return {
            "key": self.key,
            "label": self.label,
            "due": self.due.isoformat(),
            "rule": self.rule,
            "source": self.source,
            "confidence": self.confidence,
            "status": self.status,
            "actual": None if self.actual is None else self.actual.isoformat(),
            "configurable": self.configurable,
            "held_by": list(self.held_by),
        }


@dataclasses.dataclass(frozen=True)
class Timeline:
    framework_id: str
    framework_version: int
    milestones: tuple[Milestone, ...]
    warnings: tuple[str, ...] = ()
    # those of the warnings about the calendar the projection uses, not about the dates given
    projection_notes: tuple[str, ...] = ()

    def get(self, key: str) -> Milestone | None:
        return next((m for m in self.milestones if m.key == key), None)

    def __getitem__(self, key: str) -> Milestone:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def as_list(self) -> list[dict[str, str | bool | list[str] | None]]:
        return [m.as_dict() for m in self.milestones]


@dataclasses.dataclass(frozen=True)
class _Anchor:
    date: dt.date
    projected: bool
    conditional: bool
    via: str = ""  # the milestone a projected event date came from


@dataclasses.dataclass(frozen=True)
class _Computed:
    deadline_key: str
    due: dt.date
    projected: bool
    conditional: bool
    rule: str
    held_by: tuple[str, ...] = ()


class _Builder:
    def __init__(
        self,
        framework: Framework,
        events: Mapping[str, EventValue],
        *,
        area_code: str | None,
        overrides: Mapping[str, int],
        calendar: WorkingDayCalendar,
        today: dt.date | None,
        programme: Programme,
    ) -> None:
        self.fw = framework
        self.programme = programme
        self.area_code = area_code
        self.calendar = calendar
        self.today = today
        self.dates: dict[str, dt.date] = {}
        self.decisions: dict[str, str] = {}
        self.overrides = dict(overrides)
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self._cache: dict[str, _Computed | None] = {}
        self._in_progress: set[str] = set()
        self._read_events(events)
        self._check_overrides()

    # -- input checks -------------------------------------------------------------------------------

    def _read_events(self, events: Mapping[str, EventValue]) -> None:
        fw = self.fw
        known = fw.event_names
        for name, value in events.items():
            if name not in known:
                raise TimelineError(
                    MSG_UNKNOWN_EVENT.format(name=name, framework=fw.id, known=", ".join(sorted(known)))
                )
            choices = fw.choices(name)
            if choices is None:
                if isinstance(value, dt.datetime):
                    value = value.date()
                if not isinstance(value, dt.date):
                    raise TimelineError(MSG_NOT_A_DATE.format(name=name, value=value))
                self.dates[name] = value
                continue
            if name == OUTCOME_EVENT and not isinstance(value, dt.date | bool):
                outcome = fw.outcome(value)
                if outcome is not None:
                    self.decisions[name] = outcome.key
                    continue
                numbered = ", ".join(f"{o.key} ({o.number})" for o in fw.outcomes)
                raise TimelineError(MSG_NOT_A_CHOICE.format(name=name, choices=numbered, value=value))
            if not isinstance(value, str) or value not in choices:
                raise TimelineError(
                    MSG_NOT_A_CHOICE.format(name=name, choices=", ".join(choices), value=value)
                )
            self.decisions[name] = value

    def _check_overrides(self) -> None:
        for key, value in self.overrides.items():
            deadline = self.fw.deadline(key)
            if deadline is None:
                raise TimelineError(MSG_UNKNOWN_OVERRIDE.format(key=key, framework=self.fw.id))
            if not deadline.configurable:
                raise TimelineError(MSG_NOT_CONFIGURABLE.format(key=key, confidence=deadline.confidence))
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TimelineError(MSG_BAD_OVERRIDE.format(key=key, value=value))

    def check_order(self) -> None:
        """An event cannot come before the event its deadline runs from (end before start)."""
        for deadline in self.fw.deadlines:
            if deadline.event is None or deadline.event not in self.dates or deadline.from_ not in self.dates:
                continue
            event_date = self.dates[deadline.event]
            anchor_date = self.dates[deadline.from_]
            if event_date < anchor_date:
                raise TimelineError(
                    MSG_EVENT_BEFORE.format(
                        event=deadline.event,
                        event_date=event_date,
                        anchor=deadline.from_,
                        anchor_date=anchor_date,
                    )
                )

    # -- resolution ---------------------------------------------------------------------------------

    def condition_state(self, conditions: Mapping[str, tuple[str, ...]]) -> bool | None:
        """True (all hold), False (one fails) or None (a decision is not known yet)."""
        unknown = False
        for name, allowed in conditions.items():
            value = self.decisions.get(name)
            if value is None:
                unknown = True
            elif value not in allowed:
                return False
        return None if unknown else True

    def anchor(self, name: str) -> _Anchor | None:
        if name in self.dates:
            return _Anchor(self.dates[name], projected=False, conditional=False)
        if name in self.fw.milestone_keys:
            computed = self.milestone(name)
            if computed is None:
                return None
            return _Anchor(computed.due, computed.projected, computed.conditional)
        # an event that has not happened: project it from a deadline it completes
        candidates = [d.key for d in self.fw.deadlines if d.event == name]
        event = self.fw.event(name)
        if event is not None and event.estimated_by is not None:
            candidates.append(event.estimated_by)
        for key in candidates:
            if key in self.dates:  # estimated by a date event (a planned date) that is recorded
                return _Anchor(self.dates[key], projected=True, conditional=False, via=key)
            source = self.fw.deadline(key)
            if source is not None and source.event is not None and source.event in self.dates:
                # the milestone it is estimated from has really happened: its real date is the best guess
                return _Anchor(self.dates[source.event], projected=True, conditional=False, via=source.event)
            computed = self.milestone(key)
            if computed is not None:
                return _Anchor(computed.due, projected=True, conditional=computed.conditional, via=key)
        return None

    def milestone(self, key: str) -> _Computed | None:
        if key in self._cache:
            return self._cache[key]
        if key in self._in_progress:  # defensive: cycles are rejected when the file is loaded
            return None
        self._in_progress.add(key)
        try:
            result = self._next_full_inspection() if key == NEXT_FULL_INSPECTION else self._deadline(key)
        finally:
            self._in_progress.discard(key)
        self._cache[key] = result
        return result

    def value_of(self, deadline: Deadline) -> int:
        return self.overrides.get(deadline.key, deadline.value)

    def _rule_text(self, value: int, unit: Unit, from_: str, anchor: _Anchor) -> str:
        text = f"{describe_interval(value, unit)} after {from_}"
        if anchor.via:
            text += f" (not yet known: projected from {anchor.via})"
        return text

    def _deadline(self, key: str) -> _Computed | None:
        deadline = self.fw.deadline(key)
        if deadline is None:
            return None
        state = self.condition_state(deadline.when)
        if state is False:
            return None
        anchor = self.anchor(deadline.from_)
        if anchor is None:
            return None
        value = self.value_of(deadline)
        moves = programme_moves(
            self.programme, self.calendar, self.fw.id, key, anchor.date, value, deadline.unit
        )
        due, held = moves.due, list(moves.moved_by)
        rule = self._rule_text(value, deadline.unit, deadline.from_, anchor)
        if value != deadline.value:
            rule += f"; set to {value} (the framework says {deadline.value})"
        if deadline.when:
            rule += "; " + describe_conditions(deadline.when)
        rule += "".join(f"; {note}" for note in moves.notes)
        if deadline.hold_for_pre_election:
            hold = self.calendar.publication_hold(due, self.area_code)
            if hold.held:
                names = ", ".join(p.name for p in hold.held_by)
                lag = hold.held_by[-1].release_lag
                rule += (
                    f"; {due.isoformat()} falls in a pre-election period ({names}), so held until "
                    f"{describe_interval(lag, 'working_days')} after polling day"
                )
                due, held = hold.date, held + [p.name for p in hold.held_by]
        return _Computed(key, due, anchor.projected, anchor.conditional or state is None, rule, tuple(held))

    def _next_full_inspection(self) -> _Computed | None:
        decided = self.decisions.get(OUTCOME_EVENT)
        outcome = None if decided is None else self.fw.outcome(decided)
        if outcome is None or outcome.next_full_inspection is None:
            return None
        interval = outcome.next_full_inspection
        anchor = self.anchor(interval.from_)
        if anchor is None:
            return None
        moves = programme_moves(
            self.programme,
            self.calendar,
            self.fw.id,
            NEXT_FULL_INSPECTION,
            anchor.date,
            interval.value,
            interval.unit,
        )
        rule = self._rule_text(interval.value, interval.unit, interval.from_, anchor)
        rule += f" ({interval.qualifier or 'within'}; outcome {outcome.number}: {outcome.label})"
        rule += "".join(f"; {note}" for note in moves.notes)
        return _Computed(
            NEXT_FULL_INSPECTION, moves.due, anchor.projected, anchor.conditional, rule, moves.moved_by
        )

    # -- output -------------------------------------------------------------------------------------

    def status(self, due: dt.date, event: str | None, computed: _Computed) -> tuple[Status, dt.date | None]:
        actual = None if event is None else self.dates.get(event)
        if actual is not None:
            return ("met" if actual <= due else "late"), actual
        if computed.conditional:
            return "conditional", None
        if self.today is not None and due < self.today:
            return "overdue", None
        if computed.projected:
            return "projected", None
        return "due", None

    def build(self) -> Timeline:
        self.check_order()
        milestones: list[Milestone] = []
        for deadline in self.fw.deadlines:
            computed = self.milestone(deadline.key)
            if computed is None:
                continue
            configurable = deadline.configurable
            if deadline.repeat_until is None:
                status, actual = self.status(computed.due, deadline.event, computed)
                milestones.append(
                    Milestone(
                        key=deadline.key,
                        label=deadline.label,
                        due=computed.due,
                        rule=computed.rule,
                        source=deadline.source_text,
                        confidence=deadline.confidence,
                        status=status,
                        actual=actual,
                        configurable=configurable,
                        held_by=computed.held_by,
                    )
                )
                continue
            milestones.extend(self._repeats(deadline, computed))
        full = self.milestone(NEXT_FULL_INSPECTION)
        decided = self.decisions.get(OUTCOME_EVENT)
        outcome = None if decided is None else self.fw.outcome(decided)
        if full is not None and outcome is not None and outcome.next_full_inspection is not None:
            status, _ = self.status(full.due, None, full)
            milestones.append(
                Milestone(
                    key=NEXT_FULL_INSPECTION,
                    label="Next full inspection",
                    due=full.due,
                    rule=full.rule,
                    source=outcome.next_full_inspection.source_text,
                    confidence=outcome.next_full_inspection.confidence,
                    status=status,
                    held_by=full.held_by,
                )
            )
        milestones.sort(key=lambda m: m.due)
        self._warn(milestones)
        return Timeline(
            self.fw.id, self.fw.version, tuple(milestones), tuple(self.warnings), tuple(self.notes)
        )

    def _repeats(self, deadline: Deadline, first: _Computed) -> list[Milestone]:
        """``repeat_until`` deadlines recur every ``value`` ``unit`` until that milestone's date."""
        anchor = self.anchor(deadline.from_)
        assert anchor is not None  # first was computed from it
        until = None if deadline.repeat_until is None else self.milestone(deadline.repeat_until)
        value = self.value_of(deadline)
        out: list[Milestone] = []
        for index in range(1, MAX_REPEATS + 1):
            due = add_interval(self.calendar, anchor.date, value * index, deadline.unit)
            if until is None and index > 1:  # without an end date only the next occurrence is known
                break
            if until is not None and due >= until.due:
                break
            rule = self._rule_text(value * index, deadline.unit, deadline.from_, anchor)
            if until is not None:
                rule += f"; every {describe_interval(value, deadline.unit)} until {deadline.repeat_until}"
            computed = dataclasses.replace(
                first, due=due, conditional=first.conditional or (until is not None and until.conditional)
            )
            status, _ = self.status(due, None, computed)
            out.append(
                Milestone(
                    key=f"{deadline.key}_{index}",
                    label=f"{deadline.label} ({index})",
                    due=due,
                    rule=rule,
                    source=deadline.source_text,
                    confidence=deadline.confidence,
                    status=status,
                    configurable=deadline.configurable,
                )
            )
        return out

    def _warn(self, milestones: list[Milestone]) -> None:
        fw = self.fw
        table = fw.timetable
        name = table.notification_event
        notified = self.dates.get(name)
        planned = getattr(fw.event(name), "estimated_by", None)
        if notified is None and planned in self.dates:  # not yet notified: the date planned for it
            name, notified = planned, self.dates[planned]
        if notified is not None:
            expected = table.notification_weekday
            if WEEKDAYS[notified.weekday()] != expected:
                self.warnings.append(
                    WARN_NOT_NOTIFICATION_DAY.format(
                        event=name,
                        date=notified.isoformat(),
                        weekday=notified.strftime("%A"),
                        expected=expected.capitalize(),
                    )
                )
            if not fw.in_force_on(notified):
                period = f"{fw.in_force_from} to {fw.in_force_to or 'now'}"
                self.warnings.append(
                    WARN_OUTSIDE_FRAMEWORK.format(
                        event=name,
                        date=notified.isoformat(),
                        framework=fw.id,
                        period=period,
                    )
                )
        if table.term_time.required:
            start = self.anchor(table.on_site_start_event)
            end = self.anchor(table.on_site_end_event)
            if start is not None and end is not None and end.date >= start.date:
                for holiday in self.calendar.school_holidays_overlapping(
                    start.date, end.date, self.area_code
                ):
                    self.warnings.append(
                        WARN_SCHOOL_HOLIDAY.format(
                            start=start.date.isoformat(),
                            end=end.date.isoformat(),
                            holiday=holiday.name
                            + (f" {holiday.academic_year}" if holiday.academic_year else ""),
                            holiday_start=holiday.start.isoformat(),
                            holiday_end=holiday.end.isoformat(),
                        )
                    )
        self.warnings += recorded_date_warnings(fw, self.dates, milestones, self.calendar, self.area_code)
        until = self.calendar.published_until
        if until is not None:
            by_key = {d.key: d for d in fw.deadlines}
            for milestone in milestones:
                deadline = by_key.get(milestone.key)
                if deadline is not None and deadline.unit == "working_days" and milestone.due > until:
                    self.notes.append(
                        WARN_PROJECTED_BANK_HOLIDAYS.format(key=milestone.key, due=milestone.due, until=until)
                    )
        self.warnings += self.notes


def build_timeline(
    framework: Framework,
    events: Mapping[str, EventValue],
    *,
    area_code: str | None = None,
    overrides: Mapping[str, int] | None = None,
    calendar: WorkingDayCalendar | None = None,
    today: dt.date | None = None,
    programme: Programme | None = None,
) -> Timeline:
    """Every milestone that the events known so far let us date, with the rule behind each.

    ``area_code`` (ONS code) selects the area's school holidays and local pre-election periods;
    ``overrides`` replaces the value of configurable deadlines (``{"publication": 38}``); ``today``
    turns past, unmet deadlines into ``overdue``; ``programme`` gives the programme starts and pauses
    (default: the shipped ones, :mod:`.pauses`).
    """
    builder = _Builder(
        framework,
        events,
        area_code=area_code,
        overrides=overrides or {},
        calendar=calendar or default_calendar(),
        today=today,
        programme=programme or shipped_programme(),
    )
    return builder.build()


def timeline_for(
    framework_id: str,
    events: Mapping[str, EventValue],
    *,
    frameworks: Mapping[str, Known] | None = None,
    area_code: str | None = None,
    overrides: Mapping[str, int] | None = None,
    calendar: WorkingDayCalendar | None = None,
    today: dt.date | None = None,
    programme: Programme | None = None,
) -> Timeline:
    """:func:`build_timeline` for a framework named by id (shipped files unless ``frameworks`` given):
    of its editions, the one in force on the notification (or planned notification) date (ADR 26)."""
    return build_timeline(
        framework_on(framework_id, events, frameworks),
        events,
        area_code=area_code,
        overrides=overrides,
        calendar=calendar,
        today=today,
        programme=programme,
    )
