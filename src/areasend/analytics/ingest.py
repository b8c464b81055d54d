"""Read the published statistics shipped in data/raw/ into DuckDB, as one long table of figures.

`load_database()` is what the product runs. `copy_from_shared()` refreshes data/raw/ from the
project's shared data folder; the installed product never needs it.

Every figure becomes a row (indicator, geo_level, geo, year, value, reason): `geo_level` is
'la' (geo = ONS code of the live area), 'region' (E12 code) or 'england'. A DfE symbol (c, x, z, :,
-) or a blank cell becomes a missing value with its reason. A file that cannot be read as published
(truncated, wrong header, a value that is neither a number nor a known symbol) stops the load with
an IngestError naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .catalogue import (
    BLANK_REASON,
    DATA_DIR,
    Catalogue,
    Dataset,
    default_catalogue,
)
from .errors import IngestError
from .register import ENGLAND_CODE, NEIGHBOURS_FILE, REGISTER_FILE, AreaRegister, load_register

RAW_DIR = DATA_DIR / "raw"
# The statistics are ~4 MB: one thread is faster than two here (measured on the 2-core benchmark
# machine: less scheduling for many small pipelines).
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
    files = [REGISTER_FILE, NEIGHBOURS_FILE]
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
                raise IngestError(str(source), None, None, "file missing from the shared data folder")
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


def read_header(path: Path, label: str) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except OSError as exc:
        raise IngestError(label, None, None, f"cannot open: {exc}") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise IngestError(label, 1, None, f"cannot parse the header: {exc}") from exc
    if not header:
        raise IngestError(label, 1, None, "file is empty")
    return header


def require_columns(header: list[str], needed: list[str], label: str) -> None:
    for column in needed:
        if column not in header:
            raise IngestError(label, 1, column, "expected column missing from the header")


def diagnose_structure(path: Path, label: str, header_rows: int = 1) -> IngestError | None:
    """The first record whose shape differs from the header, or None when the file is well formed."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, strict=True)
            header: list[str] = []
            number = 0
            try:
                for number, record in enumerate(reader, start=1):
                    if number <= header_rows:
                        header = record if number == 1 or len(record) > len(header) else header
                        continue
                    if len(record) != len(header):
                        column = header[len(record)] if len(record) < len(header) else None
                        return IngestError(
                            label,
                            number,
                            column or f"field {len(record) + 1}",
                            f"row has {len(record)} fields, the header has {len(header)} (file truncated?)",
                        )
            except csv.Error as exc:
                return IngestError(label, number + 1, None, f"cannot parse the row: {exc} (file truncated?)")
    except (OSError, UnicodeDecodeError) as exc:
        return IngestError(label, None, None, f"cannot read: {exc}")
    return None


