"""Estimates from the record: the value of a publication deadline worked out from the real reports,
written into the framework files' ``estimate`` blocks (docs/adr/0028-backtest-and-estimates.md).

For each framework and each deadline the backtest checks (the deadline a publication completes),
the estimate is the median (:data:`PERCENTILE`) of the real lag in working days from the
last day on site to publication, over every real report of that framework in the record. Only
configurable deadlines (low or medium confidence) are estimated: a high-confidence rule is what a
source states and stays as it is.

The files are edited as text: only the deadline's ``value`` line and its ``estimate`` block change,
every other line (comments, anchors, layout) stays; each file is validated after the edit and
nothing is written unless every file is valid. Deadlines are found by key in every framework file
in the folder, so each edition of a framework gets the estimate of its framework.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from areasend.domain.frameworks import (
    SHIPPED_FRAMEWORKS_DIR,
    Deadline,
    Framework,
    FrameworkFileError,
    load_framework_text,
    read_framework_file,
)
from areasend.domain.frameworks.schema_estimates import Estimate, ordinal

from .backtest import FULL, Backtest, BacktestRow, percentile, run_backtest

PERCENTILE = 50
METHOD = (
    "{percentile} of the working days from the last day on site to publication of the {n} {what} in "
    "the published record of the framework ({period}: Ofsted's data with areasend's sourced corrections); "
    "the last day on site is the record's where it states one, otherwise the framework's"
)

MSG_NOT_FOUND = "{file}: deadline {key!r} not found under `deadlines:`"
MSG_ONE_LINE = "{file}: deadline {key!r} is written on one line; write it as a block to update its estimate"
MSG_NO_VALUE = "{file}: deadline {key!r} has no `value:` line of its own"
MSG_INVALID = "{file}: the file would not be valid after the update: {problems}"

DEADLINES = re.compile(r"^deadlines:\s*(#.*)?$")
TOP_LEVEL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*:")


class EstimateWriteError(ValueError):
    """A framework file cannot be updated; the message names the file and the deadline."""


@dataclasses.dataclass(frozen=True)
class NewEstimate:
    framework_id: str
    deadline_key: str
    kind: str
    value: int
    estimate: Estimate


@dataclasses.dataclass(frozen=True)
class Change:
    file: str
    framework_id: str
    deadline_key: str
    old_value: int
    new_value: int
    label: str
    changed: bool

    def line(self) -> str:
        if not self.changed:
            return f"{self.file}: {self.deadline_key} unchanged at {self.new_value} ({self.label})"
        return f"{self.file}: {self.deadline_key} {self.old_value} -> {self.new_value} ({self.label})"


def _what(kind: str, n: int) -> str:
    if kind == FULL:
        return "inspection report" if n == 1 else "inspection reports"
    words = kind.replace("_", " ")
    return f"{words} letter" if n == 1 else f"{words} letters"


def estimates_from(
    backtest: Backtest,
    frameworks: Mapping[str, Framework],
    *,
    computed_on: dt.date,
    percent: int = PERCENTILE,
) -> list[NewEstimate]:
    """An estimate for every configurable deadline the backtest has real reports for."""
    grouped: dict[tuple[str, str], list[BacktestRow]] = {}
    for row in backtest.rows:
        grouped.setdefault((row.framework_id, row.deadline_key), []).append(row)
    found = []
    for (framework_id, key), rows in grouped.items():
        framework = frameworks.get(framework_id)
        deadline = None if framework is None else framework.deadline(key)
        if deadline is None or not deadline.configurable or deadline.unit != "working_days":
            continue
        ends = [r.on_site_end for r in rows]
        first, last = min(ends), max(ends)
        period = str(first.year) if first.year == last.year else f"{first.year}-{last.year}"
        words = "median" if percent == 50 else f"{ordinal(percent)} percentile"
        stated = deadline.estimate.stated_value if deadline.estimate is not None else deadline.value
        estimate = Estimate(
            method=METHOD.format(
                percentile=words.capitalize(), n=len(rows), what=_what(rows[0].kind, len(rows)), period=period
            ),
            sample_size=len(rows),
            percentile=percent,
            record_from=first,
            record_to=last,
            computed_on=computed_on,
            stated_value=stated,
        )
        value = percentile([r.lag_wd for r in rows], percent)
        found.append(NewEstimate(framework_id, key, rows[0].kind, value, estimate))
    return found


# -- editing a file's text ------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _significant(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def estimate_lines(estimate: Estimate, indent: int) -> list[str]:
    pad = " " * indent
    lines = [
        f"{pad}estimate:   # worked out from the record: areasend backtest --write-estimates",
        f"{pad}  method: {json.dumps(estimate.method)}",
        f"{pad}  sample_size: {estimate.sample_size}",
        f"{pad}  percentile: {estimate.percentile}",
        f"{pad}  record_from: {estimate.record_from.isoformat()}",
        f"{pad}  record_to: {estimate.record_to.isoformat()}",
        f"{pad}  computed_on: {estimate.computed_on.isoformat()}",
    ]
    if estimate.stated_value is not None:
        lines.append(
            f"{pad}  stated_value: {estimate.stated_value}   # the value before the estimate, from the source"
        )
    return lines


def rewrite_deadline(text: str, key: str, value: int, estimate: Estimate, filename: str) -> str:
    """``text`` with the deadline's ``value`` and ``estimate`` block replaced; nothing else changes."""
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if DEADLINES.match(line)), None)
    if start is None:
        raise EstimateWriteError(MSG_NOT_FOUND.format(file=filename, key=key))
    item = re.compile(rf"^(\s*)-\s+key:\s*{re.escape(key)}\s*(#.*)?$")
    flow = re.compile(rf"^\s*-\s*\{{\s*key:\s*{re.escape(key)}\s*[,}}]")
    first = None
    for n in range(start + 1, len(lines)):
        line = lines[n]
        if TOP_LEVEL.match(line):
            break
        if flow.match(line):
            raise EstimateWriteError(MSG_ONE_LINE.format(file=filename, key=key))
        found = item.match(line)
        if found:
            first = n
            break
    if first is None:
        raise EstimateWriteError(MSG_NOT_FOUND.format(file=filename, key=key))
    item_indent = _indent(lines[first])
    field_indent = item_indent + 2
    end = first + 1  # one past the block's last significant line
    for n in range(first + 1, len(lines)):
        if _significant(lines[n]):
            if _indent(lines[n]) <= item_indent:
                break
            end = n + 1
    block = lines[first:end]
    value_line = re.compile(rf"^ {{{field_indent}}}value:\s*\d+(\s*#.*)?$")
    newline = "\n" if not block[-1].endswith("\r\n") else "\r\n"
    out: list[str] = [block[0]]
    seen_value = False
    skipping = False
    inserted = False
    for line in block[1:]:
        if skipping:
            if not _significant(line) or _indent(line) > field_indent:
                continue
            skipping = False
        match = value_line.match(line.rstrip("\r\n"))
        if match:
            comment = match.group(1) or ""
            out.append(f"{' ' * field_indent}value: {value}{comment}{newline}")
            seen_value = True
            continue
        if _indent(line) == field_indent and line.strip().startswith("estimate:"):
            out += [f"{e}{newline}" for e in estimate_lines(estimate, field_indent)]
            skipping = inserted = True
            continue
        out.append(line)
    if not seen_value:
        raise EstimateWriteError(MSG_NO_VALUE.format(file=filename, key=key))
    if not inserted:
        if not out[-1].endswith(("\n", "\r")):
            out[-1] += newline
        out += [f"{e}{newline}" for e in estimate_lines(estimate, field_indent)]
    return "".join(lines[:first] + out + lines[end:])


