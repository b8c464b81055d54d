"""The SQL that reads every used cell of every statistics file into the `cells` table: one shape for
each file layout (EES, LAIT, the tribunal table), each cell parsed as a number, a DfE symbol or
blank, with its geography. Also the names of the DuckDB types the tables share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .catalogue import BLANK_REASON, Catalogue
from .register import ENGLAND_CODE, AreaRegister
from .sources import FORMATTED_NUMBER, PLAIN_NUMBER, ident, sql_string

if TYPE_CHECKING:
    from .ingest import _Scan

INDICATOR_TYPE = "indicator_code"
GEO_TYPE = "geo_code"  # England, the live areas' regions and the live areas
GEO_LEVEL_TYPE = "geo_level"
DATASET_TYPE = "dataset_name"
COLUMN_TYPE = "column_name"
CALCULATED = "calculated"  # the dataset of figures calculated here (aggregates, derived indicators)


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
            selects.append(f"unnest(${key}::{sql_type}[]) AS {ident(column)}")
        return f"{name} AS (SELECT {', '.join(selects)})"


def typed(text: str, sql_type: str) -> str:
    return f"CAST({sql_string(text)} AS {sql_type})"


def _layout_sql(layout: str, scans: str) -> str:
    """The cells of all files of one layout (their scans UNION ALL-ed) in the common shape (dataset,
    geo_level, geo, la_key, la_code, period_text, year, col, raw): `geo` is set for England and
    region rows, `la_key` is the LA number that `la_lookup` turns into the live area of an 'la' row.
    Blank cells are kept."""
    england, region, la = (typed(level, GEO_LEVEL_TYPE) for level in ("england", "region", "la"))
    england_code = typed(ENGLAND_CODE, GEO_TYPE)
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


def cells_sql(
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
        typed(n, DATASET_TYPE) for n, ds in catalogue.datasets.items() if ds.number_format == "formatted"
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
