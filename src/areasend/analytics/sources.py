"""The statistics files shipped in data/raw/: which they are, their manifest, and reading their headers
and layouts with the intake toolkit before DuckDB scans them (`ingest.py`)."""

from __future__ import annotations

import csv
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from areasend.domain.intake import ColumnSpec, Header, Problem, TableReader

from .catalogue import DATA_DIR, Catalogue, default_catalogue
from .errors import IngestError

RAW_DIR = DATA_DIR / "raw"
MANIFEST_FILE = "MANIFEST.csv"
# Shipped for reference (column dictionaries), not read by the loader.
DOCUMENTATION_FILES = (
    "lait/lait_sen_indicators_dictionary.csv",
    "sen2_ehcp_2025_release/data-guidance.txt",
    "sen2_ehcp_2023_release/data-guidance.txt",
)
EES_GEO_COLUMNS = ("time_period", "geographic_level", "region_code", "old_la_code")
LAIT_GEO_COLUMNS = ("la_number", "la_or_region_name", "years")
TRIBUNAL_HEADER_ROWS = 5
TRIBUNAL_COLUMNS = ColumnSpec.of("Local Authority", "LA code")  # on line 4, above the measures
TRIBUNAL_MEASURES = {
    "Appeals registered": "appeals_registered",
    "Total Appealable Decisions": "appealable_decisions",
    "SEND Tribunal Appeal Rate": "appeal_rate",
}
PLAIN_NUMBER = r"-?[0-9]+(\.[0-9]+)?"
FORMATTED_NUMBER = r"-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?%?"


def raw_files(catalogue: Catalogue | None = None) -> list[str]:
    """Every file under data/raw/ the product ships, relative to that folder."""
    catalogue = catalogue or default_catalogue()
    files: list[str] = []
    files += [ds.path for ds in catalogue.datasets.values() if ds.path not in files]
    files += list(DOCUMENTATION_FILES)
    return files


def write_manifest(raw_dir: Path, files: list[str]) -> Path:
    path = raw_dir / MANIFEST_FILE
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["path", "bytes", "sha256"])
        for rel in files:
            data = (raw_dir / rel).read_bytes()
            writer.writerow([rel, len(data), hashlib.sha256(data).hexdigest()])
    return path


# --- reading files ------------------------------------------------------------------------------


def read_header(path: Path, label: str, needed: list[str]) -> Header:
    """The header of a file, with the position of each column in `needed`: IngestError when the
    file is refused, a column is missing or a needed column appears twice."""
    reader = TableReader(path, column_spec(tuple(dict.fromkeys(needed))), file=label)
    header = reader.read_header()
    if header is None:
        raise IngestError(reader.problems)
    return header


@functools.lru_cache(maxsize=256)
def column_spec(columns: tuple[str, ...]) -> ColumnSpec:
    """The column spec of a file's needed columns (the same for every load of the catalogue)."""
    return ColumnSpec.of(*columns)


def diagnose_structure(path: Path, label: str, header_rows: int = 1) -> IngestError | None:
    """The first record whose shape differs from the header (or that is not CSV at all), or None
    when the file is well formed."""
    reader = TableReader(path, ColumnSpec(()), file=label, header_line=header_rows)
    rows = reader.rows()
    for _ in rows:
        if reader.problems:
            break
    rows.close()
    return IngestError(reader.problems[:1]) if reader.problems else None


def locate_value(
    path: Path, column_index: int, raw: str, label: str, column: str, problem: str, header_rows: int = 1
) -> Problem:
    """The problem at the first row below the header holding `raw` in `column_index` (no line
    when no row does)."""
    wanted = raw.strip()
    reader = TableReader(path, ColumnSpec(()), file=label, header_line=header_rows)
    rows = reader.rows()
    try:
        for row in rows:
            if column_index < len(row.fields) and row.fields[column_index].strip() == wanted:
                return Problem(label, row.line, column, problem)
    finally:
        rows.close()
    return Problem(label, None, column, problem)


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def read_csv_sql(path: Path, columns_param: str, skip: int) -> str:
    """Every column as text, with names and count from the header (parameter `columns_param`, a
    dict name -> 'VARCHAR': a parameter rather than SQL text, as parsing a struct of 80 names for
    every file costs more than reading some of the files)."""
    return (
        f"read_csv({sql_string(str(path))}, header=false, skip={skip}, auto_detect=false, "
        f"columns=${columns_param}, delim=',', quote='\"', escape='\"', strict_mode=true, "
        "null_padding=false)"
    )


def duckdb_names(header: Header) -> list[str]:
    """Column names for DuckDB: each column read is called by its name in the catalogue (whatever
    the variant of it in the file), the others by position (DuckDB needs unique names)."""
    names = [f"column_{index + 1}" for index in range(header.width)]
    for name, index in header.positions.items():
        names[index] = name
    return names


@dataclass
class TribunalLayout:
    width: int
    columns: dict[int, tuple[int, str]]  # column index -> (year, measure)

    def label(self, index: int) -> str:
        year, measure = self.columns[index]
        return f"{year} {measure}"


def parse_tribunal_header(path: Path, label: str) -> TribunalLayout:
    """The MoJ table's two header rows (4 and 5): years across, three measures under each year."""
    years_line = TRIBUNAL_HEADER_ROWS - 1
    reader = TableReader(path, TRIBUNAL_COLUMNS, file=label, header_line=years_line)
    rows = reader.rows()
    measures = next(rows, None)
    rows.close()
    header = reader.header
    if reader.problems or header is None or measures is None or measures.line != TRIBUNAL_HEADER_ROWS:
        no_measures = Problem(label, TRIBUNAL_HEADER_ROWS, None, "expected the measure headings on this line")
        raise IngestError(reader.problems or [no_measures])
    years_row, measures_row = list(header.cells), measures.fields
    if header.positions != {"Local Authority": 0, "LA code": 1}:
        raise IngestError.at(
            label,
            years_line,
            "Local Authority",
            f"expected 'Local Authority', 'LA code', found {years_row[:2]!r}",
        )
    columns: dict[int, tuple[int, str]] = {}
    year: int | None = None
    for index in range(2, len(years_row)):
        cell = years_row[index].strip()
        if cell:
            if not re.fullmatch(r"(19|20)[0-9]{2}", cell):
                raise IngestError.at(label, years_line, f"column {index + 1}", f"{cell!r} is not a year")
            year = int(cell)
        measure_cell = measures_row[index].strip() if index < len(measures_row) else ""
        if year is None or not measure_cell or measure_cell.startswith("In development"):
            continue
        measure = next(
            (m for prefix, m in TRIBUNAL_MEASURES.items() if measure_cell.startswith(prefix)), None
        )
        if measure is None:
            raise IngestError.at(
                label,
                TRIBUNAL_HEADER_ROWS,
                f"column {index + 1}",
                f"unexpected measure heading {measure_cell!r}",
            )
        columns[index] = (year, measure)
    years = sorted({y for y, _ in columns.values()})
    if not years:
        raise IngestError.at(label, years_line, None, "no year columns found")
    for y in years:
        found = {m for yy, m in columns.values() if yy == y}
        for measure in TRIBUNAL_MEASURES.values():
            if measure not in found:
                raise IngestError.at(
                    label, TRIBUNAL_HEADER_ROWS, f"{y} {measure}", "measure missing under this year"
                )
    return TribunalLayout(width=len(years_row), columns=columns)
