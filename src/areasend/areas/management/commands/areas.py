from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.areas.reference_data import DATA_DIR
from areasend.areas.services import areas_import, refresh_reference_data
from areasend.core.management import COMMAND_CHECKS
from areasend.domain.intake import IntakeError


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = "The register of local areas: `areas import` loads it; `areas refresh-data` updates its files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        imp = sub.add_parser("import", help="Load (idempotently) the register, neighbours and partners.")
        imp.add_argument("--dir", type=Path, default=DATA_DIR, help="Folder holding the reference CSV files")
        ref = sub.add_parser(
            "refresh-data", help="Copy the reference files from the shared data folder into the package."
        )
        ref.add_argument("--from", dest="source", type=Path, required=True, help="The shared data folder")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            try:
                report = areas_import(directory=options["dir"])
            except IntakeError as exc:
                raise CommandError(f"Nothing was imported.\n{exc}", returncode=2) from exc
            for line in report.lines():
                self.stdout.write(line)
        else:
            try:
                copied = refresh_reference_data(shared_data_dir=options["source"])
            except (FileNotFoundError, IntakeError) as exc:
                raise CommandError(f"Nothing was copied.\n{exc}", returncode=2) from exc
            self.stdout.write(f"Copied {len(copied)} files into {DATA_DIR}: {', '.join(copied)}")
