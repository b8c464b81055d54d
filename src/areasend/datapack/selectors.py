"""Reads for the data pack. Scope: areas come from the areas selectors, inspections (and so their
lines of enquiry) from the inspections selectors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from areasend.areas.models import LocalArea
from areasend.frameworks.models import VocabularyTerm
from areasend.inspections.models import Inspection
from areasend.inspections.selectors import inspections_visible_to

from .models import LineOfEnquiry

STATUS_ORDER = {
    LineOfEnquiry.PROPOSED: 0,
    LineOfEnquiry.ACCEPTED: 1,
    LineOfEnquiry.EDITED: 1,
    LineOfEnquiry.REJECTED: 2,
}


def pack_for_area(
    *,
    area: LocalArea,
    period: str | None = None,
    previous_weaknesses: Sequence[str] = (),
    framework_id: str | None = None,
) -> dict[str, Any]:
    """The data pack for an area the caller has already scoped, its lines linked to the criteria of
    ``framework_id`` (the catalogue's first framework when None). Raises PeriodError for a bad period
    and CatalogueError for a framework the catalogue does not cover."""
    from areasend.analytics.pack import default_builder

    return default_builder().pack(area.ons_code, period or None, previous_weaknesses, framework_id)


def inspections_for_area(*, user: Any, area: LocalArea) -> list[Inspection]:
    """The area's inspections the user may see, the most recent first."""
    return list(
        inspections_visible_to(user)
        .filter(area=area)
        .select_related("framework")
        .order_by("-created_at", "-pk")
    )


def _version_id(line: LineOfEnquiry) -> int | None:
    """The framework version whose vocabulary the line's sector comes from."""
    if line.criterion is not None:
        return line.criterion.framework_version_id
    return line.inspection.framework_id if line.inspection is not None else None


def _with_labels(lines: Iterable[LineOfEnquiry]) -> list[LineOfEnquiry]:
    """The lines, each with its sector's label from its framework version (one query for all)."""
    found = list(lines)
    versions = {v for v in map(_version_id, found) if v is not None}
    labels: dict[tuple[int | None, str], str] = {
        (version, code): label
        for version, code, label in VocabularyTerm.objects.filter(
            framework_version__in=versions, vocabulary=VocabularyTerm.SECTOR
        ).values_list("framework_version_id", "code", "label")
    }
    for line in found:
        line.sector_label = labels.get((_version_id(line), line.sector), line.sector)
    return found


def _ordered(lines: Iterable[LineOfEnquiry]) -> list[LineOfEnquiry]:
    """Proposed first, then accepted, then rejected; within each, in the framework's criterion order."""
    return sorted(
        lines,
        key=lambda line: (STATUS_ORDER[line.status], line.criterion.order if line.criterion else -1, line.pk),
    )


def lines_for_inspection(*, inspection: Inspection) -> list[LineOfEnquiry]:
    """Every line of enquiry kept for the inspection, proposed ones first."""
    lines = LineOfEnquiry.objects.filter(inspection=inspection).select_related("criterion", "inspection")
    return _with_labels(_ordered(lines))


def area_level_lines(*, area: LocalArea) -> list[LineOfEnquiry]:
    """Lines kept for the area before lines belonged to inspections, that no inspection took over."""
    lines = LineOfEnquiry.objects.filter(area=area, inspection__isnull=True).select_related("criterion")
    return _with_labels(_ordered(lines))


def accepted_lines(inspection: Inspection) -> list[LineOfEnquiry]:
    """The inspection's accepted (or accepted and edited) lines of enquiry: what its page shows."""
    lines = LineOfEnquiry.objects.filter(
        inspection=inspection, status__in=[LineOfEnquiry.ACCEPTED, LineOfEnquiry.EDITED]
    ).select_related("criterion", "inspection")
    return _with_labels(
        sorted(lines, key=lambda line: (line.criterion.order if line.criterion else -1, line.pk))
    )


def accepted_lines_for_area(*, user: Any, area: LocalArea) -> list[tuple[Inspection, list[LineOfEnquiry]]]:
    """For the area page: each inspection of the area the user may see that has accepted lines, the
    most recent first, with those lines."""
    found = []
    for inspection in inspections_for_area(user=user, area=area):
        lines = accepted_lines(inspection)
        if lines:
            found.append((inspection, lines))
    return found


def line_get(*, user: Any, area: LocalArea, line_id: int) -> LineOfEnquiry | None:
    """A line of the area: area-level, or of an inspection the user may see (None otherwise)."""
    line = (
        LineOfEnquiry.objects.filter(area=area, pk=line_id).select_related("criterion", "inspection").first()
    )
    if line is None or line.inspection_id is None:
        return line
    return line if inspections_visible_to(user).filter(pk=line.inspection_id).exists() else None
