"""When a follow-up visit is due after a published inspection, by its framework's own rule.

The national history records when a required follow-up visit (a monitoring inspection after outcome
3, say) is due. It is worked out as an inspection's timeline works it out: the visit's deadline that
dates its first day from the inspection (not from the visit's own notification), built from the
framework version in force on the inspection's first day (the history records no notification date;
ADR 26), with the inspection's dates as the events. So the history and an inspection's timeline
give the same date, and a handbook revision that changes the rule changes both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from areasend.domain.frameworks.editions import edition_or_current
from areasend.domain.timeline import TimelineError, build_timeline

if TYPE_CHECKING:
    from areasend.domain.frameworks import Framework, Visit


def due_deadline(framework: Framework, visit: Visit) -> str | None:
    """The key of the deadline that says when ``visit`` is due after the inspection."""
    own = set() if visit.events is None else {v for v in visit.events.model_dump().values() if v}
    start = None if visit.events is None else visit.events.start
    for key in visit.deadlines:
        deadline = framework.deadline(key)
        if deadline is not None and deadline.event == start and deadline.from_ not in own:
            return key
    return None


def inspection_events(
    framework: Framework,
    *,
    started: dt.date | None,
    ended: dt.date | None,
    published: dt.date | None,
    outcome: str,
) -> dict[str, dt.date | str]:
    """A published inspection's dates as the framework's events."""
    timetable = framework.timetable
    publication = framework.lifecycle.publication
    events: dict[str, dt.date | str] = {"outcome": outcome}
    for name, value in (
        (timetable.on_site_start_event, started),
        (timetable.on_site_end_event, ended),
        (publication.event if publication is not None else None, published),
    ):
        if name and value is not None:
            events[name] = value
    return events


def visit_due(
    editions: Sequence[Framework],
    visit_key: str,
    *,
    area_code: str | None,
    started: dt.date | None,
    ended: dt.date | None,
    published: dt.date | None,
    outcome: str,
) -> dt.date | None:
    """The date ``visit_key`` is due by after this inspection, or None when its framework does not
    require the visit after this outcome, or gives no rule for when."""
    framework = edition_or_current(editions, started)
    if framework is None:
        return None
    visit = framework.visit(visit_key)
    if visit is None or any(outcome not in allowed for allowed in visit.required_when.values()):
        return None
    key = due_deadline(framework, visit)
    if key is None:
        return None
    events = inspection_events(framework, started=started, ended=ended, published=published, outcome=outcome)
    try:
        timeline = build_timeline(framework, events, area_code=area_code)
    except TimelineError:  # dates out of order in the source: no due date rather than a wrong one
        return None
    found = timeline.get(key)
    return None if found is None else found.due
