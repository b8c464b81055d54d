from __future__ import annotations

from typing import Any

from areasend.areas.page_sections import register
from areasend.core.permissions import has_permission

from .selectors import inspections_visible_to


@register(order=5)
def area_inspections(request: Any, area: Any) -> dict[str, Any] | None:
    if not has_permission(request.user, "inspections.view"):
        return None
    from .frameworks import framework_of  # the framework schema loads with the page, not at start-up
    from .presentation import label_of

    inspections = inspections_visible_to(request.user).filter(area=area).select_related("framework")
    return {
        "id": "inspections",
        "title": "Inspections in areasend",
        "template": "inspections/area_inspections.html",
        "context": {
            "inspections": [
                {"inspection": i, "state": label_of(framework_of(i), i.state)} for i in inspections
            ],
            "area": area,
        },
    }
