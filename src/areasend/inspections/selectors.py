"""Reads for inspections. Each takes the viewer and returns only what they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from areasend.accounts.models import RoleAssignment
from areasend.accounts.roles import ADMINISTRATOR, AREA_OFFICER, INSPECTOR, VIEWER, user_roles
from areasend.core.permissions import has_permission

from .models import Inspection


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    """Administrators and national viewers see every inspection; inspectors the ones whose team
    they are in; area officers (and area-scoped viewers) those of their areas."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Inspection.objects.none()
    roles = user_roles(user)
    if ADMINISTRATOR in roles:
        return Inspection.objects.all()
    assignments = list(RoleAssignment.objects.filter(user=user).values_list("role", "area_id"))
    if any(role == VIEWER and area is None for role, area in assignments):
        return Inspection.objects.all()
    condition = Q(pk__in=[])
    if INSPECTOR in roles:
        condition |= Q(team__user=user)
    areas = [
        area for role, area in assignments if area is not None and role in {AREA_OFFICER, VIEWER, INSPECTOR}
    ]
    if areas:
        condition |= Q(area_id__in=areas)
    return Inspection.objects.filter(condition).distinct()


def inspection_get(*, user: Any, pk: int) -> Inspection:
    found = inspections_visible_to(user).select_related("area", "framework").filter(pk=pk).first()
    if found is None:
        raise Http404("No such inspection")
    return found


def is_team_member(user: Any, inspection: Inspection) -> bool:
    return inspection.team.filter(user=user).exists()


def can_change(user: Any, inspection: Inspection) -> bool:
    if ADMINISTRATOR in user_roles(user):
        return True
    return has_permission(user, "inspections.change") and is_team_member(user, inspection)


def can_see_private_notes(user: Any, inspection: Inspection) -> bool:
    if ADMINISTRATOR in user_roles(user):
        return True
    return has_permission(user, "inspections.view_private_notes") and is_team_member(user, inspection)


def can_submit_plans(user: Any, inspection: Inspection) -> bool:
    if ADMINISTRATOR in user_roles(user):
        return True
    if not has_permission(user, "plans.submit"):
        return False
    return RoleAssignment.objects.filter(user=user, role=AREA_OFFICER, area_id=inspection.area_id).exists()


def private_notes(*, user: Any, inspection: Inspection) -> list[Any]:
    if not can_see_private_notes(user, inspection):
        return []
    return list(inspection.private_notes.select_related("author"))


PUBLISHED_STATES = ("published", "follow_up", "closed")


def latest_published_findings(area: Any) -> list[str]:
    """The weaknesses (or areas for priority action and improvement) of the area's latest published
    inspection in areasend: published findings, which the next data pack turns into lines of enquiry."""
    from django.db.models import F, OuterRef, Subquery

    from .models import Finding, InspectionEvent

    published_on = InspectionEvent.objects.filter(inspection=OuterRef("pk"), name="published").values("on")[
        :1
    ]
    latest = (
        Inspection.objects.filter(area=area, state__in=PUBLISHED_STATES)
        .filter(pk__in=Finding.objects.values("inspection"))
        .annotate(published_on=Subquery(published_on))
        .order_by(F("published_on").desc(nulls_last=True), "-pk")
        .first()
    )
    if latest is None:
        return []
    kinds = [Finding.SIGNIFICANT_WEAKNESS, Finding.PRIORITY_ACTION, Finding.IMPROVEMENT]
    findings = sorted(latest.findings.all(), key=lambda f: (kinds.index(f.kind), f.number))
    return [f.text for f in findings]
