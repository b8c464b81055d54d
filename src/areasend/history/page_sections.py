from __future__ import annotations

from typing import Any

from areasend.areas.page_sections import register

from .presentation import history_table
from .selectors import history_rows_for_area


@register(order=10)
def inspection_history(request: Any, area: Any) -> dict[str, Any]:
    return {
        "id": "inspection-history",
        "title": "Inspection history",
        "template": "history/area_history.html",
        "context": {"table": history_table(history_rows_for_area(area=area), area)},
    }
