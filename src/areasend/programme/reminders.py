"""Deadline reminders by e-mail: 5 and 1 working days before a due date, and once when overdue.

Each reminder is recorded (``ReminderSent``, unique per inspection, milestone, due date, kind and
recipient) with its audit row in one transaction, and its e-mail goes once that transaction commits,
so running the job again never repeats one and a reminder that was rolled back is never sent.
`send_reminders_job` is the background job (`areasend reminders send`); it reports its progress.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django_tasks import task

from areasend.accounts.roles import AREA_OFFICER, VIEWER
from areasend.core import audit, jobs
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

JOB_TITLE = "Send deadline reminders"
MAIL_REFUSED = (
    "The e-mail server did not accept the reminder to {recipient} ({subject}), so the job stopped; the "
    "reminders before it were sent. That reminder is not tried again: check the e-mail settings and tell "
    "{recipient} directly, then run the job again for the rest."
)

logger = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    sent: int = 0
    already_sent: int = 0
    checked: int = 0

    def line(self) -> str:
        return f"Reminders: {self.sent} sent, {self.already_sent} already sent before."

    def progress(self) -> str:
        return f"{_count(self.checked, 'deadline')} checked, {_count(self.sent, 'reminder')} sent."

    def summary(self) -> str:
        return f"{self.line()} {_count(self.checked, 'deadline')} checked."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


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


def _send_reminder(*, subject: str, body: str, user: Any) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception as error:
        logger.exception("Reminder to %s not sent", user.get_username())
        raise jobs.JobFailed(MAIL_REFUSED.format(recipient=user.get_username(), subject=subject)) from error


def send_reminders(*, today: dt.date, progress: jobs.JobProgress | None = None) -> ReminderReport:
    """Record and send every reminder due `today` that has not been sent; report progress if asked."""
    report = ReminderReport()
    milestones = milestones_to_remind(today=today)
    if progress:
        progress.report(done=0, total=len(milestones), unit="deadlines", message=report.progress())
    for done, milestone in enumerate(milestones, start=1):
        inspection = milestone.inspection
        report.checked += 1
        kind = reminder_kind(milestone.due, today)
        if kind is None:
            continue
        for user in _recipients(inspection, milestone.owed_by):
            try:
                with transaction.atomic():
                    reminder = ReminderSent.objects.create(
                        inspection=inspection,
                        milestone=milestone.key,
                        due_on=milestone.due,
                        kind=kind,
                        recipient=user,
                    )
                    audit.record(
                        actor=None,
                        action=audit.AuditAction.REMINDER_SEND,
                        obj=reminder,
                        changes={
                            "inspection": inspection.pk,
                            "milestone": milestone.key,
                            "due_on": milestone.due.isoformat(),
                            "kind": kind,
                            "recipient": user.get_username(),
                        },
                    )
                    jobs.on_commit(
                        partial(
                            _send_reminder,
                            subject=SUBJECTS[kind].format(label=milestone.label, area=inspection.area.name),
                            body=f"{milestone.label}\n\nInspection: {inspection}\n"
                            f"Due: {milestone.due:%A %d %B %Y}\n"
                            f"Rule: {milestone.rule} ({milestone.source})\n",
                            user=user,
                        )
                    )
            except IntegrityError:
                report.already_sent += 1
            else:
                report.sent += 1
        if progress:
            progress.report(done=done, message=report.progress())
    if progress:
        progress.report(done=len(milestones), message=report.summary())
    return report


@task()
def send_reminders_job(*, job_id: int, today: str) -> dict[str, int]:
    """The reminders as a background job: `today` is YYYY-MM-DD."""
    with jobs.job_running(job_id) as job:
        report = send_reminders(today=dt.date.fromisoformat(today), progress=job)
    return asdict(report)
