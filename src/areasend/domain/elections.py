"""Local elections: which areas have a poll on which polling day, and their pre-election periods.

The rules ship as data (``data/local_elections.yaml``; what each part means is written at its top):
polling days by year, the cycle of each council type, areas with their own cycle, postponed polls and
polls confirmed for an area. :func:`local_pre_election_periods` turns them into the
:class:`~areasend.domain.calendar.PreElectionPeriod` of one area. The council type comes from the
register's type when the caller passes it in, else from the ONS code's prefix, so this module needs
no database.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
LOCAL_ELECTIONS_FILE = DATA_DIR / "local_elections.yaml"

MSG_BAD_FILE = "{path}: {problem}"
MSG_MISSING = "{where} needs {key!r}"
MSG_NOT_A_DATE = "{where}: {value!r} is not a YYYY-MM-DD date"
MSG_NOT_A_YEAR_LIST = "{where}: years must be a list of years, got {value!r}"
MSG_UNKNOWN_CYCLE = "{where}: unknown cycle {value!r}; known cycles: {known}"
MSG_NO_POLLING_DAY = "{where}: year {year} has no polling day in 'polling_days'"
MSG_BAD_CONFIDENCE = "{where}: confidence must be high, medium or low, got {value!r}"
MSG_BAD_NOTICE = "notice.working_days_before_poll must be a whole number of at least 1, got {value!r}"

CONFIDENCES = ("high", "medium", "low")


class ElectionDataError(ValueError):
    """The local elections file cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Cycle:
    """The years an area has a poll, with the rule's words, source and confidence."""

    years: frozenset[int]
    rule: str
    source: str
    confidence: str


@dataclass(frozen=True)
class Poll:
    """A poll in an area on a polling day, and where that knowledge comes from."""

    area: str
    polling_day: dt.date
    source: str
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class LocalElections:
    notice_working_days: int
    notice_source: str
    polling_days: Mapping[int, dt.date]
    type_by_register: Mapping[str, str]
    type_by_prefix: Mapping[str, str]
    cycles: Mapping[str, Cycle]
    area_cycles: Mapping[str, Cycle]
    postponed: tuple[tuple[int, int | None, frozenset[str], str, str], ...] = ()
    polls: tuple[Poll, ...] = ()
    polling_days_source: str = ""

    def council_type(self, area_code: str, register_type: str | None = None) -> str | None:
        """The cycle key of an area's council type: the register's type if given, else the code prefix."""
        if register_type:
            found = self.type_by_register.get(register_type.strip())
            if found is not None:
                return found
        return self.type_by_prefix.get(area_code[:3])

    def polls_for(self, area_code: str, register_type: str | None = None) -> tuple[Poll, ...]:
        """Every poll the rules give the area, earliest first (one a polling day)."""
        found: dict[dt.date, Poll] = {}
        cycle = self.area_cycles.get(area_code)
        if cycle is None:
            kind = self.council_type(area_code, register_type)
            cycle = None if kind is None else self.cycles.get(kind)
        if cycle is not None:
            years = set(cycle.years)
            source, confidence = cycle.source, cycle.confidence
            for year, to, areas, p_source, p_confidence in self.postponed:
                if area_code in areas and year in years:
                    years.discard(year)
                    if to is not None:
                        years.add(to)
                        source, confidence = f"{source}; {p_source}", _weakest(confidence, p_confidence)
            for year in sorted(years):
                day = self.polling_days[year]
                found[day] = Poll(area_code, day, f"{cycle.rule} ({source})", confidence)
        for poll in self.polls:
            if poll.area == area_code:
                found[poll.polling_day] = poll
        return tuple(found[day] for day in sorted(found))


def _weakest(*values: str) -> str:
    return max(values, key=CONFIDENCES.index)


