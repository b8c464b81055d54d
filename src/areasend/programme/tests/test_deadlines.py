"""Deadlines page, private calendar feed and e-mail reminders."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from icalendar import Calendar

from areasend.areas.models import LocalArea
from areasend.conftest import signed_in, walk_to
from areasend.core.models import AuditEvent, JobRun
from areasend.inspections import services
from areasend.inspections.models import Inspection
from areasend.programme.models import CalendarFeed, ReminderSent
from areasend.programme.reminders import (
    FIVE_DAYS,
    JOB_TITLE,
    ONE_DAY,
    OVERDUE,
    reminder_kind,
    send_reminders,
)
from areasend.programme.selectors import milestones_to_remind

D = dt.date


@pytest.fixture
def notified(frameworks, team) -> Inspection:  # type: ignore[no-untyped-def]
    """A 2023 inspection notified on Monday 8 September 2025 (on site due Monday 22 September)."""
    for user in team.values():
        user.email = f"{user.username}@example.org"
        user.save()
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["area-send-2023"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    services.inspection_move(inspection=inspection, target="notified", on=D(2025, 9, 8), actor=team["lead"])
    return inspection


def test_reminder_kinds() -> None:
    assert reminder_kind(D(2025, 9, 22), D(2025, 9, 15)) == FIVE_DAYS  # Monday a week before
    assert reminder_kind(D(2025, 9, 22), D(2025, 9, 19)) == ONE_DAY  # the Friday before
    assert reminder_kind(D(2025, 9, 22), D(2025, 9, 12)) is None
    assert reminder_kind(D(2025, 9, 22), D(2025, 9, 22)) is None  # due today: no "overdue" yet
    assert reminder_kind(D(2025, 9, 22), D(2025, 9, 23)) == OVERDUE


@pytest.mark.django_db
def test_reminders_are_sent_once_however_often_the_command_runs(
    notified: Any, team: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reminders", "send", "--now", "--today", "2025-09-15")
    first = capsys.readouterr().out
    sent = len(mail.outbox)
    assert sent > 0
    assert f"Reminders: {sent} sent, 0 already sent before." in first
    subjects = [m.subject for m in mail.outbox]
    assert any(s.startswith("Due in 5 working days: On-site week starts") for s in subjects)
    assert all(
        m.to == ["lead-hmi@example.org"] for m in mail.outbox
    )  # inspectorates' deadlines go to the team
    assert AuditEvent.objects.filter(action="reminder.send").count() == sent
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reminders", "send", "--today", "2025-09-15")  # queued, then run on commit
    assert "Reminders queued as job" in capsys.readouterr().out
    job = JobRun.objects.filter(title=JOB_TITLE).first()  # the newest
    assert job is not None
    assert job.status == JobRun.SUCCEEDED
    assert f"0 sent, {sent} already sent before" in job.message
    assert len(mail.outbox) == sent
    assert ReminderSent.objects.count() == sent
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=D(2025, 9, 25))  # now overdue: one more each, once
    overdue = [m for m in mail.outbox if m.subject.startswith("Overdue: ")]
    assert overdue
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=D(2025, 9, 26))
    assert len([m for m in mail.outbox if m.subject.startswith("Overdue: ")]) == len(overdue)


@pytest.mark.django_db
def test_reminders_for_the_area_go_to_its_officers(
    frameworks: Any, team: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for user in team.values():
        user.email = f"{user.username}@example.org"
        user.save()
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["local-area-send-2016"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    walk_to(inspection, "drafting", team["lead"])
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["admin"])
    services.event_record(
        inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=team["admin"]
    )
    due = services.inspection_timeline(inspection)["wsoa_submission"].due
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=due + dt.timedelta(days=1))
    to_area = [m for m in mail.outbox if "Written statement of action submitted" in m.subject]
    assert [m.to for m in to_area] == [["essex-officer@example.org"]]


@pytest.mark.django_db
def test_a_reminder_is_e_mailed_only_after_its_record_commits(
    notified: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = send_reminders(today=D(2025, 9, 15))
        assert report.sent > 0
        assert ReminderSent.objects.count() == report.sent
        assert AuditEvent.objects.filter(action="reminder.send").count() == report.sent
        assert mail.outbox == []  # recorded, but the transaction has not committed yet
    assert len(mail.outbox) == report.sent
    event = AuditEvent.objects.filter(action="reminder.send").first()
    assert event is not None and event.actor_label == "system"
    assert event.changes["recipient"] == "lead-hmi" and event.object_type == "programme.remindersent"


@pytest.mark.django_db
def test_a_rolled_back_reminder_is_neither_sent_nor_recorded(
    notified: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert send_reminders(today=D(2025, 9, 15)).sent > 0
        raise RuntimeError("the run failed")
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert not AuditEvent.objects.filter(action="reminder.send").exists()


@pytest.mark.django_db
def test_the_worker_sends_queued_reminders_and_reports_progress(  # type: ignore[no-untyped-def]
    notified, monkeypatch, capsys, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)  # keep the test's transaction
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("reminders", "send", "--today", "2025-09-15")
        job = JobRun.objects.get(title=JOB_TITLE)
        assert f"Reminders queued as job {job.pk}" in capsys.readouterr().out
        assert (job.status, mail.outbox) == (JobRun.QUEUED, [])
        with django_capture_on_commit_callbacks(execute=True):
            call_command("worker", "--once", verbosity=0)
    job.refresh_from_db()
    deadlines = len(milestones_to_remind(today=D(2025, 9, 15)))
    assert (job.status, job.done, job.total, job.unit) == (
        JobRun.SUCCEEDED,
        deadlines,
        deadlines,
        "deadlines",
    )
    assert job.message.startswith(f"Reminders: {len(mail.outbox)} sent, 0 already sent before.")
    assert re.search(r"\. [1-9]\d* deadlines? checked\.$", job.message)
    assert len(mail.outbox) == ReminderSent.objects.count() > 0


@pytest.mark.django_db
def test_a_failed_reminders_run_says_why_without_a_traceback(monkeypatch: Any) -> None:
    from areasend.core.jobs import UNEXPECTED_ERROR
    from areasend.programme import reminders

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("mail server refused the connection at smtp.internal:25")

    monkeypatch.setattr(reminders, "send_reminders", broken)
    with pytest.raises(CommandError) as caught:
        call_command("reminders", "send", "--now", "--today", "2025-09-15")
    job = JobRun.objects.get(title=JOB_TITLE)
    assert str(caught.value) == job.error == UNEXPECTED_ERROR.format(id=job.pk)
    assert job.status == JobRun.FAILED


@pytest.mark.django_db
def test_a_refused_reminder_e_mail_stops_the_job_with_a_message(team: Any, monkeypatch: Any) -> None:
    from areasend.core.jobs import JobFailed
    from areasend.programme import reminders

    def refused(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("smtp.internal:25")

    monkeypatch.setattr(reminders, "send_mail", refused)
    with pytest.raises(JobFailed) as caught:
        reminders._send_reminder(subject="Overdue: WSOA (Essex)", body="", user=team["lead"])
    assert str(caught.value) == reminders.MAIL_REFUSED.format(
        recipient="lead-hmi", subject="Overdue: WSOA (Essex)"
    )
    assert "smtp.internal" not in str(caught.value)


def test_bad_date_for_reminders() -> None:
    with pytest.raises(CommandError, match="--today must be a date in the form YYYY-MM-DD, not 'tomorrow'"):
        call_command("reminders", "send", "--today", "tomorrow")


@pytest.mark.django_db
def test_deadlines_page_filters_and_sorts(page_client, notified, team) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, team["officer"])
    response = page_client.get("/deadlines/")
    assert response.status_code == 200
    rows = response.context["milestones"]
    assert {m.key for m in rows} >= {"on_site_week_start"}
    assert all(m.inspection == notified for m in rows)
    assert [m.due for m in rows] == sorted(m.due for m in rows)
    assert "Overdue" in response.content.decode()  # 2025 dates are past today
    only_area = page_client.get("/deadlines/", {"owed_by": "area"}).context["milestones"]
    assert all(m.owed_by == "area" for m in only_area)
    elsewhere = page_client.get("/deadlines/", {"region": "London"}).context["milestones"]
    assert elsewhere == []
    by_area = page_client.get("/deadlines/", {"sort": "status"})
    assert by_area.status_code == 200
    bad = page_client.get("/deadlines/", {"sort": "sideways"})
    assert "Select a valid choice" in bad.content.decode()
    signed_in(page_client, team["kent_officer"])
    assert page_client.get("/deadlines/").context["milestones"] == []


@pytest.mark.django_db
def test_private_calendar_feed(page_client, client, notified, team) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, team["lead"])
    page_client.post("/deadlines/calendar/")
    feed = CalendarFeed.objects.get(user=team["lead"])
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    starts = {str(e["summary"]).split(" – ")[0]: e.decoded("dtstart") for e in events}
    assert starts["On-site week starts (Monday of week 3)"] == D(2025, 9, 22)
    old = feed.token
    page_client.post("/deadlines/calendar/")  # replace the address
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


@pytest.mark.django_db
def test_overdue_plan_actions_count_on_the_deadlines_page(frameworks, team, client) -> None:  # type: ignore[no-untyped-def]
    from areasend.areas.models import Partner
    from areasend.conftest import check_page
    from areasend.followup import services as follow_up

    essex = LocalArea.objects.get(ons_code="E10000012")
    inspection = services.inspection_create(
        area=essex, framework_version=frameworks["local-area-send-2016"], actor=team["admin"]
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    walk_to(inspection, "drafting", team["lead"])
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["admin"])
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=team["officer"])
    owner = Partner.objects.filter(area=essex).first()
    assert owner is not None
    late = follow_up.plan_action_add(
        plan=plan, text="Publish the local offer", owner=owner, due_on=D(2020, 1, 6), actor=team["officer"]
    )
    follow_up.plan_action_add(
        plan=plan, text="Train SENCos", owner=owner, due_on=D(2099, 1, 5), actor=team["officer"]
    )
    signed_in(client, team["officer"])
    page = check_page(client.get("/deadlines/"))
    rows = {row[1].split(" A plan action")[0]: row for row in page.rows() if "plan action" in row[1]}
    assert len(rows) == 2
    overdue = [row for row in rows.values() if row[4] == "Overdue"]
    assert len(overdue) == 1 and "Publish the local offer" in overdue[0][1]
    count = page.text("#deadline-count")
    milestones_overdue = sum(m.overdue for m in open_milestones_for(team["officer"]))
    assert f"{milestones_overdue + 1} overdue" in count
    # done actions leave the list; the inspectorates' own view does not list them
    follow_up.plan_action_progress(action=late, status="complete", actor=team["officer"])
    assert "Publish the local offer" not in check_page(client.get("/deadlines/")).text("#deadlines")
    assert "Train SENCos" not in check_page(client.get("/deadlines/?owed_by=inspectorates")).text(
        "#deadlines"
    )


def open_milestones_for(user: Any) -> list[Any]:
    from areasend.programme.selectors import open_milestones

    return list(open_milestones(user=user, today=dt.date.today()))
