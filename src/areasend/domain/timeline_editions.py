"""Which framework a timeline is built from: a framework by id, and of its editions the one in force
on the inspection's notification date (or, before that, its planned notification date; ADR 26).

``frameworks`` maps an id to one framework, or to its editions (``available_editions()``, or the
shipped files' by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias, Union

from .frameworks import Framework, FrameworkFileError, shipped_editions
from .frameworks.editions import edition_or_current

if TYPE_CHECKING:
    from .timeline import EventValue

Known: TypeAlias = Union[Framework, Sequence[Framework]]  # noqa: UP007 (evaluated at run time)


def _editions(found: Known) -> list[Framework]:
    return [found] if isinstance(found, Framework) else list(found)


def _known(frameworks: Mapping[str, Known] | None) -> Mapping[str, Known]:
    from .timeline import TimelineError

    if frameworks is not None:
        return frameworks
    try:
        return shipped_editions()
    except FrameworkFileError as exc:  # a broken shipped file is a bug, reported without a traceback
        raise TimelineError(str(exc)) from None


def _found(framework_id: str, frameworks: Mapping[str, Known] | None) -> list[Framework]:
    from .timeline import MSG_UNKNOWN_FRAMEWORK, TimelineError

    known = _known(frameworks)
    found = known.get(framework_id)
    if found is None:
        raise TimelineError(
            MSG_UNKNOWN_FRAMEWORK.format(framework_id=framework_id, known=", ".join(sorted(known)) or "none")
        )
    return _editions(found)


def framework_by_id(framework_id: str, frameworks: Mapping[str, Known] | None = None) -> Framework:
    """A framework by id (its latest edition); TimelineError if unknown."""
    chosen = edition_or_current(_found(framework_id, frameworks), None)
    assert chosen is not None  # an id is known only with at least one version
    return chosen


def notification_day(framework: Framework, events: Mapping[str, EventValue]) -> dt.date | None:
    """The date that decides the edition: the notification, or before it the planned notification."""
    names = [framework.timetable.notification_event]
    if framework.lifecycle.postponement is not None:
        names.append(framework.lifecycle.postponement.event)
    for name in names:
        value = events.get(name)
        if isinstance(value, dt.date):
            return value
    return None


def framework_on(
    framework_id: str, events: Mapping[str, EventValue], frameworks: Mapping[str, Known] | None = None
) -> Framework:
    """The edition of a framework in force on the events' notification date (the latest without one,
    or when none was in force then: the timeline then warns that the date is outside the framework)."""
    versions = _found(framework_id, frameworks)
    latest = edition_or_current(versions, None)
    assert latest is not None
    chosen = edition_or_current(versions, notification_day(latest, events))
    return chosen or latest
