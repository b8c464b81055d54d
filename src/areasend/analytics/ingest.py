"""Read the published statistics shipped in data/raw/ into DuckDB, as one long table of figures.

`load_database()` is what the product runs. `copy_from_shared()` refreshes data/raw/ from the
project's shared data folder; the installed product never needs it. The register of areas and the
statistical neighbours are not in data/raw/: they are read from the register's own files
(`areasend/areas/data/`, see register.py), refreshed by `areasend areas refresh-data`.

Every figure becomes a row (indicator, geo_level, geo, year, value, reason, dataset): `geo_level`
is 'la' (geo = ONS code of the live area), 'region' (E12 code of a live area's region) or 'england'.
A DfE symbol (c, x, z, :, -) or a blank cell becomes a missing value with its reason. A file that
cannot be read as published (truncated, wrong header, a value that is neither a number nor a known
symbol) stops the load with an IngestError naming the file, the row and the column. Headers, and
the rows of a file DuckDB refuses, are read with the intake toolkit (`areasend.domain.intake`).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import itertools
import os
import re
import shutil
import tempfile
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from areasend.domain.intake import ColumnSpec, Header, Problem, TableReader

from .catalogue import (
    BLANK_REASON,
    DATA_DIR,
    Catalogue,
    Dataset,
    default_catalogue,
)
from .errors import IngestError
from .register import ENGLAND_CODE, REGISTER_DIR, AreaRegister, load_register

if TYPE_CHECKING:  # DuckDB is imported by the functions that start it: not on every command start
    import duckdb

RAW_DIR = DATA_DIR / "raw"
# The statistics are ~4 MB: one thread is as fast as two here (measured on the 2-core benchmark
# machine: many small pipelines, little to share out).
DUCKDB_THREADS = 1
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


def copy_from_shared(
    shared_dir: Path | str, dest: Path | str = RAW_DIR, catalogue: Catalogue | None = None
) -> list[Path]:
    """Refresh `dest` from the shared data folder: copy, check that it all loads, then replace.

    The copies are checked in a scratch folder first, so a broken shared file never replaces a good
    shipped one. Writes MANIFEST.csv (path, bytes, sha256). PROVENANCE.md is kept by hand.
    """
    shared_dir, dest = Path(shared_dir), Path(dest)
    catalogue = catalogue or default_catalogue()
    files = raw_files(catalogue)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        for rel in files:
            source = shared_dir / rel
            if not source.is_file():
                raise IngestError.at(str(source), None, None, "file missing from the shared data folder")
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, scratch / rel)
        load_database(scratch, catalogue).close()
        copied = []
        for rel in files:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(scratch / rel, target)
            copied.append(target)
    write_manifest(dest, files)
    return copied


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
    reader = TableReader(path, _spec(tuple(dict.fromkeys(needed))), file=label)
    header = reader.read_header()
    if header is None:
        raise IngestError(reader.problems)
    return header


@functools.lru_cache(maxsize=256)
def _spec(columns: tuple[str, ...]) -> ColumnSpec:
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


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _read_csv_sql(path: Path, columns_param: str, skip: int) -> str:
    """Every column as text, with names and count from the header (parameter `columns_param`, a
    dict name -> 'VARCHAR': a parameter rather than SQL text, as parsing a struct of 80 names for
    every file costs more than reading some of the files)."""
    return (
        f"read_csv({_sql_string(str(path))}, header=false, skip={skip}, auto_detect=false, "
        f"columns=${columns_param}, delim=',', quote='\"', escape='\"', strict_mode=true, "
        "null_padding=false)"
    )


def _duckdb_names(header: Header) -> list[str]:
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


# --- the database ------------------------------------------------------------------------------
#
# Four statements build the database: the code types and `areas`; `cells` (every file scanned once,
# its used columns unpivoted, each cell parsed and checked); one query for the first problem in
# `cells`; `obs`. At this size (4 MB of CSV) fixed costs dominate: planning each statement, starting
# each operator, writing strings to tables, converting rows to Python. So there are few statements,
# small Python tables (indicator_sources, codes, neighbours...) are passed as parameters rather than
# created one statement each, and codes are ENUM types: joins, groupings and sorts work on small
# integers, and a column of codes is cheap to store. An ENUM reads back as its text, and its values
# are sorted, so it sorts as its text does.

INDICATOR_TYPE = "indicator_code"
GEO_TYPE = "geo_code"  # England, the live areas' regions and the live areas
GEO_LEVEL_TYPE = "geo_level"
DATASET_TYPE = "dataset_name"
COLUMN_TYPE = "column_name"
CALCULATED = "calculated"  # the dataset of figures calculated here (aggregates, derived indicators)


class StatsDatabase:
    """An in-memory DuckDB database holding the shipped statistics as the `obs` table, plus the
    register. `con` is a connection to it alone; `close()` drops the database and frees its memory."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, register: AreaRegister, catalogue: Catalogue, name: str
    ) -> None:
        self.con = con
        self.register = register
        self.catalogue = catalogue
        # A database never closed is dropped when garbage collected, as a connection of its own was.
        self._finalizer = weakref.finalize(self, _drop_database, con, name)

    def close(self) -> None:
        self._finalizer()


