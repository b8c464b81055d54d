"""Reads for inspections. Each takes the viewer and returns only what they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from areasend.access import Action, decide, scope_of
from areasend.accounts.roles import INSPECTOR

from .models import Inspection


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    """The inspections the access policy lets `user` see: every one for administrators and national
    viewers; an inspector's own teams' (and assigned areas'); an area officer's area's."""
    scope = scope_of(user)
    if not scope.active:
        return Inspection.objects.none()
    if scope.every_inspection:
        return Inspection.objects.all()
    condition = Q(area_id__in=scope.inspection_area_ids)
    if INSPECTOR in scope.roles:
        condition |= Q(team__user_id=scope.user_id)
    return Inspection.objects.filter(condition).distinct()


def inspection_get(*, user: Any, pk: int) -> Inspection:
    found = inspections_visible_to(user).select_related("area", "framework").filter(pk=pk).first()
    if found is None:
        raise Http404("No such inspection")
    return found


def is_team_member(user: Any, inspection: Inspection) -> bool:
    return inspection.team.filter(user=user).exists()


def can_change(user: Any, inspection: Inspection) -> bool:
    return bool(decide(user, Action.INSPECTION_CHANGE, inspection))


def can_see_private_notes(user: Any, inspection: Inspection) -> bool:
    return bool(decide(user, Action.NOTES, inspection))


def can_submit_plans(user: Any, inspection: Inspection) -> bool:
    return bool(decide(user, Action.PLAN_SUBMIT, inspection))


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
