"""Read and check Ofsted's published inspection data (pure Python; no database).

Problems name the file, line, column and what is wrong; nothing is written unless every file reads cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from areasend.areas.reference_data import Problem, _Reader

DATA_DIR = Path(__file__).resolve().parent / "data"
OFFICIAL_2016_FILE = "ofsted_area_send_inspections_2016_2022.csv"
SCRAPED_2023_FILE = "ofsted_area_send_inspections_2023_framework_scraped.csv"
MI_2023_FILE = "ofsted_area_send_mi_2023_framework_to_aug2023.csv"
SHIPPED_FROM_SHARED = {
    OFFICIAL_2016_FILE: f"ofsted/{OFFICIAL_2016_FILE}",
    SCRAPED_2023_FILE: f"ofsted/{SCRAPED_2023_FILE}",
    MI_2023_FILE: f"ofsted/{MI_2023_FILE}",
}

BAD_DATE = "{value!r} is not a date in the form {form}"
BAD_YES_NO = "{value!r} is not Yes or No"
BAD_INTEGER = "{value!r} is not a whole number"
BAD_REVISIT_RESULT = "{value!r} is not a revisit result (Yes, Some or No)"
BAD_OUTCOME = "{value!r} is not an outcome (1, 2 or 3)"
UNKNOWN_AREA = "{value!r} is not an area in the register"
REVISIT_WITHOUT_WSOA = "a revisit is recorded for an area that was not required to write a WSOA"
END_BEFORE_START = "the end date {end} is before the start date {start}"

NOT_REVISITED = "not revisited yet"
# Placeholders the scraping tool writes where a report did not state a date.
UNSTATED = {NOT_REVISITED, "next inspection time frame not found", "last inspection date not provided"}
UNKNOWN_DATE = date(1900, 1, 1)
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


@dataclass
class HistoryData:
    rows: list[InspectionRow] = field(default_factory=list)


def _date(
    reader: _Reader, line: int, column: str, value: str, form: str = "%d/%m/%Y"
) -> tuple[date | None, bool]:
    if not value or value.lower() in {"nan", "na"} | UNSTATED:
        return None, True
    try:
        parsed = datetime.strptime(value, form).date()
    except ValueError:
        shown = "DD/MM/YYYY" if form == "%d/%m/%Y" else "DD/MM/YY"
        reader.problem(line, column, BAD_DATE.format(value=value, form=shown))
        return None, False
    return (None if parsed == UNKNOWN_DATE else parsed), True


def _int(reader: _Reader, line: int, column: str, value: str) -> tuple[int | None, bool]:
    if not value or value.upper() == "NA":
        return None, True
    try:
        return int(float(value)) if value.replace(".", "", 1).isdigit() else int(value), True
    except ValueError:
        reader.problem(line, column, BAD_INTEGER.format(value=value))
        return None, False


def _yes_no(reader: _Reader, line: int, column: str, value: str) -> tuple[bool | None, bool]:
    if not value or value.upper() == "NA":
        return None, True
    if value.lower() in {"yes", "no"}:
        return value.lower() == "yes", True
    reader.problem(line, column, BAD_YES_NO.format(value=value))
    return None, False


def read_official_2016(path: Path, area_codes: set[str], problems: list[Problem]) -> list[InspectionRow]:
    columns = [
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
    ]
    reader = _Reader(path, columns, problems)
    rows: list[InspectionRow] = []
    results = {"yes": "all", "some": "some", "no": "none"}
    for line, row in reader.rows():
        checks = []
        code = row["la_code"]
        if code not in area_codes:
            reader.problem(line, "la_code", UNKNOWN_AREA.format(value=code))
            checks.append(False)
        started, ok1 = _date(reader, line, "inspection_start_date", row["inspection_start_date"])
        published, ok2 = _date(
            reader, line, "inspection_publication_date", row["inspection_publication_date"]
        )
        wsoa, ok3 = _yes_no(reader, line, "wsoa_required", row["wsoa_required"])
        weaknesses, ok4 = _int(reader, line, "num_significant_weaknesses", row["num_significant_weaknesses"])
        revisit_start, ok5 = _date(reader, line, "revisit_start_date", row["revisit_start_date"])
        revisit_pub, ok6 = _date(reader, line, "revisit_publication_date", row["revisit_publication_date"])
        result_raw = row["revisit_sufficient_progress_all"]
        ok7 = not result_raw or result_raw.lower() in results
        if not ok7:
            reader.problem(
                line, "revisit_sufficient_progress_all", BAD_REVISIT_RESULT.format(value=result_raw)
            )
        sufficient, ok8 = _int(reader, line, "num_sw_sufficient_progress", row["num_sw_sufficient_progress"])
        insufficient, ok9 = _int(
            reader, line, "num_sw_insufficient_progress", row["num_sw_insufficient_progress"]
        )
        checks += [ok1, ok2, ok3, ok4, ok5, ok6, ok7, ok8, ok9]
        if started is None and ok1:
            reader.problem(line, "inspection_start_date", "a value is required")
            checks.append(False)
        if revisit_start and wsoa is False:
            reader.problem(line, "revisit_start_date", REVISIT_WITHOUT_WSOA)
            checks.append(False)
        if not all(checks):
            continue
        key = f"{code}|full"
        rows.append(
            InspectionRow(
                source=path.name,
                source_key=key,
                line=line,
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
                    line=line,
                    area_code=code,
                    framework_id="local-area-send-2016",
                    kind="visit",  # a follow-up visit: framework_keys.yaml says which
                    started_on=revisit_start,
                    published_on=revisit_pub,
                    revisit_result=results.get(result_raw.lower(), ""),
                    weaknesses_sufficient=sufficient,
                    weaknesses_insufficient=insufficient,
                    report_url=row["ofsted_la_webpage"],
                    follows_key=key,
                )
            )
    return rows


def read_mi_2023(path: Path, problems: list[Problem]) -> set[tuple[str, date]]:
    """(area name in lower case, start date) of each inspection in Ofsted's management information."""
    reader = _Reader(
        path, ["Local.area.partnership", "Inspection.start.date", "Inspection.outcome"], problems
    )
    confirmed = set()
    for line, row in reader.rows():
        started, ok = _date(reader, line, "Inspection.start.date", row["Inspection.start.date"])
        if ok and started:
            confirmed.add((row["Local.area.partnership"].strip().lower(), started))
    return confirmed