# One DuckDB instance per process; each load gets a new, empty in-memory database attached to it
# and a connection of its own that USEs it. Starting a DuckDB instance costs about 15 ms and closing
# one about 10 ms, more than reading most of the files. Only the engine is shared: every load reads
# every file into an empty database, closing it detaches the database and frees its memory, and the
# engine keeps no copy of any file (its file cache, on for remote files, is switched off).
_engine: duckdb.DuckDBPyConnection | None = None
_engine_pid = 0
_engine_lock = threading.Lock()
_database_numbers = itertools.count(1)


def _new_database() -> tuple[duckdb.DuckDBPyConnection, str]:
    """A connection to a new, empty in-memory database, and the database's name."""
    import duckdb

    global _engine, _engine_pid
    with _engine_lock:
        if _engine is None or _engine_pid != os.getpid():  # a forked process starts its own
            _engine = duckdb.connect(":memory:", config={"threads": DUCKDB_THREADS})
            with contextlib.suppress(duckdb.Error):  # the setting exists from DuckDB 1.3
                _engine.execute("SET enable_external_file_cache = false")
            _engine_pid = os.getpid()
        con = _engine.cursor()
    name = f"stats_{next(_database_numbers)}"
    con.execute(f"ATTACH ':memory:' AS {name}; USE {name}")
    return con, name


def _drop_database(con: duckdb.DuckDBPyConnection, name: str) -> None:
    try:
        con.execute(f"USE memory; DETACH DATABASE IF EXISTS {name}")
    finally:
        con.close()


@dataclass
class _Scan:
    """One dataset's part of the `cells` query, and what is needed to point at a row in its file."""

    name: str
    dataset: Dataset
    path: Path
    header_rows: int
    sql: str
    params: dict[str, object]
    positions: dict[str, int] = field(default_factory=dict)
    tribunal: TribunalLayout | None = None

    def columns_named(self, column: str) -> list[tuple[int, str]]:
        """(index, label) of the file's columns called `column`: one per year in the MoJ table."""
        if self.tribunal is None:
            return [(self.positions[column], column)]
        if column == "LA code":
            return [(1, column)]
        return [(i, self.tribunal.label(i)) for i, (_, m) in self.tribunal.columns.items() if m == column]

    def locate(self, column: str, raw: str, problem: str) -> IngestError:
        for index, label in self.columns_named(column):
            found = locate_value(self.path, index, raw, self.dataset.path, label, problem, self.header_rows)
            if found.line is not None:
                return IngestError([found])
        return IngestError.at(self.dataset.path, None, column, problem)


