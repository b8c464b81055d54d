"""Writes for follow-up plans and visits. Like every service: keyword-only, the acting user required,
guards checked, one transaction, the audit record inside it. A refusal raises `InspectionError` (the
inspection app's) with a message that names the rule.

Versions (see `areasend.inspections.services`): opening a plan, scheduling or judging a visit, and a
plan's submissions and reviews change the inspection (they record its events), so each adds one to
the inspection's version; every change to a plan (submissions, reviews, actions and their progress)
adds one to the plan's. `expected_version` names the version the caller read: the inspection's for
opening plans and for visits, the plan's for everything done to a plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F

from areasend.access import Action, check
from areasend.areas.models import Partner
from areasend.core import audit
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Finding, Inspection
from areasend.inspections.services import (
    PARTNER_NOT_IN_AREA,
    InspectionError,
    StaleVersion,
    condition_met,
    count_change,
    dates_store,
    event_store,
    inspection_events,
    lock_inspection,
)

from . import consistency, dates, rules
from .consistency import JUDGEMENTS_DISAGREE as JUDGEMENTS_DISAGREE
from .dates import DATE_ORDER as DATE_ORDER  # re-exported: tests and pages import it from here
from .models import Plan, PlanAction, PlanSubmission, Visit, VisitJudgement
from .publication import record_visit

# Guard messages: tests import and assert these exactly.
UNKNOWN_DOCUMENT = "'{document}' is not a follow-up document of {framework}: use one of {documents}."
DOCUMENT_NOT_REQUIRED = "{title} is not required for this inspection's outcome."
PLAN_EXISTS = "This inspection already has a {title}."
PLAN_NOT_SUBMITTABLE = "A plan that is '{status}' cannot be submitted."
PLAN_NOT_UNDER_REVIEW = "Only a submitted plan can be reviewed; this one is '{status}'."
UNKNOWN_JUDGEMENT = "'{judgement}' is not a review judgement for {title}: use one of {choices}."
PLAN_NOT_REVIEWED = "The {title} is not reviewed: it is complete once submitted."
ACTION_STATUS_BACKWARDS = (
    "An action's status only moves forward: it cannot go from '{current}' to '{target}'."
)
UNKNOWN_ACTION_STATUS = "'{status}' is not an action status of {title}: use one of {choices}."
UNKNOWN_VISIT = "'{visit}' is not a follow-up visit of {framework}: use one of {visits}."
VISIT_NOT_REQUIRED = "A {title} is not required for this inspection's outcome."
UNKNOWN_VISIT_JUDGEMENT = "'{judgement}' is not a judgement on {scale}: use one of {choices}."
FINDING_NOT_JUDGED_HERE = "{finding} is not one of the findings this visit judges."
FINDING_NOT_OF_PLAN = "{finding} is not a finding of this plan's inspection."
STALE_PLAN = (
    "This plan was changed by someone else since you opened this page: check what changed and try again."
)


def _names(items: Any) -> str:
    return ", ".join(sorted(items))


def plan_open(
    *, inspection: Inspection, document: str, actor: User, expected_version: int | None = None
) -> Plan:
    check(actor, Action.PLAN_SUBMIT, inspection)
    framework = framework_of(inspection)
    documents = {d.key: d for d in framework.follow_up_documents}
    doc = documents.get(document)
    if doc is None:
        raise InspectionError(
            UNKNOWN_DOCUMENT.format(document=document, framework=framework.title, documents=_names(documents))
        )
    try:
        with transaction.atomic():
            lock_inspection(inspection, expected_version=expected_version)
            if doc.required_when and not condition_met(doc.required_when, inspection_events(inspection)):
                raise InspectionError(DOCUMENT_NOT_REQUIRED.format(title=doc.title))
            if inspection.plans.filter(document=document).exists():
                raise InspectionError(PLAN_EXISTS.format(title=doc.title))
            statuses = rules.statuses_of(doc, framework)
            plan = Plan.objects.create(
                inspection=inspection, document=document, title=doc.title, status=statuses.opened
            )
            count_change(inspection)
            audit.record(actor=actor, action="plan.open", obj=plan, changes={"document": document})
    except IntegrityError:  # opened by another request a moment before
        raise InspectionError(PLAN_EXISTS.format(title=doc.title)) from None
    return plan


def _lock_plan(plan: Plan, expected_version: int | None = None) -> Plan:
    """Lock the plan's inspection, then the plan (always in that order), and refresh the plan's status
    and version; given `expected_version` (what the caller read), refuse when the stored one differs."""
    lock_inspection(plan.inspection)
    plan.status, plan.version = (
        Plan.objects.select_for_update().values_list("status", "version").get(pk=plan.pk)
    )
    if expected_version is not None and expected_version != plan.version:
        raise StaleVersion(STALE_PLAN)
    return plan


def _count_plan_change(plan: Plan) -> None:
    """One more change to the plan: its version goes up by one on the row `_lock_plan` locked."""
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
    plan.version += 1


def _document(plan: Plan) -> Any:
    return rules.document_of(plan)


def plan_submit(
    *,
    plan: Plan,
    submitted_on: dt.date,
    actor: User,
    summary: str = "",
    expected_version: int | None = None,
) -> PlanSubmission:
    """Submit (or resubmit) a plan. The status is checked on the locked plan, so of two submissions
    sent at once only the first is recorded."""
    check(actor, Action.PLAN_SUBMIT, plan)
    doc = _document(plan)
    statuses = rules.statuses_of(doc, framework_of(plan.inspection))
    with transaction.atomic():
        _lock_plan(plan, expected_version)
        if not rules.can_be_submitted(doc, plan):
            raise InspectionError(PLAN_NOT_SUBMITTABLE.format(status=rules.plan_status_label(plan)))
        event_name, _ = dates.submission_events(plan, doc)
        dates.check_submission_date(plan, doc, submitted_on)
        # The event first: it is the step that can still be refused (a date before the report).
        if event_name:
            event_store(inspection=plan.inspection, name=event_name, on=submitted_on, actor=actor)
        number = plan.submissions.count() + 1
        submission = PlanSubmission.objects.create(
            plan=plan, number=number, submitted_on=submitted_on, submitted_by=actor, summary=summary
        )
        plan.status = statuses.on_submission
        plan.save(update_fields=["status"])
        _count_plan_change(plan)
        count_change(plan.inspection)
        audit.record(
            actor=actor,
            action="plan.submit",
            obj=plan,
            changes={"submission": number, "submitted_on": submitted_on.isoformat()},
        )
    return submission


def review_judgements(plan: Plan) -> list[tuple[str, str]]:
    """The judgements a review of this plan can reach (none: the plan is complete once submitted)."""
    return [(j.key, j.label) for j in _document(plan).review_judgements]


def plan_review(
    *,
    plan: Plan,
    judgement: str,
    reviewed_on: dt.date,
    actor: User,
    feedback: str = "",
    expected_version: int | None = None,
) -> PlanSubmission:
    """Review the latest submission. Checked on the locked plan, so two reviews sent at once cannot
    both judge the same submission."""
    check(actor, Action.PLAN_REVIEW, plan)
    doc = _document(plan)
    if not doc.review_judgements:
        raise InspectionError(PLAN_NOT_REVIEWED.format(title=doc.title))
    choices = [key for key, _ in review_judgements(plan)]
    if judgement not in choices:
        raise InspectionError(
            UNKNOWN_JUDGEMENT.format(judgement=judgement, title=doc.title, choices=_names(choices))
        )
    events = doc.events
    found = doc.judgement(judgement)
    accepts = found is not None and found.accepts
    with transaction.atomic():
        _lock_plan(plan, expected_version)
        if not rules.is_under_review(doc, plan):
            raise InspectionError(PLAN_NOT_UNDER_REVIEW.format(status=rules.plan_status_label(plan)))
        submission = plan.submissions.order_by("-number").first()
        if submission is None:  # a submitted plan always has one; refuse rather than guess
            raise InspectionError(PLAN_NOT_UNDER_REVIEW.format(status=rules.plan_status_label(plan)))
        if reviewed_on < submission.submitted_on:
            raise InspectionError(
                DATE_ORDER.format(
                    later="The review",
                    later_date=reviewed_on,
                    earlier="the submission",
                    earlier_date=submission.submitted_on,
                )
            )
        earlier = plan.submissions.exclude(pk=submission.pk).exclude(judgement="")
        # the first submission in force (one withdrawn before it keeps its number, and counts for nothing)
        first = not plan.submissions.in_force().filter(number__lt=submission.number).exists()
        failed_before = rules.failed_reviews(doc, earlier.values_list("judgement", flat=True))
        status = rules.status_after_review(doc, judgement, failed_before)
        # Events first: they are the steps that can still be refused; nothing in memory changes before.
        dates.check_review_date(plan, doc, reviewed_on, records_review=submission.number == 1)
        if events is not None:
            if events.reviewed and first:
                event_store(inspection=plan.inspection, name=events.reviewed, on=reviewed_on, actor=actor)
            if events.judgement and first:
                event_store(inspection=plan.inspection, name=events.judgement, choice=judgement, actor=actor)
            if events.accepted and accepts:
                event_store(inspection=plan.inspection, name=events.accepted, on=reviewed_on, actor=actor)
        submission.reviewed_on = reviewed_on
        submission.reviewed_by = actor
        submission.judgement = judgement
        submission.feedback = feedback
        submission.save()
        plan.status = status
        plan.save(update_fields=["status"])
        _count_plan_change(plan)
        count_change(plan.inspection)
        audit.record(
            actor=actor,
            action="plan.review",
            obj=plan,
            changes={"submission": submission.number, "judgement": judgement, "status": plan.status},
        )
    return submission


def plan_action_add(
    *,
    plan: Plan,
    text: str,
    owner: Partner,
    due_on: dt.date,
    actor: User,
    milestone: str = "",
    finding: Finding | None = None,
    expected_version: int | None = None,
) -> PlanAction:
    check(actor, Action.PLAN_SUBMIT, plan)
    if finding is not None and finding.inspection_id != plan.inspection_id:
        raise InspectionError(FINDING_NOT_OF_PLAN.format(finding=finding))
    if owner.area_id != plan.inspection.area_id:
        raise InspectionError(PARTNER_NOT_IN_AREA.format(partner=owner.name, area=plan.inspection.area.name))
    status = rules.first_action_status(_document(plan), framework_of(plan.inspection))
    dates.check_due_date(plan, due_on)
    action = PlanAction(
        plan=plan, text=text, owner=owner, due_on=due_on, milestone=milestone, finding=finding, status=status
    )
    action.full_clean()
    with transaction.atomic():
        _lock_plan(plan, expected_version)
        action.save()
        _count_plan_change(plan)
        audit.record(
            actor=actor,
            action="plan.action_add",
            obj=plan,
            changes={"action": text[:100], "action_id": action.pk, "owner": owner.name},
        )
    return action


def plan_action_progress(
    *, action: PlanAction, status: str, actor: User, expected_version: int | None = None
) -> PlanAction:
    """Move an action's status forward; checked on the locked action, so it never goes back.
    `expected_version` is the version of the action's plan."""
    check(actor, Action.PLAN_SUBMIT, action)
    order = [code for code, _ in rules.action_statuses(action)]
    if status not in order:
        raise InspectionError(
            UNKNOWN_ACTION_STATUS.format(
                status=status, title=action.plan.title, choices=", ".join(order) or "none declared"
            )
        )
    with transaction.atomic():
        _lock_plan(action.plan, expected_version)
        action.status = (
            PlanAction.objects.select_for_update().values_list("status", flat=True).get(pk=action.pk)
        )
        if action.status in order and order.index(status) < order.index(action.status):
            raise InspectionError(ACTION_STATUS_BACKWARDS.format(current=action.status, target=status))
        before = action.status
        action.status = status
        action.save(update_fields=["status"])
        _count_plan_change(action.plan)
        audit.record(
            actor=actor,
            action="plan.action_progress",
            obj=action.plan,
            changes={"action": action.pk, "status": [before, status]},
        )
    return action


