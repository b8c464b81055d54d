"""The 'Lines of enquiry' section of the area page: accepted lines and a link to the data pack."""

from __future__ import annotations

from typing import Any

from areasend.areas.page_sections import register
from areasend.core.permissions import has_permission

from .selectors import accepted_lines_for_area


@register(order=20)
def lines_of_enquiry(request: Any, area: Any) -> dict[str, Any] | None:
    if not getattr(area, "is_live", False) or not has_permission(request.user, "datapack.view"):
        return None
    return {
        "id": "lines-of-enquiry",
        "title": "Lines of enquiry",
        "template": "datapack/_area_section.html",
        "context": {"area": area, "lines": list(accepted_lines_for_area(area))},
    }
