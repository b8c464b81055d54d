"""Timelines: golden cases from real inspections, every kind of deadline, bad input and warnings."""

from __future__ import annotations

import datetime as dt

import pytest

from areasend.domain.calendar import PreElectionPeriod, WorkingDayCalendar, default_calendar
from areasend.domain.frameworks import Framework, shipped_frameworks
from areasend.domain.pauses import Programme
from areasend.domain.timeline import (
    MSG_BAD_OVERRIDE,
    MSG_EVENT_BEFORE,
    MSG_NOT_A_CHOICE,
    MSG_NOT_A_DATE,
    MSG_NOT_CONFIGURABLE,
    MSG_UNKNOWN_EVENT,
    MSG_UNKNOWN_FRAMEWORK,
    MSG_UNKNOWN_OVERRIDE,
    WARN_NOT_NOTIFICATION_DAY,
    WARN_OUTSIDE_FRAMEWORK,
    WARN_SCHOOL_HOLIDAY,
    EventValue,
    TimelineError,
    build_timeline,
    describe_interval,
    timeline_for,
)

D = dt.date
ESSEX = "E10000012"
NO_PROGRAMME = Programme(activities={})  # no programme starts or pauses
F2016 = "local-area-send-2016"
F2023 = "area-send-2023"


@pytest.fixture(scope="module")
def fw2016() -> Framework:
    return shipped_frameworks()[F2016]


@pytest.fixture(scope="module")
def fw2016_stated(fw2016: Framework) -> Framework:
    """The 2016 framework with each deadline estimated from the record at the value its source states
    (the Essex page's 33 working days for publication): golden cases of the rules as written."""
    deadlines = tuple(
        d.model_copy(update={"value": d.estimate.stated_value})
        if d.estimate is not None and d.estimate.stated_value is not None
        else d
        for d in fw2016.deadlines
    )
    return fw2016.model_copy(update={"deadlines": deadlines})


@pytest.fixture(scope="module")
def fw2023() -> Framework:
    return shipped_frameworks()[F2023]


# -- golden: Essex 2019 (2016 framework) ------------------------------------------------------------


def test_essex_2019_notice_and_on_site_week(fw2016: Framework) -> None:
    timeline = build_timeline(fw2016, {"notified": D(2019, 9, 23)}, area_code=ESSEX)
    assert timeline["on_site_week_start"].due == D(2019, 9, 30)
    assert timeline["on_site_week_start"].rule == "5 working days after notified"
    assert timeline["on_site_week_end"].due == D(2019, 10, 4)
    assert timeline.warnings == ()


def test_essex_2019_publication_held_by_the_general_election(fw2016_stated: Framework) -> None:
    fw2016 = fw2016_stated
    events: dict[str, EventValue] = {
        "notified": D(2019, 9, 23),
        "on_site_start": D(2019, 9, 30),
        "on_site_end": D(2019, 10, 4),
    }
    publication = build_timeline(fw2016, events, area_code=ESSEX)["publication"]
    # 33 working days after 4 October 2019 is 20 November, inside the general election period; the
    # report is released the shipped release lag after polling day.
    lag = default_calendar().pre_election_periods_for(ESSEX)[0].release_lag
    assert publication.due == default_calendar().add_working_days(D(2019, 12, 12), lag)
    assert publication.due >= D(2019, 12, 13)
    assert publication.rule == (
        "33 working days after on_site_end; 2019-11-20 falls in a pre-election period "
        f"(General election 12 December 2019), so held until {lag} working days after polling day"
    )
    assert publication.held_by == ("General election 12 December 2019",)
    assert publication.confidence == "low"
    assert publication.status == "due"


def test_essex_2019_actual_publication_against_the_held_date(fw2016_stated: Framework) -> None:
    fw2016 = fw2016_stated
    events: dict[str, EventValue] = {
        "notified": D(2019, 9, 23),
        "on_site_start": D(2019, 9, 30),
        "on_site_end": D(2019, 10, 4),
        "published": D(2019, 12, 23),
    }
    # released the shipped lag (7 working days) after polling day: on time; the next working day: late
    publication = build_timeline(fw2016, events, area_code=ESSEX)["publication"]
    assert (publication.status, publication.actual) == ("met", D(2019, 12, 23))
    next_day = WorkingDayCalendar(release_lag=1)
    publication = build_timeline(fw2016, events, area_code=ESSEX, calendar=next_day)["publication"]
    assert (publication.due, publication.status) == (D(2019, 12, 13), "late")
    assert build_timeline(fw2016, events)["on_site_week_start"].status == "met"


