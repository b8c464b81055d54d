"""The shipped data files agree with their sources and with the code that reads them."""

from __future__ import annotations

import csv

from areasend.annexa.checks import CHECKS
from areasend.annexa.schema import DATA_DIR, list_kinds, load_rules, shipped_rules, vocabularies


def test_the_columns_are_ofsteds_template_in_order() -> None:
    with (DATA_DIR / "annex_a_fields.csv").open(encoding="utf-8") as handle:
        template: dict[int, list[str]] = {}
        for row in csv.DictReader(handle):
            template.setdefault(int(row["list"].split("_")[1]), []).append(row["field"])
    assert {n: [f.header for f in kind.fields] for n, kind in list_kinds().items()} == template
    assert len(template[1]) == 21 and len(template[2]) == 17


def test_the_needs_are_the_sen2_code_list() -> None:
    with (DATA_DIR / "sen2_code_lists.csv").open(encoding="utf-8") as handle:
        codes = [r["code"] for r in csv.DictReader(handle) if r["list"] == "sen-type"]
    assert [t.code for t in vocabularies()["needs"].terms] == codes


def test_every_rule_names_a_check_fields_of_its_lists_and_a_source() -> None:
    rules = shipped_rules()
    assert rules.version
    for rule in rules.rules:
        assert rule.check in CHECKS, rule.code
        assert rule.level in {"error", "query"}
        keys = {key for number in rule.lists for key in list_kinds()[number].keys}
        assert set(rule.fields) <= keys, rule.code
        assert rule.source and rule.confidence in {"high", "medium", "low"}
        if rule.confidence != "high":
            assert rule.configurable or rule.level == "error" or rule.confidence == "medium", rule.code
        if "D2I" in rule.source:
            assert "not official" in rule.source, rule.code


def test_the_d2i_rules_asked_for_are_covered() -> None:
    with (DATA_DIR / "d2i_validation_rules.csv").open(encoding="utf-8") as handle:
        d2i = {row["Rule code"] for row in csv.DictReader(handle)}
    cited = " ".join(r.source for r in shipped_rules().rules)
    for code in (
        "101a",
        "101b",
        "101c",
        "101d",
        "102a",
        "102b",
        "105a",
        "106a",
        "106b",
        "107",
        "108a",
        "109",
    ):
        assert code in d2i and code in cited, code


def test_a_rule_file_with_a_bad_rule_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "version: x\nrules:\n  - {code: a, level: warning, message: m, fields: [upn], lists: [1], "
        "check: blank, source: s, confidence: high}\n"
    )
    try:
        load_rules(bad)
    except ValueError as exc:
        assert "level must be error or query" in str(exc)
    else:
        raise AssertionError("refused")
