"""The indicator catalogue and the lines-of-enquiry rules are data, validated strictly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from areasend.analytics.catalogue import CATALOGUE_PATH, default_catalogue, load_catalogue
from areasend.analytics.enquiry import RULES_PATH, load_rules
from areasend.analytics.errors import CatalogueError

CRITERION = re.compile(r"2016:[ABC]|2023:H1\.[1-5]|2023:H2\.[1-6]")

# What the issue asks the catalogue to cover, at least.
REQUIRED = {
    "ehcp_pct_pupils",
    "sen_support_pct_pupils",
    "ehcp_caseload",
    "ehcp_caseload_growth_pct",
    "new_ehc_plans",
    "new_plans_20wk_incl_exc_pct",
    "new_plans_20wk_excl_exc_pct",
    "assessment_requests",
    "requests_refused_pct",
    "request_decisions_6wk_pct",
    "annual_review_meetings_pct",
    "annual_review_decisions_4wk_pct",
    "ceased_plans",
    "tribunal_appeal_rate",
    "ks4_sen_destination_pct",
    "need_asd_pct",
    "need_semh_pct",
    "dmo_or_dco_in_place",
}


def test_catalogue_covers_the_required_indicators() -> None:
    catalogue = default_catalogue()
    assert set(catalogue.by_code) >= REQUIRED
    assert set(catalogue.criteria) == {"2016:A", "2016:B", "2016:C"} | {
        f"2023:H1.{i}" for i in range(1, 6)
    } | {f"2023:H2.{i}" for i in range(1, 7)}
    for ind in catalogue.indicators:
        assert all(CRITERION.fullmatch(ref) for ref in ind.criteria), ind.code
        assert ind.link.startswith("https://"), ind.code
    sectors = {i.sector for i in catalogue.indicators}
    assert sectors == {"education", "health", "social_care"}


def broken(tmp_path: Path, source: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_bad_polarity_names_file_and_indicator(tmp_path: Path) -> None:
    path = broken(tmp_path, CATALOGUE_PATH, lambda d: d["indicators"][0].update(polarity="up"))
    with pytest.raises(
        CatalogueError, match=r"indicators\.yaml: indicators\[0\] \(code 'ehcp_pct_pupils'\)\.polarity"
    ):
        load_catalogue(path)


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, CATALOGUE_PATH, lambda d: d["indicators"][1].update(colour="red"))
    with pytest.raises(CatalogueError, match="colour"):
        load_catalogue(path)


def test_unknown_criterion_and_dataset_are_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, CATALOGUE_PATH, lambda d: d["indicators"][2].update(criteria=["2023:H9.9"]))
    with pytest.raises(CatalogueError, match=r"unknown criterion '2023:H9\.9'"):
        load_catalogue(path)
    path = broken(tmp_path, CATALOGUE_PATH, lambda d: d["indicators"][2]["sources"][0].update(dataset="nope"))
    with pytest.raises(CatalogueError, match="unknown dataset 'nope'"):
        load_catalogue(path)


def test_rules_load_and_link_to_known_criteria() -> None:
    rules = load_rules()
    assert rules.rules_version >= 1
    conditions = {r.condition for r in rules.rules}
    assert {
        "quartile_worst",
        "worsening_trend",
        "gap_vs_neighbours",
        "missing_data",
        "previous_weakness",
    } <= conditions


def test_rule_with_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["rules"][1].update(template="{title} {colour}"))
    with pytest.raises(CatalogueError, match=r"rule 'timeliness-lowest-quartile'.*colour"):
        load_rules(path)


def test_rule_with_unknown_indicator_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["rules"][1].update(indicators=["nope"]))
    with pytest.raises(CatalogueError, match="unknown indicator 'nope'"):
        load_rules(path)


def test_gap_rule_needs_a_threshold(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        rule = next(r for r in d["rules"] if r["condition"] == "gap_vs_neighbours")
        rule["params"] = {"direction": "either"}

    with pytest.raises(CatalogueError, match="absolute' or 'relative"):
        load_rules(broken(tmp_path, RULES_PATH, change))
