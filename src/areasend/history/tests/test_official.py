"""The national figures held against Ofsted's own published counts (data/official_figures.yaml), and
areasend's corrections of the scraped record that let them agree (data/history_corrections.yaml)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from areasend.conftest import check_page, signed_in
from areasend.domain.intake import IntakeError
from areasend.history.corrections import (
    CORRECTIONS_FILE,
    MSG_BAD_DATE,
    MSG_BAD_FIELD,
    MSG_BAD_OUTCOME,
    MSG_NO_ROW,
    read_corrections,
)
from areasend.history.models import PublishedInspection
from areasend.history.official import (
    MSG_PARTS,
    MSG_SINCE,
    OFFICIAL_FILE,
    OfficialFiguresError,
    load_official_counts,
    official_comparisons,
)
from areasend.history.reference_data import DATA_DIR, SCRAPED_2023_FILE, read_history
from areasend.history.services import history_import

OFFICIAL_YEARS = {(date(2023, 1, 1), date(2023, 12, 31)), (date(2024, 1, 1), date(2024, 12, 31))}


@pytest.mark.django_db
def test_counted_by_inspection_date_the_history_reproduces_every_official_count() -> None:
    comparisons = official_comparisons()
    assert len(comparisons) == len(load_official_counts())  # every release compared, none dropped
    # the acceptance: Ofsted's official 2023-framework outcome counts for 2023 and for 2024
    assert {(c.official.since, c.official.until) for c in comparisons} >= OFFICIAL_YEARS
    for comparison in comparisons:
        assert comparison.agrees, [
            (p.label, p.official, p.counted) for p in (*comparison.parts, comparison.total) if not p.agrees
        ]
        assert comparison.total.counted == comparison.official.total > 0


@pytest.mark.django_db
def test_without_the_corrections_the_2024_count_falls_short() -> None:
    # the scraped file leaves North Yorkshire and Derbyshire (both inspected in 2024) undated
    undated = PublishedInspection.objects.filter(framework_id="area-send-2023", kind="full", started_on=None)
    assert not undated.exists()
    corrected = PublishedInspection.objects.exclude(corrected={})
    assert corrected.count() == len(read_corrections(DATA_DIR / CORRECTIONS_FILE, []))
    north_yorkshire = corrected.get(area__ons_code="E06000065")
    assert north_yorkshire.started_on == date(2024, 4, 29)
    assert north_yorkshire.corrected["confidence"] == "high"
    assert north_yorkshire.corrected["fields"] == ["started_on", "ended_on"]


def test_the_reader_applies_corrections_only_where_the_directory_has_them(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    (tmp_path / "data" / CORRECTIONS_FILE).unlink()
    numbers = {"815": "E06000065", "830": "E10000007", "873": "E10000003", "871": "E06000039"}
    names = {code: "" for code in numbers.values()}
    rows, _ = read_history(tmp_path / "data", numbers, names)
    north = next(r for r in rows if r.area_code == "E06000065" and r.framework_id == "area-send-2023")
    assert north.started_on is None and north.corrected == {}
    rows, _ = read_history(DATA_DIR, numbers, names)
    north = next(r for r in rows if r.area_code == "E06000065" and r.framework_id == "area-send-2023")
    assert north.started_on == date(2024, 4, 29) and north.source_key.endswith("2024-09-25")


def _write_corrections(directory: Path, corrections: list[dict[str, Any]]) -> None:
    (directory / CORRECTIONS_FILE).write_text(yaml.safe_dump({"corrections": corrections}), encoding="utf-8")


GOOD = {
    "file": SCRAPED_2023_FILE,
    "area": "E06000065",
    "published_on": "2024-09-25",
    "set": {"started_on": "2024-04-29"},
    "source": "the report",
    "confidence": "high",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"published_on": "2024-09-26"},
            MSG_NO_ROW.format(n=1, area="E06000065", date="2024-09-26", file=SCRAPED_2023_FILE),
        ),
        (
            {"set": {"region": "North"}},
            MSG_BAD_FIELD.format(n=1, field="region", known="started_on, ended_on, outcome"),
        ),
        (
            {"set": {"started_on": "29/04/2024"}},
            MSG_BAD_DATE.format(n=1, field="started_on", value="29/04/2024"),
        ),
        ({"set": {"outcome": 4}}, MSG_BAD_OUTCOME.format(n=1, value=4)),
    ],
)
def test_a_bad_correction_stops_the_import_and_changes_nothing(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    _write_corrections(target, [{**GOOD, **change}])
    before = list(PublishedInspection.objects.order_by("pk").values_list("pk", "started_on", "corrected"))
    with pytest.raises(IntakeError) as caught:
        history_import(directory=target)
    assert f"{CORRECTIONS_FILE}: {message}" in str(caught.value)
    after = list(PublishedInspection.objects.order_by("pk").values_list("pk", "started_on", "corrected"))
    assert after == before


def _official_file(tmp_path: Path, change: dict[str, Any]) -> Path:
    data = yaml.safe_load(OFFICIAL_FILE.read_text(encoding="utf-8"))
    data["releases"][0].update(change)
    path = tmp_path / "official.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parts": {1: 5, 2: 6, 3: 6}}, MSG_PARTS.format(n=1, sum=17, total=16)),
        ({"since": date(2023, 2, 1)}, MSG_SINCE.format(n=1, value=date(2023, 2, 1))),
    ],
)
def test_a_bad_official_figures_file_is_refused_with_where_and_why(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(OfficialFiguresError) as caught:
        load_official_counts(_official_file(tmp_path, change))
    assert str(caught.value) == f"official.yaml: {message}"


@pytest.mark.django_db
def test_a_differing_official_count_is_shown_as_differing(tmp_path: Path) -> None:
    path = _official_file(tmp_path, {"total": 17, "parts": {1: 6, 2: 6, 3: 5}})
    first = official_comparisons(path)[0]
    assert not first.agrees
    assert next((p.official, p.counted, p.agrees) for p in first.parts) == (6, 5, False)


@pytest.mark.django_db
def test_the_national_page_sets_each_official_count_beside_the_record(page_client: Any, viewer: Any) -> None:
    page = check_page(signed_in(page_client, viewer).get("/national/?framework=area-send-2023"))
    assert page.text("#section-official") == "Compared with Ofsted's official statistics"
    tables = page.select("table[id^=official-]")
    assert len(tables) == len(load_official_counts())
    other = check_page(page_client.get("/national/?framework=local-area-send-2016"))
    assert not other.exists("#section-official")  # the 2016 framework has no official count here
    for table in tables:
        results = [row[-1] for row in page.rows(f"#{table.attributes['id']}")]
        assert results and set(results) == {"Agrees"}


@pytest.mark.django_db
def test_the_area_history_says_what_was_corrected_and_from_what(page_client: Any, viewer: Any) -> None:
    page = check_page(signed_in(page_client, viewer).get("/areas/E10000007/"))
    row = next(r for r in page.rows("#history-table") if "Published 14 November 2024" in r[1])
    assert "Started 23 September 2024" in row[1]
    assert (
        "Corrected" in row[2]
        and "Start date and end date corrected by areasend from: Derbyshire Times" in row[2]
    )
    assert "Confidence: low." in row[2] and "areasend's estimate" in row[2]


@pytest.mark.django_db
def test_the_api_gives_each_official_count_beside_the_record(page_client: Any, viewer: Any) -> None:
    from areasend.conftest import api_headers

    body = page_client.get("/api/national?count_by=published", headers=api_headers(viewer)).json()
    official = body["official"]
    assert len(official) == len(load_official_counts())
    for item in official:
        assert item["agrees"] and item["official"] == item["counted"] and item["count_by"] == "inspected"
    narrowed = page_client.get("/api/national?framework=local-area-send-2016", headers=api_headers(viewer))
    assert narrowed.json()["official"] == []
