"""Pages that show deadlines say which are estimates from the record, and from how many reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from areasend.areas.models import LocalArea
from areasend.conftest import PageClient, check_page, signed_in
from areasend.core.tests.page_checker import text_of
from areasend.domain.frameworks import shipped_frameworks
from areasend.domain.frameworks.schema_estimates import estimate_text
from areasend.inspections import services


def _estimated() -> dict[str, list[Any]]:
    return {
        fw.id: [d for d in fw.deadlines if d.estimate is not None] for fw in shipped_frameworks().values()
    }


def test_the_estimate_says_how_many_reports_which_years_and_which_percentile() -> None:
    found = _estimated()
    assert all(found.values()), "every shipped framework has an estimated publication deadline"
    for deadlines in found.values():
        for deadline in deadlines:
            text = estimate_text(deadline)
            estimate = deadline.estimate
            assert text.startswith(f"Estimate from {estimate.sample_size} real reports, ")
            assert f"{estimate.record_from.year}-{estimate.record_to.year}" in text
            assert f"before it: {estimate.stated_value} working days" in text
    rule = next(d for fw in shipped_frameworks().values() for d in fw.deadlines if d.estimate is None)
    assert estimate_text(rule) == ""


@pytest.mark.django_db
def test_the_framework_page_labels_each_estimated_deadline(frameworks: Any, team: Any) -> None:
    client = signed_in(PageClient(), team["viewer"])
    for framework_id, deadlines in _estimated().items():
        page = check_page(client.get(reverse("frameworks:detail", args=[framework_id])))
        text = text_of(page.select("main")[0])
        for deadline in deadlines:
            assert estimate_text(deadline) in text
        assert text.count("Estimate from") == len(deadlines)


@pytest.mark.django_db
def test_the_inspection_timeline_labels_the_estimated_publication(frameworks: Any, team: Any) -> None:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["area-send-2023"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    framework = shipped_frameworks()["area-send-2023"]
    notified = framework.timetable.notification_event
    services.event_record(inspection=inspection, name=notified, on=dt.date(2025, 9, 8), actor=team["lead"])
    page = check_page(
        signed_in(PageClient(), team["lead"]).get(reverse("inspections:detail", args=[inspection.pk]))
    )
    estimated = {d.key: estimate_text(d) for d in framework.deadlines if d.estimate is not None}
    rows = page.select("#milestones tbody tr")
    labelled = {
        (row.attributes.get("id") or "").removeprefix("milestone-"): text_of(row)
        for row in rows
        if row.css(".app-estimate")
    }
    assert labelled and set(labelled) == set(estimated)
    for key, text in labelled.items():
        assert estimated[key] in text
