"""The checks a rule names (``check:`` in rules.yaml), each written twice: as SQL over the whole
list for the columnar engine and as a Python function of one row for the row-by-row engine. The
two are kept side by side so that a change to one is seen next to the other; a test holds them to
the same findings.

The SQL runs over a table ``p`` with one row per list row: ``list_id`` (which list of a batch),
``row``, every field as text (NULL when
blank), ``<field>__date`` for each date field, ``age`` (whole years on the reference date) and
``school_age`` (years on the 31 August before it). ``o`` holds the other lists, when given, each
with the ``list_id`` of the list it goes with; duplicates are counted within a list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .schema import MATCH_SEPARATORS, Rule, match_key, vocabularies, yes_no_words

Value = str | None
Record = Mapping[str, Any]  # field values, plus the derived `<field>__date`, age and school_age

# Dates a list may hold: 2020-12-31 (as a workbook date reads) or 31/12/2020.
ISO_DATE = "[12][0-9]{3}-[0-9]{2}-[0-9]{2}"
UK_DATE = "[0-9]{1,2}/[0-9]{1,2}/[12][0-9]{3}"
COUNT = "[0-9]+"
PERCENT = "[0-9]+([.][0-9]+)?%?"
_ISO, _UK, _COUNT, _PERCENT = (re.compile(p) for p in (ISO_DATE, UK_DATE, COUNT, PERCENT))


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- values, in Python and in SQL -------------------------------------------------------------------


def parse_date(value: Value) -> dt.date | None:
    if value is None:
        return None
    try:
        if _ISO.fullmatch(value):
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        if _UK.fullmatch(value):
            day, month, year = value.split("/")
            return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return None


def parse_date_sql(column: str) -> str:
    c = q(column)
    return (
        f"CASE WHEN regexp_full_match({c}, '{ISO_DATE}') THEN try_strptime({c}, '%Y-%m-%d')::DATE "
        f"WHEN regexp_full_match({c}, '{UK_DATE}') THEN try_strptime({c}, '%d/%m/%Y')::DATE END"
    )


def age_on(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - (1 if (on.month, on.day) < (born.month, born.day) else 0)


def age_on_sql(column: str, on: dt.date) -> str:
    c = q(column)
    day = on.month * 100 + on.day
    return f"({on.year} - year({c}) - CASE WHEN {day} < month({c}) * 100 + day({c}) THEN 1 ELSE 0 END)"


def school_age_date(reference: dt.date) -> dt.date:
    """The 31 August before ``reference`` (or on it): the day a school year's ages are taken."""
    year = reference.year if (reference.month, reference.day) >= (8, 31) else reference.year - 1
    return dt.date(year, 8, 31)


def is_yes(value: Value) -> bool:
    return value is not None and value.lower() in yes_no_words()[0]


def match_key_sql(column: str) -> str:
    return f"lower(trim(regexp_replace({q(column)}, {lit(MATCH_SEPARATORS)}, ' ', 'g'), ' '))"


def same_key(value: str) -> str:
    """What duplicates are found on: the value whatever its case."""
    return value.upper()