class SqlParams:
    """The named parameters of one statement. Small Python tables go in as lists, unnested in a
    WITH clause: one statement fewer than a CREATE TABLE each, and much faster than a VALUES list."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def table(self, name: str, columns: dict[str, str], rows: Sequence[Sequence[object]]) -> str:
        """`name AS (SELECT unnest($name_0::TYPE[]) AS col, ...)`, for a WITH clause."""
        selects = []
        for index, (column, sql_type) in enumerate(columns.items()):
            key = f"{name}_{index}"
            self.values[key] = [row[index] for row in rows]
            selects.append(f"unnest(${key}::{sql_type}[]) AS {_ident(column)}")
        return f"{name} AS (SELECT {', '.join(selects)})"


def load_database(
    raw_dir: Path | str = RAW_DIR, catalogue: Catalogue | None = None, register_dir: Path | str = REGISTER_DIR
) -> StatsDatabase:
    """Read the raw files into a new in-memory DuckDB: one scan of each file, then the `obs` table.
    The register and the statistical neighbours come from the register's files in `register_dir`."""
    import duckdb

    raw_dir = Path(raw_dir)
    catalogue = catalogue or default_catalogue()
    register = load_register(register_dir)
    used = catalogue.used_columns()
    scans = [
        _scan(raw_dir, name, ds, used[name], f"file_{index}")
        for index, (name, ds) in enumerate(catalogue.datasets.items())
        if used[name]
    ]
    con, name = _new_database()
    try:
        _load_reference(con, register, catalogue)
        sql, params = _cells_sql(scans, register, catalogue)
        try:
            con.execute(sql, params)
        except duckdb.Error as exc:
            for scan in scans:
                found = diagnose_structure(scan.path, scan.dataset.path, scan.header_rows)
                if found is not None:
                    raise found from exc
            raise IngestError.at(str(raw_dir), None, None, f"the CSV reader failed: {exc}") from exc
        _check_cells(con, scans, register)
        _build_observations(con, catalogue)
    except BaseException:
        _drop_database(con, name)
        raise
    return StatsDatabase(con, register, catalogue, name)


def create_table(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str], rows: Sequence[Sequence[object]]
) -> None:
    """A table from Python rows in one statement (executemany is slow in DuckDB)."""
    names = list(columns)
    selects = ", ".join(f"unnest(?::{columns[n]}[]) AS {_ident(n)}" for n in names)
    values = [[row[i] for row in rows] for i in range(len(names))]
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {selects}", values)


def _enum(name: str, values: Sequence[str]) -> str:
    # Sorted, so that ORDER BY on an ENUM column gives the same order as on its text.
    return f"CREATE TYPE {name} AS ENUM ({', '.join(_sql_string(v) for v in sorted(set(values)))})"


def _typed(text: str, sql_type: str) -> str:
    return f"CAST({_sql_string(text)} AS {sql_type})"


def _load_reference(con: duckdb.DuckDBPyConnection, register: AreaRegister, catalogue: Catalogue) -> None:
    """The code types, and `areas` (the live areas), used by every later statement."""
    live = register.live
    geos = [ENGLAND_CODE, *register.regions, *(a.ons_code for a in live)]
    used = catalogue.used_columns()
    con.execute(
        ";\n".join(
            [
                _enum(INDICATOR_TYPE, [i.code for i in catalogue.indicators]),
                _enum(GEO_TYPE, geos),
                _enum(GEO_LEVEL_TYPE, ["england", "region", "la"]),
                _enum(DATASET_TYPE, [*catalogue.datasets, CALCULATED]),
                _enum(COLUMN_TYPE, [c for columns in used.values() for c in columns]),
            ]
        )
    )
    create_table(
        con,
        "areas",
        {"ons_code": GEO_TYPE, "la_number": "VARCHAR", "name": "VARCHAR", "region_code": GEO_TYPE},
        [(a.ons_code, a.la_number, a.name, a.region_code) for a in live],
    )


def _scan(raw_dir: Path, name: str, ds: Dataset, used: list[str], key: str) -> _Scan:
    """One file's scan: its filtered rows with the columns that place them (geography, period) and,
    side by side, the names and the text of the used columns (`cols`, `cells`), to be unnested into
    one row per cell by the query for the file's layout (see `_cells_sql`)."""
    path = raw_dir / ds.path
    label = ds.path
    if ds.layout == "moj_tribunal":
        return _tribunal_scan(path, name, ds, used, key)
    geo_columns = list(EES_GEO_COLUMNS if ds.layout == "ees" else LAIT_GEO_COLUMNS)
    header = read_header(path, label, geo_columns + list(ds.filter) + used)
    source = _read_csv_sql(path, key, skip=1)
    if ds.layout == "ees":
        where = "t.geographic_level IN ('National', 'Regional', 'Local authority')" + "".join(
            f" AND t.{_ident(k)} = {_sql_string(v)}" for k, v in ds.filter.items()
        )
    else:
        # LAIT wide: one row per area (970 England, 980-990 regions) and year; finance rows have other labels.
        where = "regexp_full_match(t.years, '[0-9]{4}')"
    sql = (
        f"SELECT {_typed(name, DATASET_TYPE)} AS dataset, ${key}_cols::{COLUMN_TYPE}[] AS cols, "  # noqa: S608
        f"[{', '.join('t.' + _ident(c) for c in used)}] AS cells, "
        f"{', '.join('t.' + _ident(c) for c in geo_columns)} FROM {source} t WHERE {where}"
    )
    params: dict[str, object] = {key: dict.fromkeys(_duckdb_names(header), "VARCHAR"), f"{key}_cols": used}
    return _Scan(name, ds, path, header.line, sql, params, positions=dict(header.positions))


