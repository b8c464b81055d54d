"""Local pre-election periods, the release lag, programme pauses and the revisit programme start.

Expected dates are worked out from the shipped data files (polling days, notice, lag, pauses) and the
real record (src/areasend/history/data), never copied from the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import statistics
from pathlib import Path

import pytest
import yaml

from areasend.domain.calendar import (
    PRE_ELECTION_FILE,
    CalendarError,
    WorkingDayCalendar,
    add_months,
    default_calendar,
    load_pre_election_periods,
)
from areasend.domain.elections import (
    LOCAL_ELECTIONS_FILE,
    ElectionDataError,
    load_local_elections,
    shipped_local_elections,
)
from areasend.domain.frameworks import NEXT_FULL_INSPECTION, Framework, shipped_frameworks
from areasend.domain.pauses import PAUSES_FILE, PauseDataError, Programme, load_programme, shipped_programme
from areasend.domain.timeline import EventValue, build_timeline

D = dt.date
F2016 = "local-area-send-2016"
HISTORY = Path(__file__).resolve().parents[2] / "history" / "data"
RECORD_2016 = HISTORY / "ofsted_area_send_inspections_2016_2022.csv"
RECORD_2023 = HISTORY / "ofsted_area_send_inspections_2023_framework_scraped.csv"
KIRKLEES, BRADFORD, ESSEX, CAMDEN, LINCOLNSHIRE = (
    "E08000034",
    "E08000032",
    "E10000012",
    "E09000007",
    "E10000019",
)


def _uk(text: str) -> dt.date | None:
    for form in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            pass
    return None


def _record_2016(code: str) -> dict[str, str]:
    with RECORD_2016.open(encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row["la_code"] == code)


def _shipped_lag() -> int:
    data = yaml.safe_load(PRE_ELECTION_FILE.read_text(encoding="utf-8"))
    return int(data["release_lag"]["working_days"])


def _polling_day(year: int) -> dt.date:
    data = yaml.safe_load(LOCAL_ELECTIONS_FILE.read_text(encoding="utf-8"))
    return dt.date.fromisoformat(str(data["polling_days"][year]))


@pytest.fixture(scope="module")
def fw2016() -> Framework:
    return shipped_frameworks()[F2016]


@pytest.fixture(scope="module")
def cal() -> WorkingDayCalendar:
    return default_calendar()


def _full_events(cal: WorkingDayCalendar, start: dt.date) -> dict[str, EventValue]:
    return {"on_site_start": start, "on_site_end": cal.add_working_days(start, 4)}


# -- local elections -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [KIRKLEES, BRADFORD])
def test_2022_inspection_in_an_area_with_may_2022_polls_publishes_after_polling_day_plus_the_lag(
    fw2016: Framework, cal: WorkingDayCalendar, code: str
) -> None:
    row = _record_2016(code)
    started = _uk(row["inspection_start_date"])
    assert started is not None and started.year == 2022
    events = _full_events(cal, started)
    unheld = cal.add_working_days(events["on_site_end"], fw2016.deadline("publication").value)  # type: ignore[arg-type, union-attr]
    poll = _polling_day(2022)
    notice_start = cal.add_working_days(poll, -shipped_local_elections().notice_working_days)
    publication = build_timeline(fw2016, events, area_code=code)["publication"]
    real = _uk(row["inspection_publication_date"])
    assert real is not None and poll < publication.due <= real  # after polling day, as it really was
    if code == KIRKLEES:  # on site in February: its report would have come out during the period
        assert notice_start <= unheld <= poll
    if notice_start <= unheld <= poll:
        assert publication.due == cal.add_working_days(poll, _shipped_lag())
        assert publication.held_by == (f"Local elections {poll.day} {poll:%B %Y}",)
        assert "pre-election period" in publication.rule
    else:  # estimated after polling day already: nothing holds it
        assert (publication.due, publication.held_by) == (unheld, ())


def test_a_poll_starts_its_period_on_the_notice_day(cal: WorkingDayCalendar) -> None:
    poll = _polling_day(2022)
    (period,) = [p for p in cal.pre_election_periods_for(KIRKLEES) if p.polling_day == poll]
    assert cal.working_days_between(period.start, poll) == shipped_local_elections().notice_working_days
    assert period.kind == "local" and period.release_lag == _shipped_lag()
    assert period.confidence == "high"  # confirmed by the record in the data file


def test_an_area_without_elections_is_not_held(fw2016: Framework, cal: WorkingDayCalendar) -> None:
    # London boroughs poll in 2018, 2022 and 2026: nothing in May 2019, when Walsall (a metropolitan
    # district) does.
    events = _full_events(cal, D(2019, 2, 25))
    proposed = cal.add_working_days(events["on_site_end"], fw2016.deadline("publication").value)  # type: ignore[arg-type, union-attr]
    poll = _polling_day(2019)
    assert cal.add_working_days(poll, -shipped_local_elections().notice_working_days) <= proposed <= poll
    london = build_timeline(fw2016, events, area_code=CAMDEN)["publication"]
    assert (london.due, london.held_by) == (proposed, ())
    assert "pre-election" not in london.rule
    walsall = build_timeline(fw2016, events, area_code="E08000030")["publication"]
    assert walsall.due == cal.add_working_days(_polling_day(2019), _shipped_lag())
    # a code of no known council type gets no local periods
    assert cal.local_pre_election_periods("W06000001") == ()


def test_the_2020_polls_were_held_in_2021(cal: WorkingDayCalendar) -> None:
    rules = shipped_local_elections()
    assert 2020 not in rules.polling_days
    for code in (KIRKLEES, CAMDEN, ESSEX, "E06000015", "E06000052"):
        days = [p.polling_day for p in cal.local_pre_election_periods(code)]
        assert all(day.year != 2020 for day in days)
    assert _polling_day(2021) in [p.polling_day for p in cal.local_pre_election_periods(KIRKLEES)]


def test_2025_county_polls_postponed_for_reorganisation(cal: WorkingDayCalendar) -> None:
    poll = _polling_day(2025)
    assert poll in [p.polling_day for p in cal.local_pre_election_periods(LINCOLNSHIRE)]
    essex = [p.polling_day for p in cal.local_pre_election_periods(ESSEX)]
    assert poll not in essex and _polling_day(2026) in essex


def test_the_register_type_is_used_when_passed_in() -> None:
    # a code whose prefix says nothing gets the cycle of the type the register gives it
    code = "E99999999"
    plain = WorkingDayCalendar()
    told = WorkingDayCalendar(area_council_types={code: "London Boroughs"})
    assert plain.local_pre_election_periods(code) == ()
    assert [p.polling_day.year for p in told.local_pre_election_periods(code)] == [2018, 2022, 2026]


# -- the release lag -----------------------------------------------------------------------------------


def test_essex_2019_is_still_held_by_the_general_election(fw2016: Framework, cal: WorkingDayCalendar) -> None:
    row = _record_2016(ESSEX)
    started = _uk(row["inspection_start_date"])
    assert started is not None
    publication = build_timeline(fw2016, _full_events(cal, started), area_code=ESSEX)["publication"]
    assert publication.held_by == ("General election 12 December 2019",)
    assert publication.due == cal.add_working_days(D(2019, 12, 12), _shipped_lag())


def test_the_release_lag_is_configurable(cal: WorkingDayCalendar) -> None:
    proposed = D(2019, 11, 20)
    assert WorkingDayCalendar(release_lag=1).publication_date(proposed, ESSEX) == D(2019, 12, 13)
    assert WorkingDayCalendar(release_lag=3).publication_date(proposed, ESSEX) == cal.add_working_days(
        D(2019, 12, 12), 3
    )
    with pytest.raises(CalendarError, match="release lag"):
        WorkingDayCalendar(release_lag=0)


def _held_real_reports(cal: WorkingDayCalendar) -> list[int]:
    """The method written in pre_election_periods.yaml, run over the record."""
    reports: list[tuple[str, dt.date | None, dt.date | None, int]] = []
    with RECORD_2016.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            start = _uk(row["inspection_start_date"])
            assert start is not None
            reports.append(
                (row["la_code"], cal.add_working_days(start, 4), _uk(row["inspection_publication_date"]), 33)
            )
            revisit = _uk(row["revisit_start_date"])
            if revisit is not None:
                revisit_end = cal.add_working_days(revisit, 3)
                reports.append((row["la_code"], revisit_end, _uk(row["revisit_publication_date"]), 33))
    with RECORD_2023.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            reports.append(
                (row["ltla23cd"], _uk(row["inspection_end_date"]), _uk(row["publication_date"]), 70)
            )
    lags = []
    for code, end, published, working_days in reports:
        if end is None or published is None:
            continue
        hold = cal.publication_hold(cal.add_working_days(end, working_days), code)
        if hold.held and published > hold.held_by[-1].polling_day:
            lags.append(cal.working_days_between(hold.held_by[-1].polling_day, published))
    return sorted(lags)


def test_the_release_lag_is_the_median_of_the_held_real_reports(cal: WorkingDayCalendar) -> None:
    lags = _held_real_reports(cal)
    method = yaml.safe_load(PRE_ELECTION_FILE.read_text(encoding="utf-8"))["release_lag"]["method"]
    stated = re.search(r"Sample: (\d+) held reports", method)
    assert stated is not None and int(stated.group(1)) == len(lags)
    nearest_rank = lags[(len(lags) + 1) // 2 - 1]
    assert nearest_rank == _shipped_lag() == round(statistics.median(lags))


def test_real_publications_inside_a_local_period_are_few(cal: WorkingDayCalendar) -> None:
    inside = []
    with RECORD_2016.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            published = _uk(row["inspection_publication_date"])
            for period in cal.local_pre_election_periods(row["la_code"]):
                if published is not None and period.start <= published <= period.polling_day:
                    inside.append((row["area_name"], published))
    assert len(inside) <= 3, inside  # the rule agrees with the record: reports are not published then


# -- pauses and the revisit programme start --------------------------------------------------------------


def _pause(activity: str, year: int) -> tuple[dt.date, dt.date, str]:
    for pause in shipped_programme().pauses:
        if activity in pause.activities and pause.start.year == year:
            return pause.start, pause.end, pause.name
    raise AssertionError(f"no {activity} pause in {year}")


def test_a_2020_revisit_deadline_moves_across_the_covid_pause(fw2016: Framework) -> None:
    accepted = D(2019, 1, 15)
    events: dict[str, EventValue] = {"outcome": "wsoa_required", "wsoa_accepted": accepted}
    start, end, name = _pause("revisits", 2020)
    unmoved = add_months(accepted, 18)
    assert start <= unmoved <= end
    due = build_timeline(fw2016, events)["revisit_due"]
    assert due.due == unmoved + dt.timedelta(days=(end - start).days + 1)
    assert due.due > end and due.held_by == (name,)
    assert name in due.rule
    without = build_timeline(fw2016, events, programme=Programme(activities={}))["revisit_due"]
    assert (without.due, without.held_by) == (unmoved, ())


def test_a_deadline_running_across_a_pause_moves_by_the_overlap(
    fw2016: Framework, cal: WorkingDayCalendar
) -> None:
    # Shropshire: on site 27 to 31 January 2020; its letter was due on 18 March, one day into the
    # publication pause, and was published on 15 May 2020.
    row = _record_2016("E06000051")
    started = _uk(row["inspection_start_date"])
    assert started is not None
    events = _full_events(cal, started)
    start, end, name = _pause("publication", 2020)
    unmoved = cal.add_working_days(events["on_site_end"], fw2016.deadline("publication").value)  # type: ignore[arg-type, union-attr]
    assert start <= unmoved <= end
    publication = build_timeline(fw2016, events, area_code="E06000051")["publication"]
    paused = cal.working_days_between(start - dt.timedelta(days=1), end)
    assert publication.due == cal.add_working_days(unmoved, paused)
    assert name in publication.held_by
    real = _uk(row["inspection_publication_date"])
    # within two working weeks of the real letter, whichever estimate of the lag the file holds
    assert real is not None and abs(cal.working_days_between(publication.due, real)) <= 10


def test_a_deadline_clear_of_every_pause_is_unchanged(fw2016: Framework) -> None:
    events: dict[str, EventValue] = {"outcome": "wsoa_required", "wsoa_accepted": D(2021, 9, 1)}
    due = build_timeline(fw2016, events)["revisit_due"]
    assert (due.due, due.held_by) == (add_months(D(2021, 9, 1), 18), ())


def test_a_revisit_for_a_wsoa_before_the_programme_is_measured_from_its_start(fw2016: Framework) -> None:
    (programme,) = shipped_programme().starts
    assert programme.start.year == 2018 and programme.start.month == 12
    events: dict[str, EventValue] = {"outcome": "wsoa_required", "wsoa_accepted": D(2017, 6, 1)}
    only_start = Programme(activities=shipped_programme().activities, starts=(programme,))
    due = build_timeline(fw2016, events, programme=only_start)["revisit_due"]
    assert due.due == add_months(programme.start, 18)
    assert due.held_by == (programme.name,)
    assert programme.start.isoformat() in due.rule
    # with the shipped pauses too, the due date (June 2020) is also carried across the COVID pause
    start, end, name = _pause("revisits", 2020)
    shipped = build_timeline(fw2016, events)["revisit_due"]
    assert shipped.due == add_months(programme.start, 18) + dt.timedelta(days=(end - start).days + 1)
    assert shipped.held_by == (programme.name, name)


def test_fewer_real_revisits_look_late_with_the_programme_start_and_pauses(fw2016: Framework) -> None:
    cal = default_calendar()
    late = {"without": 0, "with": 0}
    with RECORD_2016.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            revisit, started = _uk(row["revisit_start_date"]), _uk(row["inspection_start_date"])
            if revisit is None or started is None:
                continue
            events = {**_full_events(cal, started), "outcome": "wsoa_required", "revisit_start": revisit}
            events["published"] = _uk(row["inspection_publication_date"])  # type: ignore[assignment]
            for label, programme in (("without", Programme(activities={})), ("with", shipped_programme())):
                due = build_timeline(fw2016, events, area_code=row["la_code"], programme=programme)[
                    "revisit_due"
                ]
                late[label] += due.status == "late"
    assert late["with"] < late["without"] / 2


def test_every_deadline_the_pauses_name_exists() -> None:
    frameworks = shipped_frameworks()
    for framework_id, keys in shipped_programme().deadline_keys().items():
        fw = frameworks[framework_id]
        known = {d.key for d in fw.deadlines} | {NEXT_FULL_INSPECTION}
        assert keys <= known, keys - known


def test_held_by_is_in_the_milestone_dict(fw2016: Framework, cal: WorkingDayCalendar) -> None:
    events = _full_events(cal, D(2019, 9, 30))
    row = build_timeline(fw2016, events, area_code=ESSEX)["publication"].as_dict()
    assert row["held_by"] == ["General election 12 December 2019"]


# -- bad data files ----------------------------------------------------------------------------------------


def _write(tmp_path: Path, source: Path, change: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert change in text
    path = tmp_path / source.name
    path.write_text(text.replace(change, new, 1), encoding="utf-8")
    return path


def test_bad_local_elections_files_give_clear_messages(tmp_path: Path) -> None:
    path = _write(tmp_path, LOCAL_ELECTIONS_FILE, "  2022: 2022-05-05\n", "")
    with pytest.raises(ElectionDataError, match=r"local_elections.yaml: .*year 2022 has no polling day"):
        load_local_elections(path)
    path = _write(
        tmp_path, LOCAL_ELECTIONS_FILE, "working_days_before_poll: 25", "working_days_before_poll: none"
    )
    with pytest.raises(ElectionDataError, match="working_days_before_poll must be a whole number"):
        load_local_elections(path)
    path = _write(tmp_path, LOCAL_ELECTIONS_FILE, '{cycle: by_thirds, note: "Halton"}', "{cycle: thirds}")
    with pytest.raises(ElectionDataError, match="areas E06000006: unknown cycle 'thirds'"):
        load_local_elections(path)
    path = _write(tmp_path, LOCAL_ELECTIONS_FILE, "2016: 2016-05-05", "2016: 5 May 2016")
    with pytest.raises(ElectionDataError, match="polling_days 2016: '5 May 2016' is not a YYYY-MM-DD date"):
        load_local_elections(path)


def test_bad_pauses_files_give_clear_messages(tmp_path: Path) -> None:
    path = _write(tmp_path, PAUSES_FILE, "end: 2021-05-04", "end: 2019-05-04")
    with pytest.raises(
        PauseDataError, match=r"programme_pauses.yaml: pause .* ends \(2019-05-04\) before it starts"
    ):
        load_programme(path)
    path = _write(tmp_path, PAUSES_FILE, "pauses: [revisits]", "pauses: [site_visits]")
    with pytest.raises(PauseDataError, match="unknown activity 'site_visits'"):
        load_programme(path)
    path = _write(tmp_path, PAUSES_FILE, "start: 2018-12-03", "start: December 2018")
    with pytest.raises(PauseDataError, match="start 'December 2018' is not a YYYY-MM-DD date"):
        load_programme(path)


def test_a_bad_release_lag_gives_a_clear_message(tmp_path: Path) -> None:
    path = _write(tmp_path, PRE_ELECTION_FILE, "  working_days: 7", "  working_days: 0")
    with pytest.raises(CalendarError, match=r"pre_election_periods.yaml: the release lag must be .* got 0"):
        load_pre_election_periods(path)
