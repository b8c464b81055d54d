"""The row-by-row engine: the same rules applied in plain Python, one row at a time.

It is the reference the columnar engine is held to (a test asserts both find the same on synthetic
lists with planted errors) and the baseline of the benchmark. Duplicates and the other list's
values are counted once before the rows are walked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .checks import CHECKS, Context, age_on, date_fields, parse_date, same_key, school_age_date
from .findings import Finding, ValidationReport, ordered
from .reading import AnnexAList
from .schema import RuleSet, shipped_rules


def validate_rows(
    annex_list: AnnexAList,
    *,
    reference_date: dt.date,
    other: AnnexAList | None = None,
    rules: RuleSet | None = None,
) -> ValidationReport:
    rule_set = rules or shipped_rules()
    active = rule_set.for_list(annex_list.number)
    columns = annex_list.columns
    wanted = {f for r in active if r.check == "duplicate" for f in r.fields if f in columns}
    counts = {f: Counter(same_key(v) for v in columns[f] if v is not None) for f in wanted}
    other_values = None
    if other is not None:
        other_values = {
            f: frozenset(same_key(v) for v in values if v is not None) for f, values in other.columns.items()
        }
    context = Context(reference_date, frozenset(columns), counts, other_values)
    dates = date_fields(list(columns))
    school_day = school_age_date(reference_date)
    findings: list[Finding] = []
    keys = list(columns)
    for row, values in zip(annex_list.rows, zip(*columns.values(), strict=True), strict=True):
        record: dict[str, object] = dict(zip(keys, values, strict=True))
        for f in dates:
            record[f + "__date"] = parse_date(record[f])  # type: ignore[arg-type]
        born = record.get("date_of_birth__date")
        record["age"] = age_on(born, reference_date)  # type: ignore[arg-type]
        record["school_age"] = age_on(born, school_day)  # type: ignore[arg-type]
        for rule in active:
            for field in CHECKS[rule.check].row(rule, record, context):
                findings.append(Finding(row, field, rule.code, rule.level, rule.message))
    return ValidationReport(
        annex_list.number, len(annex_list), reference_date, rule_set, ordered(findings, rule_set, tuple(keys))
    )
