"""Ranks, quartiles, neighbours, trends, missing reasons and area resolution."""

from __future__ import annotations

import math
from statistics import mean
from typing import Any

import pytest

from areasend.analytics import build_pack
from areasend.analytics.catalogue import NO_ROW_REASON, default_catalogue
from areasend.analytics.comparisons import RANK_CAUTION
from areasend.analytics.errors import NO_SUCCESSOR, UNKNOWN_AREA, PeriodError, UnknownAreaError
from areasend.analytics.formatting import parse_period, period_label
from areasend.analytics.pack import DataPackBuilder

from .conftest import BARNSLEY, BARNSLEY_OLD, ESSEX, RUTLAND, entry

RANKED = [i.code for i in default_catalogue().indicators if i.ranked and not i.hidden]


def latest(packs: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [entry(p, code) | {"area": a} for a, p in packs.items()]


@pytest.mark.parametrize("code", RANKED)
def test_rank_one_is_best_respecting_polarity(packs: dict[str, Any], code: str) -> None:
    entries = latest(packs, code)
    ranked = [e for e in entries if e["rank"] is not None]
    polarity = entries[0]["polarity"]
    best = max if polarity == "higher_is_better" else min
    assert ranked, code
    top = [e for e in ranked if e["rank"] == 1]
    assert {e["value"] for e in top} == {best(e["value"] for e in ranked)}
    # Ordered by rank, values never get better.
    ordered = sorted(ranked, key=lambda e: e["rank"])
    values = [e["value"] for e in ordered]
    assert values == sorted(values, reverse=polarity == "higher_is_better")
    # Competition ranking: rank = 1 + number of strictly better areas.
    for e in ranked:
        better = sum(
            1
            for o in ranked
            if (o["value"] > e["value"] if polarity == "higher_is_better" else o["value"] < e["value"])
        )
        assert e["rank"] == better + 1


def test_lower_is_better_ranks_the_smallest_value_first(packs: dict[str, Any]) -> None:
    entries = [e for e in latest(packs, "tribunal_appeal_rate") if e["rank"] is not None]
    assert entries[0]["polarity"] == "lower_is_better"
    smallest = min(e["value"] for e in entries)
    assert all(e["rank"] == 1 for e in entries if e["value"] == smallest)
    largest = max(e["value"] for e in entries)
    assert all(e["quartile"] == "D" for e in entries if e["value"] == largest)


@pytest.mark.parametrize("code", RANKED)
def test_areas_without_data_are_not_ranked_and_say_why(packs: dict[str, Any], code: str) -> None:
    entries = latest(packs, code)
    with_value = [e for e in entries if e["value"] is not None]
    without = [e for e in entries if e["value"] is None]
    assert all(e["of"] == len(with_value) for e in with_value)
    assert all(e["rank"] is None and e["of"] is None and e["quartile"] is None for e in without)
    assert all(e["missing_reason"] for e in without)
    assert all(e["missing_reason"] is None for e in with_value)


def test_some_areas_lack_figures_and_carry_the_reason(packs: dict[str, Any]) -> None:
    reasons = {
        e["missing_reason"]
        for code in (
            "annual_review_decisions_4wk_pct",
            "new_plans_20wk_excl_exc_pct",
            "ks4_sen_destination_pct",
        )
        for e in latest(packs, code)
        if e["value"] is None
    }
    assert reasons & {"not available", "suppressed"}, reasons


@pytest.mark.parametrize("code", RANKED)
def test_quartile_band_follows_rank(packs: dict[str, Any], code: str) -> None:
    for e in latest(packs, code):
        if e["rank"] is not None:
            assert e["quartile"] == "ABCD"[math.ceil(4 * e["rank"] / e["of"]) - 1]


def test_neither_polarity_and_flags_are_not_ranked(packs: dict[str, Any]) -> None:
    for code in ("ehcp_pct_pupils", "need_asd_pct", "ehcp_caseload", "dmo_or_dco_in_place"):
        assert all(e["rank"] is None and e["quartile"] is None for e in latest(packs, code))


def test_neighbours_mean_is_the_mean_of_neighbours_with_figures(packs: dict[str, Any]) -> None:
    for area in (ESSEX, BARNSLEY, RUTLAND):
        pack = packs[area]
        for code in ("ehcp_pct_pupils", "tribunal_appeal_rate", "new_plans_20wk_excl_exc_pct"):
            values = [entry(packs[n["ons_code"]], code)["value"] for n in pack["area"]["neighbours"]]
            present = [v for v in values if v is not None]
            e = entry(pack, code)
            assert e["neighbours_n"] == len(present)
            assert e["neighbours_mean"] == pytest.approx(mean(present), abs=1e-6)


def test_change_and_trend_respect_polarity(packs: dict[str, Any]) -> None:
    e = entry(packs[ESSEX], "new_plans_20wk_incl_exc_pct")  # higher is better
    past = {p["year"]: p["value"] for p in e["history"]}
    assert e["change_1y"] == pytest.approx(past[2024] - past[2023])
    assert e["change_3y"] == pytest.approx(past[2024] - past[2021])
    assert e["trend"] == "worsening"  # 45.1% in 2021, 16.2% in 2024
    tribunal = entry(packs[ESSEX], "tribunal_appeal_rate")  # lower is better, rose from 3.6 to 4.7
    assert tribunal["change_3y"] == pytest.approx(1.1) and tribunal["trend"] == "worsening"
    caseload = entry(packs[ESSEX], "ehcp_caseload")  # neither
    assert caseload["trend"] == "increasing"


def test_no_change_is_calculated_across_a_series_break(packs: dict[str, Any]) -> None:
    e = entry(packs[ESSEX], "requests_refused_pct")  # break in 2023
    assert e["year"] == 2024 and e["change_1y"] is not None and e["change_3y"] is None


def test_pack_carries_the_caution_that_a_rank_is_not_a_judgement(packs: dict[str, Any]) -> None:
    assert packs[ESSEX]["caution"] == RANK_CAUTION
    assert "not a judgement" in RANK_CAUTION


def test_terminated_code_maps_to_the_current_area(builder: DataPackBuilder) -> None:
    pack = builder.pack(BARNSLEY_OLD)
    assert pack["area"]["ons_code"] == BARNSLEY and pack["area"]["requested_code"] == BARNSLEY_OLD
    assert entry(pack, "ehcp_caseload")["value"] is not None


def test_unknown_code_is_a_clear_error(builder: DataPackBuilder) -> None:
    with pytest.raises(UnknownAreaError) as caught:
        builder.pack("E99999999")
    assert str(caught.value) == UNKNOWN_AREA.format(code="E99999999")


def test_terminated_code_without_successor_is_a_clear_error(builder: DataPackBuilder) -> None:
    with pytest.raises(UnknownAreaError) as caught:
        builder.pack("E10000021")  # Northamptonshire, split in 2021
    assert str(caught.value) == NO_SUCCESSOR.format(
        code="E10000021", name="Northamptonshire", ended="31/03/2021"
    )


def test_build_pack_uses_the_shipped_files() -> None:
    pack = build_pack(ESSEX.lower())
    assert pack["area"]["name"] == "Essex"


@pytest.mark.parametrize(
    ("given", "year"), [(2024, 2024), ("2024", 2024), ("2023/24", 2024), ("2023-24", 2024), ("202324", 2024)]
)
def test_periods_parse(given: object, year: int) -> None:
    assert parse_period(given) == year  # type: ignore[arg-type]


@pytest.mark.parametrize("given", ["24", "2023/25", "last year", "20234"])
def test_bad_periods_are_refused(given: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(given)


def test_period_labels() -> None:
    assert period_label("academic_year", 2025) == "2024/25"
    assert period_label("calendar_year", 2024) == "2024"


def test_a_period_picks_the_latest_figures_at_or_before_it(builder: DataPackBuilder) -> None:
    pack = builder.pack(ESSEX, period="2022")
    timeliness = entry(pack, "new_plans_20wk_incl_exc_pct")
    assert timeliness["year"] == 2022 and timeliness["value"] == 10.7
    assert entry(pack, "ehcp_caseload")["period"] == "2021/22"
    assert entry(pack, "annual_review_meetings_pct")["value"] is None  # first published for 2024
    assert all(p["year"] <= 2022 for p in timeliness["history"])


def test_area_missing_from_a_source_says_so(packs: dict[str, Any]) -> None:
    # Cumberland (E06000063) began in April 2023. The caseload file has no row for it before then;
    # the MoJ table has a row marked '..' (not available).
    caseload = [p for p in entry(packs["E06000063"], "ehcp_caseload")["history"] if p["year"] < 2023]
    assert caseload and all(p["value"] is None and p["missing_reason"] == NO_ROW_REASON for p in caseload)
    tribunal = [p for p in entry(packs["E06000063"], "tribunal_appeal_rate")["history"] if p["year"] < 2023]
    assert tribunal and all(p["value"] is None and p["missing_reason"] == "not available" for p in tribunal)
