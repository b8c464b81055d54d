"""Working-day calendar: bank holidays, counting conventions, school holidays, pre-election holds."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areasend.domain.calendar import (
    ENGLAND_AND_WALES,
    CalendarError,
    Period,
    PreElectionPeriod,
    WorkingDayCalendar,
    add_months,
    default_calendar,
    easter_sunday,
    published_bank_holidays,
    regular_bank_holidays,
)

D = dt.date


@pytest.fixture(scope="module")
def cal() -> WorkingDayCalendar:
    return default_calendar()


# -- bank holidays -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        D(2022, 9, 19),  # state funeral of Queen Elizabeth II
        D(2023, 5, 8),  # coronation of King Charles III
        D(2019, 12, 25),
        D(2019, 12, 26),
        D(2020, 5, 8),  # VE day: early May bank holiday moved to a Friday
        D(2022, 6, 2),  # platinum jubilee
        D(2022, 6, 3),
        D(2025, 4, 18),  # Good Friday
        D(2025, 4, 21),  # Easter Monday
    ],
)
def test_bank_holidays_are_not_working_days(cal: WorkingDayCalendar, day: dt.date) -> None:
    assert cal.is_bank_holiday(day)
    assert not cal.is_working_day(day)


def test_weekends_are_not_working_days(cal: WorkingDayCalendar) -> None:
    assert not cal.is_working_day(D(2025, 9, 13))  # Saturday
    assert not cal.is_working_day(D(2025, 9, 14))  # Sunday
    assert cal.is_working_day(D(2025, 9, 15))


def test_moved_holiday_day_is_a_working_day(cal: WorkingDayCalendar) -> None:
    # In 2020 the early May bank holiday moved from Monday 4 May to Friday 8 May.
    assert cal.is_working_day(D(2020, 5, 4))
    # In 2022 the spring bank holiday moved from Monday 30 May to Thursday 2 June.
    assert cal.is_working_day(D(2022, 5, 30))


def test_bank_holidays_come_from_the_package_offline() -> None:
    days = published_bank_holidays()
    assert D(2022, 9, 19) in days and D(2023, 5, 8) in days
    assert min(days).year <= 2016 and max(days).year >= 2027


def test_bank_holidays_are_the_list_the_package_itself_reads() -> None:
    from govuk_bank_holidays.bank_holidays import BankHolidays

    events = BankHolidays.load_backup_data()[ENGLAND_AND_WALES]["events"]
    assert published_bank_holidays() == {D.fromisoformat(event["date"]) for event in events}


def test_easter_sunday() -> None:
    assert easter_sunday(2019) == D(2019, 4, 21)
    assert easter_sunday(2024) == D(2024, 3, 31)
    assert easter_sunday(2025) == D(2025, 4, 20)
    assert easter_sunday(2038) == D(2038, 4, 25)


def test_regular_rules_reproduce_the_published_list_apart_from_one_off_days() -> None:
    published = published_bank_holidays()
    one_offs = {
        D(2012, 6, 4),
        D(2012, 6, 5),
        D(2012, 5, 28),  # diamond jubilee; spring holiday moved
        D(2020, 5, 8),
        D(2020, 5, 4),  # VE day
        D(2022, 6, 2),
        D(2022, 6, 3),
        D(2022, 5, 30),  # platinum jubilee
        D(2022, 9, 19),
        D(2023, 5, 8),  # state funeral, coronation
    }
    years = sorted({d.year for d in published})
    for year in years:
        expected = {d for d in published if d.year == year}
        assert expected ^ regular_bank_holidays(year) <= one_offs, year


def test_years_beyond_the_published_list_are_projected(cal: WorkingDayCalendar) -> None:
    until = cal.published_until
    assert until is not None
    later = until.year + 2
    christmas = D(later, 12, 25)
    assert cal.is_projected(christmas)
    assert not cal.is_working_day(easter_sunday(later) + dt.timedelta(days=1))  # Easter Monday
    assert not cal.is_projected(D(2025, 1, 1))


def test_substitute_days_for_christmas_at_a_weekend() -> None:
    assert regular_bank_holidays(2021) >= {D(2021, 12, 27), D(2021, 12, 28)}  # Sat/Sun
    assert regular_bank_holidays(2022) >= {D(2022, 12, 26), D(2022, 12, 27)}  # Sunday
    assert regular_bank_holidays(2026) >= {D(2026, 12, 25), D(2026, 12, 28)}  # Friday


# -- counting --------------------------------------------------------------------------------------


def test_add_working_days_skips_weekends_and_bank_holidays(cal: WorkingDayCalendar) -> None:
    assert cal.add_working_days(D(2025, 9, 8), 8) == D(2025, 9, 18)
    assert cal.add_working_days(D(2025, 9, 8), 10) == D(2025, 9, 22)
    assert cal.add_working_days(D(2019, 9, 23), 5) == D(2019, 9, 30)
    # across the coronation bank holiday: Friday 5 May 2023 + 1 = Tuesday 9 May
    assert cal.add_working_days(D(2023, 5, 5), 1) == D(2023, 5, 9)
    # across the state funeral: Friday 16 September 2022 + 1 = Tuesday 20 September
    assert cal.add_working_days(D(2022, 9, 16), 1) == D(2022, 9, 20)


def test_add_working_days_backwards(cal: WorkingDayCalendar) -> None:
    assert cal.add_working_days(D(2023, 5, 9), -1) == D(2023, 5, 5)
    assert cal.add_working_days(D(2025, 9, 22), -10) == D(2025, 9, 8)


def test_zero_rolls_forward_to_a_working_day(cal: WorkingDayCalendar) -> None:
    assert cal.add_working_days(D(2025, 9, 10), 0) == D(2025, 9, 10)
    assert cal.add_working_days(D(2025, 9, 13), 0) == D(2025, 9, 15)  # Saturday -> Monday
    assert cal.add_working_days(D(2022, 9, 19), 0) == D(2022, 9, 20)


def test_counting_starts_after_a_non_working_day(cal: WorkingDayCalendar) -> None:
    # The starting day is never counted: Saturday + 1 working day = Monday.
    assert cal.add_working_days(D(2025, 9, 13), 1) == D(2025, 9, 15)
    assert cal.add_working_days(D(2025, 9, 13), -1) == D(2025, 9, 12)


def test_next_and_previous_working_day(cal: WorkingDayCalendar) -> None:
    assert cal.next_working_day(D(2019, 12, 12)) == D(2019, 12, 13)
    assert cal.next_working_day(D(2019, 12, 24)) == D(2019, 12, 27)
    assert cal.previous_working_day(D(2019, 12, 27)) == D(2019, 12, 24)


def test_working_days_between(cal: WorkingDayCalendar) -> None:
    assert cal.working_days_between(D(2025, 9, 8), D(2025, 9, 18)) == 8
    assert cal.working_days_between(D(2025, 9, 18), D(2025, 9, 8)) == -8
    assert cal.working_days_between(D(2025, 9, 8), D(2025, 9, 8)) == 0
    assert cal.working_days_between(D(2019, 12, 20), D(2019, 12, 27)) == 3  # 23, 24, 27


def test_add_months_clamps_the_day_of_month() -> None:
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2023, 7, 15), 18) == D(2025, 1, 15)
    assert add_months(D(2023, 3, 31), -1) == D(2023, 2, 28)


# -- properties --------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2012, 1, 1), max_value=D(2030, 12, 31))
steps = st.integers(min_value=-400, max_value=400)


@settings(max_examples=300, deadline=None)
@given(day=dates, n=steps)
def test_adding_working_days_lands_on_a_working_day(day: dt.date, n: int) -> None:
    assert default_calendar().is_working_day(default_calendar().add_working_days(day, n))


@settings(max_examples=200, deadline=None)
@given(day=dates, n=steps, m=steps)
def test_adding_working_days_is_monotonic_in_n(day: dt.date, n: int, m: int) -> None:
    cal = default_calendar()
    low, high = sorted((n, m))
    assert cal.add_working_days(day, low) <= cal.add_working_days(day, high)
    if low < high:
        assert cal.add_working_days(day, low) < cal.add_working_days(day, high)


@settings(max_examples=300, deadline=None)
@given(day=dates, n=steps)
def test_adding_then_subtracting_round_trips_from_a_working_day(day: dt.date, n: int) -> None:
    cal = default_calendar()
    start = cal.roll_forward(day)
    assert cal.add_working_days(cal.add_working_days(start, n), -n) == start


@settings(max_examples=200, deadline=None)
@given(day=dates, n=steps)
def test_working_days_between_inverts_adding(day: dt.date, n: int) -> None:
    cal = default_calendar()
    start = cal.roll_forward(day)
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@settings(max_examples=200, deadline=None)
@given(day=dates, a=st.integers(0, 300), b=st.integers(0, 300))
def test_adding_working_days_composes(day: dt.date, a: int, b: int) -> None:
    cal = default_calendar()
    start = cal.roll_forward(day)
    assert cal.add_working_days(cal.add_working_days(start, a), b) == cal.add_working_days(start, a + b)


# -- school holidays ---------------------------------------------------------------------------------


def test_default_school_holidays_cover_2015_16_to_2027_28(cal: WorkingDayCalendar) -> None:
    years = {p.academic_year for p in cal.school_holidays}
    assert years == {f"{y}/{str(y + 1)[2:]}" for y in range(2015, 2028)}
    assert cal.is_school_holiday(D(2019, 8, 10))
    assert cal.is_school_holiday(D(2019, 10, 30))  # autumn half term 2019
    assert not cal.is_school_holiday(D(2019, 9, 30))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2019, 9, 30), D(2019, 10, 4)),  # Essex
        (D(2025, 9, 22), D(2025, 9, 26)),  # Ealing
        (D(2023, 1, 30), D(2023, 2, 3)),  # Nottinghamshire
        (D(2023, 7, 10), D(2023, 7, 14)),  # Hertfordshire
        (D(2024, 5, 20), D(2024, 5, 24)),  # Blackpool
        (D(2024, 9, 30), D(2024, 10, 4)),  # Rotherham
    ],
)
def test_real_on_site_weeks_are_in_default_term_time(
    cal: WorkingDayCalendar, start: dt.date, end: dt.date
) -> None:
    assert cal.school_holidays_overlapping(start, end) == ()


def test_an_area_can_override_the_default_school_holidays() -> None:
    own = [Period("Spring half term", D(2024, 2, 17), D(2024, 2, 25), "2023/24")]
    cal = WorkingDayCalendar(area_school_holidays={"E08000002": own})
    week = (D(2024, 2, 12), D(2024, 2, 16))
    assert [p.name for p in cal.school_holidays_overlapping(*week)] == ["Spring half term"]  # default
    assert cal.school_holidays_overlapping(*week, area_code="E08000002") == ()
    assert cal.is_school_holiday(D(2024, 2, 20), "E08000002")


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(CalendarError, match="ends"):
        Period("Broken", D(2024, 2, 20), D(2024, 2, 10))


# -- pre-election periods ----------------------------------------------------------------------------


def test_general_election_holds_publication_everywhere(cal: WorkingDayCalendar) -> None:
    # Essex, inspected 30 September to 4 October 2019: 33 working days lands on 20 November 2019,
    # inside the general election period (6 November to 12 December 2019).
    # Released the shipped release lag after polling day.
    proposed = cal.add_working_days(D(2019, 10, 4), 33)
    assert proposed == D(2019, 11, 20)
    hold = cal.publication_hold(proposed, "E10000012")
    assert hold.held and hold.held_by[0].polling_day == D(2019, 12, 12)
    released = cal.add_working_days(D(2019, 12, 12), hold.held_by[0].release_lag)
    assert hold.held_by[0].release_lag > 1 and cal.publication_date(proposed, "E10000012") == released
    assert cal.publication_date(proposed) == released


def test_dates_outside_pre_election_periods_are_unchanged(cal: WorkingDayCalendar) -> None:
    assert cal.publication_date(D(2019, 11, 5)) == D(2019, 11, 5)
    assert cal.publication_date(D(2019, 12, 13)) == D(2019, 12, 13)
    assert cal.publication_date(D(2024, 7, 5)) == D(2024, 7, 5)
    assert WorkingDayCalendar(release_lag=1).publication_date(D(2024, 7, 4)) == D(2024, 7, 5)


def test_local_elections_hold_only_areas_with_polls() -> None:
    local = PreElectionPeriod(
        name="Local elections 2 May 2019",
        kind="local",
        start=D(2019, 3, 25),
        polling_day=D(2019, 5, 2),
        areas=frozenset({"E10000012"}),
    )
    cal = WorkingDayCalendar(pre_election_periods=[local])
    assert cal.publication_date(D(2019, 4, 10), "E10000012") == D(2019, 5, 3)
    assert cal.publication_date(D(2019, 4, 10), "E09000009") == D(2019, 4, 10)
    assert cal.publication_date(D(2019, 4, 10)) == D(2019, 4, 10)


def test_back_to_back_periods_hold_twice() -> None:
    first = PreElectionPeriod("Local", "local", D(2024, 4, 1), D(2024, 5, 2), frozenset({"E1"}))
    second = PreElectionPeriod("General", "general", D(2024, 5, 3), D(2024, 7, 4))
    cal = WorkingDayCalendar(pre_election_periods=[first, second])
    hold = cal.publication_hold(D(2024, 4, 15), "E1")
    assert hold.date == D(2024, 7, 5)
    assert [p.name for p in hold.held_by] == ["Local", "General"]