def test_publication_override(fw2016_stated: Framework) -> None:
    fw2016 = fw2016_stated
    events: dict[str, EventValue] = {"on_site_end": D(2019, 3, 15)}
    default = build_timeline(fw2016, events)["publication"]
    overridden = build_timeline(fw2016, events, overrides={"publication": 38})["publication"]
    calendar = default_calendar()
    # Easter 2019 (19 and 22 April) is skipped
    assert default.due == calendar.add_working_days(D(2019, 3, 15), 33) == D(2019, 5, 3)
    assert overridden.due == calendar.add_working_days(D(2019, 3, 15), 38) == D(2019, 5, 13)
    assert overridden.rule == "38 working days after on_site_end; set to 38 (the framework says 33)"


# -- golden: a 2025 inspection (2023 framework) -------------------------------------------------------


def test_2025_inspection_fieldwork_and_on_site(fw2023: Framework) -> None:
    timeline = build_timeline(fw2023, {"notified": D(2025, 9, 8)})
    assert timeline["offsite_fieldwork"].due == D(2025, 9, 18)
    assert timeline["offsite_fieldwork"].due.strftime("%A") == "Thursday"
    assert timeline["offsite_fieldwork"].rule == "8 working days after notified"
    assert timeline["on_site_week_start"].due == D(2025, 9, 22)
    assert timeline["on_site_week_start"].due.strftime("%A") == "Monday"
    assert timeline["on_site_week_end"].due == D(2025, 9, 26)
    assert timeline["on_site_week_end"].status == "projected"
    assert timeline.warnings == ()


# -- the 2016 written statement of action and revisit ---------------------------------------------------


def test_wsoa_deadlines(fw2016: Framework) -> None:
    calendar = default_calendar()
    events: dict[str, EventValue] = {
        "outcome": "wsoa_required",
        "report_received": D(2018, 1, 8),
        "wsoa_submitted": D(2018, 4, 16),
        "wsoa_reviewed": D(2018, 4, 27),
        "wsoa_judgement": "not_fit_for_purpose",
    }
    timeline = build_timeline(fw2016, events)
    submission = timeline["wsoa_submission"]
    assert submission.due == calendar.add_working_days(D(2018, 1, 8), 70)
    assert submission.rule == "70 working days after report_received; only if outcome is wsoa_required"
    assert submission.status == "met" and submission.confidence == "high"
    assert timeline["wsoa_review"].due == calendar.add_working_days(D(2018, 4, 16), 10)
    assert timeline["wsoa_review"].status == "met"
    assert timeline["wsoa_resubmission"].due == calendar.add_working_days(D(2018, 4, 27), 20)


def test_wsoa_milestones_are_left_out_when_no_wsoa_is_required(fw2016: Framework) -> None:
    timeline = build_timeline(fw2016, {"outcome": 1, "report_received": D(2018, 1, 8)})
    keys = {m.key for m in timeline.milestones}
    assert not keys & {"wsoa_submission", "wsoa_review", "revisit_due"}


def test_wsoa_milestones_are_conditional_before_the_outcome_is_known(fw2016: Framework) -> None:
    timeline = build_timeline(fw2016, {"report_received": D(2018, 1, 8)})
    assert timeline["wsoa_submission"].status == "conditional"


def test_resubmission_only_if_not_fit_for_purpose(fw2016: Framework) -> None:
    events: dict[str, EventValue] = {
        "outcome": 2,
        "wsoa_reviewed": D(2018, 4, 27),
        "wsoa_judgement": "fit_for_purpose",
    }
    assert build_timeline(fw2016, events).get("wsoa_resubmission") is None


def test_revisit_timing_and_notice(fw2016: Framework) -> None:
    calendar = default_calendar()
    events: dict[str, EventValue] = {"outcome": 2, "wsoa_accepted": D(2018, 6, 1)}
    # the 18-month rule alone (the revisit programme's start is tested in test_elections.py)
    timeline = build_timeline(fw2016, events, programme=NO_PROGRAMME)
    assert timeline["revisit_due"].due == D(2019, 12, 1)
    assert timeline["revisit_due"].rule == "18 months after wsoa_accepted; only if outcome is wsoa_required"
    notified: dict[str, EventValue] = dict(events, revisit_notified=D(2019, 11, 4))
    timeline = build_timeline(fw2016, notified)
    assert timeline["revisit_notice"].due == calendar.add_working_days(D(2019, 11, 4), 10) == D(2019, 11, 18)
    # the revisit's end and letter now follow the notice, not the 18-month limit
    assert timeline["revisit_last_day"].due == D(2019, 11, 21)


def test_insufficient_progress_leads_to_a_dfe_review(fw2016: Framework) -> None:
    events: dict[str, EventValue] = {
        "revisit_published": D(2020, 3, 2),
        "revisit_outcome": "sufficient_in_some",
    }
    assert build_timeline(fw2016, events)["dfe_progress_review"].due == D(2020, 9, 2)
    events["revisit_outcome"] = "sufficient_in_all"
    assert build_timeline(fw2016, events).get("dfe_progress_review") is None


