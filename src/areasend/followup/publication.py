"""Judging a follow-up visit that the framework's national history records (``national_history.
visits``) adds it to the national history, after the published inspection it follows, unless
Ofsted's published data already holds the same visit. What is recorded is the framework's: the visit
key, its overall result and its per-finding judgements counted by option."""

from __future__ import annotations

from collections import Counter

from areasend.domain.frameworks import Framework
from areasend.inspections.publication import AREASEND_SOURCE, history_record_of

from .models import Visit


def record_visit(visit: Visit, framework: Framework) -> None:
    from areasend.history.models import PublishedInspection

    history = framework.national_history
    if history is None or history.visit(visit.visit) is None or not (visit.overall or visit.published_on):
        return
    inspection = visit.inspection
    already = PublishedInspection.objects.filter(
        area=inspection.area, framework_id=framework.id, kind=visit.visit, started_on=visit.starts_on
    ).exclude(source=AREASEND_SOURCE)
    if visit.starts_on is not None and already.exists():
        return
    follows = history_record_of(inspection)
    record, _ = PublishedInspection.objects.get_or_create(
        source=AREASEND_SOURCE,
        source_key=f"visit:{visit.pk}",
        defaults={
            "area": inspection.area,
            "framework_id": framework.id,
            "kind": visit.visit,
            "reliability": PublishedInspection.OFFICIAL,
        },
    )
    record.follows = follows if isinstance(follows, PublishedInspection) else None
    record.started_on = visit.starts_on
    record.ended_on = visit.ends_on
    record.published_on = visit.published_on
    record.visit_result = visit.overall
    record.judgements = dict(Counter(visit.judgements.values_list("judgement", flat=True)))
    record.full_clean()
    record.save()
