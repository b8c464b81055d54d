"""`areasend backtest [--framework ID] [--format json|text] [--rules] [--write-estimates [--dry-run]]`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from areasend.core.management import COMMAND_CHECKS
from areasend.domain.frameworks import SHIPPED_FRAMEWORKS_DIR, FrameworkFileError, shipped_frameworks
from areasend.domain.intake import IntakeError
from areasend.history.backtest import Backtest, run_backtest, stated_overrides
from areasend.history.estimates import EstimateWriteError, write_estimates

MSG_UNKNOWN_FRAMEWORK = "--framework {value!r} is not a shipped framework; known frameworks: {known}"
MSG_DRY_RUN_ALONE = "--dry-run only goes with --write-estimates"
MSG_NEW_VERSION = (
    "The framework files changed: a changed framework needs a new version number before it is "
    "loaded where the old one is (bump `version` and add a `revisions` note; docs/adr/0012)."
)
HEADINGS = ("Area", "Kind", "Last day on site", "Predicted", "Published", "Delta (WD)", "Held by")


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def text_table(backtest: Backtest) -> list[str]:
    """The summary, then every row, then every skipped event, as aligned columns."""
    lines = ["Summary (delta: working days from the predicted to the real publication; positive = later)"]
    summary = [("Framework", "Kind", "n", "On time", "Median delta", "P90 delta")]
    for framework_id, kinds in backtest.summary().items():
        for kind, s in kinds.items():
            share = f"{s.on_time} ({s.on_time_share:.0%})"
            summary.append(
                (framework_id, kind, str(s.n), share, f"{s.median_delta_wd:g}", str(s.p90_delta_wd))
            )
    lines += _aligned(summary)
    lines.append("")
    rows = [HEADINGS] + [
        (
            f"{r.area_name} ({r.area})",
            r.kind,
            r.on_site_end.isoformat() + ("" if r.end_recorded else "*"),
            r.predicted.isoformat(),
            r.published.isoformat(),
            str(r.delta_wd),
            ", ".join(r.held_by),
        )
        for r in backtest.rows
    ]
    lines += _aligned(rows)
    lines.append("* last day on site not in the record: the framework's, worked out from the start")
    lines.append("")
    lines.append(f"Skipped: {len(backtest.skipped)}")
    lines += [
        f"  {s.area_name} ({s.area}) {s.framework_id} {s.kind}: {s.reason} ({s.source} line {s.line})"
        for s in backtest.skipped
    ]
    return lines


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = (
        "Run every real inspection and visit in the shipped history through its framework's timeline "
        "and compare the predicted publication with the real one. JSON: {summary, rows, skipped}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--framework", default=None, metavar="ID", help="only this framework")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--rules",
            action="store_true",
            help="use the values the sources state for estimated deadlines (the rules without estimates)",
        )
        parser.add_argument(
            "--write-estimates",
            action="store_true",
            help="regenerate the estimate blocks (and values) of estimated deadlines in the framework files",
        )
        parser.add_argument("--dry-run", action="store_true", help="with --write-estimates: write nothing")
        parser.add_argument("--directory", default=str(SHIPPED_FRAMEWORKS_DIR), help="framework files folder")

    def handle(self, *args: Any, **options: Any) -> None:
        framework_id = options["framework"]
        try:
            known = shipped_frameworks()
        except FrameworkFileError as exc:
            raise _fail(str(exc)) from None
        if framework_id is not None and framework_id not in known:
            raise _fail(MSG_UNKNOWN_FRAMEWORK.format(value=framework_id, known=", ".join(sorted(known))))
        if options["dry_run"] and not options["write_estimates"]:
            raise _fail(MSG_DRY_RUN_ALONE)
        try:
            if options["write_estimates"]:
                self._write(Path(options["directory"]), framework_id, dry_run=options["dry_run"])
                return
            overrides = stated_overrides(known) if options["rules"] else None
            backtest = run_backtest(framework_id=framework_id, overrides=overrides)
        except (IntakeError, FrameworkFileError, EstimateWriteError) as exc:
            raise _fail(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(backtest.as_dict(), indent=2))
            return
        self.stdout.write("\n".join(text_table(backtest)))

    def _write(self, directory: Path, framework_id: str | None, *, dry_run: bool) -> None:
        changes = write_estimates(
            directory=directory, computed_on=dt.date.today(), framework_id=framework_id, dry_run=dry_run
        )
        for change in changes:
            self.stdout.write(change.line())
        if not changes:
            self.stdout.write("No deadline has an estimate to write.")
        if any(c.changed for c in changes):
            self.stdout.write("Dry run: nothing written." if dry_run else MSG_NEW_VERSION)
