"""`areasend calendar add-working-days YYYY-MM-DD N`: working-day arithmetic for England."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.core.management import COMMAND_CHECKS
from areasend.domain.calendar import default_calendar

MSG_BAD_DATE = "{value!r} is not a date: write it as YYYY-MM-DD"
MSG_BAD_NUMBER = "{value!r} is not a whole number of working days"


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(MSG_BAD_DATE.format(value=value), returncode=2) from None


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = (
        "Working days in England (weekends and England-and-Wales bank holidays excluded). "
        "`add-working-days DATE N` prints the N-th working day after DATE (before it if N is negative; "
        "N = 0 rolls forward to a working day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        add = sub.add_parser("add-working-days", help="Print the date N working days after DATE.")
        add.add_argument("date", metavar="YYYY-MM-DD")
        add.add_argument("n", metavar="N")

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_date(options["date"])
        try:
            n = int(options["n"])
        except ValueError:
            raise CommandError(MSG_BAD_NUMBER.format(value=options["n"]), returncode=2) from None
        self.stdout.write(default_calendar().add_working_days(start, n).isoformat())
