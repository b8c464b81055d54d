"""Recorded dates: checked against the dates they depend on and against today, and the timeline's
warnings for a date before it is saved.

The rules are the framework's (each date event's ``not_before`` and ``not_in_future``, and the order
its deadlines run in: :mod:`areasend.domain.dates`). `check_event_dates` refuses a date that breaks
one with a `DateRuleError` (an `InspectionError`, so pages and the API show it as any refusal) whose
message names both dates in words. `date_warnings` is the dry run the pages use before saving: the
same checks and the same timeline as the service, returning the warnings the new dates add.

`today` is `django.utils.timezone.localdate()`; tests may replace `dates.today`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from areasend.domain.dates import date_conflict, in_future
from areasend.domain.frameworks import Framework
from areasend.domain.timeline import Timeline, TimelineError, build_timeline

from .errors import InspectionError
from .framework_choice import framework_for_events
from .frameworks import framework_of
from .models import Inspection
from .timelines import inspection_events

# Messages: tests import these and assert them exactly.
EVENT_BEFORE = "{event} ({date}) cannot be before {other} ({other_date})."
EVENT_AFTER = "{event} ({date}) cannot be after {other} ({other_date})."
EVENT_IN_FUTURE = "{event} ({date}) cannot be in the future: today is {today}."


class DateRuleError(InspectionError):
    """A date the framework's date rules refuse; `event` names the event whose date was given."""

    def __init__(self, message: str, *, event: str) -> None:
        super().__init__(message)
        self.event = event


def today() -> dt.date:
    return timezone.localdate()


def long_date(day: dt.date) -> str:
    """2 March 2025."""
    return f"{day.day} {day:%B %Y}"


def event_label(framework: Framework, name: str, *, first: bool = True) -> str:
    """The event's label, with a capital letter to start a sentence or in lower case inside one
    (an acronym such as WSOA keeps its capitals)."""
    found = framework.event(name)
    label = found.label if found else name.replace("_", " ")
    if first:
        return label[0].upper() + label[1:]
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def only_dates(events: Mapping[str, object]) -> dict[str, dt.date]:
    return {name: value for name, value in events.items() if isinstance(value, dt.date)}


def check_event_dates(
    framework: Framework,
    events: Mapping[str, object],
    changes: Mapping[str, dt.date],
    *,
    dependents: bool = True,
) -> None:
    """Refuse `changes` (event -> date) that the framework's date rules do not allow, given the
    inspection's recorded `events`: a date after today for an event that records what has happened,
    or a date out of order with another recorded one. `dependents=False` compares a date only with
    the events it may not come before (a date checked against an event's rules but not recorded)."""
    now = today()
    for name, on in changes.items():
        if in_future(framework, name, on, now):
            raise DateRuleError(
                EVENT_IN_FUTURE.format(
                    event=event_label(framework, name), date=long_date(on), today=long_date(now)
                ),
                event=name,
            )
    conflict = date_conflict(
        framework, {**only_dates(events), **changes}, list(changes), dependents=dependents
    )
    if conflict is not None:
        message = EVENT_BEFORE if conflict.before else EVENT_AFTER
        raise DateRuleError(
            message.format(
                event=event_label(framework, conflict.event),
                date=long_date(conflict.on),
                other=event_label(framework, conflict.other, first=False),
                other_date=long_date(conflict.other_on),
            ),
            event=conflict.event,
        )


def checked_timeline(inspection: Inspection, events: Mapping[str, dt.date | str]) -> Timeline:
    """The timeline of `events` for the inspection, under the framework version they give it (the one
    in force on their notification date: ADR 26); a refusal when the events cannot make one."""
    try:
        return build_timeline(
            framework_for_events(inspection, events), events, area_code=inspection.area.ons_code
        )
    except TimelineError as exc:
        raise InspectionError(str(exc)) from exc


def date_warnings(inspection: Inspection, changes: Mapping[str, dt.date]) -> list[str]:
    """A dry run of recording `changes` (event -> date): refuses as the service would, and otherwise
    returns the timeline's warnings that these dates bring (not those the recorded events already
    give, nor notes about the bank holidays a projection assumes). Nothing is saved."""
    if not changes:
        return []
    framework = framework_of(inspection)
    events = inspection_events(inspection)
    check_event_dates(framework, events, changes)
    after = checked_timeline(inspection, {**events, **changes})
    try:
        before = set(checked_timeline(inspection, events).warnings)
    except InspectionError:  # what is stored makes no timeline: every warning is new
        before = set()
    notes = set(after.projection_notes)
    return [w for w in after.warnings if w not in before and w not in notes]
