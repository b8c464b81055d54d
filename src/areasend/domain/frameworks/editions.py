"""Editions of a framework: the successive versions of one handbook, each in force for its own dates.

A framework (one ``id``) can have several editions: the handbook as first published, then as
revised on a date. Each edition is one file with its own ``in_force_from`` and ``in_force_to``; a
file revision that does not change the handbook keeps its edition's ``in_force_from`` and takes a
higher ``version``. So an edition is identified by its ``in_force_from``, and within an edition the
highest version is the one that applies (ADR 26).

The editions of a framework must follow one another: each ends (``in_force_to``) the day before the
next begins. Two editions in force on the same day, or days between two editions with none in force,
are problems reported with :data:`MSG_EDITIONS_OVERLAP` / :data:`MSG_EDITIONS_GAP`; only the latest
edition may be open-ended.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

MSG_EDITIONS_OVERLAP = (
    "{framework_id} version {version} is in force from {from_}, but version {other} (in force from "
    "{other_from}) is still in force {until}: the in-force dates overlap. End version {other}'s "
    "edition the day before (in_force_to: {day_before}) in a new version of that edition, or correct "
    "the dates"
)
MSG_EDITIONS_GAP = (
    "{framework_id} has no version in force from {start} to {end}: version {version} ends on {to} and "
    "version {other} begins on {from_}. Each edition must begin the day after the one before ends"
)
OPEN_ENDED = "with no end date"


class Dated(Protocol):
    """A framework, or a stored version of one: what the editions are worked out from."""

    @property
    def version(self) -> int: ...

    @property
    def in_force_from(self) -> dt.date: ...

    @property
    def in_force_to(self) -> dt.date | None: ...


D = TypeVar("D", bound=Dated)


def editions(versions: Iterable[D]) -> list[D]:
    """The editions of one framework in the order they came into force: the highest version of each
    ``in_force_from`` (later versions of an edition replace the earlier ones)."""
    latest: dict[dt.date, D] = {}
    for item in versions:
        current = latest.get(item.in_force_from)
        if current is None or item.version > current.version:
            latest[item.in_force_from] = item
    return [latest[day] for day in sorted(latest)]


def in_force_on(item: Dated, day: dt.date) -> bool:
    return item.in_force_from <= day and (item.in_force_to is None or day <= item.in_force_to)


def edition_on(versions: Iterable[D], day: dt.date) -> D | None:
    """The version that applies on ``day``: the latest version of the edition in force then."""
    for item in editions(versions):
        if in_force_on(item, day):
            return item
    return None


def current_edition(versions: Iterable[D]) -> D | None:
    """The latest edition (the one that came into force last)."""
    found = editions(versions)
    return found[-1] if found else None


def edition_or_current(versions: Iterable[D], day: dt.date | None) -> D | None:
    """The version in force on ``day``; without a day, or when none is in force then, the latest."""
    listed = list(versions)
    return (edition_on(listed, day) if day is not None else None) or current_edition(listed)


def previous_edition(versions: Iterable[D], item: Dated) -> D | None:
    """The version in force before ``item``: the latest version of the edition before it, or, for
    the first edition, the version of the same edition it replaced (a file revision)."""
    listed = list(versions)
    chain = editions(listed)
    before = [e for e in chain if e.in_force_from < item.in_force_from]
    if before:
        return before[-1]
    same = [v for v in listed if v.in_force_from == item.in_force_from and v.version < item.version]
    return max(same, key=lambda v: v.version) if same else None


def edition_problems(framework_id: str, versions: Iterable[Dated]) -> list[str]:
    """Every overlap or gap between the editions of one framework, in words."""
    chain = editions(versions)
    found: list[str] = []
    for earlier, later in itertools.pairwise(chain):
        day_before = later.in_force_from - dt.timedelta(days=1)
        if earlier.in_force_to is None or earlier.in_force_to > day_before:
            until = OPEN_ENDED if earlier.in_force_to is None else f"until {earlier.in_force_to}"
            found.append(
                MSG_EDITIONS_OVERLAP.format(
                    framework_id=framework_id,
                    version=later.version,
                    from_=later.in_force_from,
                    other=earlier.version,
                    other_from=earlier.in_force_from,
                    until=until,
                    day_before=day_before,
                )
            )
        elif earlier.in_force_to < day_before:
            found.append(
                MSG_EDITIONS_GAP.format(
                    framework_id=framework_id,
                    start=earlier.in_force_to + dt.timedelta(days=1),
                    end=day_before,
                    version=earlier.version,
                    to=earlier.in_force_to,
                    other=later.version,
                    from_=later.in_force_from,
                )
            )
    return found


def span(versions: Iterable[Dated]) -> tuple[dt.date, dt.date | None] | None:
    """When a framework was in force across all its editions: the first day, and the last (or None)."""
    chain = editions(versions)
    return (chain[0].in_force_from, chain[-1].in_force_to) if chain else None


def by_framework(items: Iterable[D], key: str = "id") -> Mapping[str, list[D]]:
    """Items grouped by their framework id (``id`` on a framework, ``framework_id`` on a stored row)."""
    found: dict[str, list[D]] = {}
    for item in items:
        found.setdefault(getattr(item, key), []).append(item)
    return found