def _tribunal_scan(path: Path, name: str, ds: Dataset, used: list[str], key: str) -> _Scan:
    layout = parse_tribunal_header(path, ds.path)
    source = _read_csv_sql(path, key, skip=TRIBUNAL_HEADER_ROWS)
    wanted = [(index, year, measure) for index, (year, measure) in layout.columns.items() if measure in used]
    if not wanted:
        raise IngestError.at(
            ds.path, TRIBUNAL_HEADER_ROWS, None, f"none of the columns {used!r} is in the header"
        )
    sql = (
        f"SELECT {_typed(name, DATASET_TYPE)} AS dataset, ${key}_cols::{COLUMN_TYPE}[] AS cols, "  # noqa: S608
        f"[{', '.join(f't.c{index}' for index, _, _ in wanted)}] AS cells, "
        f"${key}_years::INTEGER[] AS years, t.c0, t.c1 FROM {source} t "
        "WHERE regexp_full_match(trim(t.c1), '[0-9]{3}') OR starts_with(t.c0, 'England Total')"
    )
    params: dict[str, object] = {
        key: {f"c{i}": "VARCHAR" for i in range(layout.width)},
        f"{key}_cols": [measure for _, _, measure in wanted],
        f"{key}_years": [year for _, year, _ in wanted],
    }
    return _Scan(name, ds, path, TRIBUNAL_HEADER_ROWS, sql, params, tribunal=layout)


def _layout_sql(layout: str, scans: str) -> str:
    """The cells of all files of one layout (their scans UNION ALL-ed) in the common shape (dataset,
    geo_level, geo, la_key, la_code, period_text, year, col, raw): `geo` is set for England and
    region rows, `la_key` is the LA number that `la_lookup` turns into the live area of an 'la' row.
    Blank cells are kept."""
    england, region, la = (_typed(level, GEO_LEVEL_TYPE) for level in ("england", "region", "la"))
    england_code = _typed(ENGLAND_CODE, GEO_TYPE)
    # Rows are placed first, then unnested into cells: the expressions run once per row, not per cell.
    cells = "SELECT dataset, geo_level, geo, la_key, la_code, period_text, year, unnest(cols) AS col, unnest(cells) AS raw"
    if layout == "ees":
        return f"""
            {cells} FROM (
                SELECT dataset, cols, cells,
                       CASE geographic_level WHEN 'National' THEN {england} WHEN 'Regional' THEN {region}
                            ELSE {la} END AS geo_level,
                       -- A region code that is not a live area's region is no area's comparator: dropped.
                       CASE geographic_level WHEN 'National' THEN {england_code}
                            WHEN 'Regional' THEN TRY_CAST(region_code AS {GEO_TYPE}) END AS geo,
                       trim(old_la_code) AS la_key,
                       CASE WHEN geographic_level = 'Local authority' THEN coalesce(trim(old_la_code), '') END
                            AS la_code,
                       time_period AS period_text,
                       CASE WHEN regexp_full_match(trim(time_period), '(19|20)[0-9]{{4}}')
                                 THEN CAST(substr(trim(time_period), 1, 4) AS INTEGER) + 1
                            WHEN regexp_full_match(trim(time_period), '(19|20)[0-9]{{2}}')
                                 THEN CAST(trim(time_period) AS INTEGER) END AS year
                FROM ({scans})
            )
        """  # noqa: S608
    if layout == "lait_wide":
        return f"""
            {cells} FROM (
                SELECT dataset, cols, cells,
                       CASE WHEN t.la_number = '970' THEN {england} WHEN r.region_code IS NOT NULL THEN {region}
                            ELSE {la} END AS geo_level,
                       CASE WHEN t.la_number = '970' THEN {england_code} ELSE r.region_code END AS geo,
                       t.la_number AS la_key,
                       CASE WHEN t.la_number <> '970' AND r.region_code IS NULL AND NOT (
                            regexp_full_match(t.la_number, '9[89][0-9]')) THEN coalesce(t.la_number, '') END
                            AS la_code,
                       t.years AS period_text,
                       CAST(t.years AS INTEGER) AS year
                FROM ({scans}) t
                LEFT JOIN region_names r ON regexp_full_match(t.la_number, '9[89][0-9]')
                     AND r.name = lower(trim(t.la_or_region_name))
            )
        """  # noqa: S608
    la_row = "regexp_full_match(trim(c1), '[0-9]{3}')"
    return f"""
        SELECT dataset, geo_level, geo, la_key, la_code, CAST(unnest(years) AS VARCHAR) AS period_text,
               unnest(years) AS year, unnest(cols) AS col, unnest(cells) AS raw
        FROM (
            SELECT dataset, cols, cells, years,
                   CASE WHEN {la_row} THEN {la} ELSE {england} END AS geo_level,
                   CASE WHEN {la_row} THEN NULL ELSE {england_code} END AS geo,
                   trim(c1) AS la_key,
                   CASE WHEN {la_row} THEN trim(c1) END AS la_code
            FROM ({scans})
        )
    """  # noqa: S608


