"""`areasend worker`: run background jobs as they are queued in the database.

Start one or more beside the web server (on one machine with SQLite, or on several with PostgreSQL);
each claims a job at a time, so no job runs twice. `--once` runs the jobs waiting now, then stops.
"""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from areasend.core.management import COMMAND_CHECKS

_SIGNALS = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s is not None]


class Command(DatabaseWorkerCommand):
    requires_system_checks = COMMAND_CHECKS
    help = (
        "Run background jobs as they are queued (Ctrl+C stops after the job in hand). "
        "`--once` runs every job waiting now, then stops."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--once", action="store_true", help="Run every job waiting now, then stop (for cron or tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.pop("once"):
            options["batch"] = True
            options["startup_delay"] = False
        if options["batch"]:
            options["reload"] = False
        previous = {number: signal.getsignal(number) for number in _SIGNALS}
        try:
            super().handle(*args, **options)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
