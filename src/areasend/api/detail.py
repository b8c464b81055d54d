"""The inspection's full detail: what the inspection app gives, with its follow-up plans and visits.

The API package is where the apps' routers meet, so it may use every app; the inspection app itself
never imports the apps that hang from it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from areasend.followup.api import PlanOut, VisitOut, plan_out, visit_out
from areasend.inspections.api import READ, InspectionDetailOut, detail, etag, inspection_for

router = Router(tags=["inspections"])


class InspectionFullOut(InspectionDetailOut):
    plans: list[PlanOut]
    visits: list[VisitOut]


@router.get("/inspections/{pk}", response=InspectionFullOut, auth=READ)
def get_inspection(request: HttpRequest, response: HttpResponse, pk: int) -> dict[str, Any]:
    """The inspection with its plans and visits; its `ETag` is its version, for `If-Match` on writes."""
    inspection = inspection_for(request, pk)
    response["ETag"] = etag(inspection.version)
    return {
        **detail(inspection),
        "plans": [plan_out(p) for p in inspection.plans.all()],
        "visits": [visit_out(v) for v in inspection.visits.all()],
    }
