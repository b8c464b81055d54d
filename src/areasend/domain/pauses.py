"""Programme pauses and programme starts, and how they move a deadline (ADR 0025).

The data ships in ``data/programme_pauses.yaml`` (its top says what each part means). A pause stops
the clock of the deadlines of the activities it pauses: :meth:`Programme.adjust` moves a due date that
the pause reaches on by the pause's days from the later of its start and the deadline's start to its
end (working days for working-day deadlines, else calendar days). A deadline that would run from a
date before its programme started runs from the programme's start.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
PAUSES_FILE = DATA_DIR / "programme_pauses.yaml"

MSG_BAD_FILE = "{path}: {problem}"
MSG_MISSING = "{where} needs {key!r}"
MSG_NOT_A_DATE = "{where}: {key} {value!r} is not a YYYY-MM-DD date"
MSG_ENDS_BEFORE = "{where}: ends ({end}) before it starts ({start})"
MSG_UNKNOWN_ACTIVITY = "{where}: unknown activity {value!r}; known activities: {known}"
MSG_BAD_CONFIDENCE = "{where}: confidence must be high, medium or low, got {value!r}"

# A function that moves a date on by a number of units (the deadline's own), and counts the units in
# a closed run of days: the timeline passes working-day or calendar-day counting.
Shift = Callable[[dt.date, int], dt.date]
Count = Callable[[dt.date, dt.date], int]


class PauseDataError(ValueError):
    """The pauses file cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Pause:
    name: str
    start: dt.date
    end: dt.date
    activities: frozenset[str]
    source: str
    confidence: str


@dataclass(frozen=True)
class ProgrammeStart:
    name: str
    activity: str
    start: dt.date
    source: str
    confidence: str


@dataclass(frozen=True)
class Adjustment:
    """A deadline after its programme start and pauses: the new start and due date, and why."""

    start: dt.date
    due: dt.date
    notes: tuple[str, ...] = ()
    moved_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Programme:
    activities: Mapping[str, Mapping[str, frozenset[str]]]  # activity -> framework id -> deadline keys
    pauses: tuple[Pause, ...] = ()
    starts: tuple[ProgrammeStart, ...] = ()

    def activities_of(self, framework_id: str, key: str) -> frozenset[str]:
        return frozenset(a for a, by_fw in self.activities.items() if key in by_fw.get(framework_id, ()))

    def deadline_keys(self) -> dict[str, set[str]]:
        """Framework id -> every deadline key the file names (a check that they exist uses it)."""
        out: dict[str, set[str]] = {}
        for by_fw in self.activities.values():
            for framework_id, keys in by_fw.items():
                out.setdefault(framework_id, set()).update(keys)
        return out

    def start_for(self, framework_id: str, key: str, start: dt.date) -> tuple[dt.date, ProgrammeStart | None]:
        """``start``, or the programme's start when the deadline's activity had not started by then."""
        activities = self.activities_of(framework_id, key)
        for programme in self.starts:
            if programme.activity in activities and start < programme.start:
                return programme.start, programme
        return start, None

    def adjust(
        self,
        framework_id: str,
        key: str,
        start: dt.date,
        due: dt.date,
        *,
        recompute: Callable[[dt.date], dt.date],
        shift: Shift,
        count: Count,
    ) -> Adjustment:
        """The deadline ``key`` running from ``start`` to ``due`` after programme starts and pauses.

        ``recompute`` gives the due date from another start (the programme's), ``shift`` moves a date
        on by units and ``count`` counts the units in a closed run of days.
        """
        notes: list[str] = []
        moved: list[str] = []
        begun, programme = self.start_for(framework_id, key, start)
        if programme is not None:
            due = recompute(begun)
            notes.append(
                f"{start.isoformat()} is before the {programme.name.lower()} ({programme.start.isoformat()}), "
                f"so measured from {programme.start.isoformat()}"
            )
            moved.append(programme.name)
        activities = self.activities_of(framework_id, key)
        for pause in self.pauses:
            if not activities & pause.activities:
                continue
            if begun > pause.end or due < pause.start:
                continue
            # the clock stops for every unit of the pause from the later of its start and the
            # deadline's start: a due date that then lands inside the pause is carried past its end
            original = due
            taken = count(max(begun, pause.start), pause.end)
            due = shift(original, taken)
            if taken:
                notes.append(
                    f"moved from {original.isoformat()} to {due.isoformat()} by {pause.name} "
                    f"({pause.start.isoformat()} to {pause.end.isoformat()})"
                )
                moved.append(pause.name)
        return Adjustment(begun, due, tuple(notes), tuple(moved))


