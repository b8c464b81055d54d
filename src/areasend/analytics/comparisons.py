"""Each live area against England, its region and its statistical neighbours, for every period.

One SQL statement over the `obs` table (see ingest.py) gives, per indicator, period and live area:
value (or the reason it is missing), England, region, the mean of the statistical neighbours that
have a figure, national rank (1 = best, respecting polarity; none when polarity is 'neither' or
the indicator is a yes/no flag) over the areas with a figure, how many were ranked, quartile band
(A = best quarter … D = worst), change over 1 and 3 years and the trend.

The rules are written once here and once, independently, in bench/pandas_datapack.py; the benchmark
asserts both give the same results.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from .catalogue import NO_ROW_REASON, Catalogue
from .cells import GEO_TYPE, INDICATOR_TYPE, SqlParams
from .ingest import StatsDatabase

RANK_CAUTION = (
    "A rank or quartile shows only where a published figure sits among the areas that have one. "
    "It is not a judgement of the local area partnership's effectiveness: figures start lines of "
    "enquiry, and inspectors test them with evidence from the inspection."
)
# Band = ceil(4 × rank / of): A for the best quarter of ranked areas … D for the worst.
QUARTILE_BANDS = "ABCD"
# Floating point: a change of exactly the threshold (5.0 - 4.8) still counts as stable.
EPSILON = 1e-9
FETCH_ROWS = 2048  # DuckDB's vector size

COMPARISON_COLUMNS = (
    "indicator",
    "year",
    "ons_code",
    "value",
    "missing_reason",
    "england",
    "region",
    "neighbours_mean",
    "neighbours_n",
    "rank",
    "of",
    "quartile",
    "change_1y",
    "change_3y",
    "trend",
)


class ComparisonRow(NamedTuple):
    indicator: str
    year: int
    ons_code: str
    value: float | None
    missing_reason: str | None
    england: float | None
    region: float | None
    neighbours_mean: float | None
    neighbours_n: int
    rank: int | None
    of: int | None
    quartile: str | None
    change_1y: float | None
    change_3y: float | None
    trend: str | None


def _meta_rows(catalogue: Catalogue) -> list[tuple[object, ...]]:
    return [
        (
            ind.code,
            ind.polarity,
            ind.ranked,
            ind.trend_threshold.absolute,
            ind.trend_threshold.relative,
            ind.series_break,
        )
        for ind in catalogue.indicators
    ]


def build_comparisons(db: StatsDatabase) -> None:
    """Create the `cmp` table (one row per indicator, period with any figure, and live area), in
    fetch order."""
    params = SqlParams()
    meta = params.table(
        "indicator_meta",
        {
            "indicator": INDICATOR_TYPE,
            "polarity": "VARCHAR",
            "ranked": "BOOLEAN",
            "abs_threshold": "DOUBLE",
            "rel_threshold": "DOUBLE",
            "series_break": "INTEGER",
        },
        _meta_rows(db.catalogue),
    )
    neighbours = params.table(
        "neighbours",
        {"ons_code": GEO_TYPE, "neighbour": GEO_TYPE},
        [(code, n.ons_code) for code, items in db.register.neighbours.items() for n in items],
    )
    db.con.execute(
        f"""
        CREATE OR REPLACE TABLE cmp AS
        WITH {meta}, {neighbours},
        la_obs AS (
            SELECT indicator, year, geo AS ons_code, value, reason FROM obs WHERE geo_level = 'la'
        ),
        periods AS (
            SELECT p.indicator, p.year, m.polarity, m.abs_threshold, m.rel_threshold, m.series_break
            FROM (SELECT DISTINCT indicator, year FROM obs WHERE value IS NOT NULL) p
            JOIN indicator_meta m ON m.indicator = p.indicator
        ),
        comparators AS (
            -- England and each region, per period: looked up once per region, not once per area.
            SELECT p.*, r.region_code, e.value AS england, g.value AS region
            FROM periods p CROSS JOIN (SELECT DISTINCT region_code FROM areas) r
            LEFT JOIN obs e ON e.indicator = p.indicator AND e.year = p.year AND e.geo_level = 'england'
            LEFT JOIN obs g ON g.indicator = p.indicator AND g.year = p.year AND g.geo_level = 'region'
                 AND g.geo = r.region_code
        ),
        la AS (
            SELECT c.*, a.ons_code, o.value,
                   CASE WHEN o.value IS NULL THEN coalesce(o.reason, '{NO_ROW_REASON}') END AS missing_reason
            FROM comparators c JOIN areas a ON a.region_code = c.region_code
            LEFT JOIN la_obs o ON o.indicator = c.indicator AND o.year = c.year AND o.ons_code = a.ons_code
        ),
        neighbour_means AS (
            SELECT n.ons_code, o.indicator, o.year, avg(o.value) AS neighbours_mean,
                   count(*) AS neighbours_n
            FROM neighbours n JOIN la_obs o ON o.ons_code = n.neighbour
            WHERE o.value IS NOT NULL
            GROUP BY ALL
        ),
        ranks AS (
            -- Ranked over the areas with a figure (rank 1 = best), for the indicators that are ranked.
            SELECT o.indicator, o.year, o.ons_code,
                   rank() OVER (PARTITION BY o.indicator, o.year
                                ORDER BY CASE WHEN m.polarity = 'higher_is_better' THEN -o.value
                                              ELSE o.value END) AS rank,
                   count(*) OVER (PARTITION BY o.indicator, o.year) AS n_ranked
            FROM la_obs o JOIN indicator_meta m ON m.indicator = o.indicator
            WHERE m.ranked AND o.value IS NOT NULL
        ),
        ranked AS (
            SELECT la.*, k.rank, k.n_ranked
            FROM la LEFT JOIN ranks k ON k.indicator = la.indicator AND k.year = la.year AND k.ons_code = la.ons_code
        ),
        compared AS (
            -- The value exactly 1 and 3 years earlier, unless a series break lies between.
            SELECT r.*, nm.neighbours_mean,
                   coalesce(nm.neighbours_n, 0) AS neighbours_n,
                   CASE WHEN r.series_break IS NULL OR r.year - 1 >= r.series_break OR r.year < r.series_break
                        THEN p1.value END AS v1,
                   CASE WHEN r.series_break IS NULL OR r.year - 3 >= r.series_break OR r.year < r.series_break
                        THEN p3.value END AS v3
            FROM ranked r
            LEFT JOIN neighbour_means nm ON nm.ons_code = r.ons_code AND nm.indicator = r.indicator
                 AND nm.year = r.year
            LEFT JOIN la_obs p1 ON p1.indicator = r.indicator AND p1.ons_code = r.ons_code AND p1.year = r.year - 1
            LEFT JOIN la_obs p3 ON p3.indicator = r.indicator AND p3.ons_code = r.ons_code AND p3.year = r.year - 3
        ),
        based AS (
            SELECT *, CASE WHEN v3 IS NOT NULL THEN value - v3 ELSE value - v1 END AS basis,
                   CASE WHEN v3 IS NOT NULL THEN v3 ELSE v1 END AS basis_from
            FROM compared
        )
        SELECT indicator, year, ons_code, value, missing_reason, england, region, neighbours_mean, neighbours_n,
               rank, CASE WHEN rank IS NOT NULL THEN n_ranked END AS "of",
               CASE WHEN rank IS NOT NULL THEN
                    substr('{QUARTILE_BANDS}', CAST(ceil(4.0 * rank / n_ranked) AS INTEGER), 1)
               END AS quartile,
               value - v1 AS change_1y,
               value - v3 AS change_3y,
               CASE WHEN basis IS NULL THEN NULL
                    WHEN abs(basis) <= coalesce(abs_threshold, rel_threshold * abs(coalesce(basis_from, 0)))
                                       + {EPSILON} THEN 'stable'
                    WHEN polarity = 'neither' THEN CASE WHEN basis > 0 THEN 'increasing' ELSE 'decreasing' END
                    WHEN (basis > 0) = (polarity = 'higher_is_better') THEN 'improving'
                    ELSE 'worsening' END AS trend
        FROM based
        ORDER BY ons_code, indicator, year
        """,  # noqa: S608
        params.values,
    )


def fetch_comparisons(db: StatsDatabase, ons_code: str | None = None) -> list[ComparisonRow]:
    """Rows of `cmp`, for one area or all, ordered by area, indicator and year (the table's order:
    DuckDB returns a table's rows in insertion order, so no sort is needed here)."""
    sql = f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in COMPARISON_COLUMNS)} FROM cmp"  # noqa: S608
    params: list[object] = []
    if ons_code is not None:
        sql += " WHERE ons_code = ?"
        params.append(ons_code)
    # tuple.__new__ makes each row without a Python-level call per row (what _make does, minus the
    # length check: the SELECT gives exactly the fields). One DuckDB vector at a time, so that each
    # batch of plain tuples is freed before the next: fewer objects alive at once, fewer garbage
    # collections while 31k rows are made.
    make = partial(tuple.__new__, ComparisonRow)
    result = db.con.execute(sql, params)
    rows: list[ComparisonRow] = []
    while chunk := result.fetchmany(FETCH_ROWS):
        rows += map(make, chunk)
    return rows
