"""Reads for the register. Every selector takes the viewer and returns only what they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from areasend.accounts.models import RoleAssignment
from areasend.accounts.roles import NATIONAL_ROLES

from .models import LIVE, LocalArea, StatisticalNeighbour


def _scope(user: Any) -> tuple[bool, set[int]]:
    """(sees every area, ids of the areas assigned) for a signed-in user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, set()
    if user.is_superuser:
        return True, set()
    national = False
    ids: set[int] = set()
    for role, area_id in RoleAssignment.objects.filter(user=user).values_list("role", "area_id"):
        if area_id is None and role in NATIONAL_ROLES:
            national = True
        elif area_id is not None:
            ids.add(area_id)
    return national, ids


def areas_visible_to(user: Any) -> QuerySet[LocalArea]:
    national, ids = _scope(user)
    if national:
        return LocalArea.objects.all()
    return LocalArea.objects.filter(pk__in=ids)


def area_ids_visible_to(user: Any) -> set[int] | None:
    """None means every area."""
    national, ids = _scope(user)
    return None if national else ids


def area_list(
    *, user: Any, query: str = "", region: str = "", include_former: bool = False
) -> QuerySet[LocalArea]:
    areas = areas_visible_to(user)
    if not include_former:
        areas = areas.filter(status=LIVE)
    if query:
        areas = areas.filter(
            Q(name__icontains=query) | Q(ons_code__iexact=query) | Q(la_number=query) | Q(ofsted_urn=query)
        )
    if region:
        areas = areas.filter(region_name=region)
    return areas.order_by("name", "ons_code")


def regions() -> list[str]:
    return list(
        LocalArea.objects.filter(status=LIVE)
        .order_by("region_name")
        .values_list("region_name", flat=True)
        .distinct()
    )


def area_get(*, user: Any, ons_code: str) -> LocalArea:
    """The area, or 404 when it does not exist or the user may not see it."""
    area = areas_visible_to(user).filter(ons_code=ons_code.upper()).first()
    if area is None:
        raise Http404("No such area")
    return area


def neighbours(
    *, area: LocalArea, model: str = StatisticalNeighbour.MODEL_2025
) -> list[StatisticalNeighbour]:
    return list(area.neighbour_links.filter(model=model).select_related("neighbour").order_by("rank"))


def predecessors(*, area: LocalArea) -> list[LocalArea]:
    """Terminated areas that shared this area's DfE number (for example Barnsley before May 2025)."""
    if not area.la_number or not area.is_live:
        return []
    return list(LocalArea.objects.filter(la_number=area.la_number).exclude(pk=area.pk))
