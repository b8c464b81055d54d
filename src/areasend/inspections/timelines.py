"""An inspection's events and its timeline, always computed from the framework and what is recorded."""

from __future__ import annotations

import datetime as dt

from areasend.domain.timeline import Timeline, build_timeline

from .frameworks import framework_of
from .models import Inspection


def inspection_events(inspection: Inspection) -> dict[str, dt.date | str]:
    events: dict[str, dt.date | str] = {}
    for event in inspection.events.all():
        events[event.name] = event.on if event.on is not None else event.choice
    if inspection.outcome:
        events["outcome"] = inspection.outcome
    return events


def condition_met(conditions: dict[str, tuple[str, ...]], events: dict[str, dt.date | str]) -> bool:
    """Whether recorded events meet a framework condition (`required_when`, a finding kind's `when`)."""
    return all(str(events.get(name, "")) in values for name, values in conditions.items())


def inspection_timeline(inspection: Inspection, *, today: dt.date | None = None) -> Timeline:
    return build_timeline(
        framework_of(inspection),
        inspection_events(inspection),
        area_code=inspection.area.ons_code,
        today=today,
    )
