"""The findings of a list as a file to download: CSV or XLSX, one line per row, field and rule.
The file holds row numbers, column headings, rule codes and messages: never a child's values."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from .findings import ValidationReport
from .xlsx import Cell, write_xlsx

REPORT_HEADER = ("Row", "Column", "Rule", "Level", "Message")


def report_rows(report: ValidationReport) -> list[list[Cell]]:
    return [[f.row, f.column, f.rule, f.level, f.message] for f in report.findings]


def report_csv(report: ValidationReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_HEADER)
    writer.writerows(report_rows(report))
    return buffer.getvalue().encode("utf-8-sig")  # a spreadsheet program opens it as UTF-8


def report_xlsx(report: ValidationReport) -> bytes:
    """A workbook: the findings, then a summary by rule."""
    summary: list[list[Cell]] = [["Rule", "Level", "Findings", "Source"]]
    for code, count in report.summary.items():
        rule = report.rule_set.rule(code)
        summary.append([code, rule.level, count, rule.source])
    about: list[list[Cell]] = [
        ["List", f"List {report.list_number}"],
        ["Rows", report.rows],
        ["Reference date", report.reference_date.isoformat()],
        ["Rule set", report.rule_set.version],
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "findings.xlsx"
        rows: list[list[Cell]] = [list(REPORT_HEADER), *report_rows(report)]
        write_xlsx(path, [("Findings", rows), ("Summary", summary), ("About", about)])
        return path.read_bytes()


def report_text(report: ValidationReport) -> str:
    lines = [
        f"List {report.list_number}: {report.rows} rows, {report.errors} errors and {report.queries} queries "
        f"(reference date {report.reference_date.isoformat()}, rule set {report.rule_set.version})"
    ]
    lines += [f"row {f.row}, {f.column}: {f.level} {f.rule}: {f.message}" for f in report.findings]
    if report.summary:
        lines.append("Summary: " + ", ".join(f"{code} {n}" for code, n in report.summary.items()))
    return "\n".join(lines)