def locate_value(
    path: Path, column_index: int, raw: str, label: str, column: str, problem: str, header_rows: int = 1
) -> IngestError:
    """An IngestError at the first record after the header rows holding `raw` in `column_index`."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, record in enumerate(csv.reader(handle), start=1):
            if number > header_rows and column_index < len(record) and record[column_index] == raw:
                return IngestError(label, number, column, problem)
    return IngestError(label, None, column, problem)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _read_csv_sql(path: Path, columns: list[str], skip: int) -> str:
    spec = ", ".join(f"{_sql_string(c)}: 'VARCHAR'" for c in columns)
    return (
        f"read_csv({_sql_string(str(path))}, header=false, skip={skip}, auto_detect=false, "
        f"columns={{{spec}}}, delim=',', quote='\"', escape='\"', strict_mode=true, "
        "null_padding=false)"
    )


def _positional(header: list[str]) -> list[str]:
    """DuckDB needs unique names: repeated or blank header cells get a position suffix."""
    seen: set[str] = set()
    names = []
    for index, name in enumerate(header):
        name = name or f"column_{index + 1}"
        if name in seen:
            name = f"{name}_{index + 1}"
        seen.add(name)
        names.append(name)
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
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = [row for _, row in zip(range(TRIBUNAL_HEADER_ROWS), csv.reader(handle), strict=False)]
    if len(rows) < TRIBUNAL_HEADER_ROWS:
        raise IngestError(label, len(rows) + 1, None, "file ends inside the header rows")
    years_row, measures_row = rows[3], rows[4]
    if years_row[:2] != ["Local Authority", "LA code"]:
        raise IngestError(
            label, 4, "Local Authority", f"expected 'Local Authority', 'LA code', found {years_row[:2]!r}"
        )
    columns: dict[int, tuple[int, str]] = {}
    year: int | None = None
    for index in range(2, len(years_row)):
        cell = years_row[index].strip()
        if cell:
            if not re.fullmatch(r"(19|20)[0-9]{2}", cell):
                raise IngestError(label, 4, f"column {index + 1}", f"{cell!r} is not a year")
            year = int(cell)
        measure_cell = measures_row[index].strip() if index < len(measures_row) else ""
        if year is None or not measure_cell or measure_cell.startswith("In development"):
            continue
        measure = next(
            (m for prefix, m in TRIBUNAL_MEASURES.items() if measure_cell.startswith(prefix)), None
        )
        if measure is None:
            raise IngestError(label, 5, f"column {index + 1}", f"unexpected measure heading {measure_cell!r}")
        columns[index] = (year, measure)
    years = sorted({y for y, _ in columns.values()})
    if not years:
        raise IngestError(label, 4, None, "no year columns found")
    for y in years:
        found = {m for yy, m in columns.values() if yy == y}
        for measure in TRIBUNAL_MEASURES.values():
            if measure not in found:
                raise IngestError(label, 5, f"{y} {measure}", "measure missing under this year")
    return TribunalLayout(width=len(years_row), columns=columns)


# --- the database ------------------------------------------------------------------------------


class StatsDatabase:
    """An in-memory DuckDB holding the shipped statistics as the `obs` table, plus the register."""

    def __init__(self, con: duckdb.DuckDBPyConnection, register: AreaRegister, catalogue: Catalogue) -> None:
        self.con = con
        self.register = register
        self.catalogue = catalogue

    def close(self) -> None:
        self.con.close()


@dataclass
class _Reader:
    """One dataset's part of the `cells` query, and what is needed to point at a row in its file."""

    name: str
    dataset: Dataset
    path: Path
    header_rows: int
    sql: str
    header: list[str] = field(default_factory=list)
    tribunal: TribunalLayout | None = None

    def columns_named(self, column: str) -> list[tuple[int, str]]:
        """(index, label) of the file's columns called `column`: one per year in the MoJ table."""
        if self.tribunal is None:
            return [(self.header.index(column), column)]
        if column == "LA code":
            return [(1, column)]
        return [(i, self.tribunal.label(i)) for i, (_, m) in self.tribunal.columns.items() if m == column]

    def locate(self, column: str, raw: str, problem: str) -> IngestError:
        for index, label in self.columns_named(column):
            err = locate_value(self.path, index, raw, self.dataset.path, label, problem, self.header_rows)
            if err.row is not None:
                return err
        return IngestError(self.dataset.path, None, column, problem)


def load_database(raw_dir: Path | str = RAW_DIR, catalogue: Catalogue | None = None) -> StatsDatabase:
    """Read the raw files into a new in-memory DuckDB: one scan of each file, then the `obs` table."""
    raw_dir = Path(raw_dir)
    catalogue = catalogue or default_catalogue()
    register = load_register(raw_dir)
    used = catalogue.used_columns()
    readers = [
        _reader(raw_dir, name, ds, used[name]) for name, ds in catalogue.datasets.items() if used[name]
    ]
    con = duckdb.connect(":memory:", config={"threads": DUCKDB_THREADS})
    try:
        _load_reference(con, register, catalogue)
        try:
            con.execute("CREATE TABLE cells AS " + " UNION ALL ".join(r.sql for r in readers))
        except duckdb.Error as exc:
            for reader in readers:
                found = diagnose_structure(reader.path, reader.dataset.path, reader.header_rows)
                if found is not None:
                    raise found from exc
            raise IngestError(str(raw_dir), None, None, f"the CSV reader failed: {exc}") from exc
        _check_cells(con, readers)
        _build_observations(con, catalogue)
    except BaseException:
        con.close()
        raise
    return StatsDatabase(con, register, catalogue)


