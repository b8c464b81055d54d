"""The indicator catalogue and the lines-of-enquiry rules are data, validated strictly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from areasend.analytics.catalogue import (
    CATALOGUE_PATH,
    MSG_UNKNOWN_CRITERION,
    MSG_UNKNOWN_FRAMEWORK,
    MSG_UNKNOWN_SECTOR,
    default_catalogue,
    load_catalogue,
)
from areasend.analytics.enquiry import (
    MSG_RULE_CRITERION_MISSING,
    MSG_RULE_UNKNOWN_CRITERION,
    RULES_PATH,
    load_rules,
)
from areasend.analytics.errors import CatalogueError
from areasend.domain.frameworks import shipped_frameworks

# The codes the shipped catalogue uses: 2016's key questions, 2023's evaluation criteria.
CRITERION = {
    "local-area-send-2016": re.compile(r"[ABC]"),
    "area-send-2023": re.compile(r"H1\.[1-5]|H2\.[1-6]"),
}

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
    assert catalogue.frameworks == ("area-send-2023", "local-area-send-2016")
    assert catalogue.default_framework == "area-send-2023"
    for ind in catalogue.indicators:
        assert set(ind.criteria) == set(catalogue.frameworks), ind.code
        for framework_id, codes in ind.criteria.items():
            assert codes and all(CRITERION[framework_id].fullmatch(code) for code in codes), ind.code
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
    criteria = {"area-send-2023": ["H1.1", "H9.9"], "local-area-send-2016": ["A"]}
    path = broken(tmp_path, CATALOGUE_PATH, lambda d: d["indicators"][2].update(criteria=criteria))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(caught.value) == MSG_UNKNOWN_CRITERION.format(
        source="indicators.yaml", indicator="assessment_requests", code="H9.9", framework="area-send-2023"
    )
    path = broken(tmp_path, CATALOGUE_PATH, lambda d: d["indicators"][2]["sources"][0].update(dataset="nope"))
    with pytest.raises(CatalogueError, match="unknown dataset 'nope'"):
        load_catalogue(path)


def test_rules_load_and_link_to_known_criteria() -> None:
    rules = load_rules()
    assert rules.rules_version >= 3
    conditions = {r.condition for r in rules.rules}
    assert {
        "quartile_worst",
        "worsened",
        "fell_behind_england",
        "gap_vs_neighbours",
        "missing_data",
        "previous_weakness",
    } <= conditions
    assert "worsening_trend" not in conditions  # version 2's trend-only rule is not used


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


def test_an_indicator_must_inform_a_criterion_of_every_framework(tmp_path: Path) -> None:
    path = broken(
        tmp_path, CATALOGUE_PATH, lambda d: d["indicators"][0].update(criteria={"area-send-2023": ["H1.1"]})
    )
    with pytest.raises(
        CatalogueError,
        match=r"indicator 'ehcp_pct_pupils': names no criterion of framework 'local-area-send-2016'",
    ):
        load_catalogue(path)


def test_criteria_are_checked_against_the_framework_files_given(tmp_path: Path) -> None:
    only_2023 = {"area-send-2023": shipped_frameworks()["area-send-2023"]}
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(CATALOGUE_PATH, frameworks=only_2023)
    assert str(caught.value) == MSG_UNKNOWN_FRAMEWORK.format(
        source="indicators.yaml", framework="local-area-send-2016", known="area-send-2023"
    )


def test_a_sector_must_be_a_sector_of_every_framework(tmp_path: Path) -> None:
    """Alternative provision is a 2023 sector, not a 2016 one."""
    path = broken(
        tmp_path, CATALOGUE_PATH, lambda d: d["indicators"][1].update(sector="alternative_provision")
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(caught.value) == MSG_UNKNOWN_SECTOR.format(
        where="indicators.yaml: indicator 'sen_support_pct_pupils'",
        sector="alternative_provision",
        framework="local-area-send-2016",
        codes="education, health, social_care",
    )


def test_rule_criteria_are_checked_for_every_framework(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["rules"][1].update(criterion={"area-send-2023": "H1.1"}))
    with pytest.raises(CatalogueError) as caught:
        load_rules(path)
    assert str(caught.value) == MSG_RULE_CRITERION_MISSING.format(
        where=f"{RULES_PATH.name}: rule 'timeliness-lowest-quartile'", framework="local-area-send-2016"
    )

    def unknown_topic_code(d: dict[str, Any]) -> None:
        d["rules"][0]["topics"][2]["criterion"]["local-area-send-2016"] = "D"

    with pytest.raises(CatalogueError) as caught:
        load_rules(broken(tmp_path, RULES_PATH, unknown_topic_code))
    assert str(caught.value) == MSG_RULE_UNKNOWN_CRITERION.format(
        where=f"{RULES_PATH.name}: rule 'previous-weakness': topic 3",
        code="D",
        framework="local-area-send-2016",
    )


def test_rule_sectors_are_checked_against_the_frameworks(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["rules"][2].update(sector="alternative_provision"))
    with pytest.raises(
        CatalogueError,
        match=r"rule 'decisions-lowest-quartile': 'alternative_provision' is not a sector of local-area-send-2016",
    ):
        load_rules(path)
    path = broken(tmp_path, RULES_PATH, lambda d: d["rules"][0].update(sector="indicator"))
    with pytest.raises(CatalogueError, match="a previous_weakness rule has no indicator"):
        load_rules(path)


def test_polarity_agrees_with_the_lait_dictionary_where_it_gives_one() -> None:
    """The rules judge 'worsened' by the catalogue's polarity: where LAIT's dictionary states one
    (High / Low) for a column an indicator reads, the catalogue says the same."""
    import csv

    from areasend.analytics.ingest import RAW_DIR

    with (RAW_DIR / "lait" / "lait_sen_indicators_dictionary.csv").open(encoding="utf-8-sig") as handle:
        stated = {row["short_desc"]: row["polarity"] for row in csv.DictReader(handle)}
    meaning = {"High": "higher_is_better", "Low": "lower_is_better"}
    compared = 0
    for ind in default_catalogue().indicators:
        for src in ind.sources:
            if src.dataset != "lait":
                continue
            for column in src.column_list:
                if stated.get(column) in meaning:
                    compared += 1
                    assert ind.polarity == meaning[stated[column]], (ind.code, column)
    assert compared >= 5
