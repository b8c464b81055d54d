"""Date rules as framework data: the schema and cross-checks of ``not_before`` / ``not_in_future``, the
order they give (followed through events not recorded), and the timeline's warnings about the dates
recorded (not working days, pre-election periods, off the framework's timetable)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from areasend.domain.calendar import PreElectionPeriod, WorkingDayCalendar
from areasend.domain.dates import (
    WARN_AFTER_TIMETABLE,
    WARN_IN_PRE_ELECTION,
    WARN_NOT_WORKING_DAY,
    WARN_OFF_TIMETABLE,
    DateConflict,
    date_conflict,
    in_future,
)
from areasend.domain.frameworks import (
    MSG_UNKNOWN_EVENT,
    Framework,
    Problem,
    shipped_editions,
    shipped_frameworks,
    validate_framework_text,
)
from areasend.domain.frameworks.date_order import earlier_events, later_events
from areasend.domain.frameworks.editions import edition_on
from areasend.domain.frameworks.messages import (
    MSG_DATE_ORDER_CYCLE,
    MSG_DATE_RULE_ON_DECISION,
    MSG_DATE_RULES_NEED_SOURCE,
    MSG_NOT_A_DATE_EVENT,
)
from areasend.domain.timeline import WARN_NOT_NOTIFICATION_DAY, build_timeline

D = dt.date
MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
FILE = "broken.yaml"
PLAN = "  - {name: plan_submitted, label: Plan submitted}"
SOURCED = "source: test source, confidence: high"


def broken(old: str, new: str) -> list[Problem]:
    assert old in MINIMAL, old
    return validate_framework_text(MINIMAL.replace(old, new, 1), FILE)


@pytest.fixture(scope="module")
def fw2016() -> Framework:
    return shipped_frameworks()["local-area-send-2016"]


@pytest.fixture(scope="module")
def fw2023() -> Framework:
    return shipped_frameworks()["area-send-2023"]


@pytest.fixture(scope="module")
def fw2023_march_2025() -> Framework:
    """The 2023 framework's edition in force in March 2025, when the tests below notify (ADR 26)."""
    found = edition_on(shipped_editions()["area-send-2023"], D(2025, 3, 3))
    assert found is not None
    return found


# -- the schema and the cross-checks --------------------------------------------------------------


def test_date_rules_with_their_source_are_valid() -> None:
    assert (
        broken(
            PLAN,
            f"  - {{name: plan_submitted, label: P, not_before: [report_received], not_in_future: true, {SOURCED}}}",
        )
        == []
    )


def test_not_before_an_unknown_event_is_a_framework_error() -> None:
    assert broken(PLAN, f"  - {{name: plan_submitted, label: P, not_before: [report_sent], {SOURCED}}}") == [
        Problem(FILE, "events[4].not_before[0]", MSG_UNKNOWN_EVENT.format(name="report_sent"), 51)
    ]


def test_not_before_a_decision_is_a_framework_error() -> None:
    assert broken(PLAN, f"  - {{name: plan_submitted, label: P, not_before: [plan_review], {SOURCED}}}") == [
        Problem(FILE, "events[4].not_before[0]", MSG_NOT_A_DATE_EVENT.format(name="plan_review"), 51)
    ]


def test_a_decision_has_no_date_rules() -> None:
    assert broken(
        "  - {name: plan_review, label: Plan review, choices: [accepted, rejected]}",
        f"  - {{name: plan_review, label: R, choices: [accepted, rejected], not_in_future: true, {SOURCED}}}",
    ) == [
        Problem(
            FILE,
            "events[5].not_in_future",
            MSG_DATE_RULE_ON_DECISION.format(name="plan_review", rule="not_in_future"),
            52,
        )
    ]


def test_date_rules_need_their_source() -> None:
    assert broken(PLAN, "  - {name: plan_submitted, label: P, not_in_future: true}") == [
        Problem(FILE, "events[4].source", MSG_DATE_RULES_NEED_SOURCE, 51)
    ]


def test_dates_that_must_each_follow_the_other_are_a_framework_error() -> None:
    # on_site_start follows notified (its deadline runs from it): notified cannot also follow it
    assert broken(
        "  - {name: notified, label: Notified}",
        f"  - {{name: notified, label: Notified, not_before: [on_site_start], {SOURCED}}}",
    ) == [
        Problem(
            FILE,
            "events[0].not_before",
            MSG_DATE_ORDER_CYCLE.format(chain="notified -> on_site_start -> notified"),
            47,
        )
    ]


def test_an_unknown_key_in_an_event_is_still_refused() -> None:
    problems = broken(PLAN, "  - {name: plan_submitted, label: P, not_after: [notified]}")
    assert [p.path for p in problems] == ["events[4].not_after"]


# -- the order, followed through ----------------------------------------------------------------------


def test_the_order_runs_through_events_not_recorded(fw2023: Framework, fw2016: Framework) -> None:
    assert earlier_events(fw2023, "on_site_end") == ["on_site_start", "notified", "fieldwork_start"]
    assert earlier_events(fw2016, "revisit_end")[:2] == ["revisit_start", "revisit_notified"]
    assert "published" in earlier_events(fw2016, "revisit_end")
    assert later_events(fw2023, "published")[:3] == [
        "strategic_plan_published",
        "pap_submitted",
        "pap_published",
    ]


