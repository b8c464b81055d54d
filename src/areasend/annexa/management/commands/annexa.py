"""`areasend annexa validate FILE [--list 1|2] [--other FILE] [--reference-date YYYY-MM-DD] --format json|text`.

Checks an Annex A list offline: no database, no network. Prints
``{list, rows, reference_date, rule_set, errors: [{row, field, rule, level, message}], summary}``.
Exits 0 whether or not the list has errors; 2 when the file cannot be read, with the reason.
`areasend annexa synthetic --area CODE --out FILE` writes a synthetic list of an area's size.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.core.management import COMMAND_CHECKS

MSG_BAD_DATE = "--reference-date must be a date such as 2026-09-01, got {value!r}"
MSG_BAD_ERRORS = "--errors must look like RULE=COUNT, got {value!r}"
NO_DATE_NOTE = (
    "No --reference-date given: ages and future dates are judged on {day}. Give the date the list was "
    "produced to check it as an inspection will."
)


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise _fail(MSG_BAD_DATE.format(value=value)) from None


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = "Annex A child-level lists: `annexa validate FILE` checks a list offline; `annexa synthetic` writes one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        check = sub.add_parser("validate", help="Check a list (CSV or XLSX) against the rule set.")
        check.add_argument("file", type=Path, metavar="FILE")
        check.add_argument("--list", type=int, choices=[1, 2], dest="number", help="List 1 or List 2")
        check.add_argument("--other", type=Path, metavar="FILE", help="the other list, for children on both")
        check.add_argument(
            "--reference-date", metavar="YYYY-MM-DD", help="the date the area produced the list"
        )
        check.add_argument("--format", choices=["json", "text"], default="json")
        make = sub.add_parser("synthetic", help="Write a synthetic list pair at an area's published size.")
        make.add_argument("--area", required=True, metavar="ONS_CODE")
        make.add_argument(
            "--out", required=True, type=Path, metavar="FILE", help=".xlsx, or .csv for one list"
        )
        make.add_argument("--list", type=int, choices=[1, 2], dest="number", help="only this list (CSV)")
        make.add_argument("--seed", type=int, default=1)
        make.add_argument("--scale", type=float, default=1.0)
        make.add_argument("--reference-date", metavar="YYYY-MM-DD", required=True)
        make.add_argument("--errors", action="append", default=[], metavar="RULE=COUNT")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "validate":
            self._validate(options)
        else:
            self._synthetic(options)

    def _validate(self, options: dict[str, Any]) -> None:
        from areasend.annexa import reading
        from areasend.annexa.reports import report_text
        from areasend.annexa.validation import validate
        from areasend.domain.intake import IntakeError

        if options["reference_date"]:
            reference = _date(options["reference_date"])
        else:
            reference = dt.date.today()
            self.stderr.write(NO_DATE_NOTE.format(day=reference.isoformat()))
        try:
            path, number = options["file"], options["number"]
            # Every list of the file, read once: a workbook's other sheet is the other list.
            lists = reading.read_lists(path) if reading.is_workbook(path) else {}
            if not lists or (number is not None and number not in lists):
                lists |= reading.read_lists(path, number=number)
            if number is None and len(lists) > 1:
                raise _fail(f"{path.name}: {reading.BOTH_LISTS} (--list 1 or --list 2)")
            number = number if number is not None else next(iter(lists))
            annex_list, other = lists[number], lists.get(3 - number)
            if options["other"] is not None:
                other = reading.read_list(options["other"], number=3 - number)
        except IntakeError as exc:
            raise _fail(f"The list cannot be read.\n{exc}") from exc
        report = validate(annex_list, reference_date=reference, other=other)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_text(report))

    def _synthetic(self, options: dict[str, Any]) -> None:
        from areasend.annexa import synthetic

        errors: dict[str, int] = {}
        for item in options["errors"]:
            rule, sep, count = item.partition("=")
            if not sep or not count.strip().isdigit():
                raise _fail(MSG_BAD_ERRORS.format(value=item))
            errors[rule.strip()] = int(count)
        reference = _date(options["reference_date"])
        try:
            lists = synthetic.generate_area(
                options["area"].strip().upper(), seed=options["seed"], reference_date=reference,
                scale=options["scale"], errors=errors,
            )  # fmt: skip
        except (KeyError, ValueError) as exc:
            raise _fail(str(exc.args[0])) from None
        out: Path = options["out"]
        if out.suffix.lower() == ".csv":
            synthetic.write_csv(out, lists[options["number"] or 1])
        else:
            synthetic.write_xlsx(out, [lists[1], lists[2]])
        rows = sum(len(s.records) for s in lists.values())
        self.stdout.write(f"Wrote {out} (synthetic, {rows} rows over both lists before choosing)")
