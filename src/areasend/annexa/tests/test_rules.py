"""Each rule, on its own: a clean synthetic list has no findings, and a planted error is found on
exactly the planted rows, by both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from areasend.annexa import synthetic
from areasend.annexa.reading import AnnexAList
from areasend.annexa.rowwise import validate_rows
from areasend.annexa.schema import shipped_rules
from areasend.annexa.validation import validate

from .conftest import REFERENCE

SINGLE_LIST_RULES = [
    (rule.code, number)
    for rule in shipped_rules().rules
    for number in rule.lists
    if rule.check != "in_other_list"
]


def both(annex_list: AnnexAList, reference: dt.date = REFERENCE, other: AnnexAList | None = None):  # type: ignore[no-untyped-def]
    columnar = validate(annex_list, reference_date=reference, other=other)
    rowwise = validate_rows(annex_list, reference_date=reference, other=other)
    assert columnar.findings == rowwise.findings
    return columnar


def test_clean_lists_have_no_findings(clean_first, clean_second) -> None:  # type: ignore[no-untyped-def]
    first, second = clean_first.as_list(), clean_second.as_list()
    assert both(first, other=second).findings == ()
    assert both(second, other=first).findings == ()


@pytest.mark.parametrize(("code", "number"), SINGLE_LIST_RULES)
def test_each_rule_finds_what_was_planted(code: str, number: int) -> None:
    planted = synthetic.generate(number, 300, seed=5, reference_date=REFERENCE, errors={code: 3})
    report = both(planted.as_list())
    rule = shipped_rules().rule(code)
    assert {f.rule for f in report.findings} == {code}
    assert sorted({f.row for f in report.findings}) == planted.planted[code]
    assert all(f.level == rule.level and f.message == rule.message for f in report.findings)
    assert report.summary == {code: len(report.findings)}


def test_children_on_both_lists_are_found_in_each(reference: dt.date) -> None:
    lists = synthetic.generate_area("E06000017", seed=2, reference_date=reference, in_both=4)
    first, second = lists[1].as_list(), lists[2].as_list()
    for mine, other, number in ((first, second, 1), (second, first, 2)):
        report = both(mine, other=other)
        assert {f.rule for f in report.findings} == {"in_both_lists"}
        assert sorted({f.row for f in report.findings}) == lists[number].planted["in_both_lists"]
        assert {f.column for f in report.findings} == {"UPN", "Unique ID"}
    assert both(first).findings == ()  # without the other list nothing is said


def _one(number: int, **values: str) -> AnnexAList:
    base: dict[str, str | None] = dict(
        synthetic.generate(number, 1, seed=1, reference_date=REFERENCE).records[0]
    )
    base.update(values)
    return AnnexAList.from_records(number, [base])


def rules_found(annex_list: AnnexAList, reference: dt.date = REFERENCE) -> set[str]:
    return {f.rule for f in both(annex_list, reference).findings}


def test_age_is_judged_on_the_reference_date_not_today() -> None:
    # 25 on the list's date, 26 a year later: the same list is judged by the date it was produced.
    child = _one(1, date_of_birth="2001-09-01", uln="9000000001")
    assert rules_found(child) == {"age_25"}
    assert rules_found(child, dt.date(2027, 9, 1)) == {"age_over_25"}
    assert rules_found(child, dt.date(2026, 8, 31)) == set()  # still 24 the day before the birthday


def test_future_dates_are_after_the_reference_date() -> None:
    child = _one(1, plan_reviewed="02/09/2026", plan_issued="01/01/2020", plan_updated="")
    assert rules_found(child) == {"future_plan_date"}
    assert rules_found(child, dt.date(2026, 9, 2)) == set()


def test_dates_in_either_form_and_impossible_dates() -> None:
    assert rules_found(_one(2, date_of_birth="05/03/2015")) == set()
    assert rules_found(_one(2, date_of_birth="2015-03-05")) == set()
    assert rules_found(_one(2, date_of_birth="29/02/2015")) == {"not_a_date"}
    assert rules_found(_one(2, date_of_birth="March 2015")) == {"not_a_date"}


def test_needs_match_codes_and_names_whatever_their_case() -> None:
    for value in ("ASD", "asd", "Autistic Spectrum Disorder", "autistic-spectrum  disorder", "SEMH"):
        assert rules_found(_one(2, primary_need=value)) == set(), value
    assert rules_found(_one(2, primary_need="Autism")) == {"unknown_need"}


def test_school_age_is_taken_on_the_31_august_before_the_list() -> None:
    # Aged 4 on 31 August 2026 (born 1 September 2021): Reception, not of compulsory school age.
    values = {"main_urn": "", "subsidiary_phase": "", "main_phase": "Primary", "upn": "SYN0000000009"}
    assert "no_establishment" not in rules_found(_one(2, date_of_birth="2021-09-01", **values))
    assert "no_establishment" in rules_found(_one(2, date_of_birth="2021-08-31", **values))
    # Elective home education on List 1 needs no establishment.
    home = _one(1, date_of_birth="2016-01-01", home_education="Yes", **values)
    assert "no_establishment" not in rules_found(home)


def test_upn_or_uln_from_age_six() -> None:
    no_ids = {"upn": "", "uln": ""}
    assert rules_found(_one(2, date_of_birth="2020-09-02", **no_ids)) == set()  # 5 on the list's date
    assert rules_found(_one(2, date_of_birth="2020-09-01", **no_ids)) == {"no_upn_or_uln"}
    assert rules_found(_one(2, date_of_birth="2020-09-01", upn="", uln="9000000001")) == set()


def test_duplicates_ignore_case_and_flag_every_copy() -> None:
    records = [dict(r) for r in synthetic.generate(2, 3, seed=4, reference_date=REFERENCE).records]
    records[2]["upn"] = records[0]["upn"].lower()
    report = both(AnnexAList.from_records(2, records))  # type: ignore[arg-type]
    assert [(f.row, f.rule) for f in report.findings] == [(1, "duplicate_upn"), (3, "duplicate_upn")]
