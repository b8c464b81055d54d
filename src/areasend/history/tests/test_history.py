from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from areasend.conftest import check_page, signed_in
from areasend.domain.intake import IntakeError
from areasend.history.models import PublishedInspection
from areasend.history.reference_data import DATA_DIR, OFFICIAL_2016_FILE, SCRAPED_2023_FILE
from areasend.history.selectors import national_stats
from areasend.history.services import history_import


@pytest.mark.django_db
def test_stats_as_of_march_2020_match_ofsteds_2020_evaluation() -> None:
    # The evaluation (July 2020) reports 117 areas inspected and 21 revisited. The official file
    # omits Dorset and Northamptonshire (reorganised), both inspected in 2017.
    stats = national_stats(as_of=date(2020, 3, 31))
    assert stats["areas_inspected"] == 117 - 2
    assert stats["revisits"] == 21


@pytest.mark.django_db
def test_stats_at_the_end_of_the_2016_framework_match_the_official_file() -> None:
    stats = national_stats(as_of=date(2022, 12, 31))
    with (DATA_DIR / OFFICIAL_2016_FILE).open() as handle:
        rows = list(csv.DictReader(handle))
    assert stats["areas_inspected"] == len(rows) == 149
    assert stats["wsoa_required"] == sum(r["wsoa_required"] == "Yes" for r in rows) == 82
    results = stats["revisit_results"]
    assert (results["all"], results["some"], results["none"]) == (20, 24, 2)
    assert stats["outcomes_2023"] == {"1": 0, "2": 0, "3": 0}


@pytest.mark.django_db
def test_stats_for_the_2023_framework_count_each_outcome() -> None:
    stats = national_stats(as_of=date(2025, 11, 30))
    # the scraped file's 15/36/20, and Slough's outcome 3 that did not parse (history_corrections.yaml)
    assert stats["outcomes_2023"] == {"1": 15, "2": 36, "3": 21}
    assert stats["outcomes_2023_unknown"] == 0
    assert stats["scraped_rows_counted"] > 0


@pytest.mark.django_db
def test_next_inspections_due_counts_the_following_twelve_months() -> None:
    as_of = date(2027, 1, 1)
    expected = (
        PublishedInspection.objects.filter(
            kind="full", next_inspection_by__gt=as_of, next_inspection_by__lte=date(2028, 1, 1)
        )
        .values("area")
        .distinct()
        .count()
    )
    assert national_stats(as_of=as_of)["next_inspections_due"] == expected > 0


@pytest.mark.django_db
def test_revisits_follow_their_inspection() -> None:
    revisit = PublishedInspection.objects.get(kind="revisit", area__ons_code="E06000047")  # County Durham
    assert revisit.follows is not None
    assert revisit.follows.outcome_key == "wsoa_required"
    assert revisit.follows.documents_required == ["wsoa"]
    assert revisit.started_on is not None and revisit.follows.started_on is not None
    assert revisit.started_on > revisit.follows.started_on


@pytest.mark.django_db
def test_second_import_changes_nothing() -> None:
    before = PublishedInspection.objects.count()
    report = history_import()
    assert not report.changed
    assert PublishedInspection.objects.count() == before == 267


@pytest.mark.django_db
def test_stats_command_prints_json(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("stats", "--as-of", "2020-03-31", "--format", "json")
    stats = json.loads(capsys.readouterr().out)
    assert {
        "areas_inspected",
        "reports_published",
        "wsoa_required",
        "revisits",
        "revisit_results",
        "outcomes_2023",
        "next_inspections_due",
    } <= set(stats)
    with pytest.raises(CommandError, match="--as-of must be a date in the form YYYY-MM-DD, not '31/03/2020'"):
        call_command("stats", "--as-of", "31/03/2020")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "old", "new", "message"),
    [
        (
            OFFICIAL_2016_FILE,
            ",27/03/2017,",
            ",2017-03-27,",
            "line 2, column inspection_start_date: '2017-03-27' is not a date in the form DD/MM/YYYY",
        ),
        (
            OFFICIAL_2016_FILE,
            "E09000002,",
            "E99000002,",
            "line 2, column la_code: 'E99000002' is not an area in the register",
        ),
        (
            OFFICIAL_2016_FILE,
            ",No,,,,,",
            ",Maybe,,,,,",
            "line 2, column wsoa_required: 'Maybe' is not Yes or No",
        ),
        (
            SCRAPED_2023_FILE,
            ",1.0,",
            ",4.0,",
            "line 2, column outcome_grade: '4.0' is not an outcome (1, 2 or 3)",
        ),
    ],
)
def test_bad_history_file_changes_nothing(tmp_path: Path, filename, old, new, message) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    path = target / filename
    lines = path.read_text().splitlines()
    assert old in lines[1]
    lines[1] = lines[1].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n")
    PublishedInspection.objects.filter(area__ons_code="E10000012").update(outcome_text="kept")
    before = list(PublishedInspection.objects.order_by("pk").values_list("pk", "outcome_text"))
    with pytest.raises(IntakeError) as caught:
        history_import(directory=target)
    assert f"{filename}, {message}" in str(caught.value)
    assert list(PublishedInspection.objects.order_by("pk").values_list("pk", "outcome_text")) == before


@pytest.mark.django_db
def test_area_page_shows_history(page_client, viewer) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, viewer)
    page = check_page(page_client.get("/areas/E10000012/"))
    assert page.texts("#history-table thead th") == ["Inspection", "Dates", "Outcome"]
    rows = page.rows("#history-table")
    first = next(row for row in rows if "Started 30 September 2019" in row[1])
    assert "Published 23 December 2019" in first[1]  # held by the general election
    assert first[0] == "Full inspection Local area SEND inspection (2016)"  # the file's short title
    assert "Written statement of action required" in first[2]
