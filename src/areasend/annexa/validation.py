"""The columnar engine: every rule as one SQL query over the whole list, run by DuckDB.

``validate(annex_list, reference_date=...)`` returns a ``ValidationReport``. The reference date is
the date the area produced the list (the caller passes it; an inspection's default is its
notification date): ages and "future" dates are judged on it, never on the day the check runs.
``other`` is the area's other list, for the children found on both. ``validate_many`` checks many
lists of one kind in one pass (the lists of every area, for instance).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .checks import CHECKS, Context, age_on_sql, date_fields, lit, parse_date_sql, q, school_age_date
from .findings import Finding, ValidationReport, ordered
from .reading import AnnexAList
from .schema import RuleSet, shipped_rules

if TYPE_CHECKING:
    import duckdb


def _load(con: duckdb.DuckDBPyConnection, name: str, lists: Sequence[tuple[int, AnnexAList]]) -> None:
    import numpy as np

    # DuckDB scans a dictionary of NumPy arrays without a Python call per value. A column with no
    # value at all is given as text, so that every column is VARCHAR.
    keys = list(lists[0][1].columns)
    frame = {
        "list_id": np.concatenate([np.full(len(a), i, dtype=np.int64) for i, a in lists]),
        "row": np.concatenate([np.array(a.rows, dtype=np.int64) for _, a in lists]),
    }
    columns = []
    for key in keys:
        values = [v for _, a in lists for v in a.columns[key]]
        if any(v is not None for v in values):
            frame[key] = np.array(values, dtype=object)
            columns.append(q(key))
        else:
            columns.append(f"NULL::VARCHAR AS {q(key)}")
    con.execute(f"CREATE TABLE {name} AS SELECT list_id, row, {', '.join(columns)} FROM frame")  # noqa: S608


def _prepare(con: duckdb.DuckDBPyConnection, keys: list[str], reference_date: dt.date) -> None:
    """The table ``p`` the checks read: the lists, their dates read and the ages on the reference date."""
    dates = date_fields(keys)
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
    return validate_many([(annex_list, other)], reference_date=reference_date, rules=rules, threads=threads)[
        0
    ]


def validate_many(
    items: Sequence[tuple[AnnexAList, AnnexAList | None]],
    *,
    reference_date: dt.date,
    rules: RuleSet | None = None,
    threads: int | None = None,
) -> list[ValidationReport]:
    """Many lists of the same kind (List 1, or List 2), each with its own other list or None, in one
    pass: as ``validate`` on each, without paying for a query per rule per list."""
    import duckdb

    if not items:
        return []
    numbers = {annex_list.number for annex_list, _ in items}
    if len(numbers) != 1:
        raise ValueError("validate_many takes lists of one kind: List 1 or List 2")
    (number,) = numbers
    keys = list(items[0][0].columns)
    rule_set = rules or shipped_rules()
    active = rule_set.for_list(number)
    others = [(i, other) for i, (_, other) in enumerate(items) if other is not None]
    con = duckdb.connect(":memory:")
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        _load(con, "t", list(enumerate(a for a, _ in items)))
        if others:
            _load(con, "o", others)
        _prepare(con, keys, reference_date)
        context = Context(reference_date, frozenset(keys), {}, {} if others else None)
        selects = [
            f"SELECT list_id, row, field, {lit(rule.code)} AS rule FROM ({select})"  # noqa: S608
            for rule in active
            for select in CHECKS[rule.check].sql(rule, context)
        ]
        found = con.execute(" UNION ALL ".join(selects)).fetchall() if selects else []
    finally:
        con.close()
    by_code = {r.code: r for r in active}
    per_list: list[list[Finding]] = [[] for _ in items]
    for list_id, row, field, code in found:
        rule = by_code[code]
        per_list[list_id].append(Finding(row, field, code, rule.level, rule.message))
    return [
        ValidationReport(number, len(a), reference_date, rule_set, ordered(f, rule_set, tuple(keys)))
        for (a, _), f in zip(items, per_list, strict=True)
    ]
