from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from areasend.areas import selectors
from areasend.areas.models import LIVE
from areasend.core.api_auth import TokenAuth

router = Router(tags=["areas"])


class AreaOut(Schema):
    ons_code: str
    la_number: str
    name: str
    region: str


class NeighbourOut(Schema):
    ons_code: str
    name: str
    rank: int
    closeness: str


class PartnerOut(Schema):
    kind: str
    name: str
    code: str


class AreaDetailOut(AreaOut):
    la_type: str
    status: str
    ofsted_urn: str
    population_0_25: int | None
    statistical_neighbours: list[NeighbourOut]
    partners: list[PartnerOut]


@router.get("", response=list[AreaOut], auth=TokenAuth("areas.view"), summary="Every live area you may see")
def list_areas(request: HttpRequest) -> list[dict[str, object]]:
    areas = selectors.areas_visible_to(request.user).filter(status=LIVE).order_by("name")
    return [
        {"ons_code": a.ons_code, "la_number": a.la_number, "name": a.name, "region": a.region_name}
        for a in areas
    ]


@router.get("/{ons_code}", response=AreaDetailOut, auth=TokenAuth("areas.view"), summary="One area")
def get_area(request: HttpRequest, ons_code: str) -> dict[str, object]:
    area = selectors.area_get(user=request.user, ons_code=ons_code)
    return {
        "ons_code": area.ons_code,
        "la_number": area.la_number,
        "name": area.name,
        "region": area.region_name,
        "la_type": area.la_type,
        "status": area.status,
        "ofsted_urn": area.ofsted_urn,
        "population_0_25": area.population_0_25,
        "statistical_neighbours": [
            {
                "ons_code": n.neighbour.ons_code,
                "name": n.neighbour.name,
                "rank": n.rank,
                "closeness": n.closeness,
            }
            for n in selectors.neighbours(area=area)
        ],
        "partners": [{"kind": p.kind, "name": p.name, "code": p.code} for p in area.partners.all()],
    }