def framework_files(directory: Path = SHIPPED_FRAMEWORKS_DIR) -> tuple[Path, ...]:
    return tuple(sorted(directory.glob("*.yaml")))


def _latest(files: Sequence[tuple[Path, str, Framework]]) -> dict[str, Framework]:
    latest: dict[str, Framework] = {}
    for _, _, framework in files:
        current = latest.get(framework.id)
        if current is None or framework.version > current.version:
            latest[framework.id] = framework
    return latest


def _same(old: Deadline, value: int, new: Estimate) -> bool:
    current = old.estimate
    if current is None or old.value != value:
        return False
    return current.model_copy(update={"computed_on": new.computed_on}) == new


def write_estimates(
    *,
    directory: Path = SHIPPED_FRAMEWORKS_DIR,
    computed_on: dt.date,
    framework_id: str | None = None,
    dry_run: bool = False,
) -> list[Change]:
    """Regenerate the estimate of every estimated deadline in every framework file of ``directory``
    from the record; all files or none are written."""
    loaded = []
    for path in framework_files(directory):
        text = read_framework_file(path)
        loaded.append((path, text, load_framework_text(text, path.name)))
    frameworks = _latest(loaded)
    backtest = run_backtest(framework_id=framework_id, frameworks=frameworks)
    estimates = estimates_from(backtest, frameworks, computed_on=computed_on)
    changes: list[Change] = []
    written: list[tuple[Path, str]] = []
    for path, text, framework in loaded:
        new_text = text
        for new in estimates:
            if new.framework_id != framework.id:
                continue
            deadline = framework.deadline(new.deadline_key)
            if deadline is None or not deadline.configurable:
                continue
            if _same(deadline, new.value, new.estimate):
                changes.append(
                    Change(
                        path.name,
                        framework.id,
                        deadline.key,
                        deadline.value,
                        new.value,
                        new.estimate.label,
                        False,
                    )
                )
                continue
            new_text = rewrite_deadline(new_text, deadline.key, new.value, new.estimate, path.name)
            changes.append(
                Change(
                    path.name, framework.id, deadline.key, deadline.value, new.value, new.estimate.label, True
                )
            )
        if new_text != text:
            try:
                load_framework_text(new_text, path.name)
            except FrameworkFileError as exc:
                problems = "; ".join(str(p) for p in exc.problems)
                raise EstimateWriteError(MSG_INVALID.format(file=path.name, problems=problems)) from None
            written.append((path, new_text))
    if not dry_run:
        for path, new_text in written:
            path.write_text(new_text, encoding="utf-8", newline="")
    return changes
