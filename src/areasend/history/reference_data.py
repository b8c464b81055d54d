"""Read and check Ofsted's published inspection data (pure Python; no database).

Problems name the file, line, column and what is wrong (``areasend.domain.intake``); nothing is
written unless every file reads cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from areasend.domain.intake import (
    REQUIRED,
    UK_DATE,
    UK_DATE_SHORT_YEAR,
    Cell,
    ColumnSpec,
    DateForm,
    Problem,
    Row,
    TableReader,
    date_value,
    integer,
    take,
    yes_no,
)

from .corrections import CORRECTIONS_FILE, apply_corrections, read_corrections

T = TypeVar("T")

DATA_DIR = Path(__file__).resolve().parent / "data"
OFFICIAL_2016_FILE = "ofsted_area_send_inspections_2016_2022.csv"
SCRAPED_2023_FILE = "ofsted_area_send_inspections_2023_framework_scraped.csv"
MI_2023_FILE = "ofsted_area_send_mi_2023_framework_to_aug2023.csv"
SHIPPED_FROM_SHARED = {
    OFFICIAL_2016_FILE: f"ofsted/{OFFICIAL_2016_FILE}",
    SCRAPED_2023_FILE: f"ofsted/{SCRAPED_2023_FILE}",
    MI_2023_FILE: f"ofsted/{MI_2023_FILE}",
}

BAD_REVISIT_RESULT = "{value!r} is not a revisit result (Yes, Some or No)"
BAD_OUTCOME = "{value!r} is not an outcome (1, 2 or 3)"
UNKNOWN_AREA = "{value!r} is not an area in the register"
REVISIT_WITHOUT_WSOA = "a revisit is recorded for an area that was not required to write a WSOA"
END_BEFORE_START = "the end date {end} is before the start date {start}"

NOT_REVISITED = "not revisited yet"
# Placeholders the scraping tool writes where a report did not state a date.
UNSTATED = {NOT_REVISITED, "next inspection time frame not found", "last inspection date not provided"}
UNKNOWN_DATE = date(1900, 1, 1)
# How the sources write a value that is not available (R and pandas exports).
NOT_AVAILABLE = {"na", "nan"}
INTERVAL = re.compile(r"^(\d+) (years|months)$")


@dataclass
class InspectionRow:
    source: str
    source_key: str
    line: int
    area_code: str
    framework_id: str
    kind: str
    started_on: date | None
    ended_on: date | None = None
    published_on: date | None = None
    wsoa_required: bool | None = None
    significant_weaknesses: int | None = None
    outcome: int | None = None
    outcome_text: str = ""
    next_inspection_interval: str = ""
    next_inspection_by: date | None = None
    next_monitoring_by: date | None = None
    revisit_result: str = ""
    weaknesses_sufficient: int | None = None
    weaknesses_insufficient: int | None = None
    report_url: str = ""
    reliability: str = "official"
    follows_key: str = ""
    # areasend's correction of this row, if any (corrections.py): fields set, source, confidence
    corrected: dict[str, object] = field(default_factory=dict)


@dataclass
class HistoryData:
    rows: list[InspectionRow] = field(default_factory=list)


def _value(row: Row, column: str, check: Callable[[Cell], T | Problem], problems: list[Problem]) -> T | None:
    """The checked value of a cell; None for a blank cell or one the source marks as not available."""
    cell = row.cell(column)
    if cell.blank or cell.value.lower() in NOT_AVAILABLE:
        return None
    return take(check(cell), problems)


def _outcome(cell: Cell) -> int | Problem:
    grade = integer(cell)
    if isinstance(grade, Problem) or grade not in (1, 2, 3):
        return cell.problem(BAD_OUTCOME.format(value=cell.value))
    return grade


def _date(row: Row, column: str, problems: list[Problem], form: DateForm = UK_DATE) -> date | None:
    cell = row.cell(column)
    if cell.value.lower() in UNSTATED:
        return None
    parsed = _value(row, column, lambda c: date_value(c, (form,)), problems)
    return None if parsed == UNKNOWN_DATE else parsed


OFFICIAL_2016_COLUMNS = ColumnSpec.of(
    "ofsted_la_webpage",
    "la_code",
    "area_name",
    "inspection_start_date",
    "inspection_publication_date",
    "wsoa_required",
    "num_significant_weaknesses",
    "revisit_start_date",
    "revisit_publication_date",
    "revisit_sufficient_progress_all",
    "num_sw_sufficient_progress",
    "num_sw_insufficient_progress",
)
REVISIT_RESULTS = {"yes": "all", "some": "some", "no": "none"}


def read_official_2016(path: Path, area_codes: set[str], problems: list[Problem]) -> list[InspectionRow]:
    reader = TableReader(path, OFFICIAL_2016_COLUMNS, problems=problems)
    rows: list[InspectionRow] = []
    for row in reader.rows():
        before = len(problems)
        code = row["la_code"]
        if code not in area_codes:
            problems.append(row.problem("la_code", UNKNOWN_AREA.format(value=code)))
        started = _date(row, "inspection_start_date", problems)
        published = _date(row, "inspection_publication_date", problems)
        wsoa = _value(row, "wsoa_required", yes_no, problems)
        weaknesses = _value(row, "num_significant_weaknesses", integer, problems)
        revisit_start = _date(row, "revisit_start_date", problems)
        revisit_pub = _date(row, "revisit_publication_date", problems)
        result_raw = row["revisit_sufficient_progress_all"]
        if result_raw and result_raw.lower() not in REVISIT_RESULTS:
            problems.append(
                row.problem("revisit_sufficient_progress_all", BAD_REVISIT_RESULT.format(value=result_raw))
            )
        sufficient = _value(row, "num_sw_sufficient_progress", integer, problems)
        insufficient = _value(row, "num_sw_insufficient_progress", integer, problems)
        if started is None and not any(p.column == "inspection_start_date" for p in problems[before:]):
            problems.append(row.problem("inspection_start_date", REQUIRED))
        if revisit_start and wsoa is False:
            problems.append(row.problem("revisit_start_date", REVISIT_WITHOUT_WSOA))
        if len(problems) > before:
            continue
        key = f"{code}|full"
        rows.append(
            InspectionRow(
                source=path.name,
                source_key=key,
                line=row.line,
                area_code=code,
                framework_id="local-area-send-2016",
                kind="full",
                started_on=started,
                published_on=published,
                wsoa_required=wsoa,
                significant_weaknesses=weaknesses,
                report_url=row["ofsted_la_webpage"],
            )
        )
        if revisit_start:
            rows.append(
                InspectionRow(
                    source=path.name,
                    source_key=f"{code}|revisit",
                    line=row.line,
                    area_code=code,
                    framework_id="local-area-send-2016",
                    kind="visit",  # a follow-up visit: framework_keys.yaml says which
                    started_on=revisit_start,
                    published_on=revisit_pub,
                    revisit_result=REVISIT_RESULTS.get(result_raw.lower(), ""),
                    weaknesses_sufficient=sufficient,
                    weaknesses_insufficient=insufficient,
                    report_url=row["ofsted_la_webpage"],
                    follows_key=key,
                )
            )
    return rows


MI_2023_COLUMNS = ColumnSpec.of("Local.area.partnership", "Inspection.start.date", "Inspection.outcome")


def read_mi_2023(path: Path, problems: list[Problem]) -> set[tuple[str, date]]:
    """(area name in lower case, start date) of each inspection in Ofsted's management information."""
    reader = TableReader(path, MI_2023_COLUMNS, problems=problems)
    confirmed = set()
    for row in reader.rows():
        started = _date(row, "Inspection.start.date", problems)
        if started:
            confirmed.add((row["Local.area.partnership"].lower(), started))
    return confirmed


