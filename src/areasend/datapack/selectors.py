"""Reads for the data pack. Scope (which areas a user sees) comes from the areas selectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from areasend.areas.models import LocalArea

from .models import LineOfEnquiry


def pack_for_area(
    *, area: LocalArea, period: str | None = None, previous_weaknesses: Sequence[str] = ()
) -> dict[str, Any]:
    """The data pack for an area the caller has already scoped (raises PeriodError for a bad period)."""
    from areasend.analytics.pack import default_builder

    return default_builder().pack(area.ons_code, period or None, previous_weaknesses)


def lines_for_area(*, area: LocalArea) -> QuerySet[LineOfEnquiry]:
    """Every stored line of enquiry for the area, proposed ones first."""
    order = {
        LineOfEnquiry.PROPOSED: 0,
        LineOfEnquiry.ACCEPTED: 1,
        LineOfEnquiry.EDITED: 1,
        LineOfEnquiry.REJECTED: 2,
    }
    lines = LineOfEnquiry.objects.filter(area=area).select_related("area")
    return sorted(lines, key=lambda line: (order[line.status], line.criterion, line.pk))  # type: ignore[return-value]


def accepted_lines_for_area(area: LocalArea) -> QuerySet[LineOfEnquiry]:
    """Accepted (or accepted and edited) lines of enquiry: what the inspection page shows."""
    return LineOfEnquiry.objects.filter(
        area=area, status__in=[LineOfEnquiry.ACCEPTED, LineOfEnquiry.EDITED]
    ).order_by("criterion", "id")


def line_get(*, area: LocalArea, line_id: int) -> LineOfEnquiry | None:
    return LineOfEnquiry.objects.filter(area=area, pk=line_id).first()
