"""The columnar engine: every rule as one SQL query over the whole list, run by DuckDB.

``validate(annex_list, reference_date=...)`` returns a ``ValidationReport``. The reference date is
the date the area produced the list (the caller passes it; an inspection's default is its
notification date): ages and "future" dates are judged on it, never on the day the check runs.
``other`` is the area's other list, for the children found on both.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .checks import CHECKS, Context, age_on_sql, date_fields, lit, parse_date_sql, q, school_age_date
from .findings import Finding, ValidationReport, ordered
from .reading import AnnexAList
from .schema import RuleSet, shipped_rules

if TYPE_CHECKING:
    import duckdb


def _load(con: duckdb.DuckDBPyConnection, name: str, annex_list: AnnexAList) -> None:
    import numpy as np

    # DuckDB scans a dictionary of NumPy arrays without a Python call per value. A column with no
    # value at all is given as text, so that every column is VARCHAR.
    frame = {"row": np.array(annex_list.rows, dtype=np.int64)}
    columns = []
    for key, values in annex_list.columns.items():
        if any(v is not None for v in values):
            frame[key] = np.array(values, dtype=object)
            columns.append(q(key))
        else:
            columns.append(f"NULL::VARCHAR AS {q(key)}")
    con.execute(f"CREATE TABLE {name} AS SELECT row, {', '.join(columns)} FROM frame")  # noqa: S608


def _prepare(con: duckdb.DuckDBPyConnection, annex_list: AnnexAList, reference_date: dt.date) -> None:
    """The table ``p`` the checks read: the list, its dates read and the ages on the reference date."""
    dates = date_fields(list(annex_list.columns))
    parsed = ", ".join(f"{parse_date_sql(f)} AS {q(f + '__date')}" for f in dates)
    age = age_on_sql("date_of_birth__date", reference_date)
    school = age_on_sql("date_of_birth__date", school_age_date(reference_date))
    con.execute(
        f"CREATE TEMP TABLE p AS SELECT *, {age} AS age, {school} AS school_age "  # noqa: S608
        f"FROM (SELECT *, {parsed} FROM t)"
    )


def validate(
    annex_list: AnnexAList,
    *,
    reference_date: dt.date,
    other: AnnexAList | None = None,
    rules: RuleSet | None = None,
    threads: int | None = None,
) -> ValidationReport:
    import duckdb

    rule_set = rules or shipped_rules()
    con = duckdb.connect(":memory:")
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        _load(con, "t", annex_list)
        if other is not None:
            _load(con, "o", other)
        _prepare(con, annex_list, reference_date)
        context = Context(
            reference_date=reference_date,
            fields=frozenset(annex_list.columns),
            counts={},
            other={} if other is not None else None,
        )
        active = rule_set.for_list(annex_list.number)
        selects = []
        for rule in active:
            for select in CHECKS[rule.check].sql(rule, context):
                selects.append(f"SELECT row, field, {lit(rule.code)} AS rule FROM ({select})")  # noqa: S608
        found = con.execute(" UNION ALL ".join(selects)).fetchall() if selects else []
    finally:
        con.close()
    by_code = {r.code: r for r in active}
    findings = [
        Finding(row, field, code, by_code[code].level, by_code[code].message) for row, field, code in found
    ]
    return ValidationReport(
        annex_list.number,
        len(annex_list),
        reference_date,
        rule_set,
        ordered(findings, rule_set, tuple(annex_list.columns)),
    )