# --- the checks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a check knows beyond its row: the reference date, the fields of this list, and the
    whole-list facts the row-by-row engine computes once (duplicates, the other list's values)."""

    reference_date: dt.date
    fields: frozenset[str]
    counts: Mapping[str, Counter[str]]
    other: Mapping[str, frozenset[str]] | None


RowCheck = Callable[[Rule, Record, Context], list[str]]  # the fields found wrong in one row
SqlCheck = Callable[[Rule, Context], list[str]]  # SELECTs of (row, field)


@dataclass(frozen=True)
class Check:
    sql: SqlCheck
    row: RowCheck


def _per_field(rule: Rule, context: Context, where: Callable[[str], str]) -> list[str]:
    return [
        f"SELECT list_id, row, {lit(f)} AS field FROM p WHERE {where(f)}"  # noqa: S608 (quoted names and literals, no list values)
        for f in rule.fields
        if f in context.fields
    ]


def _one(rule: Rule, where: str) -> list[str]:
    return [f"SELECT list_id, row, {lit(rule.fields[0])} AS field FROM p WHERE {where}"]  # noqa: S608


def _fields(rule: Rule, record: Record, context: Context, wrong: Callable[[str], bool]) -> list[str]:
    return [f for f in rule.fields if f in context.fields and wrong(f)]


def _blank_sql(rule: Rule, context: Context) -> list[str]:
    return _per_field(rule, context, lambda f: f"{q(f)} IS NULL")


def _blank_row(rule: Rule, record: Record, context: Context) -> list[str]:
    return _fields(rule, record, context, lambda f: record[f] is None)


def _not_a_date_sql(rule: Rule, context: Context) -> list[str]:
    return _per_field(rule, context, lambda f: f"{q(f)} IS NOT NULL AND {q(f + '__date')} IS NULL")


def _not_a_date_row(rule: Rule, record: Record, context: Context) -> list[str]:
    return _fields(rule, record, context, lambda f: record[f] is not None and record[f + "__date"] is None)


def _age_where(rule: Rule) -> str:
    low, high = rule.params["min_age"], rule.params.get("max_age")
    return f"age >= {int(low)}" + ("" if high is None else f" AND age <= {int(high)}")


def _age_between_sql(rule: Rule, context: Context) -> list[str]:
    return _one(rule, _age_where(rule))


def _age_between_row(rule: Rule, record: Record, context: Context) -> list[str]:
    age, low, high = record["age"], rule.params["min_age"], rule.params.get("max_age")
    return [rule.fields[0]] if age is not None and age >= low and (high is None or age <= high) else []


def _after_reference_sql(rule: Rule, context: Context) -> list[str]:
    day = context.reference_date.isoformat()
    return _per_field(rule, context, lambda f: f"{q(f + '__date')} > DATE '{day}'")


def _after_reference_row(rule: Rule, record: Record, context: Context) -> list[str]:
    def wrong(f: str) -> bool:
        value = record[f + "__date"]
        return value is not None and value > context.reference_date

    return _fields(rule, record, context, wrong)


def _date_after_sql(rule: Rule, context: Context) -> list[str]:
    later, earlier = rule.params["later"], rule.params["earlier"]
    return _one(rule, f"{q(later + '__date')} > {q(earlier + '__date')}")


def _date_after_row(rule: Rule, record: Record, context: Context) -> list[str]:
    later, earlier = record[rule.params["later"] + "__date"], record[rule.params["earlier"] + "__date"]
    return [rule.fields[0]] if later is not None and earlier is not None and later > earlier else []


def _all_blank_from_age_sql(rule: Rule, context: Context) -> list[str]:
    blanks = " AND ".join(f"{q(f)} IS NULL" for f in rule.fields)
    return _one(rule, f"age >= {int(rule.params['min_age'])} AND {blanks}")


def _all_blank_from_age_row(rule: Rule, record: Record, context: Context) -> list[str]:
    age = record["age"]
    if age is None or age < rule.params["min_age"] or any(record[f] is not None for f in rule.fields):
        return []
    return [rule.fields[0]]


def _no_establishment_sql(rule: Rule, context: Context) -> list[str]:
    low, high = int(rule.params["min_age"]), int(rule.params["max_age"])
    blanks = " AND ".join(f"{q(f)} IS NULL" for f in rule.fields)
    where = f"school_age >= {low} AND school_age <= {high} AND {blanks}"
    unless = rule.params.get("unless_yes")
    if unless in context.fields:
        words = ", ".join(lit(w) for w in sorted(yes_no_words()[0]))
        where += f" AND NOT coalesce(lower({q(unless)}) IN ({words}), false)"
    return _one(rule, where)


def _no_establishment_row(rule: Rule, record: Record, context: Context) -> list[str]:
    age = record["school_age"]
    if age is None or not rule.params["min_age"] <= age <= rule.params["max_age"]:
        return []
    if any(record[f] is not None for f in rule.fields):
        return []
    unless = rule.params.get("unless_yes")
    if unless in context.fields and is_yes(record[unless]):
        return []
    return [rule.fields[0]]


def _duplicate_sql(rule: Rule, context: Context) -> list[str]:
    return [
        f"SELECT list_id, row, {lit(f)} AS field FROM (SELECT list_id, row, "  # noqa: S608
        f"count(*) OVER (PARTITION BY list_id, upper({q(f)})) AS n "
        f"FROM p WHERE {q(f)} IS NOT NULL) WHERE n > 1"
        for f in rule.fields
        if f in context.fields
    ]


def _duplicate_row(rule: Rule, record: Record, context: Context) -> list[str]:
    def wrong(f: str) -> bool:
        value = record[f]
        return value is not None and context.counts[f][same_key(value)] > 1

    return _fields(rule, record, context, wrong)


def _in_other_list_sql(rule: Rule, context: Context) -> list[str]:
    if context.other is None:
        return []
    return _per_field(
        rule,
        context,
        lambda f: (
            f"{q(f)} IS NOT NULL AND EXISTS (SELECT 1 FROM o WHERE o.list_id = p.list_id "  # noqa: S608
            f"AND upper(o.{q(f)}) = upper(p.{q(f)}))"
        ),
    )


def _in_other_list_row(rule: Rule, record: Record, context: Context) -> list[str]:
    other = context.other
    if other is None:
        return []
    return _fields(rule, record, context, lambda f: record[f] is not None and same_key(record[f]) in other[f])


def vocabulary_keys(rule: Rule) -> list[str]:
    return sorted(vocabularies()[rule.params["vocabulary"]].lookup)


def _not_in_vocabulary_sql(rule: Rule, context: Context) -> list[str]:
    keys = ", ".join(lit(k) for k in vocabulary_keys(rule))
    return _per_field(rule, context, lambda f: f"{q(f)} IS NOT NULL AND {match_key_sql(f)} NOT IN ({keys})")


def _not_in_vocabulary_row(rule: Rule, record: Record, context: Context) -> list[str]:
    lookup = vocabularies()[rule.params["vocabulary"]].lookup
    return _fields(
        rule, record, context, lambda f: record[f] is not None and match_key(record[f]) not in lookup
    )


def _not_a_count_sql(rule: Rule, context: Context) -> list[str]:
    return _per_field(
        rule, context, lambda f: f"{q(f)} IS NOT NULL AND NOT regexp_full_match({q(f)}, '{COUNT}')"
    )


def _not_a_count_row(rule: Rule, record: Record, context: Context) -> list[str]:
    return _fields(rule, record, context, lambda f: record[f] is not None and not _COUNT.fullmatch(record[f]))


def _not_a_percentage_sql(rule: Rule, context: Context) -> list[str]:
    def where(f: str) -> str:
        number = f"TRY_CAST(rtrim({q(f)}, '%') AS DOUBLE)"
        return f"{q(f)} IS NOT NULL AND (NOT regexp_full_match({q(f)}, '{PERCENT}') OR {number} > 100)"

    return _per_field(rule, context, where)


def percentage(value: Value) -> float | None:
    if value is None or not _PERCENT.fullmatch(value):
        return None
    return float(value.rstrip("%"))


def _not_a_percentage_row(rule: Rule, record: Record, context: Context) -> list[str]:
    def wrong(f: str) -> bool:
        value = record[f]
        number = percentage(value)
        return value is not None and (number is None or number > 100)

    return _fields(rule, record, context, wrong)


CHECKS: dict[str, Check] = {
    "blank": Check(_blank_sql, _blank_row),
    "not_a_date": Check(_not_a_date_sql, _not_a_date_row),
    "age_between": Check(_age_between_sql, _age_between_row),
    "after_reference_date": Check(_after_reference_sql, _after_reference_row),
    "date_after": Check(_date_after_sql, _date_after_row),
    "all_blank_from_age": Check(_all_blank_from_age_sql, _all_blank_from_age_row),
    "no_establishment": Check(_no_establishment_sql, _no_establishment_row),
    "duplicate": Check(_duplicate_sql, _duplicate_row),
    "in_other_list": Check(_in_other_list_sql, _in_other_list_row),
    "not_in_vocabulary": Check(_not_in_vocabulary_sql, _not_in_vocabulary_row),
    "not_a_count": Check(_not_a_count_sql, _not_a_count_row),
    "not_a_percentage": Check(_not_a_percentage_sql, _not_a_percentage_row),
}


def date_fields(fields: Sequence[str]) -> list[str]:
    from .schema import list_kinds

    kinds = {f.key: f.kind for kind in list_kinds().values() for f in kind.fields}
    return [f for f in fields if kinds.get(f) == "date"]