def _cells_sql(
    scans: list[_Scan], register: AreaRegister, catalogue: Catalogue
) -> tuple[str, dict[str, object]]:
    """`cells`: every cell of every used column with its geography (`geo` NULL for an LA number
    that is no live area), its value or the reason it is missing, and what the check needs:
    `bad` when a cell is neither blank, a number in the dataset's format nor a symbol, and the text
    of a period, an LA number or a cell that may be wrong (NULL otherwise: cheap to store)."""
    layouts: dict[str, list[str]] = {}
    for scan in scans:
        layouts.setdefault(scan.dataset.layout, []).append(scan.sql)
    params = SqlParams()
    la_lookup = params.table(
        "la_lookup",
        {"la_number": "VARCHAR", "ons_code": GEO_TYPE},
        # LA number -> live area: a terminated code sharing its number with a live area maps to that area.
        [(number, area.ons_code) for number, area in register.live_by_la_number.items()],
    )
    region_names = params.table(
        "region_names",
        {"name": "VARCHAR", "region_code": GEO_TYPE},
        [(name.lower(), code) for code, name in register.regions.items()],
    )
    codes = params.table(
        "codes",
        {"dataset": DATASET_TYPE, "code": "VARCHAR", "value": "DOUBLE", "reason": "VARCHAR"},
        [
            (name, code, value, reason)
            for name, ds in catalogue.datasets.items()
            for code, (value, reason) in ds.codes().items()
        ],
    )
    formatted = [
        _typed(n, DATASET_TYPE) for n, ds in catalogue.datasets.items() if ds.number_format == "formatted"
    ]

    def is_formatted(dataset: str) -> str:
        return f"{dataset} IN ({', '.join(formatted)})" if formatted else "false"

    source = " UNION ALL ".join(
        _layout_sql(layout, " UNION ALL ".join(scans)) for layout, scans in layouts.items()
    )
    sql = f"""
        CREATE TABLE cells AS
        WITH {la_lookup}, {region_names}, {codes},
        source AS ({source}),
        parsed AS (
            SELECT s.*, l.ons_code, k.code, k.value AS code_value, k.reason AS code_reason,
                   s.text <> '' AND k.code IS NULL
                       AND NOT CASE WHEN {is_formatted("s.dataset")} THEN regexp_full_match(s.text, '{FORMATTED_NUMBER}')
                                    ELSE regexp_full_match(s.text, '{PLAIN_NUMBER}') END AS bad
            FROM (SELECT *, coalesce(trim(raw), '') AS text FROM source) s
            LEFT JOIN la_lookup l ON l.la_number = s.la_key
            LEFT JOIN codes k ON k.dataset = s.dataset AND k.code = s.text
        )
        SELECT dataset, geo_level,
               CASE WHEN geo_level = 'la' THEN ons_code ELSE geo END AS geo,
               year, col,
               CASE WHEN text = '' THEN NULL
                    WHEN code IS NOT NULL THEN code_value
                    WHEN {is_formatted("dataset")}
                         THEN TRY_CAST(replace(regexp_replace(text, '%$', ''), ',', '') AS DOUBLE)
                    ELSE TRY_CAST(text AS DOUBLE) END AS value,
               CASE WHEN text = '' THEN '{BLANK_REASON}' WHEN code IS NOT NULL THEN code_reason END AS reason,
               bad,
               CASE WHEN year IS NULL THEN period_text END AS bad_period,
               CASE WHEN geo_level = 'la' AND ons_code IS NULL THEN la_code END AS lost_la,
               CASE WHEN bad THEN raw END AS bad_raw
        FROM parsed
    """  # noqa: S608
    for scan in scans:
        params.values.update(scan.params)
    return sql, params.values


