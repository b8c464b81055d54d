from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.core.management import COMMAND_CHECKS
from areasend.domain.intake import IntakeError
from areasend.history.reference_data import DATA_DIR
from areasend.history.services import history_import, refresh_history_data


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = "Inspection history: `history import` loads Ofsted's published outcomes; `history refresh-data`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        imp = sub.add_parser("import", help="Load (idempotently) published inspections and revisits.")
        imp.add_argument("--dir", type=Path, default=DATA_DIR)
        ref = sub.add_parser("refresh-data", help="Copy the files from the shared data folder.")
        ref.add_argument("--from", dest="source", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            try:
                report = history_import(directory=options["dir"])
            except IntakeError as exc:
                raise CommandError(f"Nothing was imported.\n{exc}", returncode=2) from exc
            for line in report.lines():
                self.stdout.write(line)
        else:
            try:
                copied = refresh_history_data(shared_data_dir=options["source"])
            except FileNotFoundError as exc:
                raise CommandError(str(exc), returncode=2) from exc
            self.stdout.write(f"Copied {len(copied)} files into {DATA_DIR}")
