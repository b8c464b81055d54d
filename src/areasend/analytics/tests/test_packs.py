"""Packs build for every live area, in the agreed JSON shape, with lines of enquiry citing figures."""

from __future__ import annotations

import json
from typing import Any

import pytest

from areasend.analytics import build_all_packs
from areasend.analytics.catalogue import default_catalogue
from areasend.analytics.comparisons import ComparisonRow, build_comparisons, fetch_comparisons
from areasend.analytics.errors import CatalogueError
from areasend.analytics.ingest import RAW_DIR, load_database
from areasend.analytics.pack import DataPackBuilder
from areasend.analytics.register import load_register
from areasend.domain.frameworks import shipped_frameworks

from .conftest import ESSEX, RUTLAND, entry

INDICATOR_KEYS = {
    "code",
    "period",
    "value",
    "england",
    "region",
    "neighbours_mean",
    "rank",
    "of",
    "quartile",
    "trend",
    "missing_reason",
}
LINE_KEYS = {"text", "framework", "criterion", "criterion_text", "sector", "evidence"}


def test_a_pack_builds_for_every_live_area(packs: dict[str, Any]) -> None:
    assert len(packs) == 153
    visible = [i.code for i in default_catalogue().indicators if not i.hidden]
    for code, pack in packs.items():
        assert pack["area"]["ons_code"] == code
        assert len(pack["area"]["neighbours"]) == 10
        assert [e["code"] for e in pack["indicators"]] == visible
        for e in pack["indicators"]:
            assert e.keys() >= INDICATOR_KEYS
            assert (e["value"] is None) == (e["missing_reason"] is not None), (code, e["code"])
        for line in pack["lines_of_enquiry"]:
            assert line.keys() >= LINE_KEYS
    json.dumps(packs)


def test_build_all_packs_loads_once_and_returns_every_area() -> None:
    packs = build_all_packs()
    assert len(packs) == 153 and ESSEX in packs


def test_lines_of_enquiry_cite_the_figures_that_triggered_them(packs: dict[str, Any]) -> None:
    lines = packs[ESSEX]["lines_of_enquiry"]
    timeliness = next(line for line in lines if line["rule_id"] == "timeliness-lowest-quartile")
    assert (timeliness["framework"], timeliness["criterion"]) == ("area-send-2023", "H1.1")
    assert timeliness["sector"] == "education"
    assert timeliness["criterion_text"].startswith("Children and young people's needs are identified")
    assert "16.2%" in timeliness["text"] and "45.9%" in timeliness["text"]
    evidence = {e["indicator"]: e for e in timeliness["evidence"]}
    assert evidence["new_plans_20wk_incl_exc_pct"]["value"] == 16.2
    assert evidence["new_plans_20wk_incl_exc_pct"]["quartile"] == "D"
    assert "new_plans_20wk_excl_exc_pct" in evidence  # combined into the same line
    tribunal = next(line for line in lines if line["rule_id"] == "tribunal-lowest-quartile")
    assert tribunal["criterion"] == "H1.2" and "4.7%" in tribunal["text"]


def test_every_line_links_to_a_known_criterion_and_sector(packs: dict[str, Any]) -> None:
    framework = shipped_frameworks()["area-send-2023"]
    sectors = {t.code for t in framework.vocabulary("sector")}
    for pack in packs.values():
        assert pack["framework"] == "area-send-2023"
        for line in pack["lines_of_enquiry"]:
            node = framework.node(line["criterion"])
            assert node is not None and node.text == line["criterion_text"]
            assert line["sector"] in sectors
            assert line["text"] and "{" not in line["text"]
            if line["rule_id"] != "previous-weakness":
                assert line["evidence"], line


