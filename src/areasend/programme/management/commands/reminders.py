from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.core.jobs import job_run_now, job_start
from areasend.core.management import COMMAND_CHECKS
from areasend.programme.reminders import JOB_TITLE, send_reminders_job

BAD_DATE = "--today must be a date in the form YYYY-MM-DD, not {value!r}"
QUEUED = "Reminders queued as job {id}: `areasend worker` sends them. Follow the job at /jobs/{id}/."


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = (
        "Deadline reminders: `reminders send` queues a job that e-mails those due today "
        "(`--now` sends them here instead); safe to run repeatedly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        send = sub.add_parser("send", help="Send the reminders due today (never the same one twice).")
        send.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")
        send.add_argument(
            "--now", action="store_true", help="Send them in this process and wait, instead of queueing a job"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["today"]
        try:
            today = dt.date.fromisoformat(raw) if raw else dt.date.today()
        except ValueError:
            raise CommandError(BAD_DATE.format(value=raw), returncode=2) from None
        arguments = {"today": today.isoformat()}
        if options["now"]:
            job = job_run_now(task=send_reminders_job, title=JOB_TITLE, actor=None, arguments=arguments)
        else:
            job = job_start(task=send_reminders_job, title=JOB_TITLE, actor=None, arguments=arguments)
            job.refresh_from_db()
        if job.status == job.FAILED:
            raise CommandError(job.error, returncode=1)
        self.stdout.write(job.message if job.is_finished else QUEUED.format(id=job.pk))
