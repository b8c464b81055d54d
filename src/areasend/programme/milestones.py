"""The stored read model of open milestones (`OpenMilestone`): one row per milestone of an inspection's
timeline not yet met, rebuilt from the timeline whenever the inspection or one of its events is saved.

The rebuild runs inside the transaction that makes the change, so the rows commit or roll back with
it and a list never shows a deadline that the stored events do not give. Timelines stay computed from
events; these rows only save the deadlines page, the calendar feeds and the reminders from computing
every timeline on each request.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from areasend.inspections.models import Inspection, InspectionEvent

STORED_STATUSES = ("due", "projected")  # without a date; "overdue" is worked out when read


def rebuild(inspection: Any, *, model: Any = None) -> int:
    """Replace the stored open milestones of one inspection; returns how many it now has."""
    # Timelines and framework files load when a milestone is first rebuilt, not when a command starts.
    from areasend.domain.timeline import TimelineError
    from areasend.inspections.frameworks import framework_of
    from areasend.inspections.timelines import inspection_timeline

    from .models import OpenMilestone

    model = model or OpenMilestone
    try:
        framework = framework_of(inspection)
        milestones = inspection_timeline(inspection).milestones
    except TimelineError:
        milestones = ()
    rows = [
        model(
            inspection_id=inspection.pk,
            key=m.key,
            label=m.label[:200],
            due=m.due,
            rule=m.rule[:300],
            source=m.source[:300],
            status=m.status,
            owed_by=framework.owed_by(m.key),
        )
        for m in milestones
        if m.status in STORED_STATUSES
    ]
    with transaction.atomic():
        model.objects.filter(inspection_id=inspection.pk).delete()
        model.objects.bulk_create(rows)
    return len(rows)


def rebuild_all() -> int:
    """Rebuild every inspection's rows (after an import, or to repair); returns the number of rows."""
    return sum(rebuild(i) for i in Inspection.objects.select_related("area", "framework"))


def _inspection_saved(sender: Any, instance: Inspection, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        rebuild(instance)


def _event_changed(sender: Any, instance: InspectionEvent, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    inspection = Inspection.objects.filter(pk=instance.inspection_id).select_related("area", "framework")
    found = inspection.first()
    if found is not None:
        rebuild(found)


def connect() -> None:
    post_save.connect(_inspection_saved, sender=Inspection, dispatch_uid="programme.milestones.inspection")
    post_save.connect(_event_changed, sender=InspectionEvent, dispatch_uid="programme.milestones.event")
    post_delete.connect(_event_changed, sender=InspectionEvent, dispatch_uid="programme.milestones.event_del")