def test_lines_cover_gaps_missing_data_and_flags(packs: dict[str, Any]) -> None:
    rules = {line["rule_id"] for p in packs.values() for line in p["lines_of_enquiry"]}
    assert {"ehcp-rate-vs-neighbours", "worsened", "missing-data", "need-mix-vs-england"} <= rules
    no_officer = [a for a, p in packs.items() if entry(p, "dmo_or_dco_in_place")["value"] == 0]
    for area in no_officer:
        lines = packs[area]["lines_of_enquiry"]
        assert any(
            line["rule_id"] == "designated-officer-absent" and line["sector"] == "health" for line in lines
        )


def test_previous_weaknesses_become_lines_with_matching_criteria(builder: DataPackBuilder) -> None:
    pack = builder.pack(
        RUTLAND,
        previous_weaknesses=[
            "Too many EHC plans are not issued within the 20-week timescale.",
            "Waiting times for CAMHS and speech and language therapy are too long.",
            "Something no keyword matches.",
        ],
    )
    lines = [line for line in pack["lines_of_enquiry"] if line["rule_id"] == "previous-weakness"]
    assert len(lines) == 3
    assert lines[0]["criterion"] == "H1.1" and lines[0]["sector"] == "education"
    assert "20-week timescale" in lines[0]["text"]
    assert any(e["indicator"] == "new_plans_20wk_incl_exc_pct" for e in lines[0]["evidence"])
    assert lines[1]["sector"] == "health"
    assert lines[2]["criterion"] == "H2.5" and lines[2]["evidence"] == []
    assert pack["lines_of_enquiry"][:3] == lines  # previous weaknesses come first


def test_a_pack_for_the_2016_framework_names_its_key_questions(builder: DataPackBuilder) -> None:
    """The same rules and figures, linked to the criteria of the framework the pack is made for."""
    weaknesses = ["Too many EHC plans are not issued within the 20-week timescale.", "Nothing matches."]
    current = builder.pack(ESSEX, previous_weaknesses=weaknesses)
    older = builder.pack(ESSEX, previous_weaknesses=weaknesses, framework_id="local-area-send-2016")
    assert older["framework"] == "local-area-send-2016"
    fw2016 = shipped_frameworks()["local-area-send-2016"]
    assert {line["criterion"] for line in older["lines_of_enquiry"]} <= {"A", "B", "C"}
    assert [line["text"] for line in older["lines_of_enquiry"]] == [
        line["text"] for line in current["lines_of_enquiry"]
    ]
    assert [line["criterion"] for line in older["lines_of_enquiry"][:2]] == ["B", "C"]
    assert older["lines_of_enquiry"][0]["criterion_text"] == fw2016.node("B").text  # type: ignore[union-attr]
    timeliness = entry(older, "new_plans_20wk_incl_exc_pct")
    assert timeliness["criteria"] == ["B"] and entry(current, "new_plans_20wk_incl_exc_pct")["criteria"] == [
        "H1.1"
    ]


def test_a_framework_the_catalogue_does_not_cover_is_refused(builder: DataPackBuilder) -> None:
    with pytest.raises(CatalogueError, match="does not cover framework 'area-send-2031'"):
        builder.pack(ESSEX, framework_id="area-send-2031")


def test_pandas_reference_gives_the_same_rows() -> None:
    """The benchmark's pandas implementation agrees with DuckDB (keeps the benchmark honest)."""
    pytest.importorskip("pandas")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "bench"))
    from pandas_datapack import pandas_comparisons

    db = load_database(RAW_DIR)
    try:
        build_comparisons(db)
        duck = fetch_comparisons(db)
    finally:
        db.close()
    pand = {
        (r.ons_code, r.indicator, r.year): r
        for r in pandas_comparisons(RAW_DIR, default_catalogue(), load_register())
    }
    assert len(pand) == len(duck)
    for row in duck:
        other = pand[(row.ons_code, row.indicator, row.year)]
        for name in ComparisonRow._fields:
            a, b = getattr(row, name), getattr(other, name)
            if isinstance(a, float) and isinstance(b, float):
                assert a == pytest.approx(b, rel=1e-9, abs=1e-9), (row, name)
            else:
                assert a == b, (row, name)