# --------------------------------------------------------------------------------------------------
# Reading the file


def _date(value: object, where: str, key: str, path: Path) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PauseDataError(
        MSG_BAD_FILE.format(path=path, problem=MSG_NOT_A_DATE.format(where=where, key=key, value=value))
    )


def _text(item: Mapping[str, Any], key: str, where: str, path: Path) -> str:
    value = item.get(key)
    if value is None or not str(value).strip():
        raise PauseDataError(MSG_BAD_FILE.format(path=path, problem=MSG_MISSING.format(where=where, key=key)))
    return str(value)


def _confidence(item: Mapping[str, Any], where: str, path: Path) -> str:
    value = item.get("confidence")
    if value not in ("high", "medium", "low"):
        raise PauseDataError(
            MSG_BAD_FILE.format(path=path, problem=MSG_BAD_CONFIDENCE.format(where=where, value=value))
        )
    return str(value)


def _activity(value: object, where: str, known: Mapping[str, Any], path: Path) -> str:
    if value not in known:
        raise PauseDataError(
            MSG_BAD_FILE.format(
                path=path,
                problem=MSG_UNKNOWN_ACTIVITY.format(where=where, value=value, known=", ".join(sorted(known))),
            )
        )
    return str(value)


def load_programme(path: Path = PAUSES_FILE) -> Programme:
    """Pauses and programme starts from a file shaped like ``data/programme_pauses.yaml``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PauseDataError(MSG_BAD_FILE.format(path=path, problem=exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("activities"), dict):
        raise PauseDataError(MSG_BAD_FILE.format(path=path, problem="expected a mapping with 'activities'"))
    activities: dict[str, dict[str, frozenset[str]]] = {}
    for name, item in data["activities"].items():
        deadlines = item.get("deadlines") if isinstance(item, dict) else None
        if not isinstance(deadlines, dict):
            raise PauseDataError(
                MSG_BAD_FILE.format(
                    path=path, problem=MSG_MISSING.format(where=f"activity {name!r}", key="deadlines")
                )
            )
        activities[str(name)] = {
            str(fw): frozenset(str(k) for k in keys or ()) for fw, keys in deadlines.items()
        }
    pauses: list[Pause] = []
    for index, item in enumerate(data.get("pauses") or [], 1):
        where = f"pauses item {index}"
        if not isinstance(item, dict):
            raise PauseDataError(
                MSG_BAD_FILE.format(path=path, problem=MSG_MISSING.format(where=where, key="name"))
            )
        name = _text(item, "name", where, path)
        where = f"pause {name!r}"
        start = _date(item.get("start"), where, "start", path)
        end = _date(item.get("end"), where, "end", path)
        if end < start:
            raise PauseDataError(
                MSG_BAD_FILE.format(
                    path=path, problem=MSG_ENDS_BEFORE.format(where=where, start=start, end=end)
                )
            )
        paused = item.get("pauses")
        if not isinstance(paused, list) or not paused:
            raise PauseDataError(
                MSG_BAD_FILE.format(path=path, problem=MSG_MISSING.format(where=where, key="pauses"))
            )
        pauses.append(
            Pause(
                name=name,
                start=start,
                end=end,
                activities=frozenset(_activity(a, where, activities, path) for a in paused),
                source=_text(item, "source", where, path),
                confidence=_confidence(item, where, path),
            )
        )
    starts: list[ProgrammeStart] = []
    for index, item in enumerate(data.get("programme_starts") or [], 1):
        where = f"programme_starts item {index}"
        if not isinstance(item, dict):
            raise PauseDataError(
                MSG_BAD_FILE.format(path=path, problem=MSG_MISSING.format(where=where, key="name"))
            )
        starts.append(
            ProgrammeStart(
                name=_text(item, "name", where, path),
                activity=_activity(item.get("activity"), where, activities, path),
                start=_date(item.get("start"), where, "start", path),
                source=_text(item, "source", where, path),
                confidence=_confidence(item, where, path),
            )
        )
    return Programme(activities, tuple(sorted(pauses, key=lambda p: p.start)), tuple(starts))


@functools.cache
def shipped_programme() -> Programme:
    return load_programme()
