"""Which current area each reorganised (terminated) area of the register is counted as: read from
``data/area_successors.csv`` (its provenance in ``data/PROVENANCE.md``). A split area lists every
successor; its inspections count for the one marked ``counts_inspections`` (the one holding most of
it), so no area is counted twice."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

SUCCESSORS_FILE = Path(__file__).resolve().parent / "data" / "area_successors.csv"
SUCCESSORS_SOURCE = (
    "The register of local areas (the DfE explore education statistics list of local authorities) for "
    "which areas replaced which, and DfE SEN2 2025 (EHC plans by area) for the successor holding most "
    "of a split area"
)
NOT_ONE_COUNTED = "{code}: exactly one successor must count its inspections (counts_inspections yes), not {n}"
BAD_FLAG = "{code}: counts_inspections must be yes or no, not {value!r}"


def read_successors(path: Path = SUCCESSORS_FILE) -> dict[str, str]:
    """Former area code -> the code of the current area its inspections are counted as."""
    counted: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, flag = row["former_code"].strip(), row["counts_inspections"].strip().lower()
            if flag not in {"yes", "no"}:
                raise ValueError(BAD_FLAG.format(code=code, value=row["counts_inspections"]))
            found = counted.setdefault(code, [])
            if flag == "yes":
                found.append(row["successor_code"].strip())
    for code, successors in counted.items():
        if len(successors) != 1:
            raise ValueError(NOT_ONE_COUNTED.format(code=code, n=len(successors)))
    return {code: successors[0] for code, successors in counted.items()}


@cache
def counted_successors() -> dict[str, str]:
    """The shipped mapping (read once)."""
    return read_successors()
