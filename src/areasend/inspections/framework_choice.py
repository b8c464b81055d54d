"""Which version of its framework an inspection runs under: the one in force on its notification date.

A framework can have several editions, each in force for its own dates (ADR 26). An inspection is
created on the version in force on its planned date (today when it has none), and follows its dates:
when the partnership's notification is recorded, or corrected, the inspection takes the version in
force on that day; until then, the one in force on the planned notification date (a date on which
no edition is in force leaves the version as it is: the timeline warns about it). A version is
changed only for another version of the same framework that has every state and event the inspection
has recorded, and the change is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from areasend.core import audit
from areasend.domain.frameworks import Framework
from areasend.domain.timeline_editions import notification_day
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.selectors import version_in_force

from .frameworks import framework_of_version
from .models import Inspection


def version_for(framework_id: str, day: dt.date | None) -> FrameworkVersion | None:
    """The loaded version a new inspection planned for ``day`` (or today) takes."""
    from .dates import today

    return version_in_force(framework_id=framework_id, day=day or today())


def framework_for_events(inspection: Inspection, events: Mapping[str, dt.date | str]) -> Framework:
    """The framework the inspection runs under once ``events`` are recorded: the version in force on
    their notification date when there is one (what recording them would move it to), else its own."""
    current = framework_of_version(inspection.framework)
    day = notification_day(current, events)
    found = (
        version_in_force(framework_id=inspection.framework.framework_id, day=day, or_latest=False)
        if day is not None
        else None
    )
    if found is None or found.pk == inspection.framework_id:
        return current
    chosen = framework_of_version(FrameworkVersion.objects.get(pk=found.pk))
    return chosen if _fits(chosen, inspection, dict(events)) else current


def _fits(framework: Framework, inspection: Inspection, events: dict[str, dt.date | str]) -> bool:
    states = {s.key for s in framework.lifecycle.states}
    known = set(framework.event_names) | {"outcome"}
    return inspection.state in states and all(name in known for name in events)


def follow_dates(inspection: Inspection, events: dict[str, dt.date | str], actor: Any) -> None:
    """Move the inspection (locked by the caller) to the version in force on its deciding day."""
    current = framework_of_version(inspection.framework)
    day = notification_day(current, events)
    if day is None:
        return
    found = version_in_force(framework_id=inspection.framework.framework_id, day=day, or_latest=False)
    if found is None or found.pk == inspection.framework_id:
        return
    record = FrameworkVersion.objects.get(pk=found.pk)
    if not _fits(framework_of_version(record), inspection, events):
        return
    before = current.label
    inspection.framework = record
    inspection.save(update_fields=["framework"])
    audit.record(
        actor=actor,
        action="inspection.framework",
        obj=inspection,
        changes={"framework": [before, framework_of_version(record).label], "in_force_on": day.isoformat()},
    )
