"""Reads for inspections. Each takes the viewer and returns only what they may see."""

from __future__ import annotations

import datetime as dt
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


def latest_published_findings(area: Any) -> list[str]:
    """The findings of the area's latest published inspection in areasend (published as its
    framework counts it, dated by its framework's publication event), in the order of the
    framework's finding kinds: what the next data pack turns into lines of enquiry."""
    from .frameworks import framework_of
    from .models import Finding

    candidates = []
    inspections = (
        Inspection.objects.filter(area=area, pk__in=Finding.objects.in_force().values("inspection"))
        .select_related("framework")
        .prefetch_related("events")
    )
    for inspection in inspections:
        framework = framework_of(inspection)
        publication = framework.lifecycle.publication
        if publication is None or not framework.is_published(inspection.state):
            continue
        published_on = next((e.on for e in inspection.events.all() if e.name == publication.event), None)
        candidates.append((published_on is not None, published_on, inspection.pk, inspection, framework))
    if not candidates:
        return []
    *_, latest, framework = max(candidates, key=lambda c: (c[0], c[1] or dt.date.min, c[2]))
    order = [k.key for k in framework.finding_kinds]
    findings = sorted(
        latest.findings.in_force(),
        key=lambda f: (order.index(f.kind) if f.kind in order else len(order), f.number),
    )
    return [f.text for f in findings]