def _check_cells(con: duckdb.DuckDBPyConnection, scans: list[_Scan], register: AreaRegister) -> None:
    """Every file has rows; every period is a year; every LA number is in the register; every
    non-blank cell is a number in the dataset's format or one of its symbols."""
    found = con.execute(
        """
        SELECT 'count' AS kind, dataset, NULL AS col, NULL AS raw, count(*) AS n FROM cells GROUP BY dataset
        UNION ALL
        (SELECT 'period', dataset, 'time_period', bad_period, 0 FROM cells WHERE year IS NULL LIMIT 1)
        UNION ALL
        (SELECT 'la', dataset, NULL, lost_la, 0 FROM cells
         WHERE lost_la NOT IN (SELECT unnest($register_numbers::VARCHAR[])) LIMIT 1)
        UNION ALL
        (SELECT 'value', dataset, col, bad_raw, 0 FROM cells WHERE bad LIMIT 1)
        """,
        {"register_numbers": sorted(register.la_numbers)},
    ).fetchall()
    counts = {dataset: n for kind, dataset, _, _, n in found if kind == "count"}
    for scan in scans:
        if not counts.get(scan.name):
            raise IngestError.at(
                scan.dataset.path, scan.header_rows + 1, None, "no data rows (file truncated?)"
            )
    kinds = ["period", "la", "value"]
    problems = sorted((row for row in found if row[0] != "count"), key=lambda row: kinds.index(row[0]))
    if not problems:
        return
    by_name = {s.name: s for s in scans}
    kind, dataset, column, raw, _ = problems[0]
    scan = by_name[dataset]
    raw = raw if raw is not None else ""
    if kind == "period":
        raise scan.locate("time_period", raw, f"{raw!r} is not a year (YYYY) or academic year (YYYYYY)")
    if kind == "la":
        column = {"ees": "old_la_code", "lait_wide": "la_number"}.get(scan.dataset.layout, "LA code")
        raise scan.locate(column, raw, f"LA number {raw.strip()!r} is not in the area register")
    raise scan.locate(column, raw, f"{raw!r} is neither a number nor a known symbol")