def create_table(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str], rows: Sequence[Sequence[object]]
) -> None:
    """A table from Python rows in one statement (executemany is slow in DuckDB)."""
    names = list(columns)
    selects = ", ".join(f"unnest(?::{columns[n]}[]) AS {_ident(n)}" for n in names)
    values = [[row[i] for row in rows] for i in range(len(names))]
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {selects}", values)


def _load_reference(con: duckdb.DuckDBPyConnection, register: AreaRegister, catalogue: Catalogue) -> None:
    create_table(
        con,
        "areas",
        {"ons_code": "VARCHAR", "la_number": "VARCHAR", "name": "VARCHAR", "region_code": "VARCHAR"},
        [(a.ons_code, a.la_number, a.name, a.region_code) for a in register.live],
    )
    # LA number -> live area: a terminated code sharing its number with a live area maps to that area.
    create_table(
        con,
        "la_lookup",
        {"la_number": "VARCHAR", "ons_code": "VARCHAR"},
        [(number, area.ons_code) for number, area in register.live_by_la_number.items()],
    )
    create_table(
        con, "register_numbers", {"la_number": "VARCHAR"}, [(n,) for n in sorted(register.la_numbers)]
    )
    create_table(
        con,
        "region_names",
        {"name": "VARCHAR", "region_code": "VARCHAR"},
        [(name.lower(), code) for code, name in register.regions.items()],
    )
    create_table(
        con,
        "neighbours",
        {"ons_code": "VARCHAR", "neighbour": "VARCHAR", "rank": "INTEGER"},
        [(code, n.ons_code, n.rank) for code, items in register.neighbours.items() for n in items],
    )
    create_table(
        con,
        "codes",
        {"dataset": "VARCHAR", "code": "VARCHAR", "value": "DOUBLE", "reason": "VARCHAR"},
        [
            (name, code, value, reason)
            for name, ds in catalogue.datasets.items()
            for code, (value, reason) in ds.codes().items()
        ],
    )
    create_table(
        con,
        "formatted_datasets",
        {"dataset": "VARCHAR"},
        [(n,) for n, ds in catalogue.datasets.items() if ds.number_format == "formatted"],
    )


def _unpivot(name: str, select_sql: str, columns: list[str]) -> str:
    """Long form: (dataset, geo_level, geo, la_code, period_text, year, col, raw), blanks kept."""
    cols = ", ".join(_ident(c) for c in columns)
    return (
        f"SELECT {_sql_string(name)} AS dataset, geo_level, geo, la_code, period_text, year, col, raw FROM "  # noqa: S608
        f"({select_sql}) UNPIVOT INCLUDE NULLS (raw FOR col IN ({cols}))"
    )


