"""Working days in England, school holidays and pre-election periods.

A *working day* is any day other than a Saturday, a Sunday or an England-and-Wales bank holiday
(Christmas Day and Good Friday are bank holidays in the GOV.UK list). Bank holidays come from the
copy of the GOV.UK list that ships inside the ``govuk-bank-holidays`` package, read offline, so
one-off days such as the Queen's state funeral (2022-09-19) and the coronation (2023-05-08) count.
Years the list does not cover yet are filled in by the regular England-and-Wales rules
(:func:`regular_bank_holidays`); :attr:`WorkingDayCalendar.published_until` says where the
published list ends.

Counting conventions (the ones statutory "within N working days of X" deadlines use):

* ``add_working_days(d, n)`` with ``n > 0`` is the n-th working day *after* ``d``; ``d`` itself is
  never counted, whether or not it is a working day. With ``n < 0`` it is the |n|-th working day
  *before* ``d``. With ``n == 0`` it is ``d`` when ``d`` is a working day and otherwise the next
  working day ("roll forward").
* ``working_days_between(a, b)`` counts the working days in the half-open interval ``(a, b]`` and
  is negative when ``b < a``; so for any working day ``d``,
  ``working_days_between(d, add_working_days(d, n)) == n``.

School holidays are configurable periods (a default England pattern ships as data, overridable per
area by ONS code) used for the "inspections happen in term time" rule. Pre-election periods hold
the publication of area-wide reports until the release lag (working days, data) after polling day:
general elections apply to every area, local elections (rules in :mod:`.elections`) only to the
areas with polls (ADR 0025).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import dataclasses
import datetime as dt
import functools
import importlib.resources
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from .elections import LocalElections, shipped_local_elections

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHOOL_HOLIDAYS_FILE = DATA_DIR / "school_holidays_england.yaml"
PRE_ELECTION_FILE = DATA_DIR / "pre_election_periods.yaml"

ENGLAND_AND_WALES = "england-and-wales"
BANK_HOLIDAYS_FILE = "bank-holidays.json"  # the GOV.UK list bundled in govuk-bank-holidays

MSG_PERIOD_ENDS_BEFORE_START = "period {name!r} ends ({end}) before it starts ({start})"
MSG_BAD_DATA_FILE = "{path}: {problem}"
MSG_BAD_RELEASE_LAG = "the release lag must be a whole number of working days of at least 1, got {value!r}"


class CalendarError(ValueError):
    """Raised for bad calendar configuration (never for ordinary date arithmetic)."""


@dataclass(frozen=True)
class Period:
    """A run of whole days, both ends included (a school holiday, for example)."""

    name: str
    start: dt.date
    end: dt.date
    academic_year: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise CalendarError(
                MSG_PERIOD_ENDS_BEFORE_START.format(name=self.name, start=self.start, end=self.end)
            )

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return not (end < self.start or start > self.end)


@dataclass(frozen=True)
class PreElectionPeriod:
    """The period before an election in which area-wide reports are not published."""

    name: str
    kind: Literal["general", "local"]
    start: dt.date
    polling_day: dt.date
    areas: frozenset[str] = field(default_factory=frozenset)
    source: str = ""
    # a held report is released this many working days after polling day (1: the next working day)
    release_lag: int = 1
    confidence: str = "high"

    def __post_init__(self) -> None:
        if self.release_lag < 1:
            raise CalendarError(MSG_BAD_RELEASE_LAG.format(value=self.release_lag))
        if self.polling_day < self.start:
            raise CalendarError(
                MSG_PERIOD_ENDS_BEFORE_START.format(name=self.name, start=self.start, end=self.polling_day)
            )

    def applies_to(self, area_code: str | None) -> bool:
        """General elections apply everywhere; local ones only where polls take place."""
        if self.kind == "general":
            return True
        return area_code is not None and area_code in self.areas

    def holds(self, day: dt.date, area_code: str | None) -> bool:
        return self.applies_to(area_code) and self.start <= day <= self.polling_day


@dataclass(frozen=True)
class PublicationHold:
    """The outcome of :meth:`WorkingDayCalendar.publication_hold`."""

    proposed: dt.date
    date: dt.date
    held_by: tuple[PreElectionPeriod, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.held_by)


# --------------------------------------------------------------------------------------------------
# Bank holidays


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, _stdlib_calendar.monthrange(year, month)[1])
    return day - dt.timedelta(days=day.weekday())


def regular_bank_holidays(year: int) -> frozenset[dt.date]:
    """The England-and-Wales bank holidays a year has when nothing special happens.

    New Year's Day, Good Friday, Easter Monday, the early May, spring and summer bank holidays,
    Christmas Day and Boxing Day, with substitute days when a holiday falls at a weekend. One-off
    days (jubilees, funerals, coronations, moved early May holidays) are not predictable and come
    only from the published list.
    """
    days: set[dt.date] = set()
    new_year = dt.date(year, 1, 1)
    days.add(new_year + dt.timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0)))
    easter = easter_sunday(year)
    days.add(easter - dt.timedelta(days=2))
    days.add(easter + dt.timedelta(days=1))
    days.add(_first_monday(year, 5))
    days.add(_last_monday(year, 5))
    days.add(_last_monday(year, 8))
    christmas = dt.date(year, 12, 25)
    weekday = christmas.weekday()
    if weekday == 5:  # Saturday: substitutes on Monday 27 and Tuesday 28
        days.update({dt.date(year, 12, 27), dt.date(year, 12, 28)})
    elif weekday == 6:  # Sunday: Boxing Day on Monday 26, substitute Christmas on Tuesday 27
        days.update({dt.date(year, 12, 26), dt.date(year, 12, 27)})
    elif weekday == 4:  # Friday: Boxing Day falls on Saturday, substitute on Monday 28
        days.update({christmas, dt.date(year, 12, 28)})
    else:
        days.update({christmas, dt.date(year, 12, 26)})
    return frozenset(days)


def published_bank_holidays() -> frozenset[dt.date]:
    """England-and-Wales bank holidays from the GOV.UK list shipped in ``govuk-bank-holidays``.

    Read from the package's bundled JSON (never downloaded), so results do not depend on the network.
    The file is read directly, as ``BankHolidays.load_backup_data()`` reads it, without importing the
    package's downloader (``requests``) on every command start.
    """
    data: Any = json.loads(
        importlib.resources.files("govuk_bank_holidays").joinpath(BANK_HOLIDAYS_FILE).read_text("utf-8")
    )
    events = data[ENGLAND_AND_WALES]["events"]
    return frozenset(dt.date.fromisoformat(str(event["date"])) for event in events)


# --------------------------------------------------------------------------------------------------
# Data files


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CalendarError(MSG_BAD_DATA_FILE.format(path=path, problem=exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("periods"), list):
        raise CalendarError(MSG_BAD_DATA_FILE.format(path=path, problem="expected a mapping with 'periods'"))
    return data


def _as_date(value: object, path: Path) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarError(MSG_BAD_DATA_FILE.format(path=path, problem=f"{value!r} is not a YYYY-MM-DD date"))


def load_school_holidays(path: Path = SCHOOL_HOLIDAYS_FILE) -> tuple[Period, ...]:
    """School holiday periods from a YAML file shaped like ``data/school_holidays_england.yaml``."""
    data = _read_yaml(path)
    periods = [
        Period(
            name=str(item["name"]),
            start=_as_date(item["start"], path),
            end=_as_date(item["end"], path),
            academic_year=str(item.get("academic_year", "")),
        )
        for item in data["periods"]
    ]
    return tuple(sorted(periods, key=lambda p: p.start))


def load_pre_election_periods(path: Path = PRE_ELECTION_FILE) -> tuple[PreElectionPeriod, ...]:
    """Pre-election periods from a YAML file shaped like ``data/pre_election_periods.yaml``."""
    data = _read_yaml(path)
    lag = release_lag_of(data, path)
    periods: list[PreElectionPeriod] = []
    for item in data["periods"]:
        kind = item.get("kind")
        if kind not in ("general", "local"):
            raise CalendarError(
                MSG_BAD_DATA_FILE.format(path=path, problem=f"kind {kind!r} is not general/local")
            )
        periods.append(
            PreElectionPeriod(
                name=str(item["name"]),
                kind=kind,
                start=_as_date(item["start"], path),
                polling_day=_as_date(item["polling_day"], path),
                areas=frozenset(str(code) for code in item.get("areas", ()) or ()),
                source=str(item.get("source", "")),
                release_lag=lag,
                confidence=str(item.get("confidence", "high")),
            )
        )
    return tuple(sorted(periods, key=lambda p: p.start))


def release_lag_of(data: Mapping[str, Any], path: Path = PRE_ELECTION_FILE) -> int:
    """``release_lag.working_days`` of a pre-election file (1, the next working day, when absent)."""
    section = data.get("release_lag")
    if section is None:
        return 1
    value = section.get("working_days") if isinstance(section, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CalendarError(
            MSG_BAD_DATA_FILE.format(path=path, problem=MSG_BAD_RELEASE_LAG.format(value=value))
        )
    return value


def shipped_release_lag() -> int:
    """The release lag of the shipped pre-election file."""
    return release_lag_of(_read_yaml(PRE_ELECTION_FILE))


# --------------------------------------------------------------------------------------------------
# The calendar


class WorkingDayCalendar:
    """Working days in England plus school holidays and pre-election periods.

    Every argument is optional; leave them out for the defaults (published England-and-Wales bank
    holidays, the default England school-holiday pattern, the shipped general elections).
    """

    def __init__(
        self,
        *,
        bank_holidays: Iterable[dt.date] | None = None,
        extra_non_working_days: Iterable[dt.date] = (),
        project_regular_bank_holidays: bool = True,
        school_holidays: Sequence[Period] | None = None,
        area_school_holidays: Mapping[str, Sequence[Period]] | None = None,
        pre_election_periods: Sequence[PreElectionPeriod] | None = None,
        local_elections: LocalElections | None = None,
        area_council_types: Mapping[str, str] | None = None,
        release_lag: int | None = None,
    ) -> None:
        published = published_bank_holidays() if bank_holidays is None else frozenset(bank_holidays)
        self._published = published
        self._extra = frozenset(extra_non_working_days)
        self._project = project_regular_bank_holidays
        years = sorted({day.year for day in published})
        self._first_year = years[0] if years else None
        self._last_year = years[-1] if years else None
        self.school_holidays: tuple[Period, ...] = (
            load_school_holidays() if school_holidays is None else tuple(school_holidays)
        )
        self.area_school_holidays: dict[str, tuple[Period, ...]] = {
            code: tuple(periods) for code, periods in (area_school_holidays or {}).items()
        }
        self.pre_election_periods: tuple[PreElectionPeriod, ...] = (
            load_pre_election_periods() if pre_election_periods is None else tuple(pre_election_periods)
        )
        # local elections: the shipped rules unless periods were given (then only those given)
        if local_elections is None and pre_election_periods is None:
            local_elections = shipped_local_elections()
        self.local_elections = local_elections
        self.area_council_types = dict(area_council_types or {})
        if release_lag is not None:
            if isinstance(release_lag, bool) or not isinstance(release_lag, int) or release_lag < 1:
                raise CalendarError(MSG_BAD_RELEASE_LAG.format(value=release_lag))
            self.pre_election_periods = tuple(
                dataclasses.replace(p, release_lag=release_lag) for p in self.pre_election_periods
            )
        self.release_lag = release_lag
        self._local_cache: dict[str, tuple[PreElectionPeriod, ...]] = {}

    # -- bank holidays ------------------------------------------------------------------------------

    @property
    def published_until(self) -> dt.date | None:
        """The last day covered by the published bank-holiday list (31 December of its last year)."""
        return None if self._last_year is None else dt.date(self._last_year, 12, 31)

    def is_projected(self, day: dt.date) -> bool:
        """True when ``day`` lies outside the published list, so its bank holidays are rule-based."""
        if self._first_year is None or self._last_year is None:
            return self._project
        return self._project and not (self._first_year <= day.year <= self._last_year)

    def is_bank_holiday(self, day: dt.date) -> bool:
        if day in self._published or day in self._extra:
            return True
        return self.is_projected(day) and day in regular_bank_holidays(day.year)

    # -- working days -------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before ``day``."""
        day -= dt.timedelta(days=1)
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the next working day."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (before it when ``n`` is negative).

        ``n == 0`` rolls forward: ``day`` when it is a working day, otherwise the next one.
        """
        if n == 0:
            return self.roll_forward(day)
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            day = step(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``; negative (``-(working days in (end, start])``) if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    # -- school holidays ----------------------------------------------------------------------------

    def school_holidays_for(self, area_code: str | None = None) -> tuple[Period, ...]:
        """The area's own school holidays when configured, else the default England set."""
        if area_code is not None and area_code in self.area_school_holidays:
            return self.area_school_holidays[area_code]
        return self.school_holidays

    def school_holiday_on(self, day: dt.date, area_code: str | None = None) -> Period | None:
        for period in self.school_holidays_for(area_code):
            if period.contains(day):
                return period
        return None

    def is_school_holiday(self, day: dt.date, area_code: str | None = None) -> bool:
        return self.school_holiday_on(day, area_code) is not None

    def school_holidays_overlapping(
        self, start: dt.date, end: dt.date, area_code: str | None = None
    ) -> tuple[Period, ...]:
        """School holidays with at least one day in ``[start, end]``."""
        return tuple(p for p in self.school_holidays_for(area_code) if p.overlaps(start, end))

    # -- pre-election periods -----------------------------------------------------------------------

    def local_pre_election_periods(self, area_code: str | None) -> tuple[PreElectionPeriod, ...]:
        """The area's local pre-election periods from the local election rules (none without rules).

        A period runs from the day the notice of election is published (the rules' working days
        before polling day) to polling day; its release lag is the calendar's.
        """
        rules = self.local_elections
        if rules is None or area_code is None:
            return ()
        if area_code not in self._local_cache:
            lag = self.release_lag or shipped_release_lag()
            self._local_cache[area_code] = tuple(
                PreElectionPeriod(
                    name=f"Local elections {poll.polling_day.day} {poll.polling_day:%B %Y}",
                    kind="local",
                    start=self.add_working_days(poll.polling_day, -rules.notice_working_days),
                    polling_day=poll.polling_day,
                    areas=frozenset({area_code}),
                    source=poll.source,
                    release_lag=lag,
                    confidence=poll.confidence,
                )
                for poll in rules.polls_for(area_code, self.area_council_types.get(area_code))
            )
        return self._local_cache[area_code]

    def pre_election_periods_for(self, area_code: str | None) -> tuple[PreElectionPeriod, ...]:
        given = tuple(p for p in self.pre_election_periods if p.applies_to(area_code))
        return tuple(sorted(given + self.local_pre_election_periods(area_code), key=lambda p: p.start))

    def publication_hold(self, proposed: dt.date, area_code: str | None = None) -> PublicationHold:
        """Where a report proposed for ``proposed`` can be published, and which periods held it.

        A date inside a pre-election period that applies to the area (``start`` to polling day, both
        included) moves to the period's release lag in working days after polling day; that repeats
        if the new date falls in another period. Dates outside every period are returned unchanged.
        """
        day = proposed
        held: list[PreElectionPeriod] = []
        periods = self.pre_election_periods_for(area_code)
        moved = True
        while moved:
            moved = False
            for period in periods:
                if period.holds(day, area_code):
                    day = self.add_working_days(period.polling_day, period.release_lag)
                    held.append(period)
                    moved = True
        return PublicationHold(proposed=proposed, date=day, held_by=tuple(held))

    def publication_date(self, proposed: dt.date, area_code: str | None = None) -> dt.date:
        """``proposed``, or the day a pre-election period holding it releases it."""
        return self.publication_hold(proposed, area_code).date


@functools.cache
def default_calendar() -> WorkingDayCalendar:
    """A shared calendar with every default (built once per process)."""
    return WorkingDayCalendar()


# --------------------------------------------------------------------------------------------------
# Calendar arithmetic for other units


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; the day of month is clamped (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))
