"""Read and check the register's reference files (pure Python; no database).

Every problem names the file, the line, the column and what is wrong (``areasend.domain.intake``).
Nothing is written until every file has been read without problems. The analytics package reads
the register and the statistical neighbours from these files too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from areasend.domain.intake import (
    INTEGRATED_CARE_BOARD,
    REQUIRED,
    UK_DATE,
    ColumnSpec,
    IntakeError,
    Problem,
    Row,
    TableReader,
    date_value,
    integer,
    la_number,
    ons_code,
    optional,
    region_code,
    take,
    upper_tier_area_code,
)

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

LAS_COLUMNS = ColumnSpec.of(
    "new_la_code",
    "old_la_code",
    "la_name",
    "la_type",
    "region_code",
    "region_name",
    "status",
    "date_of_operation",
    "date_of_termination",
)
D2I_COLUMNS = ColumnSpec.of("urn", "la_code", "la_code_new", "ons_population_0-25")
NEIGHBOUR_COLUMNS = ColumnSpec.of(
    "status", "la_number", "la_name", "rank", "neighbour_la_number", "closeness"
)
ICB_COLUMNS = ColumnSpec.of("ons_code", "icb_code", "icb_name", optional=["share_note"])

RANKS = {str(rank): rank for rank in range(1, 11)}
CLOSENESS = {"Extremely close", "Very close", "Close", "Somewhat close", "Not close", "Sometimes close"}
# The register's dates are written DD/MM/YYYY.
REGISTER_DATE_FORMS = (UK_DATE,)

BAD_STATUS = "{value!r} is not a status (live or terminated)"
DUPLICATE = "{value!r} appears more than once (first on line {first})"
TERMINATED_WITHOUT_DATE = "a terminated area needs a date of termination"
UNKNOWN_LA_NUMBER = "{value!r} is not the DfE number of any area in {file}"
BAD_CLOSENESS = "{value!r} is not a closeness band ({bands})"
BAD_RANK = "{value!r} is not a rank from 1 to 10"
UNKNOWN_AREA = "{value!r} is not an area in {file}"


class AreaRecord(NamedTuple):
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


class NeighbourRecord(NamedTuple):
    la_number: str
    rank: int
    neighbour_la_number: str
    closeness: str
    line: int
    status: str  # "current", or "pre_reorganisation" for an area since replaced


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


def _register_date(row: Row, column: str, problems: list[Problem]) -> date | None:
    if not row[column]:
        return None
    return take(date_value(row.cell(column), REGISTER_DATE_FORMS), problems)


def read_areas(path: Path, problems: list[Problem]) -> list[AreaRecord]:
    reader = TableReader(path, LAS_COLUMNS, problems=problems)
    records: list[AreaRecord] = []
    seen: dict[str, int] = {}
    for row in reader.rows():
        before = len(problems)
        code = take(upper_tier_area_code(row.cell("new_la_code")), problems)
        if code is not None:
            if code in seen:
                problems.append(row.problem("new_la_code", DUPLICATE.format(value=code, first=seen[code])))
            else:
                seen[code] = row.line
        number = row["old_la_code"]
        if number.lower() == "x":
            number = ""  # no DfE number
        else:
            take(la_number(row.cell("old_la_code")), problems)
        for column in ("la_name", "la_type", "region_name"):
            if not row[column]:
                problems.append(row.problem(column, REQUIRED))
        region = take(region_code(row.cell("region_code")), problems)
        status = row["status"].lower()
        if status not in {"live", "terminated"}:
            problems.append(row.problem("status", BAD_STATUS.format(value=row["status"])))
        start = _register_date(row, "date_of_operation", problems)
        end = _register_date(row, "date_of_termination", problems)
        if status == "terminated" and not row["date_of_termination"]:
            problems.append(row.problem("date_of_termination", TERMINATED_WITHOUT_DATE))
        if len(problems) == before and code is not None and region is not None:
            records.append(
                AreaRecord(
                    ons_code=code,
                    la_number=number,
                    name=row["la_name"],
                    la_type=row["la_type"],
                    region_code=region,
                    region_name=row["region_name"],
                    status=status,
                    operational_from=start,
                    terminated_on=end,
                )
            )
    return records


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
    reader = TableReader(path, D2I_COLUMNS, problems=problems)
    by_number = resolve_la_number(areas)
    extras: dict[str, AreaExtra] = {}
    for row in reader.rows():
        number = row["la_code"]
        area = by_number.get(number)
        if area is None:
            problems.append(row.problem("la_code", UNKNOWN_LA_NUMBER.format(value=number, file=LAS_FILE)))
            continue
        before = len(problems)
        urn = take(optional(integer, row.cell("urn")), problems)
        population = take(optional(integer, row.cell("ons_population_0-25")), problems)
        if len(problems) == before:
            extras[area.ons_code] = AreaExtra(ofsted_urn=str(urn) if urn else "", population_0_25=population)
    return extras


def _unknown_la_number(row: Row, column: str, problems: list[Problem]) -> None:
    number = take(la_number(row.cell(column)), problems)
    if number is not None:
        problems.append(row.problem(column, UNKNOWN_LA_NUMBER.format(value=number, file=LAS_FILE)))


def read_neighbours(path: Path, areas: list[AreaRecord], problems: list[Problem]) -> list[NeighbourRecord]:
    reader = TableReader(path, NEIGHBOUR_COLUMNS, problems=problems)
    numbers = {a.la_number for a in areas if a.la_number}
    records: list[NeighbourRecord] = []
    seen: dict[tuple[str, int], int] = {}
    for row in reader.rows():
        number, neighbour, rank_text, band = (
            row["la_number"],
            row["neighbour_la_number"],
            row["rank"],
            row["closeness"],
        )
        if neighbour == "-" and band == "-":
            continue  # the model has no neighbours for an area created after it (Cumberland in 2021)
        before = len(problems)
        # A number in the register is a checked 3-digit number: only others need a closer look.
        if number not in numbers:
            _unknown_la_number(row, "la_number", problems)
        if neighbour not in numbers:
            _unknown_la_number(row, "neighbour_la_number", problems)
        rank = RANKS.get(rank_text)
        if rank is None:
            parsed = integer(row.cell("rank"))
            if isinstance(parsed, Problem) or not 1 <= parsed <= 10:
                problems.append(row.problem("rank", BAD_RANK.format(value=rank_text)))
                parsed = 0
            rank = parsed
        closeness = band.capitalize()
        if closeness not in CLOSENESS:
            bands = ", ".join(sorted(CLOSENESS))
            problems.append(row.problem("closeness", BAD_CLOSENESS.format(value=band, bands=bands)))
        key = (number, rank)
        if len(problems) == before and key in seen:
            problems.append(
                row.problem("rank", DUPLICATE.format(value=f"{number} rank {rank}", first=seen[key]))
            )
        if len(problems) == before:
            seen[key] = row.line
            records.append(NeighbourRecord(number, rank, neighbour, closeness, row.line, row["status"]))
    return records


def read_icbs(path: Path, areas: list[AreaRecord], problems: list[Problem]) -> list[IcbRecord]:
    if not path.exists():
        return []
    reader = TableReader(path, ICB_COLUMNS, problems=problems)
    codes = {a.ons_code for a in areas}
    records = []
    for row in reader.rows():
        before = len(problems)
        if row["ons_code"] not in codes:
            problems.append(
                row.problem("ons_code", UNKNOWN_AREA.format(value=row["ons_code"], file=LAS_FILE))
            )
        take(ons_code(row.cell("icb_code"), INTEGRATED_CARE_BOARD), problems)
        if not row["icb_name"]:
            problems.append(row.problem("icb_name", REQUIRED))
        if len(problems) == before:
            records.append(
                IcbRecord(row["ons_code"], row["icb_code"], row["icb_name"], row.get("share_note"))
            )
    return records


def read_reference_data(directory: Path = DATA_DIR) -> ReferenceData:
    """Read and check every file; raise IntakeError listing all problems found."""
    problems: list[Problem] = []
    areas = read_areas(directory / LAS_FILE, problems)
    if problems:
        raise IntakeError(problems)
    extras = read_extras(directory / D2I_FILE, areas, problems)
    neighbours = {
        "2025-05": read_neighbours(directory / NEIGHBOURS_2025_FILE, areas, problems),
        "2021-04": read_neighbours(directory / NEIGHBOURS_2021_FILE, areas, problems),
    }
    icbs = read_icbs(directory / ICB_FILE, areas, problems)
    if problems:
        raise IntakeError(problems)
    return ReferenceData(areas=areas, extras=extras, neighbours=neighbours, icbs=icbs)
