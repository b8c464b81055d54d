from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.core.management import COMMAND_CHECKS
from areasend.inspections.reminders import send_reminders

BAD_DATE = "--today must be a date in the form YYYY-MM-DD, not {value!r}"


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = "Deadline reminders: `reminders send` e-mails those due today; safe to run repeatedly."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        send = sub.add_parser("send", help="Send the reminders due today (never the same one twice).")
        send.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["today"]
        try:
            today = dt.date.fromisoformat(raw) if raw else dt.date.today()
        except ValueError:
            raise CommandError(BAD_DATE.format(value=raw), returncode=2) from None
        self.stdout.write(send_reminders(today=today).line())
