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
import itertools
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import (
    Catalogue,
    Dataset,
    default_catalogue,
)
from .cells import (
    CALCULATED,
    COLUMN_TYPE,
    DATASET_TYPE,
    GEO_LEVEL_TYPE,
    GEO_TYPE,
    INDICATOR_TYPE,
    SqlParams,
    cells_sql,
    typed,
)
from .errors import IngestError
from .register import ENGLAND_CODE, REGISTER_DIR, AreaRegister, load_register
from .sources import (
    EES_GEO_COLUMNS,
    LAIT_GEO_COLUMNS,
    TRIBUNAL_HEADER_ROWS,
    TribunalLayout,
    diagnose_structure,
    duckdb_names,
    ident,
    locate_value,
    parse_tribunal_header,
    read_csv_sql,
    read_header,
    sql_string,
    write_manifest,
)
from .sources import MANIFEST_FILE as MANIFEST_FILE  # re-exported: the files and the loader go together
from .sources import RAW_DIR as RAW_DIR
from .sources import raw_files as raw_files

if TYPE_CHECKING:  # DuckDB is imported by the functions that start it: not on every command start
    import duckdb

# The statistics are ~4 MB: one thread is as fast as two here (measured on the 2-core benchmark
# machine: many small pipelines, little to share out).
DUCKDB_THREADS = 1


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
        sql, params = cells_sql(scans, register, catalogue)
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
    selects = ", ".join(f"unnest(?::{columns[n]}[]) AS {ident(n)}" for n in names)
    values = [[row[i] for row in rows] for i in range(len(names))]
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {selects}", values)


def _enum(name: str, values: Sequence[str]) -> str:
    # Sorted, so that ORDER BY on an ENUM column gives the same order as on its text.
    return f"CREATE TYPE {name} AS ENUM ({', '.join(sql_string(v) for v in sorted(set(values)))})"


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
    source = read_csv_sql(path, key, skip=1)
    if ds.layout == "ees":
        where = "t.geographic_level IN ('National', 'Regional', 'Local authority')" + "".join(
            f" AND t.{ident(k)} = {sql_string(v)}" for k, v in ds.filter.items()
        )
    else:
        # LAIT wide: one row per area (970 England, 980-990 regions) and year; finance rows have other labels.
        where = "regexp_full_match(t.years, '[0-9]{4}')"
    sql = (
        f"SELECT {typed(name, DATASET_TYPE)} AS dataset, ${key}_cols::{COLUMN_TYPE}[] AS cols, "  # noqa: S608
        f"[{', '.join('t.' + ident(c) for c in used)}] AS cells, "
        f"{', '.join('t.' + ident(c) for c in geo_columns)} FROM {source} t WHERE {where}"
    )
    params: dict[str, object] = {key: dict.fromkeys(duckdb_names(header), "VARCHAR"), f"{key}_cols": used}
    return _Scan(name, ds, path, header.line, sql, params, positions=dict(header.positions))


def _tribunal_scan(path: Path, name: str, ds: Dataset, used: list[str], key: str) -> _Scan:
    layout = parse_tribunal_header(path, ds.path)
    source = read_csv_sql(path, key, skip=TRIBUNAL_HEADER_ROWS)
    wanted = [(index, year, measure) for index, (year, measure) in layout.columns.items() if measure in used]
    if not wanted:
        raise IngestError.at(
            ds.path, TRIBUNAL_HEADER_ROWS, None, f"none of the columns {used!r} is in the header"
        )
    sql = (
        f"SELECT {typed(name, DATASET_TYPE)} AS dataset, ${key}_cols::{COLUMN_TYPE}[] AS cols, "  # noqa: S608
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
    calculated = typed(CALCULATED, DATASET_TYPE)
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
            SELECT indicator, method, scale, year, {typed("england", GEO_LEVEL_TYPE)} AS geo_level,
                   {typed(ENGLAND_CODE, GEO_TYPE)} AS geo, num, den
            FROM parts
            UNION ALL
            SELECT indicator, method, scale, year, {typed("region", GEO_LEVEL_TYPE)}, region_code, num, den
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