# --------------------------------------------------------------------------------------------------
# Reading the file


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, problem: str) -> ElectionDataError:
        return ElectionDataError(MSG_BAD_FILE.format(path=self.path, problem=problem))

    def mapping(self, data: object, key: str, where: str) -> dict[Any, Any]:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            raise self.fail(MSG_MISSING.format(where=where, key=key) + " (a mapping)")
        return value

    def listing(self, data: dict[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(MSG_MISSING.format(where=where, key=key) + " (a list)")
        return value

    def text(self, data: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = data.get(key, default) if isinstance(data, dict) else default
        if value is None or not str(value).strip():
            raise self.fail(MSG_MISSING.format(where=where, key=key))
        return str(value)

    def date(self, value: object, where: str) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(MSG_NOT_A_DATE.format(where=where, value=value))

    def confidence(self, data: dict[str, Any], where: str, default: str | None = None) -> str:
        value = data.get("confidence", default)
        if value not in CONFIDENCES:
            raise self.fail(MSG_BAD_CONFIDENCE.format(where=where, value=value))
        return str(value)

    def years(self, value: object, where: str, polling_days: Mapping[int, dt.date]) -> frozenset[int]:
        if not isinstance(value, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) for y in value
        ):
            raise self.fail(MSG_NOT_A_YEAR_LIST.format(where=where, value=value))
        for year in value:
            if year not in polling_days:
                raise self.fail(MSG_NO_POLLING_DAY.format(where=where, year=year))
        return frozenset(value)


def load_local_elections(path: Path = LOCAL_ELECTIONS_FILE) -> LocalElections:
    """The rules in a file shaped like ``data/local_elections.yaml``; ElectionDataError if it is not."""
    r = _Reader(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise r.fail(str(exc)) from exc
    if not isinstance(data, dict):
        raise r.fail("expected a mapping")
    notice = r.mapping(data, "notice", "the file")
    working_days = notice.get("working_days_before_poll")
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise r.fail(MSG_BAD_NOTICE.format(value=working_days))
    polling_days = {
        int(year): r.date(day, f"polling_days {year}")
        for year, day in r.mapping(data, "polling_days", "the file").items()
    }
    by_register: dict[str, str] = {}
    by_prefix: dict[str, str] = {}
    for index, item in enumerate(r.listing(data, "council_types", "the file"), 1):
        where = f"council_types item {index}"
        key = r.text(item, "key", where)
        by_register[r.text(item, "register_type", where)] = key
        by_prefix[r.text(item, "code_prefix", where)] = key
    cycles: dict[str, Cycle] = {}
    for key, item in r.mapping(data, "cycles", "the file").items():
        where = f"cycle {key!r}"
        if not isinstance(item, dict):
            raise r.fail(MSG_MISSING.format(where=where, key="years"))
        cycles[str(key)] = Cycle(
            years=r.years(item.get("years"), where, polling_days),
            rule=r.text(item, "rule", where),
            source=r.text(item, "source", where),
            confidence=r.confidence(item, where),
        )
    for key in set(by_prefix.values()) - set(cycles):
        raise r.fail(
            MSG_UNKNOWN_CYCLE.format(where="council_types", value=key, known=", ".join(sorted(cycles)))
        )
    area_cycles: dict[str, Cycle] = {}
    for code, item in (data.get("areas") or {}).items():
        where = f"areas {code}"
        if not isinstance(item, dict):
            raise r.fail(MSG_MISSING.format(where=where, key="years") + " or 'cycle'")
        if "cycle" in item:
            base = cycles.get(str(item["cycle"]))
            if base is None:
                raise r.fail(
                    MSG_UNKNOWN_CYCLE.format(
                        where=where, value=item["cycle"], known=", ".join(sorted(cycles))
                    )
                )
            area_cycles[str(code)] = base
            continue
        note = r.text(item, "note", where)
        area_cycles[str(code)] = Cycle(
            years=r.years(item.get("years"), where, polling_days),
            rule=note,
            source="general knowledge of the electoral cycle",
            confidence=r.confidence(item, where),
        )
    postponed = []
    for index, item in enumerate(r.listing(data, "postponed", "the file"), 1):
        where = f"postponed item {index}"
        if not isinstance(item, dict):
            raise r.fail(MSG_MISSING.format(where=where, key="year"))
        years = [item.get("year")] + ([item["to"]] if item.get("to") is not None else [])
        r.years(years, where, polling_days)
        postponed.append(
            (
                int(item["year"]),
                None if item.get("to") is None else int(item["to"]),
                frozenset(str(code) for code in r.listing(item, "areas", where)),
                r.text(item, "source", where),
                r.confidence(item, where),
            )
        )
    polls = []
    for index, item in enumerate(r.listing(data, "polls", "the file"), 1):
        where = f"polls item {index}"
        if not isinstance(item, dict):
            raise r.fail(MSG_MISSING.format(where=where, key="area"))
        (year,) = r.years([item.get("year")], where, polling_days)
        polls.append(
            Poll(
                area=r.text(item, "area", where),
                polling_day=polling_days[year],
                source=r.text(item, "source", where),
                confidence=r.confidence(item, where),
                note=str(item.get("note", "")),
            )
        )
    return LocalElections(
        notice_working_days=working_days,
        notice_source=r.text(notice, "source", "notice"),
        polling_days=polling_days,
        type_by_register=by_register,
        type_by_prefix=by_prefix,
        cycles=cycles,
        area_cycles=area_cycles,
        postponed=tuple(postponed),
        polls=tuple(polls),
        polling_days_source=str(data.get("polling_days_source", "")),
    )


@functools.cache
def shipped_local_elections() -> LocalElections:
    return load_local_elections()
