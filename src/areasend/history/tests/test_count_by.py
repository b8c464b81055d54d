"""National figures counted by the date of publication or of inspection, and reorganised areas
counted as their successors (areas/data/area_successors.csv), over the shipped history import."""

from __future__ import annotations

import csv
import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from areasend.areas.models import LIVE, LocalArea
from areasend.areas.successors import NOT_ONE_COUNTED, SUCCESSORS_FILE, counted_successors, read_successors
from areasend.conftest import api_headers, check_page, signed_in
from areasend.history.figures import DATED_BY, INSPECTION, PUBLICATION, national_figures, national_stats
from areasend.history.forms import CHOOSE_COUNT_BY
from areasend.history.management.commands.stats import BAD_COUNT_BY
from areasend.history.models import PublishedInspection
from areasend.history.official import load_official_counts

PAGE = "/national/"
API = "/api/national"
TODAY = date.today()


def _stats(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--format", "json", *args, stdout=out)
    printed: dict[str, Any] = json.loads(out.getvalue())
    return printed


def _figure(figures: list[Any], key: str) -> Any:
    return next(f for f in figures if f.key == key and f.in_stats)


def _years(figure: Any) -> dict[str, Any]:
    return {p.label: p.value for p in figure.periods}


# -- reorganised areas -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count_by", ["published", "inspected"])
def test_areas_inspected_never_exceed_the_registers_current_areas(count_by: str) -> None:
    live = LocalArea.objects.filter(status=LIVE).count()
    assert live == 153
    stats = national_stats(as_of=TODAY, count_by=count_by)
    assert 0 < stats["areas_inspected"] <= live
    # the six old codes the history is recorded against count as their successors, not as more areas
    old = set(
        PublishedInspection.objects.filter(kind="full")
        .exclude(area__status=LIVE)
        .values_list("area__ons_code", flat=True)
    )
    assert old == {"E08000016", "E08000019", "E10000002", "E10000006", "E10000023", "E10000027"}
    counted = {
        counted_successors().get(code, code)
        for code in PublishedInspection.objects.filter(kind="full").values_list("area__ons_code", flat=True)
    }
    # every current area has had a full inspection under its own code or a former one; before the
    # mapping the six old codes made it 156, more areas than exist
    assert stats["areas_inspected"] == len(counted) == live
    assert LocalArea.objects.filter(ons_code__in=counted, status=LIVE).count() == len(counted)


@pytest.mark.django_db
def test_every_former_area_maps_to_current_areas_of_the_register() -> None:
    areas = {a.ons_code: a for a in LocalArea.objects.all()}
    with SUCCESSORS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        former, successor = areas[row["former_code"]], areas[row["successor_code"]]
        assert not former.is_live and successor.is_live, row
        assert former.terminated_on is not None and successor.operational_from is not None
        assert (successor.operational_from - former.terminated_on).days == 1, row
        assert row["evidence"]
    cumbria = [r["successor_name"] for r in rows if r["former_code"] == "E10000006"]
    assert cumbria == ["Cumberland", "Westmorland and Furness"]  # a split has more than one successor
    assert counted_successors()["E10000006"] == "E06000063"  # counted once, as the larger part


def test_a_former_area_counted_for_two_successors_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "successors.csv"
    bad.write_text(
        "former_code,former_name,successor_code,successor_name,change,counts_inspections,evidence\n"
        "E10000006,Cumbria,E06000063,Cumberland,split,yes,x\n"
        "E10000006,Cumbria,E06000064,Westmorland and Furness,split,yes,x\n"
    )
    with pytest.raises(ValueError) as raised:
        read_successors(bad)
    assert str(raised.value) == NOT_ONE_COUNTED.format(code="E10000006", n=2)


# -- by the date of inspection or of publication ------------------------------------------------------


@pytest.mark.django_db
def test_an_inspection_on_site_in_december_published_in_january_moves_year() -> None:
    area = LocalArea.objects.get(ons_code="E10000012")
    PublishedInspection.objects.create(
        area=area,
        framework_id="area-send-2023",
        kind="full",
        started_on=date(2023, 12, 4),
        ended_on=date(2023, 12, 8),
        published_on=date(2024, 2, 1),
        outcome_key="widespread_systemic_failings",
        source="test",
        source_key="december",
        reliability=PublishedInspection.OFFICIAL,
    )
    before = {
        c: _years(_figure(national_figures(as_of=TODAY, count_by=c), "outcomes_2023"))
        for c in ("published", "inspected")
    }
    PublishedInspection.objects.filter(source="test").delete()
    after = {
        c: _years(_figure(national_figures(as_of=TODAY, count_by=c), "outcomes_2023"))
        for c in ("published", "inspected")
    }
    assert before["published"]["2024"]["3"] == after["published"]["2024"]["3"] + 1
    assert before["published"]["2023"] == after["published"]["2023"]
    assert before["inspected"]["2023"]["3"] == after["inspected"]["2023"]["3"] + 1
    assert before["inspected"]["2024"] == after["inspected"]["2024"]


@pytest.mark.django_db
def test_an_inspection_with_no_inspection_date_is_counted_as_unknown() -> None:
    figures = national_figures(as_of=TODAY, count_by="inspected")
    outcomes = _figure(figures, "outcomes_2023")
    assert outcomes.dated_by == INSPECTION
    assert "Inspection date not recorded" in DATED_BY[INSPECTION]
    undated = PublishedInspection.objects.filter(
        framework_id="area-send-2023", kind="full", started_on=None, ended_on=None
    ).count()
    years = _years(outcomes)
    if undated:
        assert sum(years["Inspection date not recorded"].values()) == undated
    dated_total = sum(sum(v.values()) for k, v in years.items())
    assert dated_total == sum(outcomes.total.values())  # every report is in one period, none lost
    published = _figure(national_figures(as_of=TODAY), "outcomes_2023")
    assert published.dated_by == PUBLICATION and published.total == outcomes.total
    for figure in figures:
        if figure.dated_by == INSPECTION:
            assert "published by the date" not in figure.counts, figure.key
            assert "started by the date" not in figure.counts, figure.key


@pytest.mark.django_db
def test_the_default_is_by_publication_and_the_outcomes_by_inspection_year_are_known() -> None:
    assert _stats() == _stats("--count-by", "published")
    by_year = _years(
        _figure(national_figures(as_of=date(2025, 11, 30), count_by="inspected"), "outcomes_2023")
    )
    # the record's counts by inspection year are Ofsted's official ones (test_official.py)
    official = {o.since.year: o.parts for o in load_official_counts() if o.since.year == o.until.year}
    assert by_year["2023"] == official[2023] and by_year["2024"] == official[2024]
    assert "Inspection date not recorded" not in by_year  # every 2023-framework row is dated


@pytest.mark.django_db
def test_a_bad_count_by_is_refused_by_the_command_the_page_and_the_api(page_client: Any, viewer: Any) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("stats", "--count-by", "started", stdout=StringIO())
    assert str(raised.value) == BAD_COUNT_BY.format(value="started")
    assert raised.value.returncode == 2

    client = signed_in(page_client, viewer)
    response = client.get(PAGE + "?count_by=started")
    assert response.status_code == 400
    page = check_page(response)
    assert page.texts(".govuk-error-summary__list a") == [CHOOSE_COUNT_BY]
    assert CHOOSE_COUNT_BY in page.text("#id_count_by-error")
    assert not page.exists("main table")

    api = page_client.get(API + "?count_by=started", headers=api_headers(viewer))
    assert api.status_code == 400
    assert api.json() == {"detail": CHOOSE_COUNT_BY}


@pytest.mark.django_db
@pytest.mark.parametrize("count_by", ["published", "inspected"])
def test_the_page_the_api_and_the_command_agree_for_both_counts(
    page_client: Any, viewer: Any, count_by: str
) -> None:
    printed = _stats("--as-of", "2024-12-31", "--count-by", count_by)
    body = page_client.get(f"{API}?to_year=2024&count_by={count_by}", headers=api_headers(viewer)).json()
    assert body["stats"] == printed and body["count_by"] == count_by
    page = check_page(signed_in(page_client, viewer).get(f"{PAGE}?to_year=2024&count_by={count_by}"))
    table = page.select_one("table[data-figure=areas_inspected]")
    assert int(page_text_last_cell(table)) == printed["areas_inspected"]
    heading = "Year of inspection" if count_by == "inspected" else "Year of publication"
    outcomes = [t for t in page.select("table[data-figure=outcomes_2023]")]
    assert outcomes and outcomes[0].css("thead th")[0].text(strip=True) == heading
    facts = page.text("main")
    assert (DATED_BY[INSPECTION] in facts) == (count_by == "inspected")


def page_text_last_cell(table: Any) -> str:
    return str(table.css("tbody tr")[-1].css("td")[0].text(strip=True)).replace(",", "")
