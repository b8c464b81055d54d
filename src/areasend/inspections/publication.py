"""Publishing an inspection adds its outcome to the national history (`history.PublishedInspection`),
unless Ofsted's published data already holds the same inspection."""

from __future__ import annotations

import datetime as dt

from areasend.domain.frameworks import Framework

from .models import Finding, Inspection
from .timelines import inspection_events, inspection_timeline

AREASEND_SOURCE = "areasend"


def record_publication(inspection: Inspection, framework: Framework) -> None:
    """Add the published outcome to the national history, unless Ofsted's data already has it."""
    from areasend.history.models import PublishedInspection

    events = inspection_events(inspection)
    started = events.get(framework.timetable.on_site_start_event)
    ended = events.get(framework.timetable.on_site_end_event)
    published = events.get("published")
    already = PublishedInspection.objects.filter(
        area=inspection.area, framework_id=framework.id, kind=PublishedInspection.FULL, started_on=started
    ).exclude(source=AREASEND_SOURCE)
    if already.exists():
        return
    outcome = framework.outcome(inspection.outcome)
    next_full = inspection_timeline(inspection).get("next_full_inspection")
    wsoa = any(d.key == "wsoa" for d in framework.follow_up_documents)
    record, _ = PublishedInspection.objects.get_or_create(
        source=AREASEND_SOURCE,
        source_key=f"inspection:{inspection.pk}",
        defaults={
            "area": inspection.area,
            "framework_id": framework.id,
            "kind": PublishedInspection.FULL,
            "reliability": PublishedInspection.OFFICIAL,
        },
    )
    record.started_on = started if isinstance(started, dt.date) else None
    record.ended_on = ended if isinstance(ended, dt.date) else None
    record.published_on = published if isinstance(published, dt.date) else None
    record.wsoa_required = (inspection.outcome == "wsoa_required") if wsoa else None
    record.significant_weaknesses = (
        inspection.findings.filter(kind=Finding.SIGNIFICANT_WEAKNESS).count() if wsoa else None
    )
    record.outcome = None if wsoa or outcome is None else outcome.number
    record.outcome_text = (outcome.wording or outcome.label) if outcome else ""
    record.priority_action_plan_required = (
        None if wsoa else inspection.findings.filter(kind=Finding.PRIORITY_ACTION).exists()
    )
    record.next_inspection_by = next_full.due if next_full else None
    record.full_clean()
    record.save()