def _reader(raw_dir: Path, name: str, ds: Dataset, used: list[str]) -> _Reader:
    path = raw_dir / ds.path
    label = ds.path
    if ds.layout == "moj_tribunal":
        return _tribunal_reader(path, name, ds, used)
    header = read_header(path, label)
    geo_columns = list(EES_GEO_COLUMNS if ds.layout == "ees" else LAIT_GEO_COLUMNS)
    require_columns(header, geo_columns + list(ds.filter) + used, label)
    if len(set(header)) != len(header):
        raise IngestError(label, 1, None, "the header repeats a column name")
    source = _read_csv_sql(path, _positional(header), skip=1)
    cols = ", ".join("t." + _ident(c) for c in used)
    if ds.layout == "ees":
        filters = "".join(f" AND t.{_ident(k)} = {_sql_string(v)}" for k, v in ds.filter.items())
        select = f"""
            SELECT CASE t.geographic_level WHEN 'National' THEN 'england' WHEN 'Regional' THEN 'region'
                        ELSE 'la' END AS geo_level,
                   CASE t.geographic_level WHEN 'National' THEN '{ENGLAND_CODE}'
                        WHEN 'Regional' THEN t.region_code ELSE l.ons_code END AS geo,
                   CASE WHEN t.geographic_level = 'Local authority' THEN coalesce(trim(t.old_la_code), '') END
                        AS la_code,
                   t.time_period AS period_text,
                   CASE WHEN regexp_full_match(trim(t.time_period), '(19|20)[0-9]{{4}}')
                             THEN CAST(substr(trim(t.time_period), 1, 4) AS INTEGER) + 1
                        WHEN regexp_full_match(trim(t.time_period), '(19|20)[0-9]{{2}}')
                             THEN CAST(trim(t.time_period) AS INTEGER) END AS year,
                   {cols}
            FROM {source} t LEFT JOIN la_lookup l ON l.la_number = trim(t.old_la_code)
            WHERE t.geographic_level IN ('National', 'Regional', 'Local authority'){filters}
        """  # noqa: S608
    else:
        # LAIT wide: one row per area (970 England, 980-990 regions) and year; finance rows have other labels.
        select = f"""
            SELECT CASE WHEN t.la_number = '970' THEN 'england' WHEN r.region_code IS NOT NULL THEN 'region'
                        ELSE 'la' END AS geo_level,
                   CASE WHEN t.la_number = '970' THEN '{ENGLAND_CODE}' WHEN r.region_code IS NOT NULL
                        THEN r.region_code ELSE l.ons_code END AS geo,
                   CASE WHEN t.la_number <> '970' AND r.region_code IS NULL AND NOT (
                        regexp_full_match(t.la_number, '9[89][0-9]')) THEN coalesce(t.la_number, '') END AS la_code,
                   t.years AS period_text,
                   CAST(t.years AS INTEGER) AS year,
                   {cols}
            FROM {source} t
            LEFT JOIN la_lookup l ON l.la_number = t.la_number
            LEFT JOIN region_names r ON regexp_full_match(t.la_number, '9[89][0-9]')
                 AND r.name = lower(trim(t.la_or_region_name))
            WHERE regexp_full_match(t.years, '[0-9]{{4}}')
        """  # noqa: S608
    return _Reader(name, ds, path, 1, _unpivot(name, select, used), header=header)


def _tribunal_reader(path: Path, name: str, ds: Dataset, used: list[str]) -> _Reader:
    layout = parse_tribunal_header(path, ds.path)
    source = _read_csv_sql(path, [f"c{i}" for i in range(layout.width)], skip=TRIBUNAL_HEADER_ROWS)
    wanted = [
        (index, f"{measure}|{year}") for index, (year, measure) in layout.columns.items() if measure in used
    ]
    if not wanted:
        raise IngestError(ds.path, 5, None, f"none of the columns {used!r} is in the header")
    renamed = ", ".join(f"t.c{index} AS {_ident(key)}" for index, key in wanted)
    la_row = "regexp_full_match(trim(t.c1), '[0-9]{3}')"
    select = f"""
        SELECT CASE WHEN {la_row} THEN 'la' ELSE 'england' END AS geo_level,
               CASE WHEN {la_row} THEN l.ons_code ELSE '{ENGLAND_CODE}' END AS geo,
               CASE WHEN {la_row} THEN trim(t.c1) END AS la_code,
               {renamed}
        FROM {source} t LEFT JOIN la_lookup l ON l.la_number = trim(t.c1)
        WHERE {la_row} OR starts_with(t.c0, 'England Total')
    """  # noqa: S608
    cols = ", ".join(_ident(key) for _, key in wanted)
    sql = (
        f"SELECT {_sql_string(name)} AS dataset, geo_level, geo, la_code, split_part(k, '|', 2) AS period_text, "  # noqa: S608
        "CAST(split_part(k, '|', 2) AS INTEGER) AS year, split_part(k, '|', 1) AS col, raw "
        f"FROM ({select}) UNPIVOT INCLUDE NULLS (raw FOR k IN ({cols}))"
    )
    return _Reader(name, ds, path, TRIBUNAL_HEADER_ROWS, sql, tribunal=layout)