def read_scraped_2023(
    path: Path,
    number_to_code: dict[str, str],
    code_to_name: dict[str, str],
    confirmed: set[tuple[str, date]],
    problems: list[Problem],
) -> list[InspectionRow]:
    columns = [
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
    ]
    reader = _Reader(path, columns, problems)
    rows: list[InspectionRow] = []
    for line, row in reader.rows():
        ok = True
        code = number_to_code.get(row["la_code"], "")
        if not code:
            reader.problem(line, "la_code", UNKNOWN_AREA.format(value=row["la_code"]))
            ok = False
        started, ok1 = _date(reader, line, "inspection_start_date", row["inspection_start_date"], "%d/%m/%y")
        ended, ok2 = _date(reader, line, "inspection_end_date", row["inspection_end_date"], "%d/%m/%y")
        published, ok3 = _date(reader, line, "publication_date", row["publication_date"], "%d/%m/%y")
        next_by, ok4 = _date(
            reader, line, "next_inspection_by_date", row["next_inspection_by_date"], "%d/%m/%y"
        )
        grade = row["outcome_grade"]
        outcome = None
        if grade and grade.lower() != "nan":
            try:
                outcome = int(float(grade))
                if outcome not in (1, 2, 3):
                    raise ValueError
            except ValueError:
                reader.problem(line, "outcome_grade", BAD_OUTCOME.format(value=grade))
                ok = False
        interval = row["next_inspection"]
        if interval.lower() in {"none", "nan"}:
            interval = ""
        if started and ended and ended < started:
            reader.problem(line, "inspection_end_date", END_BEFORE_START.format(end=ended, start=started))
            ok = False
        if not (ok and ok1 and ok2 and ok3 and ok4):
            continue
        name = code_to_name.get(code, "").lower()
        reliability = "official" if started and (name, started) in confirmed else "scraped"
        monitoring = outcome == 3 and interval == "18 months"
        rows.append(
            InspectionRow(
                source=path.name,
                source_key=f"{code}|{started or published}",
                line=line,
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
    return rows, problems
