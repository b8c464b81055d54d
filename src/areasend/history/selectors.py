"""Reads for inspection history: an area's history and national figures as of a date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from areasend.areas.models import LocalArea

from .models import FRAMEWORK_2016, FRAMEWORK_2023, PublishedInspection


def history_for_area(*, area: LocalArea) -> list[PublishedInspection]:
    return list(PublishedInspection.objects.filter(area=area).order_by("started_on", "published_on", "kind"))


def _started_by(as_of: date) -> Q:
    """Started on or before the date; where the start is unknown, published on or before it."""
    return Q(started_on__lte=as_of) | Q(started_on__isnull=True, published_on__lte=as_of)


def national_stats(*, as_of: date) -> dict[str, Any]:
    """National figures counted from stored history as of a date (inclusive)."""
    rows = PublishedInspection.objects.all()
    full = rows.filter(kind=PublishedInspection.FULL)
    started_full = full.filter(_started_by(as_of))
    published_full = full.filter(published_on__lte=as_of)
    revisits = rows.filter(kind=PublishedInspection.REVISIT)
    revisits_published = revisits.filter(published_on__lte=as_of)
    outcomes_2023 = published_full.filter(framework_id=FRAMEWORK_2023)

    latest: dict[int, PublishedInspection] = {}
    for row in published_full.order_by("published_on"):
        latest[row.area_id] = row
    horizon = _one_year_after(as_of)
    due = [r for r in latest.values() if r.next_inspection_by and as_of < r.next_inspection_by <= horizon]

    return {
        "as_of": as_of.isoformat(),
        "areas_inspected": started_full.values("area").distinct().count(),
        "inspections_started": started_full.count(),
        "reports_published": published_full.count(),
        "wsoa_required": published_full.filter(framework_id=FRAMEWORK_2016, wsoa_required=True).count(),
        "revisits": revisits.filter(_started_by(as_of)).count(),
        "revisit_results": {
            result: revisits_published.filter(revisit_result=result).count()
            for result in (PublishedInspection.ALL, PublishedInspection.SOME, PublishedInspection.NONE)
        },
        "outcomes_2023": {str(n): outcomes_2023.filter(outcome=n).count() for n in (1, 2, 3)},
        "outcomes_2023_unknown": outcomes_2023.filter(outcome__isnull=True).count(),
        "next_inspections_due": len(due),
        "scraped_rows_counted": rows.filter(reliability=PublishedInspection.SCRAPED)
        .filter(_started_by(as_of))
        .count(),
    }


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day + timedelta(days=365)