def _check_cells(con: duckdb.DuckDBPyConnection, readers: list[_Reader]) -> None:
    """Every file has rows; every period is a year; every LA number is in the register; every
    non-blank cell is a number in the dataset's format or one of its symbols."""
    counts = dict(con.execute("SELECT dataset, count(*) FROM cells GROUP BY dataset").fetchall())
    for reader in readers:
        if not counts.get(reader.name):
            raise IngestError(
                reader.dataset.path, reader.header_rows + 1, None, "no data rows (file truncated?)"
            )
    problems = con.execute(
        f"""
        (SELECT 'period' AS kind, dataset, 'time_period' AS col, period_text AS raw FROM cells
         WHERE year IS NULL LIMIT 1)
        UNION ALL
        (SELECT 'la', dataset, NULL, la_code FROM cells
         WHERE geo_level = 'la' AND geo IS NULL AND la_code NOT IN (SELECT la_number FROM register_numbers) LIMIT 1)
        UNION ALL
        (SELECT 'value', c.dataset, c.col, c.raw FROM cells c
         LEFT JOIN codes k ON k.dataset = c.dataset AND k.code = trim(c.raw)
         WHERE coalesce(trim(c.raw), '') <> '' AND k.code IS NULL
           AND NOT CASE WHEN c.dataset IN (SELECT dataset FROM formatted_datasets)
                        THEN regexp_full_match(trim(c.raw), '{FORMATTED_NUMBER}')
                        ELSE regexp_full_match(trim(c.raw), '{PLAIN_NUMBER}') END
         LIMIT 1)
        """  # noqa: S608
    ).fetchall()
    if not problems:
        return
    by_name = {r.name: r for r in readers}
    kind, dataset, column, raw = problems[0]
    reader = by_name[dataset]
    raw = raw if raw is not None else ""
    if kind == "period":
        raise reader.locate("time_period", raw, f"{raw!r} is not a year (YYYY) or academic year (YYYYYY)")
    if kind == "la":
        column = {"ees": "old_la_code", "lait_wide": "la_number"}.get(reader.dataset.layout, "LA code")
        raise reader.locate(column, raw, f"LA number {raw.strip()!r} is not in the area register")
    raise reader.locate(column, raw, f"{raw!r} is neither a number nor a known symbol")