# -- the 2023 follow-up ---------------------------------------------------------------------------------


def test_outcome_3_priority_action_plan_and_monitoring(fw2023: Framework) -> None:
    calendar = default_calendar()
    events: dict[str, EventValue] = {
        "notified": D(2023, 1, 16),
        "on_site_start": D(2023, 1, 30),
        "on_site_end": D(2023, 2, 3),
        "outcome": 3,
        "final_report_received": D(2023, 5, 12),
    }
    timeline = build_timeline(fw2023, events)
    assert timeline["priority_action_plan"].due == calendar.add_working_days(D(2023, 5, 12), 35)
    assert timeline["priority_action_plan"].confidence == "medium"
    # monitoring inspections were held in late 2024: the 18 months run on by the pause
    assert timeline["monitoring_inspection_due"].held_by != ()
    assert build_timeline(fw2023, events, programme=NO_PROGRAMME)["monitoring_inspection_due"].due == D(
        2024, 11, 12
    )
    assert timeline["monitoring_inspection_due"].due > D(2024, 11, 12)
    assert timeline["next_full_inspection"].due == D(2026, 2, 3)
    overridden = build_timeline(fw2023, events, overrides={"priority_action_plan": 50})
    assert overridden["priority_action_plan"].due == calendar.add_working_days(D(2023, 5, 12), 50)


@pytest.mark.parametrize(("outcome", "years"), [(1, 5), (2, 3), (3, 3), ("inconsistent", 3)])
def test_next_full_inspection_by_outcome(fw2023: Framework, outcome: int | str, years: int) -> None:
    timeline = build_timeline(fw2023, {"on_site_end": D(2024, 3, 15), "outcome": outcome})
    assert timeline["next_full_inspection"].due == D(2024 + years, 3, 15)


def test_outcome_1_has_no_priority_action_plan_or_monitoring(fw2023: Framework) -> None:
    timeline = build_timeline(fw2023, {"on_site_end": D(2024, 3, 15), "outcome": 1})
    keys = {m.key for m in timeline.milestones}
    assert not keys & {"priority_action_plan", "monitoring_inspection_due"}


def test_annual_engagement_meetings_until_the_next_full_inspection(fw2023: Framework) -> None:
    events: dict[str, EventValue] = {"on_site_end": D(2024, 3, 15), "published": D(2024, 5, 15), "outcome": 1}
    timeline = build_timeline(fw2023, events)
    meetings = [m for m in timeline.milestones if m.key.startswith("engagement_meeting")]
    assert [m.due for m in meetings] == [D(2025, 5, 15), D(2026, 5, 15), D(2027, 5, 15), D(2028, 5, 15)]
    assert all(m.due < timeline["next_full_inspection"].due for m in meetings)


def test_milestones_are_in_date_order_and_serialise(fw2023: Framework) -> None:
    timeline = build_timeline(fw2023, {"notified": D(2025, 9, 8), "outcome": 2})
    dues = [m.due for m in timeline.milestones]
    assert dues == sorted(dues)
    first = timeline.as_list()[0]
    assert {"key", "label", "due", "rule", "source", "confidence"} <= set(first)
    assert first["due"] == "2025-09-18"


def test_overdue_when_today_is_past_the_due_date(fw2023: Framework) -> None:
    timeline = build_timeline(fw2023, {"notified": D(2025, 9, 8)}, today=D(2025, 9, 19))
    assert timeline["offsite_fieldwork"].status == "overdue"
    assert timeline["on_site_week_start"].status == "due"


def test_local_elections_hold_only_the_area_with_polls(fw2016_stated: Framework) -> None:
    fw2016 = fw2016_stated
    local = PreElectionPeriod(
        "Local elections 2 May 2019", "local", D(2019, 3, 25), D(2019, 5, 2), frozenset({ESSEX})
    )
    calendar = WorkingDayCalendar(pre_election_periods=[local])
    events: dict[str, EventValue] = {"on_site_end": D(2019, 3, 8)}  # 33 working days later: 26 April 2019
    assert build_timeline(fw2016, events, area_code=ESSEX, calendar=calendar)["publication"].due == D(
        2019, 5, 3
    )
    assert build_timeline(fw2016, events, area_code="E09000009", calendar=calendar)["publication"].due == D(
        2019, 4, 26
    )
    assert build_timeline(fw2016, events, calendar=calendar)["publication"].due == D(2019, 4, 26)


def test_describe_interval() -> None:
    assert describe_interval(1, "working_days") == "1 working day"
    assert describe_interval(18, "months") == "18 months"


# -- bad input: clear errors ---------------------------------------------------------------------------


def test_unknown_framework() -> None:
    with pytest.raises(TimelineError) as caught:
        timeline_for("area-send-2030", {"notified": D(2030, 1, 7)})
    assert str(caught.value) == MSG_UNKNOWN_FRAMEWORK.format(
        framework_id="area-send-2030", known="area-send-2023, local-area-send-2016"
    )


