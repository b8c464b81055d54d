"""The findings as CSV and XLSX: rows, columns, rules and messages, never a child's values."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from python_calamine import CalamineWorkbook

from areasend.annexa import synthetic
from areasend.annexa.findings import ValidationReport
from areasend.annexa.reports import REPORT_HEADER, report_csv, report_xlsx
from areasend.annexa.validation import validate

from .conftest import REFERENCE

ERRORS = {"duplicate_upn": 2, "future_date_of_birth": 1, "unknown_need": 2, "not_a_date": 1}


def _report() -> tuple[synthetic.SyntheticList, ValidationReport]:
    made = synthetic.generate(2, 60, seed=12, reference_date=REFERENCE, errors=ERRORS)
    return made, validate(made.as_list(), reference_date=REFERENCE)


def _identifiers(made: synthetic.SyntheticList) -> set[str]:
    return {r[k] for r in made.records for k in ("unique_id", "upn", "uln", "date_of_birth") if r.get(k)}


def test_csv_report(tmp_path: Path) -> None:
    made, report = _report()
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert tuple(rows[0]) == REPORT_HEADER
    assert len(rows) - 1 == len(report.findings) == sum(report.summary.values())
    assert [int(r[0]) for r in rows[1:]] == [f.row for f in report.findings]
    text = report_csv(report).decode("utf-8-sig")
    assert not any(value in text for value in _identifiers(made))


def test_xlsx_report(tmp_path: Path) -> None:
    made, report = _report()
    path = tmp_path / "r.xlsx"
    path.write_bytes(report_xlsx(report))
    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names == ["Findings", "Summary", "About"]
    findings = workbook.get_sheet_by_name("Findings").to_python()
    assert len(findings) - 1 == len(report.findings)
    summary = {
        row[0]: int(float(str(row[2]))) for row in workbook.get_sheet_by_name("Summary").to_python()[1:]
    }
    assert summary == report.summary
    cells = {
        str(c)
        for sheet in ("Findings", "Summary", "About")
        for r in workbook.get_sheet_by_name(sheet).to_python()
        for c in r
    }
    assert not cells & _identifiers(made)
    # Messages never quote a value (no identifier can leak through them).
    assert not any(value in f.message for f in report.findings for value in _identifiers(made))
