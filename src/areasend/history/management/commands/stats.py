from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.core.management import COMMAND_CHECKS
from areasend.history.figures import COUNT_BY, PUBLISHED, figure_labels, national_stats

BAD_DATE = "--as-of must be a date in the form YYYY-MM-DD, not {value!r}"
BAD_COUNT_BY = "--count-by must be one of: " + ", ".join(COUNT_BY) + " (not {value!r})"


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = (
        "National figures counted from stored inspection history as of a date: the same for every "
        "framework, then those each framework file's national_history names."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument(
            "--count-by",
            default=PUBLISHED,
            help="inspected: count every figure by the date of the inspection (as Ofsted's official "
            "statistics do); published (default): each figure by its own date, publication or start",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["as_of"]
        try:
            as_of = date.fromisoformat(raw) if raw else date.today()
        except ValueError:
            raise CommandError(BAD_DATE.format(value=raw), returncode=2) from None
        count_by = options["count_by"]
        if count_by not in COUNT_BY:
            raise CommandError(BAD_COUNT_BY.format(value=count_by), returncode=2)
        stats = national_stats(as_of=as_of, count_by=count_by)
        if options["format"] == "json":
            self.stdout.write(json.dumps(stats, indent=2))
            return
        labels = figure_labels()
        for key, value in stats.items():
            label = labels.get(key, key)
            if isinstance(value, dict):
                parts = ", ".join(f"{name}: {number}" for name, number in value.items())
                self.stdout.write(f"{label} ({key}): {parts}")
            else:
                self.stdout.write(f"{label} ({key}): {value}")
