"""The data pack's parts of other pages: the 'Lines of enquiry' section of the area page (accepted
lines of each of the area's inspections the viewer may see) and the inspection page's lines. Those who
may read the data pack but not the lines inspectors keep (an area's partnership officers) get a link to
the data pack alone."""

from __future__ import annotations

from typing import Any

from areasend.areas.page_sections import register
from areasend.core.permissions import has_permission
from areasend.inspections.registry import page_section as inspection_section

from .selectors import accepted_lines, accepted_lines_for_area


@register(order=20)
def lines_of_enquiry(request: Any, area: Any) -> dict[str, Any] | None:
    if not getattr(area, "is_live", False) or not has_permission(request.user, "datapack.enquiries.view"):
        return None
    return {
        "id": "lines-of-enquiry",
        "title": "Lines of enquiry",
        "template": "datapack/_area_section.html",
        "context": {"area": area, "inspections": accepted_lines_for_area(user=request.user, area=area)},
    }


@inspection_section(order=10)
def inspection_lines_of_enquiry(request: Any, inspection: Any, framework: Any) -> dict[str, Any] | None:
    if not has_permission(request.user, "datapack.enquiries.view"):
        return None
    return {
        "id": "lines-of-enquiry",
        "title": "Lines of enquiry",
        "template": "datapack/inspection_lines_section.html",
        "context": {"lines": accepted_lines(inspection)},
    }


@register(order=21)
def data_pack_link(request: Any, area: Any) -> dict[str, Any] | None:
    if not getattr(area, "is_live", False) or has_permission(request.user, "datapack.enquiries.view"):
        return None  # those who see the lines of enquiry find the link beside them
    if not has_permission(request.user, "datapack.view"):
        return None
    return {
        "id": "data-pack",
        "title": "Pre-inspection data pack",
        "template": "datapack/_data_pack_link.html",
        "context": {"area": area},
    }
