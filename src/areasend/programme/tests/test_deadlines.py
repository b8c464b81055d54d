"""Deadlines page, private calendar feed and e-mail reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from icalendar import Calendar

from areasend.areas.models import LocalArea
from areasend.conftest import signed_in
from areasend.inspections import services
from areasend.inspections.models import Inspection
from areasend.programme.models import CalendarFeed, ReminderSent
from areasend.programme.reminders import FIVE_DAYS, ONE_DAY, OVERDUE, reminder_kind, send_reminders

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
def test_reminders_are_sent_once_however_often_the_command_runs(notified, team, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("reminders", "send", "--today", "2025-09-15")
    first = capsys.readouterr().out
    sent = len(mail.outbox)
    assert sent > 0
    assert f"Reminders: {sent} sent, 0 already sent before." in first
    subjects = [m.subject for m in mail.outbox]
    assert any(s.startswith("Due in 5 working days: On-site week starts") for s in subjects)
    assert all(
        m.to == ["lead-hmi@example.org"] for m in mail.outbox
    )  # inspectorates' deadlines go to the team
    call_command("reminders", "send", "--today", "2025-09-15")
    assert len(mail.outbox) == sent
    assert f"0 sent, {sent} already sent before" in capsys.readouterr().out
    assert ReminderSent.objects.count() == sent
    send_reminders(today=D(2025, 9, 25))  # now overdue: one more each, once
    overdue = [m for m in mail.outbox if m.subject.startswith("Overdue: ")]
    assert overdue
    send_reminders(today=D(2025, 9, 26))
    assert len([m for m in mail.outbox if m.subject.startswith("Overdue: ")]) == len(overdue)


@pytest.mark.django_db
def test_reminders_for_the_area_go_to_its_officers(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    for user in team.values():
        user.email = f"{user.username}@example.org"
        user.save()
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["local-area-send-2016"],
        actor=team["admin"],
    )
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["admin"])
    services.event_record(
        inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=team["admin"]
    )
    due = services.inspection_timeline(inspection)["wsoa_submission"].due
    send_reminders(today=due + dt.timedelta(days=1))
    to_area = [m for m in mail.outbox if "Written statement of action submitted" in m.subject]
    assert [m.to for m in to_area] == [["essex-officer@example.org"]]


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
