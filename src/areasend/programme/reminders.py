"""Deadline reminders by e-mail: 5 and 1 working days before a due date, and once when overdue.

Each reminder is recorded (``ReminderSent``, unique per inspection, milestone, due date, kind and
recipient) in the same transaction as it is sent, so running the command again never repeats one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from areasend.accounts.roles import AREA_OFFICER, VIEWER
from areasend.domain.calendar import default_calendar
from areasend.inspections.models import Inspection

from .models import ReminderSent
from .selectors import milestones_to_remind

FIVE_DAYS = "5_working_days"
ONE_DAY = "1_working_day"
OVERDUE = "overdue"

SUBJECTS = {
    FIVE_DAYS: "Due in 5 working days: {label} ({area})",
    ONE_DAY: "Due tomorrow: {label} ({area})",
    OVERDUE: "Overdue: {label} ({area})",
}


@dataclass
class ReminderReport:
    sent: int = 0
    already_sent: int = 0

    def line(self) -> str:
        return f"Reminders: {self.sent} sent, {self.already_sent} already sent before."


def reminder_kind(due: dt.date, today: dt.date) -> str | None:
    """Which reminder a milestone due on `due` needs today, if any."""
    if due < today:
        return OVERDUE
    remaining = default_calendar().working_days_between(today, due)
    if remaining == 1:
        return ONE_DAY
    if 1 < remaining <= 5:
        return FIVE_DAYS
    return None


def _recipients(inspection: Inspection, owed_by: str) -> list[Any]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if owed_by == "area":
        users = users.filter(role_assignments__role=AREA_OFFICER, role_assignments__area=inspection.area)
    elif owed_by == "dfe":
        users = users.filter(role_assignments__role=VIEWER, role_assignments__area__isnull=True)
    else:
        users = users.filter(team_places__inspection=inspection)
    return list(users.distinct())


def send_reminders(*, today: dt.date) -> ReminderReport:
    report = ReminderReport()
    for milestone in milestones_to_remind(today=today):
        inspection = milestone.inspection
        kind = reminder_kind(milestone.due, today)
        if kind is None:
            continue
        for user in _recipients(inspection, milestone.owed_by):
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        inspection=inspection,
                        milestone=milestone.key,
                        due_on=milestone.due,
                        kind=kind,
                        recipient=user,
                    )
                    send_mail(
                        SUBJECTS[kind].format(label=milestone.label, area=inspection.area.name),
                        f"{milestone.label}\n\nInspection: {inspection}\nDue: {milestone.due:%A %d %B %Y}\n"
                        f"Rule: {milestone.rule} ({milestone.source})\n",
                        settings.DEFAULT_FROM_EMAIL,
                        [user.email],
                    )
            except IntegrityError:
                report.already_sent += 1
            else:
                report.sent += 1
    return report
