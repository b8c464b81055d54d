"""A plan's rules, read from its follow-up document in the framework file: the statuses it moves
through, what each status means, the status a review judgement leads to, when it is escalated, and
the statuses of its actions. Nothing here names a regime's statuses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from areasend.frameworks.selectors import term_labels
from areasend.inspections.errors import InspectionError

from .models import Plan, PlanAction

if TYPE_CHECKING:  # the schema (pydantic) loads where a plan's rules are read, not with the app
    from areasend.domain.frameworks import FollowUpDocument, Framework


def framework_of(inspection: Any) -> Framework:
    from areasend.inspections.frameworks import framework_of as parsed

    return parsed(inspection)


NO_PLAN_STATUSES = (
    "{title} declares no plan statuses in {framework}: a new framework version must declare them."
)
NO_ACTION_STATUSES = (
    "{title} declares no action statuses in {framework}: a new framework version must declare them."
)

Meaning = Literal["opening", "awaiting_review", "resubmission_due", "done", "escalation", ""]


def document_of(plan: Plan) -> FollowUpDocument:
    framework = framework_of(plan.inspection)
    document = framework.document(plan.document)
    if document is None:  # a plan is only opened for a document of its inspection's framework
        raise InspectionError(f"'{plan.document}' is not a follow-up document of {framework.title}.")
    return document


def statuses_of(document: FollowUpDocument, framework: Framework) -> Any:
    if document.statuses is None:
        raise InspectionError(NO_PLAN_STATUSES.format(title=document.title, framework=framework.title))
    return document.statuses


def meaning(document: FollowUpDocument, status: str) -> Meaning:
    """What a plan status means for a plan of this document."""
    if status in document.accepting_statuses:
        return "done"
    if document.escalation is not None and status == document.escalation.status:
        return "escalation"
    if status in document.resubmission_statuses:
        return "resubmission_due"
    if document.statuses is not None and status == document.statuses.opened:
        return "opening"
    if document.statuses is not None and status == document.statuses.on_submission:
        return "awaiting_review"
    return ""


def is_complete(plan: Plan) -> bool:
    document = framework_of(plan.inspection).document(plan.document)
    return document is not None and plan.status in document.accepting_statuses


def can_be_submitted(document: FollowUpDocument, plan: Plan) -> bool:
    return plan.status in document.submittable_statuses


def is_under_review(document: FollowUpDocument, plan: Plan) -> bool:
    return (
        bool(document.review_judgements)
        and document.statuses is not None
        and plan.status == document.statuses.on_submission
    )


def failed_reviews(document: FollowUpDocument, judgements: Iterable[str]) -> int:
    """How many of these review judgements did not accept the plan."""
    return sum(1 for key in judgements if not getattr(document.judgement(key), "accepts", False))


def status_after_review(document: FollowUpDocument, judgement: str, failed_before: int) -> str:
    """The status a review judgement leads to; a plan judged without acceptance for the
    ``escalation.after_failed_submissions``-th time is escalated instead."""
    found = document.judgement(judgement)
    if found is None or found.status is None:  # judgements are checked before this is asked
        raise InspectionError(f"'{judgement}' leads to no plan status in {document.title}.")
    escalation = document.escalation
    if (
        not found.accepts
        and escalation is not None
        and failed_before + 1 >= escalation.after_failed_submissions
    ):
        return escalation.status
    return found.status


def plan_status_labels(inspection: Any) -> dict[str, str]:
    """The plan status terms of the inspection's framework version (its rows, so versions loaded
    before vocabularies were declared keep the labels they had)."""
    return term_labels(inspection.framework_id, "plan_status")


def plan_status_label(plan: Plan, status: str | None = None) -> str:
    code = plan.status if status is None else status
    return plan_status_labels(plan.inspection).get(code, code)


def action_statuses(action: PlanAction) -> list[tuple[str, str]]:
    """(code, label) of the statuses an action of this plan moves through, in order."""
    return [(t.code, t.label) for t in document_of(action.plan).action_statuses]


def first_action_status(document: FollowUpDocument, framework: Framework) -> str:
    if not document.action_statuses:
        raise InspectionError(NO_ACTION_STATUSES.format(title=document.title, framework=framework.title))
    return document.action_statuses[0].code


def action_is_done(action: PlanAction) -> bool:
    statuses = document_of(action.plan).action_statuses
    return bool(statuses) and action.status == statuses[-1].code


def action_status_label(action: PlanAction) -> str:
    return dict(action_statuses(action)).get(action.status, action.status)
