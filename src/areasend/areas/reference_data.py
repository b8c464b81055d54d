"""Read and check the register's reference files (pure Python; no database).

Every problem names the file, the line, the column and what is wrong. Nothing is written
until every file has been read without problems.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

LAS_FILE = "english_upper_tier_las.csv"
D2I_FILE = "d2i_la_lookup_with_stat_neighbours.csv"
NEIGHBOURS_2025_FILE = "dfe_statistical_neighbours_may_2025_long.csv"
NEIGHBOURS_2021_FILE = "dfe_statistical_neighbours_april_2021_long.csv"
ICB_FILE = "la_icb.csv"

# Files copied from the shared data folder by `areasend areas refresh-data`.
SHIPPED_FROM_SHARED = {
    LAS_FILE: "local_authorities/english_upper_tier_las.csv",
    D2I_FILE: "local_authorities/d2i_la_lookup_with_stat_neighbours.csv",
    NEIGHBOURS_2025_FILE: "statistical_neighbours/dfe_statistical_neighbours_may_2025_long.csv",
    NEIGHBOURS_2021_FILE: "statistical_neighbours/dfe_statistical_neighbours_april_2021_long.csv",
}

ONS_AREA_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")
ONS_REGION_CODE = re.compile(r"^E12\d{6}$")
ONS_ICB_CODE = re.compile(r"^E54\d{6}$")
LA_NUMBER = re.compile(r"^\d{3}$")
CLOSENESS = {"Extremely close", "Very close", "Close", "Somewhat close", "Not close", "Sometimes close"}

EMPTY_FILE = "the file is empty"
MISSING_COLUMNS = "missing column(s): {columns}"
WRONG_FIELD_COUNT = "expected {expected} fields, found {found} (is the file truncated?)"
BAD_ONS_CODE = "{value!r} is not an ONS code for an English upper-tier area (E06/E08/E09/E10 and 6 digits)"
BAD_REGION_CODE = "{value!r} is not an ONS region code (E12 and 6 digits)"
BAD_LA_NUMBER = "{value!r} is not a 3-digit DfE LA number"
BAD_DATE = "{value!r} is not a date in the form DD/MM/YYYY"
BAD_STATUS = "{value!r} is not a status (live or terminated)"
BAD_INTEGER = "{value!r} is not a whole number"
REQUIRED = "a value is required"
DUPLICATE = "{value!r} appears more than once (first on line {first})"
TERMINATED_WITHOUT_DATE = "a terminated area needs a date of termination"
UNKNOWN_LA_NUMBER = "{value!r} is not the DfE number of any area in {file}"
BAD_CLOSENESS = "{value!r} is not a closeness band ({bands})"
BAD_RANK = "{value!r} is not a rank from 1 to 10"
UNKNOWN_AREA = "{value!r} is not an area in {file}"
BAD_ICB_CODE = "{value!r} is not an ICB code (E54 and 6 digits)"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DataFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{shown}{more}")


@dataclass(frozen=True)
class AreaRecord:
    ons_code: str
    la_number: str
    name: str
    la_type: str
    region_code: str
    region_name: str
    status: str
    operational_from: date | None
    terminated_on: date | None


@dataclass(frozen=True)
class AreaExtra:
    ofsted_urn: str
    population_0_25: int | None


@dataclass(frozen=True)
class NeighbourRecord:
    la_number: str
    rank: int
    neighbour_la_number: str
    closeness: str
    line: int


@dataclass(frozen=True)
class IcbRecord:
    ons_code: str
    icb_code: str
    icb_name: str
    note: str


@dataclass
class ReferenceData:
    areas: list[AreaRecord]
    extras: dict[str, AreaExtra]  # by ONS code of the area
    neighbours: dict[str, list[NeighbourRecord]]  # model -> rows
    icbs: list[IcbRecord] = field(default_factory=list)


class _Reader:
    """Reads one CSV file, checking header and field counts, collecting problems."""

    def __init__(self, path: Path, required: list[str], problems: list[Problem]):
        self.path = path
        self.name = path.name
        self.required = required
        self.problems = problems

    def problem(self, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.name, line, column, message))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            self.problem(None, None, "the file does not exist")
            return
        except UnicodeDecodeError as exc:
            self.problem(None, None, f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})")
            return
        reader = csv.reader(text.splitlines())
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            self.problem(None, None, EMPTY_FILE)
            return
        header = [h.strip() for h in header]
        missing = [c for c in self.required if c not in header]
        if missing:
            self.problem(1, None, MISSING_COLUMNS.format(columns=", ".join(missing)))
            return
        for line, values in enumerate(reader, start=2):
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) != len(header):
                self.problem(line, None, WRONG_FIELD_COUNT.format(expected=len(header), found=len(values)))
                continue
            yield line, {h: v.strip() for h, v in zip(header, values, strict=True)}


def _parse_date(reader: _Reader, line: int, column: str, value: str) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        reader.problem(line, column, BAD_DATE.format(value=value))
        return None


def read_areas(path: Path, problems: list[Problem]) -> list[AreaRecord]:
    reader = _Reader(
        path,
        [
            "new_la_code",
            "old_la_code",
            "la_name",
            "la_type",
            "region_code",
            "region_name",
            "status",
            "date_of_operation",
            "date_of_termination",
        ],
        problems,
    )
    records: list[AreaRecord] = []
    seen: dict[str, int] = {}
    for line, row in reader.rows():
        ok = True
        code = row["new_la_code"]
        if not ONS_AREA_CODE.match(code):
            reader.problem(line, "new_la_code", BAD_ONS_CODE.format(value=code))
            ok = False
        elif code in seen:
            reader.problem(line, "new_la_code", DUPLICATE.format(value=code, first=seen[code]))
            ok = False
        else:
            seen[code] = line
        number = row["old_la_code"]
        if number.lower() == "x":
            number = ""
        elif not LA_NUMBER.match(number):
            reader.problem(line, "old_la_code", BAD_LA_NUMBER.format(value=number))
            ok = False
        for column in ("la_name", "la_type", "region_name"):
            if not row[column]:
                reader.problem(line, column, REQUIRED)
                ok = False
        if not ONS_REGION_CODE.match(row["region_code"]):
            reader.problem(line, "region_code", BAD_REGION_CODE.format(value=row["region_code"]))
            ok = False
        status = row["status"].lower()
        if status not in {"live", "terminated"}:
            reader.problem(line, "status", BAD_STATUS.format(value=row["status"]))
            ok = False
        start = _parse_date(reader, line, "date_of_operation", row["date_of_operation"])
        end = _parse_date(reader, line, "date_of_termination", row["date_of_termination"])
        if (row["date_of_operation"] and start is None) or (row["date_of_termination"] and end is None):
            ok = False
        if status == "terminated" and not row["date_of_termination"]:
            reader.problem(line, "date_of_termination", TERMINATED_WITHOUT_DATE)
            ok = False
        if ok:
            records.append(
                AreaRecord(
                    ons_code=code,
                    la_number=number,
                    name=row["la_name"],
                    la_type=row["la_type"],
                    region_code=row["region_code"],
                    region_name=row["region_name"],
                    status=status,
                    operational_from=start,
                    terminated_on=end,
                )
            )
    return records


def _int_or_none(reader: _Reader, line: int, column: str, value: str) -> tuple[int | None, bool]:
    if not value:
        return None, True
    try:
        return int(value.replace(",", "")), True
    except ValueError:
        reader.problem(line, column, BAD_INTEGER.format(value=value))
        return None, False


def resolve_la_number(areas: list[AreaRecord]) -> dict[str, AreaRecord]:
    """DfE LA number -> area; the live area wins where an old and a new code share a number."""
    by_number: dict[str, AreaRecord] = {}
    for area in areas:
        if not area.la_number:
            continue
        current = by_number.get(area.la_number)
        if current is None or (area.status == "live" and current.status != "live"):
            by_number[area.la_number] = area
    return by_number


def read_extras(path: Path, areas: list[AreaRecord], problems: list[Problem]) -> dict[str, AreaExtra]:
    reader = _Reader(path, ["urn", "la_code", "la_code_new", "ons_population_0-25"], problems)
    by_number = resolve_la_number(areas)
    extras: dict[str, AreaExtra] = {}
    for line, row in reader.rows():
        number = row["la_code"]
        area = by_number.get(number)
        if area is None:
            reader.problem(line, "la_code", UNKNOWN_LA_NUMBER.format(value=number, file=LAS_FILE))
            continue
        urn, ok_urn = _int_or_none(reader, line, "urn", row["urn"])
        population, ok_pop = _int_or_none(reader, line, "ons_population_0-25", row["ons_population_0-25"])
        if ok_urn and ok_pop:
            extras[area.ons_code] = AreaExtra(ofsted_urn=str(urn) if urn else "", population_0_25=population)
    return extras


def read_neighbours(path: Path, areas: list[AreaRecord], problems: list[Problem]) -> list[NeighbourRecord]:
    reader = _Reader(
        path, ["status", "la_number", "la_name", "rank", "neighbour_la_number", "closeness"], problems
    )
    numbers = {a.la_number for a in areas if a.la_number}
    records: list[NeighbourRecord] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in reader.rows():
        if row["neighbour_la_number"] == "-" and row["closeness"] == "-":
            continue  # the model has no neighbours for an area created after it (Cumberland in 2021)
        ok = True
        for column in ("la_number", "neighbour_la_number"):
            value = row[column]
            if not LA_NUMBER.match(value):
                reader.problem(line, column, BAD_LA_NUMBER.format(value=value))
                ok = False
            elif value not in numbers:
                reader.problem(line, column, UNKNOWN_LA_NUMBER.format(value=value, file=LAS_FILE))
                ok = False
        try:
            rank = int(row["rank"])
            if not 1 <= rank <= 10:
                raise ValueError
        except ValueError:
            reader.problem(line, "rank", BAD_RANK.format(value=row["rank"]))
            ok = False
            rank = 0
        closeness = row["closeness"]
        if closeness.capitalize() not in CLOSENESS:
            reader.problem(
                line, "closeness", BAD_CLOSENESS.format(value=closeness, bands=", ".join(sorted(CLOSENESS)))
            )
            ok = False
        key = (row["la_number"], rank)
        if ok and key in seen:
            reader.problem(line, "rank", DUPLICATE.format(value=f"{key[0]} rank {rank}", first=seen[key]))
            ok = False
        if ok:
            seen[key] = line
            records.append(
                NeighbourRecord(
                    row["la_number"], rank, row["neighbour_la_number"], closeness.capitalize(), line
                )
            )
    return records


def read_icbs(path: Path, areas: list[AreaRecord], problems: list[Problem]) -> list[IcbRecord]:
    if not path.exists():
        return []
    reader = _Reader(path, ["ons_code", "icb_code", "icb_name"], problems)
    codes = {a.ons_code for a in areas}
    records = []
    for line, row in reader.rows():
        ok = True
        if row["ons_code"] not in codes:
            reader.problem(line, "ons_code", UNKNOWN_AREA.format(value=row["ons_code"], file=LAS_FILE))
            ok = False
        if not ONS_ICB_CODE.match(row["icb_code"]):
            reader.problem(line, "icb_code", BAD_ICB_CODE.format(value=row["icb_code"]))
            ok = False
        if not row["icb_name"]:
            reader.problem(line, "icb_name", REQUIRED)
            ok = False
        if ok:
            records.append(
                IcbRecord(row["ons_code"], row["icb_code"], row["icb_name"], row.get("share_note", ""))
            )
    return records


def read_reference_data(directory: Path = DATA_DIR) -> ReferenceData:
    """Read and check every file; raise DataFileError listing all problems found."""
    problems: list[Problem] = []
    areas = read_areas(directory / LAS_FILE, problems)
    if problems:
        raise DataFileError(problems)
    extras = read_extras(directory / D2I_FILE, areas, problems)
    neighbours = {
        "2025-05": read_neighbours(directory / NEIGHBOURS_2025_FILE, areas, problems),
        "2021-04": read_neighbours(directory / NEIGHBOURS_2021_FILE, areas, problems),
    }
    icbs = read_icbs(directory / ICB_FILE, areas, problems)
    if problems:
        raise DataFileError(problems)
    return ReferenceData(areas=areas, extras=extras, neighbours=neighbours, icbs=icbs)