def _build_observations(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    """`obs`: one row per indicator, geography and year, in one statement: the published figures,
    then England and region figures a source does not publish (`aggregate`), then the derived
    indicators (percentage change on the year before)."""
    params = SqlParams()
    sources = params.table(
        "indicator_sources",
        {
            "indicator": INDICATOR_TYPE,
            "dataset": DATASET_TYPE,
            "col": COLUMN_TYPE,
            "source_rank": "INTEGER",
            "from_year": "INTEGER",
            "to_year": "INTEGER",
        },
        [
            (ind.code, src.dataset, col, rank, src.from_year, src.to_year)
            for ind in catalogue.indicators
            for rank, src in enumerate(ind.sources)
            for col in src.column_list
        ],
    )
    aggregate_specs = params.table(
        "aggregate_specs",
        {
            "indicator": INDICATOR_TYPE,
            "method": "VARCHAR",
            "numerator": INDICATOR_TYPE,
            "denominator": INDICATOR_TYPE,
            "scale": "DOUBLE",
        },
        [
            (i.code, i.aggregate.method, i.aggregate.numerator, i.aggregate.denominator, i.aggregate.scale)
            for i in catalogue.indicators
            if i.aggregate is not None
        ],
    )
    derived_specs = params.table(
        "derived_specs",
        {"indicator": INDICATOR_TYPE, "base": INDICATOR_TYPE},
        [(i.code, i.derived.of) for i in catalogue.indicators if i.derived is not None],
    )
    calculated = _typed(CALCULATED, DATASET_TYPE)
    con.execute(
        f"""
        CREATE TABLE obs AS
        WITH {sources}, {aggregate_specs}, {derived_specs},
        published AS MATERIALIZED (
            -- Per indicator, geography and year: the first source with a figure, else the first
            -- source; an indicator read from several columns (any 'Yes' of DMO or DCO) takes the
            -- largest, and with no figure the reason in the first column. One grouping: arg_min over
            -- that order takes the whole row (a struct is never NULL, so NULL fields come too).
            SELECT indicator, geo_level, geo, year, pick.value, pick.reason, pick.dataset
            FROM (
                SELECT s.indicator, c.geo_level, c.geo, c.year,
                       arg_min(struct_pack(c.value, c.reason, c.dataset),
                               (c.value IS NULL, s.source_rank, -coalesce(c.value, 0), c.col)) AS pick
                FROM cells c
                JOIN indicator_sources s ON s.dataset = c.dataset AND s.col = c.col
                     AND (s.from_year IS NULL OR c.year >= s.from_year)
                     AND (s.to_year IS NULL OR c.year <= s.to_year)
                WHERE c.geo IS NOT NULL
                GROUP BY s.indicator, c.geo_level, c.geo, c.year
            )
        ),
        la AS MATERIALIZED (
            -- The live areas' figures that England and region figures are calculated from.
            SELECT o.indicator, o.geo, o.year, o.value, a.region_code
            FROM published o JOIN areas a ON a.ons_code = o.geo
            WHERE o.geo_level = 'la' AND o.value IS NOT NULL AND o.indicator IN (
                SELECT indicator FROM aggregate_specs WHERE method IN ('mean', 'sum')
                UNION ALL SELECT numerator FROM aggregate_specs UNION ALL SELECT denominator FROM aggregate_specs)
        ),
        parts AS (
            SELECT s.indicator, s.method, s.scale, la.year, la.region_code, la.value AS num, 1.0 AS den
            FROM aggregate_specs s JOIN la ON la.indicator = s.indicator
            WHERE s.method IN ('mean', 'sum')
            UNION ALL
            SELECT s.indicator, s.method, s.scale, n.year, n.region_code, n.value, d.value
            FROM aggregate_specs s
            JOIN la n ON n.indicator = s.numerator
            JOIN la d ON d.indicator = s.denominator AND d.geo = n.geo AND d.year = n.year
            WHERE s.method = 'ratio'
        ),
        levels AS (
            SELECT indicator, method, scale, year, {_typed("england", GEO_LEVEL_TYPE)} AS geo_level,
                   {_typed(ENGLAND_CODE, GEO_TYPE)} AS geo, num, den
            FROM parts
            UNION ALL
            SELECT indicator, method, scale, year, {_typed("region", GEO_LEVEL_TYPE)}, region_code, num, den
            FROM parts
        ),
        aggregated AS (
            SELECT indicator, geo_level, geo, year,
                   CASE method WHEN 'mean' THEN avg(num) WHEN 'sum' THEN sum(num)
                        ELSE sum(num) / sum(den) END * scale AS value
            FROM levels GROUP BY indicator, method, scale, geo_level, geo, year
        ),
        added AS MATERIALIZED (
            -- Only where the source publishes no row for that England or region figure.
            SELECT g.indicator, g.geo_level, g.geo, g.year, g.value, CAST(NULL AS VARCHAR) AS reason,
                   {calculated} AS dataset
            FROM aggregated g ANTI JOIN published o ON o.indicator = g.indicator
                 AND o.geo_level = g.geo_level AND o.geo = g.geo AND o.year = g.year
        ),
        bases AS MATERIALIZED (
            SELECT * FROM (SELECT * FROM published UNION ALL SELECT * FROM added)
            WHERE indicator IN (SELECT base FROM derived_specs)
        ),
        first_years AS (
            SELECT indicator, min(year) AS first_year FROM bases WHERE value IS NOT NULL GROUP BY indicator
        )
        SELECT * FROM published
        UNION ALL
        SELECT * FROM added
        UNION ALL
        SELECT d.indicator, cur.geo_level, cur.geo, cur.year,
               CASE WHEN prev.value <> 0 THEN cur.value / prev.value * 100 - 100 END,
               CASE WHEN cur.value IS NULL THEN cur.reason
                    WHEN prev.value IS NULL THEN coalesce(prev.reason, 'no figure for the year before')
                    WHEN prev.value = 0 THEN 'not applicable' END,
               {calculated}
        FROM derived_specs d
        JOIN bases cur ON cur.indicator = d.base
        JOIN first_years f ON f.indicator = d.base AND cur.year - 1 >= f.first_year
        LEFT JOIN bases prev ON prev.indicator = cur.indicator AND prev.geo_level = cur.geo_level
             AND prev.geo = cur.geo AND prev.year = cur.year - 1
        """,  # noqa: S608
        params.values,
    )
