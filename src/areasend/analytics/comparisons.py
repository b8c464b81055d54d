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

from typing import NamedTuple

from .catalogue import NO_ROW_REASON, Catalogue
from .ingest import StatsDatabase, create_table

RANK_CAUTION = (
    "A rank or quartile shows only where a published figure sits among the areas that have one. "
    "It is not a judgement of the local area partnership's effectiveness: figures start lines of "
    "enquiry, and inspectors test them with evidence from the inspection."
)
# Band = ceil(4 × rank / of): A for the best quarter of ranked areas … D for the worst.
QUARTILE_BANDS = "ABCD"
# Floating point: a change of exactly the threshold (5.0 - 4.8) still counts as stable.
EPSILON = 1e-9

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
    """Create the `cmp` table (one row per indicator, period with any figure, and live area)."""
    con = db.con
    create_table(
        con,
        "indicator_meta",
        {
            "indicator": "VARCHAR",
            "polarity": "VARCHAR",
            "ranked": "BOOLEAN",
            "abs_threshold": "DOUBLE",
            "rel_threshold": "DOUBLE",
            "series_break": "INTEGER",
        },
        _meta_rows(db.catalogue),
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE cmp AS
        WITH periods AS (
            SELECT DISTINCT indicator, year FROM obs WHERE value IS NOT NULL
        ),
        la AS (
            SELECT p.indicator, p.year, a.ons_code, a.region_code, o.value,
                   CASE WHEN o.value IS NULL THEN coalesce(o.reason, '{NO_ROW_REASON}') END AS missing_reason
            FROM periods p CROSS JOIN areas a
            LEFT JOIN obs o ON o.indicator = p.indicator AND o.year = p.year
                 AND o.geo_level = 'la' AND o.geo = a.ons_code
        ),
        neighbour_means AS (
            SELECT n.ons_code, la.indicator, la.year, avg(la.value) AS neighbours_mean,
                   count(la.value) AS neighbours_n
            FROM neighbours n JOIN la ON la.ons_code = n.neighbour
            GROUP BY ALL
        ),
        windowed AS (
            SELECT la.*, m.polarity, m.abs_threshold, m.rel_threshold,
                   CASE WHEN m.ranked AND la.value IS NOT NULL THEN
                        rank() OVER (PARTITION BY la.indicator, la.year
                                     ORDER BY CASE WHEN m.polarity = 'higher_is_better' THEN -la.value
                                                   ELSE la.value END NULLS LAST)
                   END AS rank,
                   count(la.value) OVER (PARTITION BY la.indicator, la.year) AS n_ranked,
                   -- The value exactly 1 and 3 years earlier (a year with no figures anywhere is not in
                   -- the grid, hence the year check), unless a series break lies between.
                   CASE WHEN (m.series_break IS NULL OR la.year - 1 >= m.series_break OR la.year < m.series_break)
                             AND lag(la.year, 1) OVER w = la.year - 1 THEN lag(la.value, 1) OVER w END AS v1,
                   CASE WHEN (m.series_break IS NULL OR la.year - 3 >= m.series_break OR la.year < m.series_break)
                             AND lag(la.year, 3) OVER w = la.year - 3 THEN lag(la.value, 3) OVER w END AS v3
            FROM la JOIN indicator_meta m ON m.indicator = la.indicator
            WINDOW w AS (PARTITION BY la.indicator, la.ons_code ORDER BY la.year)
        ),
        compared AS (
            SELECT w.*, e.value AS england, g.value AS region, nm.neighbours_mean,
                   coalesce(nm.neighbours_n, 0) AS neighbours_n,
                   CASE WHEN w.v3 IS NOT NULL THEN w.value - w.v3 ELSE w.value - w.v1 END AS basis,
                   CASE WHEN w.v3 IS NOT NULL THEN w.v3 ELSE w.v1 END AS basis_from
            FROM windowed w
            LEFT JOIN obs e ON e.indicator = w.indicator AND e.year = w.year AND e.geo_level = 'england'
            LEFT JOIN obs g ON g.indicator = w.indicator AND g.year = w.year AND g.geo_level = 'region'
                 AND g.geo = w.region_code
            LEFT JOIN neighbour_means nm ON nm.ons_code = w.ons_code AND nm.indicator = w.indicator
                 AND nm.year = w.year
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
        FROM compared
        """  # noqa: S608
    )


def fetch_comparisons(db: StatsDatabase, ons_code: str | None = None) -> list[ComparisonRow]:
    """Rows of `cmp`, for one area or all, ordered by area, indicator and year."""
    sql = f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in COMPARISON_COLUMNS)} FROM cmp"  # noqa: S608
    params: list[object] = []
    if ons_code is not None:
        sql += " WHERE ons_code = ?"
        params.append(ons_code)
    sql += " ORDER BY ons_code, indicator, year"
    make = ComparisonRow._make
    return [make(row) for row in db.con.execute(sql, params).fetchall()]
