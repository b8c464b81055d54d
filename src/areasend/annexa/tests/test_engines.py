"""The columnar engine (DuckDB) and the row-by-row engine find exactly the same."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areasend.annexa import synthetic
from areasend.annexa.reading import AnnexAList
from areasend.annexa.rowwise import validate_rows
from areasend.annexa.schema import list_kind, shipped_rules
from areasend.annexa.validation import validate

PLANTABLE = [r.code for r in shipped_rules().rules if r.check != "in_other_list"]

# Values that reach the edges of the checks: dates in and out of form, counts, cases, spaces.
TEXT = st.one_of(
    st.none(),
    st.sampled_from(["ASD", "asd", "Semh", "Primary", "Special school", "ap", "Yes", "no", "0", "12", "100.5",
                     "2020-02-29", "2021-02-29", "29/02/2020", "1/2/2003", "2000-01-01", "2027-01-01"]),
    st.text(alphabet="AZaz09-/ .%", min_size=1, max_size=12).map(str.strip).filter(bool),
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=st.sampled_from([1, 2]),
    seed=st.integers(0, 10_000),
    errors=st.dictionaries(st.sampled_from(PLANTABLE), st.integers(1, 4), max_size=8),
    day=st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
    in_both=st.integers(0, 3),
)
def test_same_findings_on_planted_lists(
    number: int, seed: int, errors: dict[str, int], day: dt.date, in_both: int
) -> None:
    rules = {r.code for r in shipped_rules().for_list(number)}
    mine = synthetic.generate(
        number, 120, seed=seed, reference_date=day, errors={k: v for k, v in errors.items() if k in rules}
    )
    other = synthetic.generate(3 - number, 40, seed=seed + 1, reference_date=day)
    for i in range(in_both):
        other.records[i]["upn"] = mine.records[i]["upn"]
    a, b = mine.as_list(), other.as_list()
    columnar = validate(a, reference_date=day, other=b)
    rowwise = validate_rows(a, reference_date=day, other=b)
    assert columnar.findings == rowwise.findings
    assert columnar.summary == rowwise.summary
    for rule, rows in mine.planted.items():
        assert set(rows) <= {f.row for f in columnar.findings if f.rule == rule}, rule


@settings(max_examples=30, deadline=None)
@given(number=st.sampled_from([1, 2]), data=st.data(), day=st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))
def test_same_findings_on_arbitrary_values(number: int, data: st.DataObject, day: dt.date) -> None:
    keys = list_kind(number).keys
    records = data.draw(st.lists(st.fixed_dictionaries({k: TEXT for k in keys}), min_size=1, max_size=15))
    annex_list = AnnexAList.from_records(number, records)
    columnar = validate(annex_list, reference_date=day)
    assert columnar.findings == validate_rows(annex_list, reference_date=day).findings


def test_many_lists_in_one_pass_are_each_checked_on_their_own() -> None:
    from areasend.annexa.validation import validate_many

    day = dt.date(2026, 9, 1)
    lists = [
        synthetic.generate(1, 80, seed=s, reference_date=day, errors={"duplicate_upn": 1}) for s in range(3)
    ]
    others = [synthetic.generate(2, 30, seed=s, reference_date=day, first_id=81) for s in range(3)]
    # The same child in two areas' lists is no duplicate; on an area's other list, it is.
    lists[1].records[5]["upn"] = lists[0].records[5]["upn"]
    others[2].records[0]["upn"] = lists[2].records[9]["upn"]
    items = [
        (a.as_list(), b.as_list() if i != 1 else None)
        for i, (a, b) in enumerate(zip(lists, others, strict=True))
    ]
    together = validate_many(items, reference_date=day)
    assert [r.findings for r in together] == [
        validate_rows(a, reference_date=day, other=b).findings for a, b in items
    ]
    assert together[2].summary == {"duplicate_upn": 2, "in_both_lists": 1}
    duplicates = {f.row for f in together[1].findings if f.rule == "duplicate_upn"}
    assert duplicates == set(lists[1].planted["duplicate_upn"])
