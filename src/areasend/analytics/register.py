"""The register of English upper-tier local authority areas and their statistical neighbours.

Read from the copies shipped in data/raw/ (see PROVENANCE.md). Areas are keyed by ONS code
(E06/E08/E09/E10) and DfE 3-digit LA number. A terminated code whose LA number lives on in a
current area (Barnsley E08000016 became E08000038 on 1 May 2025) resolves to that current area.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import NO_SUCCESSOR, UNKNOWN_AREA, IngestError, UnknownAreaError

REGISTER_FILE = "local_authorities/english_upper_tier_las.csv"
NEIGHBOURS_FILE = "statistical_neighbours/dfe_statistical_neighbours_may_2025_long.csv"
ENGLAND_CODE = "E92000001"

REGISTER_COLUMNS = (
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
NEIGHBOUR_COLUMNS = ("status", "la_number", "la_name", "rank", "neighbour_la_number", "closeness")
ONS_CODE = re.compile(r"E(06|08|09|10)\d{6}")
LA_NUMBER = re.compile(r"\d{3}")


@dataclass(frozen=True)
class Area:
    ons_code: str
    la_number: str
    name: str
    la_type: str
    region_code: str
    region_name: str
    status: str
    terminated_on: str = ""

    @property
    def is_live(self) -> bool:
        return self.status == "live"


@dataclass(frozen=True)
class Neighbour:
    ons_code: str
    la_number: str
    name: str
    rank: int
    closeness: str


@dataclass
class AreaRegister:
    areas: dict[str, Area]  # every ONS code in the register, live and terminated
    neighbours: dict[str, list[Neighbour]] = field(default_factory=dict)

    @property
    def live(self) -> list[Area]:
        return sorted((a for a in self.areas.values() if a.is_live), key=lambda a: a.name)

    @property
    def live_by_la_number(self) -> dict[str, Area]:
        return {a.la_number: a for a in self.areas.values() if a.is_live}

    @property
    def la_numbers(self) -> set[str]:
        return {a.la_number for a in self.areas.values()}

    @property
    def regions(self) -> dict[str, str]:
        return {a.region_code: a.region_name for a in self.areas.values() if a.is_live}

    def resolve(self, code: str) -> Area:
        """The live area for an ONS code, following a terminated code to its successor."""
        key = (code or "").strip().upper()
        area = self.areas.get(key)
        if area is None:
            raise UnknownAreaError(UNKNOWN_AREA.format(code=code))
        if area.is_live:
            return area
        successor = self.live_by_la_number.get(area.la_number)
        if successor is None:
            raise UnknownAreaError(NO_SUCCESSOR.format(code=code, name=area.name, ended=area.terminated_on))
        return successor


def _read_rows(path: Path, expected: tuple[str, ...], label: str) -> list[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise IngestError(label, None, None, f"cannot open: {exc}") from exc
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise IngestError(label, 1, None, "file is empty")
        for column in expected:
            if column not in header:
                raise IngestError(label, 1, column, "expected column missing from the header")
        rows = []
        for number, record in enumerate(reader, start=2):
            if len(record) != len(header):
                missing = header[len(record)] if len(record) < len(header) else f"field {len(record)}"
                raise IngestError(
                    label, number, missing, f"row has {len(record)} fields, the header has {len(header)}"
                )
            rows.append((number, dict(zip(header, record, strict=True))))
    if not rows:
        raise IngestError(label, 2, None, "no data rows (file truncated?)")
    return rows


def load_register(raw_dir: Path) -> AreaRegister:
    areas: dict[str, Area] = {}
    for number, row in _read_rows(raw_dir / REGISTER_FILE, REGISTER_COLUMNS, REGISTER_FILE):
        code = row["new_la_code"].strip()
        if not ONS_CODE.fullmatch(code):
            raise IngestError(
                REGISTER_FILE, number, "new_la_code", f"{code!r} is not an E06/E08/E09/E10 code"
            )
        status = row["status"].strip()
        if status not in ("live", "terminated"):
            raise IngestError(REGISTER_FILE, number, "status", f"{status!r} is not 'live' or 'terminated'")
        la_number = row["old_la_code"].strip()
        if status == "live" and not LA_NUMBER.fullmatch(la_number):
            raise IngestError(
                REGISTER_FILE, number, "old_la_code", f"{la_number!r} is not a 3-digit LA number"
            )
        areas[code] = Area(
            ons_code=code,
            la_number=la_number,
            name=row["la_name"].strip(),
            la_type=row["la_type"].strip(),
            region_code=row["region_code"].strip(),
            region_name=row["region_name"].strip(),
            status=status,
            terminated_on=row["date_of_termination"].strip(),
        )
    register = AreaRegister(areas=areas)
    live = register.live_by_la_number
    if len(live) != sum(1 for a in areas.values() if a.is_live):
        raise IngestError(REGISTER_FILE, None, "old_la_code", "two live areas share an LA number")

    neighbours: dict[str, list[Neighbour]] = {}
    for number, row in _read_rows(raw_dir / NEIGHBOURS_FILE, NEIGHBOUR_COLUMNS, NEIGHBOURS_FILE):
        if row["status"].strip() != "current":
            continue
        area = live.get(row["la_number"].strip())
        if area is None:
            raise IngestError(
                NEIGHBOURS_FILE, number, "la_number", f"{row['la_number']!r} is not a live area"
            )
        other = live.get(row["neighbour_la_number"].strip())
        if other is None:
            raise IngestError(
                NEIGHBOURS_FILE,
                number,
                "neighbour_la_number",
                f"{row['neighbour_la_number']!r} is not a live area",
            )
        try:
            rank = int(row["rank"])
        except ValueError as exc:
            raise IngestError(
                NEIGHBOURS_FILE, number, "rank", f"{row['rank']!r} is not a whole number"
            ) from exc
        neighbours.setdefault(area.ons_code, []).append(
            Neighbour(other.ons_code, other.la_number, other.name, rank, row["closeness"].strip())
        )
    for code in neighbours:
        neighbours[code].sort(key=lambda n: n.rank)
    register.neighbours = neighbours
    return register
