"""The follow-up sections of the inspection page: plans and visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from areasend.core.uploads import KINDS
from areasend.inspections import selectors as inspection_selectors
from areasend.inspections.registry import page_section

from . import rules, selectors
from .models import Plan

# The tag of a plan's status, by what the status means for the plan's document.
PLAN_TAGS = {
    "opening": "govuk-tag--grey",
    "awaiting_review": "govuk-tag--blue",
    "resubmission_due": "govuk-tag--orange",
    "done": "govuk-tag--green",
    "escalation": "govuk-tag--red",
}


@page_section(order=20)
def plans_section(request: Any, inspection: Any, framework: Any) -> dict[str, Any]:
    from . import services  # the services (and the framework schema) load with the page, not at start-up

    user = request.user
    can_submit = inspection_selectors.can_submit_plans(user, inspection)
    can_change = inspection_selectors.can_change(user, inspection)
    today = dt.date.today()
    documents = {d.key: d for d in framework.follow_up_documents}
    overdue = {a.pk for a in selectors.overdue_actions(inspection=inspection, today=today)}
    statuses = rules.plan_status_labels(inspection)
    rows: list[dict[str, Any]] = []
    opened: set[str] = set()
    plans = Plan.objects.filter(inspection=inspection).prefetch_related(
        "submissions__submitted_by",
        "submissions__reviewed_by",
        "actions__owner",
        "actions__finding",
        "attachments__uploaded_by",
    )
    for plan in plans:
        plan.inspection = inspection
        opened.add(plan.document)
        document = documents.get(plan.document)
        judgements = dict(services.review_judgements(plan))
        action_labels = {t.code: t.label for t in document.action_statuses} if document else {}
        last_action_status = (
            document.action_statuses[-1].code if document and document.action_statuses else ""
        )
        rows.append(
            {
                "plan": plan,
                "status": statuses.get(plan.status, plan.status),
                "status_classes": PLAN_TAGS.get(rules.meaning(document, plan.status), "") if document else "",
                "responsible": document.responsible if document else "",
                "submissions": [
                    {
                        "submission": s,
                        "judgement": judgements.get(s.judgement) or statuses.get(s.judgement, s.judgement),
                    }
                    for s in plan.submissions.all()
                ],
                "actions": [
                    {
                        "action": a,
                        "status": action_labels.get(a.status, a.status),
                        "overdue": a.pk in overdue,
                        "can_progress": can_submit and a.status != last_action_status and not a.is_withdrawn,
                    }
                    for a in plan.actions.all()
                ],
                "can_submit": can_submit and document is not None and rules.can_be_submitted(document, plan),
                "can_add_action": can_submit,
                "attachments": [
                    {"document": d, "kind": KINDS[d.kind].label if d.kind in KINDS else d.kind}
                    for d in plan.attachments.all()
                ],
                "can_review": can_change and document is not None and rules.is_under_review(document, plan),
            }
        )
    return {
        "id": "plans",
        "title": "Follow-up plans",
        "template": "followup/plans_section.html",
        "context": {
            "plans": rows,
            "can_open_plan": can_submit and any(d.key not in opened for d in framework.follow_up_documents),
        },
    }


@page_section(order=30)
def visits_section(request: Any, inspection: Any, framework: Any) -> dict[str, Any]:
    can_change = inspection_selectors.can_change(request.user, inspection)
    specs = {v.key: v for v in framework.visits}
    rows = []
    for visit in inspection.visits.prefetch_related("judgements__finding"):
        spec = specs.get(visit.visit)
        labels = {o.key: o.label for s in (spec.judgement_scales if spec else ()) for o in s.options}
        rows.append(
            {
                "visit": visit,
                "title": spec.title if spec else visit.visit,
                "overall": labels.get(visit.overall, visit.overall),
                "judgements": [
                    {"finding": j.finding, "label": labels.get(j.judgement, j.judgement)}
                    for j in sorted(visit.judgements.all(), key=lambda j: (j.finding.kind, j.finding.number))
                ],
                "can_judge": bool(spec and spec.judgement_scales),
            }
        )
    return {
        "id": "visits",
        "title": "Follow-up visits",
        "template": "followup/visits_section.html",
        "context": {
            "visits": rows,
            "can_change": can_change,
            "can_schedule_visit": can_change and bool(framework.visits),
        },
    }