def _build_observations(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    create_table(
        con,
        "indicator_sources",
        {
            "indicator": "VARCHAR",
            "dataset": "VARCHAR",
            "col": "VARCHAR",
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
    con.execute(
        f"""
        CREATE TABLE obs AS
        WITH parsed AS (
            SELECT s.indicator, s.source_rank, c.dataset, c.geo_level, c.geo, c.year,
                   CASE WHEN coalesce(trim(c.raw), '') = '' THEN NULL
                        WHEN k.code IS NOT NULL THEN k.value
                        WHEN f.dataset IS NOT NULL
                             THEN CAST(replace(regexp_replace(trim(c.raw), '%$', ''), ',', '') AS DOUBLE)
                        ELSE CAST(trim(c.raw) AS DOUBLE) END AS value,
                   CASE WHEN coalesce(trim(c.raw), '') = '' THEN '{BLANK_REASON}'
                        WHEN k.code IS NOT NULL THEN k.reason END AS reason,
                   s.col
            FROM cells c
            JOIN indicator_sources s ON s.dataset = c.dataset AND s.col = c.col
                 AND (s.from_year IS NULL OR c.year >= s.from_year) AND (s.to_year IS NULL OR c.year <= s.to_year)
            LEFT JOIN codes k ON k.dataset = c.dataset AND k.code = trim(c.raw)
            LEFT JOIN formatted_datasets f ON f.dataset = c.dataset
            WHERE c.geo IS NOT NULL
        ),
        combined AS (
            -- An indicator read from several columns (any 'Yes' of DMO or DCO) takes the largest.
            SELECT indicator, source_rank, dataset, geo_level, geo, year, max(value) AS value,
                   CASE WHEN max(value) IS NULL THEN arg_min(reason, col) END AS reason
            FROM parsed GROUP BY ALL
        )
        SELECT indicator, geo_level, geo, year, value, reason, dataset FROM combined
        QUALIFY row_number() OVER (PARTITION BY indicator, geo_level, geo, year
                                   ORDER BY value IS NULL, source_rank) = 1
        """  # noqa: S608
    )
    _fill_aggregates(con, catalogue)
    _add_derived(con, catalogue)


def _fill_aggregates(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    """England and region figures a source does not publish, calculated from the live areas' figures:
    mean or sum of their values, or sum(numerator) / sum(denominator) over areas that have both."""
    specs = [
        (i.code, i.aggregate.method, i.aggregate.numerator, i.aggregate.denominator, i.aggregate.scale)
        for i in catalogue.indicators
        if i.aggregate is not None
    ]
    if not specs:
        return
    create_table(
        con,
        "aggregate_specs",
        {
            "indicator": "VARCHAR",
            "method": "VARCHAR",
            "numerator": "VARCHAR",
            "denominator": "VARCHAR",
            "scale": "DOUBLE",
        },
        specs,
    )
    con.execute(
        f"""
        INSERT INTO obs
        WITH la AS (
            SELECT o.indicator, o.geo, o.year, o.value, a.region_code
            FROM obs o JOIN areas a ON a.ons_code = o.geo
            WHERE o.geo_level = 'la' AND o.value IS NOT NULL
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
            SELECT indicator, method, scale, year, 'england' AS geo_level, '{ENGLAND_CODE}' AS geo, num, den
            FROM parts
            UNION ALL
            SELECT indicator, method, scale, year, 'region', region_code, num, den FROM parts
        ),
        agg AS (
            SELECT indicator, geo_level, geo, year,
                   CASE method WHEN 'mean' THEN avg(num) WHEN 'sum' THEN sum(num)
                        ELSE sum(num) / sum(den) END * scale AS value
            FROM levels GROUP BY indicator, method, scale, geo_level, geo, year
        )
        SELECT agg.indicator, agg.geo_level, agg.geo, agg.year, agg.value,
               CAST(NULL AS VARCHAR) AS reason, 'calculated' AS dataset
        FROM agg ANTI JOIN obs o ON o.indicator = agg.indicator AND o.geo_level = agg.geo_level
             AND o.geo = agg.geo AND o.year = agg.year
        """  # noqa: S608
    )


def _add_derived(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    """Derived indicators: percentage change on the year before (from the second year with figures)."""
    specs = [(i.code, i.derived.of) for i in catalogue.indicators if i.derived is not None]
    if not specs:
        return
    create_table(con, "derived_specs", {"indicator": "VARCHAR", "base": "VARCHAR"}, specs)
    con.execute(
        """
        INSERT INTO obs
        WITH first_years AS (
            SELECT indicator, min(year) AS first_year FROM obs WHERE value IS NOT NULL GROUP BY indicator
        )
        SELECT d.indicator, cur.geo_level, cur.geo, cur.year,
               CASE WHEN prev.value <> 0 THEN cur.value / prev.value * 100 - 100 END AS value,
               CASE WHEN cur.value IS NULL THEN cur.reason
                    WHEN prev.value IS NULL THEN coalesce(prev.reason, 'no figure for the year before')
                    WHEN prev.value = 0 THEN 'not applicable' END AS reason,
               'calculated' AS dataset
        FROM derived_specs d
        JOIN obs cur ON cur.indicator = d.base
        JOIN first_years f ON f.indicator = d.base AND cur.year - 1 >= f.first_year
        LEFT JOIN obs prev ON prev.indicator = cur.indicator AND prev.geo_level = cur.geo_level
             AND prev.geo = cur.geo AND prev.year = cur.year - 1
        """
    )
