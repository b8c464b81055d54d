"""Recorded dates checked against the dates they depend on and against today, and what the timeline
warns about the recorded dates themselves (pure Python).

The order comes from the framework (:mod:`.frameworks.date_order`): an event's ``not_before`` events
and the event each deadline it completes runs from, followed through. :func:`date_conflict` finds
the first pair a change puts out of order; :func:`in_future` says whether a date is after today for
an event that records something that has happened (``not_in_future``).

:func:`recorded_date_warnings` is guidance, not law, listed in ``Timeline.warnings``: a date that is
not a working day, a report published in a pre-election period that applies to the area, and dates
off the framework's timetable (a notice period of a different length, an on-site week that runs
longer).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from .calendar import WorkingDayCalendar
from .frameworks import WEEKDAYS, Framework
from .frameworks.date_order import earlier_events, later_events

WARN_NOT_WORKING_DAY = "{event} is {date} ({day}), which is not a working day"
WARN_IN_PRE_ELECTION = (
    "{event} is {date}, in a pre-election period ({periods}): reports about the area are held until "
    "after polling day"
)
WARN_OFF_TIMETABLE = "{event} is {date}, but the framework's timetable puts it on {due} ({rule})"
WARN_AFTER_TIMETABLE = "{event} is {date}, after {due}, the last day the framework's timetable gives ({rule})"


@dataclasses.dataclass(frozen=True)
class DateConflict:
    """``event`` (dated ``on``) is before ``other`` (dated ``other_on``), which it may not come
    before (``before``), or after ``other``, which may not come before it (not ``before``)."""

    event: str
    on: dt.date
    other: str
    other_on: dt.date
    before: bool


def date_conflict(
    fw: Framework,
    dates: Mapping[str, dt.date],
    changed: Iterable[str],
    *,
    dependents: bool = True,
) -> DateConflict | None:
    """The first pair of dates out of order that involves a changed event, nearest first; ``dates``
    holds every date as it would be stored. With ``dependents=False`` only the events a changed one
    may not come before are compared (for a date checked against the rules of an event it is not
    recorded as)."""
    for name in changed:
        on = dates.get(name)
        if on is None:
            continue
        for other in earlier_events(fw, name):
            other_on = dates.get(other)
            if other_on is not None and on < other_on:
                return DateConflict(name, on, other, other_on, before=True)
        if not dependents:
            continue
        for other in later_events(fw, name):
            other_on = dates.get(other)
            if other_on is not None and other_on < on:
                return DateConflict(name, on, other, other_on, before=False)
    return None


def in_future(fw: Framework, name: str, on: dt.date, today: dt.date) -> bool:
    """Whether ``on`` is after ``today`` for an event that records something that has happened."""
    event = fw.event(name)
    return event is not None and event.not_in_future and on > today


class _Milestone(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def actual(self) -> dt.date | None: ...
    @property
    def rule(self) -> str: ...


def recorded_date_warnings(
    fw: Framework,
    dates: Mapping[str, dt.date],
    milestones: Sequence[_Milestone],
    calendar: WorkingDayCalendar,
    area_code: str | None,
) -> list[str]:
    """What the timeline warns about the dates recorded (see the module's docstring)."""
    warnings: list[str] = []
    table = fw.timetable
    for name, day in dates.items():
        if calendar.is_working_day(day):
            continue
        weekday = day.strftime("%A")
        if name == table.notification_event and WEEKDAYS[day.weekday()] != table.notification_weekday:
            continue  # the notification day warning says it already
        what = weekday if day.weekday() >= 5 else f"{weekday}, a bank holiday"
        warnings.append(WARN_NOT_WORKING_DAY.format(event=name, date=day.isoformat(), day=what))
    by_key = {m.key: m for m in milestones}
    for deadline in fw.deadlines:
        event = deadline.event
        if event is None or event not in dates:
            continue
        day = dates[event]
        if deadline.hold_for_pre_election:
            hold = calendar.publication_hold(day, area_code)
            if hold.held:
                periods = ", ".join(p.name for p in hold.held_by)
                warnings.append(
                    WARN_IN_PRE_ELECTION.format(event=event, date=day.isoformat(), periods=periods)
                )
        milestone = by_key.get(deadline.key)
        if milestone is None or deadline.configurable or milestone.actual is None:
            continue
        if deadline.from_ == table.notification_event and day != milestone.due:
            warnings.append(
                WARN_OFF_TIMETABLE.format(
                    event=event, date=day.isoformat(), due=milestone.due.isoformat(), rule=milestone.rule
                )
            )
        elif (
            deadline.from_ == table.on_site_start_event
            and event == table.on_site_end_event
            and day > milestone.due
        ):
            warnings.append(
                WARN_AFTER_TIMETABLE.format(
                    event=event, date=day.isoformat(), due=milestone.due.isoformat(), rule=milestone.rule
                )
            )
    return warnings
