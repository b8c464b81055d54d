"""Corrections and withdrawals of a follow-up visit's judgements (see `followup.corrections`): the
judgement of one finding, corrected or withdrawn, and the overall judgement, corrected with the event
it recorded. Each needs a reason and the team's access (`Action.VISIT_CHANGE`), locks the
inspection, counts its change and writes its audit row (`visit_id`, `finding`, before and after, the
reason); the national history follows (`record_visit`). A withdrawn judgement is removed: its history
is the audit log's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from areasend.access import Action, check
from areasend.core import audit
from areasend.core.audit import AuditAction
from areasend.inspections.corrections import (
    CORRECTION,
    NOTHING_CHANGES,
    WITHDRAWAL,
    audit_mark,
    reason_given,
)
from areasend.inspections.errors import InspectionError
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Finding
from areasend.inspections.services import count_change, lock_inspection

from .corrections import _changes, _store_event
from .models import Visit, VisitJudgement
from .publication import record_visit
from .services import UNKNOWN_VISIT_JUDGEMENT

# Refusals: tests import and assert these exactly.
NOT_JUDGED = "{finding} has not been judged at this visit: there is nothing to {change}."
OVERALL_NOT_JUDGED = "No overall judgement has been recorded at this visit: there is nothing to correct."


def _scale_options(visit: Visit, finding: Finding | None) -> tuple[str, list[str]]:
    spec = framework_of(visit.inspection).visit(visit.visit)
    scale = None
    if spec is not None:
        scale = spec.overall_scale if finding is None else spec.scale_judging(finding.kind)
    label = scale.label if scale is not None else ("overall" if finding is None else "findings")
    return label, [o.key for o in scale.options] if scale is not None else []


def visit_judgement_correct(
    *,
    visit: Visit,
    judgement: str,
    actor: User,
    reason: str,
    finding: Finding | None = None,
    expected_version: int | None = None,
) -> Visit:
    """Correct the judgement of one finding at a visit, or (without `finding`) the overall judgement
    and the event it recorded. `expected_version` is the inspection's."""
    check(actor, Action.VISIT_CHANGE, visit)
    reason = reason_given(reason, CORRECTION)
    scale, options = _scale_options(visit, finding)
    if judgement not in options:
        raise InspectionError(
            UNKNOWN_VISIT_JUDGEMENT.format(
                judgement=judgement, scale=scale, choices=", ".join(sorted(options))
            )
        )
    inspection = visit.inspection
    framework = framework_of(inspection)
    spec = framework.visit(visit.visit)
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        mark = audit_mark(inspection)
        events: dict[str, Any] = {}
        if finding is None:
            overall = Visit.objects.select_for_update().values_list("overall", flat=True).get(pk=visit.pk)
            if not overall:
                raise InspectionError(OVERALL_NOT_JUDGED)
            if overall == judgement:
                raise InspectionError(NOTHING_CHANGES.format(what="judgement"))
            names = spec.events if spec is not None else None
            if names is not None:
                _store_event(inspection, names.outcome, events, choice=judgement, actor=actor)
            changes: dict[str, Any] = {"overall": [overall, judgement]}
            visit.overall = judgement
            visit.save(update_fields=["overall"])
            keys: dict[str, Any] = {"visit_id": visit.pk, "finding": None}
        else:
            stored = VisitJudgement.objects.select_for_update().filter(visit=visit, finding=finding).first()
            if stored is None:
                raise InspectionError(NOT_JUDGED.format(finding=finding, change="correct"))
            if stored.judgement == judgement:
                raise InspectionError(NOTHING_CHANGES.format(what="judgement"))
            changes = {"judgement": [stored.judgement, judgement]}
            stored.judgement = judgement
            stored.save(update_fields=["judgement"])
            keys = {"visit_id": visit.pk, "finding": finding.pk}
        record_visit(visit, framework)
        count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.VISIT_JUDGEMENT_CORRECT,
            obj=visit,
            changes=_changes(
                inspection=inspection,
                keys=keys,
                changes=changes,
                events=events,
                mark=mark,
                reason=reason,
            ),
        )
    return visit


def visit_judgement_withdraw(
    *, visit: Visit, finding: Finding, actor: User, reason: str, expected_version: int | None = None
) -> Visit:
    """Withdraw the judgement of one finding at a visit. `expected_version` is the inspection's."""
    check(actor, Action.VISIT_CHANGE, visit)
    reason = reason_given(reason, WITHDRAWAL)
    inspection = visit.inspection
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        stored = VisitJudgement.objects.select_for_update().filter(visit=visit, finding=finding).first()
        if stored is None:
            raise InspectionError(NOT_JUDGED.format(finding=finding, change="withdraw"))
        before = stored.judgement
        stored.delete()
        record_visit(visit, framework_of(inspection))
        count_change(inspection)
        audit.record(
            actor=actor,
            action=AuditAction.VISIT_JUDGEMENT_WITHDRAW,
            obj=visit,
            changes=_changes(
                inspection=inspection,
                keys={"visit_id": visit.pk, "finding": finding.pk},
                changes={"judgement": [before, None]},
                events={},
                mark=None,
                reason=reason,
            ),
        )
    return visit