SCRAPED_2023_COLUMNS = ColumnSpec.of(
    "la_code",
    "local_authority",
    "inspection_link",
    "outcome_grade",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "next_inspection",
    "next_inspection_by_date",
    "inspection_outcome_text",
)


def read_scraped_2023(
    path: Path,
    number_to_code: dict[str, str],
    code_to_name: dict[str, str],
    confirmed: set[tuple[str, date]],
    problems: list[Problem],
) -> list[InspectionRow]:
    reader = TableReader(path, SCRAPED_2023_COLUMNS, problems=problems)
    rows: list[InspectionRow] = []
    short = UK_DATE_SHORT_YEAR
    for row in reader.rows():
        before = len(problems)
        code = number_to_code.get(row["la_code"], "")
        if not code:
            problems.append(row.problem("la_code", UNKNOWN_AREA.format(value=row["la_code"])))
        started = _date(row, "inspection_start_date", problems, short)
        ended = _date(row, "inspection_end_date", problems, short)
        published = _date(row, "publication_date", problems, short)
        next_by = _date(row, "next_inspection_by_date", problems, short)
        outcome = _value(row, "outcome_grade", _outcome, problems)
        interval = row["next_inspection"]
        if interval.lower() in {"none", "nan"}:
            interval = ""
        if started and ended and ended < started:
            problems.append(
                row.problem("inspection_end_date", END_BEFORE_START.format(end=ended, start=started))
            )
        if len(problems) > before:
            continue
        name = code_to_name.get(code, "").lower()
        reliability = "official" if started and (name, started) in confirmed else "scraped"
        monitoring = outcome == 3 and interval == "18 months"
        rows.append(
            InspectionRow(
                source=path.name,
                source_key=f"{code}|{started or published}",
                line=row.line,
                area_code=code,
                framework_id="area-send-2023",
                kind="full",
                started_on=started,
                ended_on=ended,
                published_on=published,
                outcome=outcome,
                outcome_text=row["inspection_outcome_text"],
                # For outcome 3 the report's "18 months" is the monitoring inspection; the next
                # full inspection is usually within 3 years of this one.
                next_inspection_interval="3 years" if monitoring else interval,
                next_inspection_by=_years_after(started, 3) if monitoring else next_by,
                next_monitoring_by=next_by if monitoring else None,
                report_url=row["inspection_link"],
                reliability=reliability,
            )
        )
    return rows


def _years_after(start: date | None, years: int) -> date | None:
    if start is None:
        return None
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def read_history(
    directory: Path, number_to_code: dict[str, str], code_to_name: dict[str, str]
) -> tuple[list[InspectionRow], list[Problem]]:
    problems: list[Problem] = []
    rows = read_official_2016(directory / OFFICIAL_2016_FILE, set(code_to_name), problems)
    confirmed = read_mi_2023(directory / MI_2023_FILE, problems)
    rows += read_scraped_2023(
        directory / SCRAPED_2023_FILE, number_to_code, code_to_name, confirmed, problems
    )
    corrections_path = directory / CORRECTIONS_FILE
    corrections = read_corrections(corrections_path, problems)
    return apply_corrections(rows, corrections, corrections_path, problems), problems
