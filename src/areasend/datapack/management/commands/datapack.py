"""`areasend datapack ONS_CODE [--period P] [--framework ID] --format json|pdf|xlsx [--output FILE]`

Writes one area's pre-inspection data pack. JSON goes to standard output unless --output names a
file; PDF and XLSX go to data-pack-<code>-<date>.<ext> unless --output names a file ("-" for
standard output). Bad arguments stop with exit status 2 and a one-line message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.analytics.errors import AnalyticsError
from areasend.analytics.pack import build_pack
from areasend.core.management import COMMAND_CHECKS

FORMATS = ("json", "pdf", "xlsx")
USAGE_ERROR = 2


class _OneLineParser(CommandParser):
    """argparse prints usage and a message; this prints one line and exits with status 2."""

    def error(self, message: str) -> NoReturn:
        if getattr(self, "called_from_command_line", False):
            sys.stderr.write(f"areasend datapack: {message}\n")
            raise SystemExit(USAGE_ERROR)
        raise CommandError(f"Error: {message}", returncode=USAGE_ERROR)


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = "Write an area's pre-inspection data pack as JSON, PDF or XLSX."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ons_code", help="ONS code of the area, for example E10000012 (Essex)")
        parser.add_argument("--period", help="a year such as 2023 or 2022/23 (default: latest published)")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="output_format")
        parser.add_argument("--output", help='file to write ("-" for standard output)')
        parser.add_argument(
            "--weakness",
            action="append",
            default=[],
            help="a weakness from the previous inspection (repeat for several)",
        )
        parser.add_argument(
            "--framework",
            help="the framework id whose criteria the lines of enquiry name (default: the current one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pack = build_pack(
                options["ons_code"], options["period"], options["weakness"], options["framework"]
            )
        except AnalyticsError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from exc
        fmt = options["output_format"]
        if fmt == "json":
            data = json.dumps(pack, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
            default = "-"
        else:
            from areasend.datapack import exports

            data = exports.pdf_bytes(pack) if fmt == "pdf" else exports.xlsx_bytes(pack)
            default = exports.filename(pack, fmt)
        target = options["output"] or default
        if target == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        path = Path(target)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}", returncode=USAGE_ERROR) from exc
        self.stderr.write(f"Wrote {path} ({len(data):,} bytes)")