def test_unknown_event(fw2023: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2023, {"notifed": D(2025, 9, 8)})
    assert str(caught.value) == MSG_UNKNOWN_EVENT.format(
        name="notifed", framework=F2023, known=", ".join(sorted(fw2023.event_names))
    )


def test_end_before_start(fw2016: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2016, {"on_site_start": D(2019, 9, 30), "on_site_end": D(2019, 9, 27)})
    assert str(caught.value) == MSG_EVENT_BEFORE.format(
        event="on_site_end", event_date="2019-09-27", anchor="on_site_start", anchor_date="2019-09-30"
    )


def test_on_site_before_notification(fw2023: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2023, {"notified": D(2025, 9, 8), "on_site_start": D(2025, 9, 1)})
    assert str(caught.value) == MSG_EVENT_BEFORE.format(
        event="on_site_start", event_date="2025-09-01", anchor="notified", anchor_date="2025-09-08"
    )


def test_event_not_a_date(fw2023: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2023, {"notified": "2025-09-08"})
    assert str(caught.value) == MSG_NOT_A_DATE.format(name="notified", value="2025-09-08")


def test_unknown_outcome(fw2023: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2023, {"outcome": 4})
    choices = "typically_positive (1), inconsistent (2), widespread_systemic_failings (3)"
    assert str(caught.value) == MSG_NOT_A_CHOICE.format(name="outcome", choices=choices, value=4)


def test_unknown_decision_value(fw2016: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2016, {"wsoa_judgement": "fine"})
    assert str(caught.value) == MSG_NOT_A_CHOICE.format(
        name="wsoa_judgement", choices="fit_for_purpose, not_fit_for_purpose", value="fine"
    )


def test_override_unknown_deadline(fw2016: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2016, {}, overrides={"publish": 38})
    assert str(caught.value) == MSG_UNKNOWN_OVERRIDE.format(key="publish", framework=F2016)


def test_override_a_rule_that_is_not_configurable(fw2016: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2016, {}, overrides={"wsoa_submission": 80})
    assert str(caught.value) == MSG_NOT_CONFIGURABLE.format(key="wsoa_submission", confidence="high")


def test_override_must_be_a_whole_number(fw2016: Framework) -> None:
    with pytest.raises(TimelineError) as caught:
        build_timeline(fw2016, {}, overrides={"publication": -1})
    assert str(caught.value) == MSG_BAD_OVERRIDE.format(key="publication", value=-1)


# -- guidance rather than law: warnings -------------------------------------------------------------------


def test_notification_not_on_a_monday_is_a_warning(fw2016: Framework) -> None:
    timeline = build_timeline(fw2016, {"notified": D(2019, 9, 24)})
    assert timeline.warnings == (
        WARN_NOT_NOTIFICATION_DAY.format(
            event="notified", date="2019-09-24", weekday="Tuesday", expected="Monday"
        ),
    )
    assert timeline["on_site_week_start"].due == D(2019, 10, 1)


def test_on_site_week_in_a_school_holiday_is_a_warning(fw2016: Framework) -> None:
    timeline = build_timeline(fw2016, {"notified": D(2019, 10, 21)})
    assert timeline.warnings == (
        WARN_SCHOOL_HOLIDAY.format(
            start="2019-10-28",
            end="2019-11-01",
            holiday="Autumn half term 2019/20",
            holiday_start="2019-10-26",
            holiday_end="2019-11-03",
        ),
    )


def test_framework_not_in_force_is_a_warning(fw2016: Framework) -> None:
    timeline = build_timeline(fw2016, {"notified": D(2024, 9, 9)})
    assert (
        WARN_OUTSIDE_FRAMEWORK.format(
            event="notified", date="2024-09-09", framework=F2016, period="2016-05-01 to 2022-12-31"
        )
        in timeline.warnings
    )


def test_an_unknown_event_is_estimated_from_what_really_happened(fw2023: Framework) -> None:
    # The final report is received shortly before publication: once publication has happened, its
    # real date (not the 70-working-day estimate) stands in for the report's receipt.
    events: dict[str, EventValue] = {"on_site_end": D(2025, 1, 31), "published": D(2025, 5, 13), "outcome": 3}
    timeline = build_timeline(fw2023, events)
    pap = timeline["priority_action_plan"]
    assert pap.due == default_calendar().add_working_days(D(2025, 5, 13), 35)
    assert pap.rule.startswith(
        "35 working days after final_report_received (not yet known: projected from published)"
    )
    assert pap.status == "projected"


def test_a_boolean_is_not_an_outcome(fw2023: Framework) -> None:
    with pytest.raises(TimelineError):
        build_timeline(fw2023, {"outcome": True})