# --- follow-up visits ---------------------------------------------------------------------------


def _visit_spec(inspection: Inspection, visit: str) -> Any:
    framework = framework_of(inspection)
    specs = {v.key: v for v in framework.visits}
    spec = specs.get(visit)
    if spec is None:
        raise InspectionError(
            UNKNOWN_VISIT.format(visit=visit, framework=framework.title, visits=_names(specs))
        )
    return spec


def _record_visit_events(
    inspection: Inspection,
    spec: Any,
    notified_on: dt.date | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    actor: User,
) -> None:
    """Record the dates the framework's deadlines for this kind of visit run from, checked together."""
    values = dates.visit_event_dates(spec, notified_on, starts_on, ends_on)
    if values:
        dates_store(inspection=inspection, values=values, actor=actor)


def visit_schedule(
    *,
    inspection: Inspection,
    visit: str,
    actor: User,
    notified_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Visit:
    check(actor, Action.VISIT_CHANGE, inspection)
    spec = _visit_spec(inspection, visit)
    dates.check_visit_days(starts_on, ends_on)
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        if spec.required_when and not condition_met(spec.required_when, inspection_events(inspection)):
            raise InspectionError(VISIT_NOT_REQUIRED.format(title=spec.title.lower()))
        record = Visit.objects.create(
            inspection=inspection, visit=visit, notified_on=notified_on, starts_on=starts_on, ends_on=ends_on
        )
        _record_visit_events(inspection, spec, notified_on, starts_on, ends_on, actor)
        count_change(inspection)
        audit.record(
            actor=actor,
            action="visit.schedule",
            obj=inspection,
            changes={"visit": visit, "starts_on": starts_on.isoformat() if starts_on else None},
        )
    return record


class JudgementsDisagree(InspectionError):
    """The overall judgement of a visit disagrees with its judgement of each finding, and no reason
    for the difference was given."""


def _reason_to_store(
    visit: Visit, spec: Any, per_finding: dict[int, str], overall: str, reason: str, findings: Any
) -> str:
    """The reason for the difference to store with the visit's judgements once these are recorded
    (checked on the stored judgements, under the inspection's lock): '' when the overall judgement
    agrees with the judgement of each finding. A difference needs a reason: the one given, or the one
    already stored when no judgement changes. Raises `JudgementsDisagree` without one."""
    stored_overall, stored_reason = Visit.objects.values_list("overall", "reason_for_difference").get(
        pk=visit.pk
    )
    visit.overall = stored_overall  # what is stored, not what the caller read
    current = dict(visit.judgements.values_list("finding_id", "judgement"))
    framework = framework_of(visit.inspection)
    problem = consistency.disagreement(
        framework, spec, overall or stored_overall, {**current, **per_finding}, findings.values()
    )
    if problem is None:
        return ""
    changed = (overall and overall != stored_overall) or any(
        current.get(pk) != judgement for pk, judgement in per_finding.items()
    )
    if reason.strip():
        return reason.strip()
    if stored_reason and not changed:
        return str(stored_reason)
    raise JudgementsDisagree(problem)


def visit_judge(
    *,
    visit: Visit,
    actor: User,
    per_finding: dict[int, str] | None = None,
    overall: str = "",
    published_on: dt.date | None = None,
    reason_for_difference: str = "",
    expected_version: int | None = None,
) -> Visit:
    """Record a visit's judgements: one per finding it judges, and the overall one. An overall
    judgement that disagrees with the judgement of each finding (by the framework's `implied_by`)
    is refused unless `reason_for_difference` says why; the reason is stored with the visit."""
    check(actor, Action.VISIT_CHANGE, visit)
    spec = _visit_spec(visit.inspection, visit.visit)
    per_finding = per_finding or {}
    in_force = visit.inspection.findings.in_force()  # a withdrawn finding is judged no more
    findings = {f.pk: f for f in in_force.filter(kind__in=spec.judged_kinds)}
    for finding_id, judgement in per_finding.items():
        if finding_id not in findings:
            raise InspectionError(FINDING_NOT_JUDGED_HERE.format(finding=f"Finding {finding_id}"))
        finding_scale = spec.scale_judging(findings[finding_id].kind)
        options = [o.key for o in finding_scale.options] if finding_scale else []
        if judgement not in options:
            raise InspectionError(
                UNKNOWN_VISIT_JUDGEMENT.format(
                    judgement=judgement,
                    scale=finding_scale.label if finding_scale else "findings",
                    choices=_names(options),
                )
            )
    overall_scale = spec.overall_scale
    if overall:
        options = [o.key for o in overall_scale.options] if overall_scale else []
        if overall not in options:
            raise InspectionError(
                UNKNOWN_VISIT_JUDGEMENT.format(
                    judgement=overall,
                    scale=overall_scale.label if overall_scale else "overall",
                    choices=_names(options),
                )
            )
    events = getattr(spec, "events", None)
    with transaction.atomic():
        lock_inspection(visit.inspection, expected_version=expected_version)
        visit.refresh_from_db(fields=["notified_on", "starts_on", "ends_on"])
        dates.check_visit_over(visit.ends_on, spec.title)
        reason = _reason_to_store(visit, spec, per_finding, overall, reason_for_difference, findings)
        if events is not None:  # first: the steps that can still be refused
            if overall and events.outcome:
                event_store(inspection=visit.inspection, name=events.outcome, choice=overall, actor=actor)
            if published_on and events.published:
                event_store(inspection=visit.inspection, name=events.published, on=published_on, actor=actor)
        for finding_id, judgement in per_finding.items():
            VisitJudgement.objects.update_or_create(
                visit=visit, finding=findings[finding_id], defaults={"judgement": judgement}
            )
        if overall:
            visit.overall = overall
        if published_on:
            visit.published_on = published_on
        visit.reason_for_difference = reason
        visit.save()
        record_visit(visit, framework_of(visit.inspection))
        count_change(visit.inspection)
        audit.record(
            actor=actor,
            action="visit.judge",
            obj=visit.inspection,
            changes={
                "visit": visit.visit,
                "visit_id": visit.pk,
                "overall": overall,
                "judgements": {str(k): v for k, v in per_finding.items()},
                **({"reason_for_difference": reason} if reason else {}),
            },
        )
    return visit


def visit_dates_record(
    *,
    visit: Visit,
    actor: User,
    notified_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Visit:
    """Add or correct a visit's dates (and the events its deadlines run from)."""
    check(actor, Action.VISIT_CHANGE, visit)
    spec = _visit_spec(visit.inspection, visit.visit)
    notified_on = notified_on or visit.notified_on
    starts_on = starts_on or visit.starts_on
    ends_on = ends_on or visit.ends_on
    dates.check_visit_days(starts_on, ends_on)
    with transaction.atomic():
        lock_inspection(visit.inspection, expected_version=expected_version)
        _record_visit_events(visit.inspection, spec, notified_on, starts_on, ends_on, actor)
        visit.notified_on, visit.starts_on, visit.ends_on = notified_on, starts_on, ends_on
        visit.save()
        record_visit(visit, framework_of(visit.inspection))  # a recorded visit's history keeps its dates
        count_change(visit.inspection)
        audit.record(
            actor=actor,
            action="visit.dates",
            obj=visit.inspection,
            changes={"visit": visit.visit, "starts_on": starts_on.isoformat() if starts_on else None},
        )
    return visit
