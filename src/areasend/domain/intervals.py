"""Deadline intervals in words and in dates, and the moves programme starts and pauses make to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .calendar import WorkingDayCalendar, add_months
from .frameworks import Deadline, Unit
from .pauses import Adjustment, Programme

_UNIT_WORDS: dict[Unit, tuple[str, str]] = {
    "working_days": ("working day", "working days"),
    "calendar_days": ("calendar day", "calendar days"),
    "weeks": ("week", "weeks"),
    "months": ("month", "months"),
    "years": ("year", "years"),
}


def describe_interval(value: int, unit: Unit) -> str:
    """``70, "working_days"`` -> ``"70 working days"``."""
    singular, plural = _UNIT_WORDS[unit]
    return f"{value} {singular if value == 1 else plural}"


def describe_conditions(conditions: Mapping[str, tuple[str, ...]]) -> str:
    """``{"outcome": ("wsoa_required",)}`` -> ``"only if outcome is wsoa_required"`` (empty if none)."""
    if not conditions:
        return ""
    return "only if " + " and ".join(
        f"{name} is {' or '.join(values)}" for name, values in conditions.items()
    )


def describe_deadline(deadline: Deadline) -> str:
    """A deadline's rule in words: ``"70 working days after report_received; only if outcome is ..."``."""
    parts = [f"{describe_interval(deadline.value, deadline.unit)} after {deadline.from_}"]
    if deadline.when:
        parts.append(describe_conditions(deadline.when))
    if deadline.hold_for_pre_election:
        parts.append("held during pre-election periods")
    if deadline.repeat_until:
        parts.append(f"repeats until {deadline.repeat_until}")
    return "; ".join(parts)


def add_interval(calendar: WorkingDayCalendar, start: dt.date, value: int, unit: Unit) -> dt.date:
    """``start`` moved on by ``value`` ``unit``; working days follow :meth:`WorkingDayCalendar.add_working_days`."""
    if unit == "working_days":
        return calendar.add_working_days(start, value)
    if unit == "calendar_days":
        return start + dt.timedelta(days=value)
    if unit == "weeks":
        return start + dt.timedelta(weeks=value)
    if unit == "months":
        return add_months(start, value)
    return add_months(start, 12 * value)


def programme_moves(
    programme: Programme,
    calendar: WorkingDayCalendar,
    framework_id: str,
    key: str,
    start: dt.date,
    value: int,
    unit: Unit,
) -> Adjustment:
    """A deadline's due date after programme starts and pauses (:meth:`Programme.adjust`).

    Working-day deadlines count a pause in working days; every other unit in calendar days.
    """
    due = add_interval(calendar, start, value, unit)
    if unit == "working_days":
        return programme.adjust(
            framework_id,
            key,
            start,
            due,
            recompute=lambda begun: add_interval(calendar, begun, value, unit),
            shift=calendar.add_working_days,
            count=lambda low, high: calendar.working_days_between(low - dt.timedelta(days=1), high),
        )
    return programme.adjust(
        framework_id,
        key,
        start,
        due,
        recompute=lambda begun: add_interval(calendar, begun, value, unit),
        shift=lambda day, n: day + dt.timedelta(days=n),
        count=lambda low, high: (high - low).days + 1,
    )