def test_the_first_conflict_is_the_nearest(fw2023: Framework) -> None:
    dates = {"notified": D(2025, 3, 3), "on_site_start": D(2025, 3, 17), "on_site_end": D(2025, 3, 2)}
    assert date_conflict(fw2023, dates, ["on_site_end"]) == DateConflict(
        "on_site_end", D(2025, 3, 2), "on_site_start", D(2025, 3, 17), before=True
    )
    moved = {"notified": D(2025, 3, 24), "on_site_end": D(2025, 3, 21)}
    assert date_conflict(fw2023, moved, ["notified"]) == DateConflict(
        "notified", D(2025, 3, 24), "on_site_end", D(2025, 3, 21), before=False
    )
    assert date_conflict(fw2023, moved, ["notified"], dependents=False) is None
    assert (
        date_conflict(fw2023, {"notified": D(2025, 3, 3), "on_site_end": D(2025, 3, 3)}, ["on_site_end"])
        is None
    )


def test_which_dates_cannot_be_in_the_future(fw2023: Framework, fw2016: Framework) -> None:
    today = D(2025, 6, 2)
    tomorrow = D(2025, 6, 3)
    assert in_future(fw2023, "published", tomorrow, today)
    assert in_future(fw2016, "wsoa_submitted", tomorrow, today)
    assert not in_future(fw2023, "published", today, today)
    for planned in ("notified", "on_site_start", "monitoring_on_site_start"):
        assert not in_future(fw2023, planned, tomorrow, today)


# -- warnings about the dates recorded ----------------------------------------------------------------


def test_a_date_on_a_weekend_or_a_bank_holiday_is_a_warning(fw2023_march_2025: Framework) -> None:
    events = {"notified": D(2025, 3, 3), "on_site_end": D(2025, 3, 21), "published": D(2025, 5, 5)}
    assert build_timeline(fw2023_march_2025, events).warnings == (
        WARN_NOT_WORKING_DAY.format(event="published", date="2025-05-05", day="Monday, a bank holiday"),
    )
    on_sunday = build_timeline(fw2023_march_2025, {"strategic_plan_published": D(2025, 6, 29)}).warnings
    assert on_sunday == (
        WARN_NOT_WORKING_DAY.format(event="strategic_plan_published", date="2025-06-29", day="Sunday"),
    )


def test_a_saturday_notification_is_warned_about_once(fw2023: Framework) -> None:
    warnings = build_timeline(fw2023, {"notified": D(2025, 12, 6)}).warnings
    assert warnings[0] == WARN_NOT_NOTIFICATION_DAY.format(
        event="notified", date="2025-12-06", weekday="Saturday", expected="Monday"
    )
    assert not any("not a working day" in w for w in warnings)
    assert "Christmas holiday 2025/26" in warnings[1]


def test_a_notification_on_a_bank_holiday_monday_is_a_warning(fw2016: Framework) -> None:
    warnings = build_timeline(fw2016, {"notified": D(2019, 8, 26)}).warnings
    assert (
        WARN_NOT_WORKING_DAY.format(event="notified", date="2019-08-26", day="Monday, a bank holiday")
        in warnings
    )


def test_a_report_published_in_a_pre_election_period_is_a_warning(fw2016: Framework) -> None:
    election = PreElectionPeriod(
        "Local elections 2019", "local", D(2019, 3, 25), D(2019, 5, 2), frozenset({"E10000012"})
    )
    calendar = WorkingDayCalendar(pre_election_periods=[election])
    events = {"on_site_end": D(2019, 3, 1), "published": D(2019, 4, 16)}
    assert build_timeline(fw2016, events, area_code="E10000012", calendar=calendar).warnings == (
        WARN_IN_PRE_ELECTION.format(event="published", date="2019-04-16", periods="Local elections 2019"),
    )
    assert build_timeline(fw2016, events, area_code="E10000016", calendar=calendar).warnings == ()


def test_dates_off_the_framework_s_timetable_are_warnings(fw2023_march_2025: Framework) -> None:
    events = {"notified": D(2025, 3, 3), "on_site_start": D(2025, 3, 19), "on_site_end": D(2025, 3, 26)}
    assert build_timeline(fw2023_march_2025, events).warnings == (
        WARN_OFF_TIMETABLE.format(
            event="on_site_start", date="2025-03-19", due="2025-03-17", rule="10 working days after notified"
        ),
        WARN_AFTER_TIMETABLE.format(
            event="on_site_end",
            date="2025-03-26",
            due="2025-03-25",
            rule="4 working days after on_site_start",
        ),
    )
    on_time = {"notified": D(2025, 3, 3), "on_site_start": D(2025, 3, 17), "on_site_end": D(2025, 3, 20)}
    assert (
        build_timeline(fw2023_march_2025, on_time).warnings == ()
    )  # a shorter on-site week is within the timetable


# -- versions loaded before date rules borrow them ----------------------------------------------------


def test_an_older_version_borrows_date_rules_event_by_event(fw2023: Framework, fw2016: Framework) -> None:
    from areasend.domain.frameworks.date_order import declares_date_rules, with_date_rules_from

    bare = tuple(
        e.model_copy(update={"not_before": (), "not_in_future": False, "source": None, "confidence": None})
        for e in fw2023.events
    )
    # an older version without date rules, and without the off-site fieldwork date
    old = fw2023.model_copy(
        update={
            "version": fw2023.version - 1,
            "events": tuple(e for e in bare if e.name != "fieldwork_start"),
        }
    )
    assert not declares_date_rules(old)
    borrowed = with_date_rules_from(old, fw2023)
    on_site = borrowed.event("on_site_start")
    assert on_site is not None and on_site.not_before == ("notified",)  # fieldwork_start left out
    published = borrowed.event("published")
    assert published is not None and published.not_in_future and published.confidence == "high"
    assert with_date_rules_from(old, fw2016) is old  # another framework lends nothing
    assert with_date_rules_from(fw2023, fw2023) is fw2023  # nor does a version to itself
