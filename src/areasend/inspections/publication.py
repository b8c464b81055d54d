"""Publishing an inspection adds its outcome to the national history (`history.PublishedInspection`),
unless Ofsted's published data already holds the same inspection.

What is recorded is what the framework defines: the outcome (key and number), the follow-up
documents the outcome requires (their ``required_when``), and the findings in force counted by kind. The
date of publication is the framework's publication event (``lifecycle.publication``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from areasend.domain.frameworks import Framework

from .frameworks import framework_of
from .models import Inspection
from .timelines import condition_met, inspection_events, inspection_timeline

AREASEND_SOURCE = "areasend"


def history_record_of(inspection: Inspection) -> object | None:
    """The national history's row for a published inspection: areasend's own, or Ofsted's where its
    published data already holds the same inspection; None before publication."""
    from areasend.history.models import PublishedInspection

    own = PublishedInspection.objects.filter(
        source=AREASEND_SOURCE, source_key=f"inspection:{inspection.pk}"
    ).first()
    if own is not None:
        return own
    started = inspection_events(inspection).get(framework_of(inspection).timetable.on_site_start_event)
    if not isinstance(started, dt.date):
        return None
    return (
        PublishedInspection.objects.filter(
            area=inspection.area,
            framework_id=inspection.framework.framework_id,
            kind=PublishedInspection.FULL,
            started_on=started,
        )
        .exclude(source=AREASEND_SOURCE)
        .first()
    )


def record_publication(inspection: Inspection, framework: Framework) -> None:
    """Add the published outcome to the national history, unless Ofsted's data already has it."""
    from areasend.history.models import PublishedInspection

    events = inspection_events(inspection)
    started = events.get(framework.timetable.on_site_start_event)
    ended = events.get(framework.timetable.on_site_end_event)
    publication = framework.lifecycle.publication
    published = events.get(publication.event) if publication is not None else None
    already = PublishedInspection.objects.filter(
        area=inspection.area, framework_id=framework.id, kind=PublishedInspection.FULL, started_on=started
    ).exclude(source=AREASEND_SOURCE)
    if already.exists():
        return
    outcome = framework.outcome(inspection.outcome)
    next_full = inspection_timeline(inspection).get("next_full_inspection")
    counts = Counter(inspection.findings.in_force().values_list("kind", flat=True))
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
    record.outcome_key = outcome.key if outcome else ""
    record.outcome = outcome.number if outcome else None
    record.outcome_text = (outcome.wording or outcome.label) if outcome else ""
    record.documents_required = [
        d.key for d in framework.follow_up_documents if condition_met(d.required_when, events)
    ]
    record.findings = {kind.key: counts.get(kind.key, 0) for kind in framework.finding_kinds}
    record.next_inspection_by = next_full.due if next_full else None
    record.full_clean()
    record.save()
