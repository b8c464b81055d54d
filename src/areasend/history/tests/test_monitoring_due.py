"""The national history dates a required follow-up visit by its framework's own rule (ADR 26): for
every real outcome-3 inspection the monitoring inspection is due when that inspection's timeline
says, and the follow-up documents recorded are those the reports ask for."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from areasend.domain.calendar import add_months, default_calendar
from areasend.domain.frameworks import Framework, shipped_editions
from areasend.domain.frameworks.editions import edition_or_current
from areasend.domain.timeline import timeline_for
from areasend.history.models import PublishedInspection
from areasend.history.reference_data import DATA_DIR, SCRAPED_2023_FILE
from areasend.history.services import history_import
from areasend.history.visit_due import due_deadline

pytestmark = pytest.mark.django_db

F2023 = "area-send-2023"
CHAIN = shipped_editions()[F2023]
CAL = default_calendar()


def _scraped_grades() -> list[str]:
    with (DATA_DIR / SCRAPED_2023_FILE).open(encoding="utf-8") as handle:
        return [row["outcome_grade"] for row in csv.DictReader(handle)]


def _notified(framework: Framework, started: dt.date) -> dt.date:
    """The notification day the framework's timetable puts before a first day on site."""
    timetable = framework.timetable
    rule = next(
        d
        for d in framework.deadlines
        if d.event == timetable.on_site_start_event and d.from_ == timetable.notification_event
    )
    for back in range(1, 40):
        day = started - dt.timedelta(days=back)
        if CAL.add_working_days(day, rule.value) == started:
            return day
    return started - dt.timedelta(days=14)


def test_history_and_timeline_agree_on_the_monitoring_due_date_of_every_real_outcome_3_inspection() -> None:
    history_import()
    outcome_3 = CHAIN[-1].outcome(3)
    assert outcome_3 is not None
    rows = list(PublishedInspection.objects.filter(framework_id=F2023, outcome=3).select_related("area"))
    # every outcome 3 of the scraped file, and any that areasend's corrections of the record add
    assert len(rows) >= sum(1 for g in _scraped_grades() if g.startswith("3")) > 0
    for row in rows:
        framework = edition_or_current(CHAIN, row.started_on)
        assert framework is not None
        visit = next(v for v in framework.visits if v.required_when)
        timetable = framework.timetable
        publication = framework.lifecycle.publication
        assert publication is not None and row.published_on is not None
        known: dict[str, dt.date | None] = {
            timetable.notification_event: _notified(framework, row.started_on) if row.started_on else None,
            timetable.on_site_start_event: row.started_on,
            timetable.on_site_end_event: row.ended_on,
            publication.event: row.published_on,
        }
        events: dict[str, dt.date | str] = {name: value for name, value in known.items() if value is not None}
        events["outcome"] = outcome_3.key
        timeline = timeline_for(F2023, events, area_code=row.area.ons_code)
        key = due_deadline(framework, visit)
        assert key is not None
        due = timeline[key].due
        assert (row.next_visit, row.next_visit_by) == (visit.key, due), row.area.name
        # the rule: months from the partnership's receipt of the final report, which without a
        # recorded receipt is estimated by the publication date (received on or before it); a
        # programme pause (monitoring held off in 2024) can only move it later
        rule = framework.deadline(key)
        assert rule is not None and rule.from_ == "final_report_received" and rule.unit == "months"
        assert due >= add_months(row.published_on, rule.value)
        assert (due == add_months(row.published_on, rule.value)) == (not timeline[key].held_by), row.area.name


def test_the_strategic_plan_update_is_recorded_as_required_after_outcomes_1_and_2_only() -> None:
    history_import()
    latest = CHAIN[-1]
    plan = next(d for d in latest.follow_up_documents if d.title.startswith("Updated strategic"))
    rows = PublishedInspection.objects.filter(framework_id=F2023, outcome__isnull=False, kind="full")
    by_outcome: dict[int, set[bool]] = {}
    for row in rows:
        assert row.outcome is not None
        by_outcome.setdefault(row.outcome, set()).add(plan.key in (row.documents_required or []))
    assert by_outcome[1] == {True} and by_outcome[2] == {True} and by_outcome[3] == {False}
