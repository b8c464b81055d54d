"""The register of English upper-tier local authority areas and their statistical neighbours.

Read, and checked, by the register's own reader (``areasend.areas.reference_data``, pure Python)
from its files in ``areasend/areas/data/`` (see the PROVENANCE.md there): there is one copy of them.
Areas are keyed by ONS code (E06/E08/E09/E10) and DfE 3-digit LA number. A terminated code whose LA
number lives on in a current area (Barnsley E08000016 became E08000038 on 1 May 2025) resolves to
that current area. The statistical neighbours are the May 2025 model's current lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from areasend.areas.reference_data import (
    DATA_DIR,
    LAS_FILE,
    NEIGHBOURS_2025_FILE,
    read_areas,
    read_neighbours,
)
from areasend.domain.intake import Problem

from .errors import NO_SUCCESSOR, UNKNOWN_AREA, IngestError, UnknownAreaError

REGISTER_DIR = DATA_DIR
REGISTER_FILE = LAS_FILE
NEIGHBOURS_FILE = NEIGHBOURS_2025_FILE
ENGLAND_CODE = "E92000001"

LIVE_WITHOUT_NUMBER = "the live area {code} has no 3-digit DfE LA number"
SHARED_NUMBER = "two live areas share the LA number {number!r}"
NOT_LIVE = "{value!r} is not a live area"
NO_LIVE_AREAS = "the register has no live areas"


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


class Neighbour(NamedTuple):
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
        """Every DfE LA number in the register, live or terminated (some old areas have none)."""
        return {a.la_number for a in self.areas.values() if a.la_number}

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


def load_register(directory: Path | str = REGISTER_DIR) -> AreaRegister:
    """The register and the current statistical neighbours, from the register's files in
    ``directory``; IngestError with every problem found when they do not read cleanly."""
    directory = Path(directory)
    problems: list[Problem] = []
    records = read_areas(directory / REGISTER_FILE, problems)
    if problems:
        raise IngestError(problems)
    areas: dict[str, Area] = {}
    live: dict[str, Area] = {}
    for record in records:
        area = Area(
            ons_code=record.ons_code,
            la_number=record.la_number,
            name=record.name,
            la_type=record.la_type,
            region_code=record.region_code,
            region_name=record.region_name,
            status=record.status,
            terminated_on=record.terminated_on.strftime("%d/%m/%Y") if record.terminated_on else "",
        )
        areas[area.ons_code] = area
        if not area.is_live:
            continue
        if not area.la_number:
            problems.append(
                Problem(REGISTER_FILE, None, "old_la_code", LIVE_WITHOUT_NUMBER.format(code=area.ons_code))
            )
        elif area.la_number in live:
            problems.append(
                Problem(REGISTER_FILE, None, "old_la_code", SHARED_NUMBER.format(number=area.la_number))
            )
        else:
            live[area.la_number] = area
    if not live and not problems:
        problems.append(Problem(REGISTER_FILE, None, None, NO_LIVE_AREAS))
    if problems:
        raise IngestError(problems)
    rows = read_neighbours(directory / NEIGHBOURS_FILE, records, problems)
    neighbours: dict[str, list[Neighbour]] = {}
    for row in rows:
        if row.status != "current":
            continue
        of = live.get(row.la_number)
        other = live.get(row.neighbour_la_number)
        if of is None:
            problems.append(
                Problem(NEIGHBOURS_FILE, row.line, "la_number", NOT_LIVE.format(value=row.la_number))
            )
        if other is None:
            problems.append(
                Problem(
                    NEIGHBOURS_FILE,
                    row.line,
                    "neighbour_la_number",
                    NOT_LIVE.format(value=row.neighbour_la_number),
                )
            )
        if of is not None and other is not None:
            neighbours.setdefault(of.ons_code, []).append(
                Neighbour(other.ons_code, other.la_number, other.name, row.rank, row.closeness)
            )
    if problems:
        raise IngestError(problems)
    for code in neighbours:
        neighbours[code].sort(key=lambda n: n.rank)
    return AreaRegister(areas=areas, neighbours=neighbours)
