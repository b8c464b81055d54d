"""Figures in the packs equal the published files exactly. The tests read the raw CSV rows themselves."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from areasend.analytics.catalogue import DEFAULT_MISSING_CODES
from areasend.analytics.ingest import RAW_DIR

from .conftest import BARNSLEY, ESSEX, RUTLAND, SAMPLE_AREAS, WESTMINSTER, entry

REGION_OF = {ESSEX: "E12000006", BARNSLEY: "E12000003", WESTMINSTER: "E12000007", RUTLAND: "E12000004"}


def rows(rel: str) -> list[dict[str, str]]:
    with (RAW_DIR / rel).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def number(text: str) -> float | None:
    text = text.strip()
    if text == "" or text in DEFAULT_MISSING_CODES:
        return None
    return float(text)


def ees_series(rel: str, column: str, la_number: str, **filters: str) -> dict[int, float | None]:
    """{end year: value} for one LA from an EES file (202425 → 2025)."""
    out: dict[int, float | None] = {}
    for row in rows(rel):
        if row["geographic_level"] != "Local authority" or row["old_la_code"] != la_number:
            continue
        if any(row[k] != v for k, v in filters.items()):
            continue
        period = row["time_period"]
        year = int(period[:4]) + 1 if len(period) == 6 else int(period)
        out[year] = number(row[column])
    return out


def ees_level(
    rel: str, column: str, level: str, year: int, region: str | None = None, **filters: str
) -> float | None:
    for row in rows(rel):
        period = row["time_period"]
        y = int(period[:4]) + 1 if len(period) == 6 else int(period)
        wanted = (row["geographic_level"], y) == (level, year) and region in (None, row["region_code"])
        if wanted and all(row[k] == v for k, v in filters.items()):
            return number(row[column])
    raise AssertionError(f"no {level} row for {year} in {rel}")


def lait_series(column: str, la_number: str) -> dict[int, float | None]:
    return {
        int(row["years"]): number(row[column])
        for row in rows("lait/lait_sen_indicators_by_la_wide.csv")
        if row["la_number"] == la_number and row["years"].isdigit()
    }


def history(pack: dict[str, Any], code: str) -> dict[int, float | None]:
    return {p["year"]: p["value"] for p in entry(pack, code)["history"]}


@pytest.mark.parametrize("ons_code", list(SAMPLE_AREAS))
def test_pupils_with_ehc_plan_and_sen_support_equal_lait(packs: dict[str, Any], ons_code: str) -> None:
    number_ = SAMPLE_AREAS[ons_code]
    for code, column in (("ehcp_pct_pupils", "SEN_TotStat"), ("sen_support_pct_pupils", "SEN_TotSENSuP")):
        expected = lait_series(column, number_)
        assert expected, column
        got = history(packs[ons_code], code)
        assert {y: v for y, v in expected.items() if v is not None} == {
            y: v for y, v in got.items() if v is not None
        }


@pytest.mark.parametrize("ons_code", list(SAMPLE_AREAS))
def test_twenty_week_timeliness_equals_both_releases(packs: dict[str, Any], ons_code: str) -> None:
    number_ = SAMPLE_AREAS[ons_code]
    new = ees_series(
        "sen2_ehcp_2025_release/timeliness_20_week_headline.csv", "pc_plans_issued_within_20_weeks", number_
    )
    old = ees_series("sen2_ehcp_2023_release/sen2_mi.csv", "inc_exc_20week_rate", number_)
    got = history(packs[ons_code], "new_plans_20wk_incl_exc_pct")
    for year, value in new.items():
        assert got[year] == value, year
    for year in range(2014, 2019):
        if old.get(year) is not None:
            assert got[year] == old[year], year


@pytest.mark.parametrize("ons_code", list(SAMPLE_AREAS))
def test_caseload_and_new_plans_equal_the_2025_release(packs: dict[str, Any], ons_code: str) -> None:
    number_ = SAMPLE_AREAS[ons_code]
    caseload = ees_series("sen2_ehcp_2025_release/caseload_headline.csv", "ehcplans", number_)
    assert history(packs[ons_code], "ehcp_caseload") | caseload == history(packs[ons_code], "ehcp_caseload")
    new = ees_series("sen2_ehcp_2025_release/newplans_headline.csv", "new_ehc_plans", number_)
    got = history(packs[ons_code], "new_ehc_plans")
    assert all(got[y] == v for y, v in new.items())
    latest = entry(packs[ons_code], "ehcp_caseload")
    assert latest["period"] == "2024/25" and latest["value"] == caseload[2025]


def test_caseload_growth_is_calculated_from_the_caseload(packs: dict[str, Any]) -> None:
    caseload = ees_series("sen2_ehcp_2025_release/caseload_headline.csv", "ehcplans", "881")
    growth = entry(packs[ESSEX], "ehcp_caseload_growth_pct")
    now, before = caseload[2025], caseload[2024]
    assert now is not None and before is not None
    assert growth["value"] == pytest.approx((now / before - 1) * 100, abs=1e-6)


@pytest.mark.parametrize("ons_code", list(SAMPLE_AREAS))
def test_england_and_region_come_from_the_published_rows(packs: dict[str, Any], ons_code: str) -> None:
    e = entry(packs[ons_code], "new_plans_20wk_incl_exc_pct")
    rel = "sen2_ehcp_2025_release/timeliness_20_week_headline.csv"
    assert e["england"] == ees_level(rel, "pc_plans_issued_within_20_weeks", "National", e["year"])
    assert e["region"] == ees_level(
        rel, "pc_plans_issued_within_20_weeks", "Regional", e["year"], REGION_OF[ons_code]
    )


def tribunal_rate(la_number: str) -> dict[int, float | None]:
    with (RAW_DIR / "sen2_ehcp_2025_release/send_tribunals_appeal_rate_2014_2024.csv").open(
        newline="", encoding="utf-8-sig"
    ) as handle:
        table = list(csv.reader(handle))
    years, measures = table[3], table[4]
    columns: dict[int, int] = {}
    year = None
    for index, cell in enumerate(years):
        if cell.strip().isdigit():
            year = int(cell)
        if year and measures[index].startswith("SEND Tribunal Appeal Rate"):
            columns[year] = index
    row = next(r for r in table if len(r) > 1 and r[1].strip() == la_number)
    out: dict[int, float | None] = {}
    for y, index in columns.items():
        text = row[index].strip()
        out[y] = float(text.rstrip("%")) if text.endswith("%") else None
    return out


@pytest.mark.parametrize("ons_code", list(SAMPLE_AREAS))
def test_tribunal_appeal_rate_equals_the_moj_table(packs: dict[str, Any], ons_code: str) -> None:
    expected = tribunal_rate(SAMPLE_AREAS[ons_code])
    got = history(packs[ons_code], "tribunal_appeal_rate")
    for year, value in expected.items():
        if value is not None:
            assert got[year] == value, year
    assert entry(packs[ons_code], "tribunal_appeal_rate")["period"] == "2024"


def test_tribunal_england_row_is_the_england_total(packs: dict[str, Any]) -> None:
    assert entry(packs[ESSEX], "tribunal_appeal_rate")["england"] == 3.2  # "England Total", 2024: 3.20%


@pytest.mark.parametrize("ons_code", list(SAMPLE_AREAS))
def test_designated_officer_flag_equals_the_answers(packs: dict[str, Any], ons_code: str) -> None:
    number_ = SAMPLE_AREAS[ons_code]
    answers = {
        int(r["time_period"]): (r["des_med_off"], r["des_clin_off"])
        for r in rows("sen2_ehcp_2025_release/sen2_dmo_dco.csv")
        if r["old_la_code"] == number_
    }
    got = history(packs[ons_code], "dmo_or_dco_in_place")
    for year, (dmo, dco) in answers.items():
        assert got[year] == (1.0 if "Yes" in (dmo, dco) else 0.0), year


@pytest.mark.parametrize("ons_code", list(SAMPLE_AREAS))
def test_primary_need_equals_the_needs_file(packs: dict[str, Any], ons_code: str) -> None:
    row = next(
        r
        for r in rows("sen2_ehcp_2025_release/sen_needs_all_plans_headline.csv")
        if r["old_la_code"] == SAMPLE_AREAS[ons_code]
    )
    for code, column in (
        ("need_asd_pct", "asd_pc"),
        ("need_semh_pct", "semh_pc"),
        ("need_slcn_pct", "slcn_pc"),
    ):
        assert entry(packs[ons_code], code)["value"] == float(row[column])


def test_barnsley_figures_come_from_rows_under_its_old_code(packs: dict[str, Any]) -> None:
    source = rows("sen2_ehcp_2025_release/caseload_headline.csv")
    barnsley = [r for r in source if r["la_name"] == "Barnsley"]
    assert {r["new_la_code"] for r in barnsley} == {"E08000016"}
    got = history(packs[BARNSLEY], "ehcp_caseload")
    assert got[2025] == float(next(r["ehcplans"] for r in barnsley if r["time_period"] == "202425"))


def test_raw_files_are_exactly_the_manifest() -> None:
    import hashlib

    with (RAW_DIR / "MANIFEST.csv").open(newline="", encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    assert manifest
    for item in manifest:
        data = Path(RAW_DIR / item["path"]).read_bytes()
        assert len(data) == int(item["bytes"]), item["path"]
        assert hashlib.sha256(data).hexdigest() == item["sha256"], item["path"]
    total = sum(p.stat().st_size for p in RAW_DIR.rglob("*") if p.is_file())
    assert total < 15_000_000
