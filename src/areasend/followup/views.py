"""Pages for follow-up plans and visits: forms in, the follow-up services do the work."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from areasend.access import Action
from areasend.core.permissions import SignedInRequest, requires
from areasend.frameworks.words import overall_rule_in_words
from areasend.inspections.forms import date_text
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Inspection
from areasend.inspections.pages import (
    VERSION_FIELD,
    area_officer_inspection,
    inspection_for,
    inspection_form_page,
    posted,
)
from areasend.inspections.presentation import in_words

from . import dates, forms, rules, services
from .models import Plan


def _plan_of(inspection: Inspection, plan_pk: int) -> Plan:
    plan = inspection.plans.filter(pk=plan_pk).first()
    if plan is None:
        raise Http404("No such plan")
    plan.inspection = inspection
    return plan


@requires("plans.submit")
def plan_open(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    framework = framework_of(inspection)
    opened = set(inspection.plans.values_list("document", flat=True))
    documents = [(d.key, d.title) for d in framework.follow_up_documents if d.key not in opened]
    form = forms.PlanOpenForm(posted(request), documents=documents)

    def perform(data: dict[str, Any]) -> str:
        plan = services.plan_open(
            inspection=inspection,
            document=data["document"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"Opened: {plan.title}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Start a follow-up plan",
        button="Start plan",
        perform=perform,
    )


@requires("plans.submit")
def plan_submit(request: SignedInRequest, pk: int, plan_pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    plan = _plan_of(inspection, plan_pk)
    form = forms.PlanSubmitForm(posted(request))

    def perform(data: dict[str, Any]) -> str:
        submission = services.plan_submit(
            plan=plan,
            submitted_on=data["submitted_on"],
            summary=data["summary"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{plan.title}: submission {submission.number} recorded"

    def warn(data: dict[str, Any]) -> list[str]:
        found = dates.submission_warnings(plan, data["submitted_on"])
        return [in_words(framework_of(inspection), w) for w in found]

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Submit the {plan.title}",
        button="Submit plan",
        perform=perform,
        warn=warn,
        date_field=lambda name: "submitted_on",
        refresh=[plan],
        versioned=plan,
        stale_message=services.STALE_PLAN,
    )


@requires("plans.submit")
def plan_action_add(request: SignedInRequest, pk: int, plan_pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    plan = _plan_of(inspection, plan_pk)
    form = forms.PlanActionForm(
        posted(request),
        partners=inspection.area.partners.all(),
        findings=inspection.findings.in_force(),
    )

    def perform(data: dict[str, Any]) -> str:
        services.plan_action_add(
            plan=plan,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            milestone=data["milestone"],
            finding=data["finding"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{plan.title}: action added"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Add an action to the {plan.title}",
        button="Add action",
        perform=perform,
        versioned=plan,
        stale_message=services.STALE_PLAN,
    )


@requires("plans.submit")
def plan_action_progress(request: SignedInRequest, pk: int, plan_pk: int, action_pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    plan = _plan_of(inspection, plan_pk)
    action = plan.actions.select_related("owner").filter(pk=action_pk).first()
    if action is None:
        raise Http404("No such action")
    action.plan = plan
    form = forms.ActionProgressForm(posted(request), action=action, statuses=rules.action_statuses(action))
    now = rules.action_status_label(action).lower()

    def perform(data: dict[str, Any]) -> str:
        services.plan_action_progress(
            action=action, status=data["status"], actor=request.user, expected_version=data[VERSION_FIELD]
        )
        return f"Action now {rules.action_status_label(action).lower()}: {action}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Update an action's progress",
        button="Update progress",
        perform=perform,
        intro=f"{action.text} (owned by {action.owner.name}; now {now}).",
        refresh=[action],
        versioned=plan,
        stale_message=services.STALE_PLAN,
    )


@requires("inspections.change")
def plan_review(request: SignedInRequest, pk: int, plan_pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.PLAN_REVIEW)
    plan = _plan_of(inspection, plan_pk)
    form = forms.PlanReviewForm(posted(request), judgements=services.review_judgements(plan))

    def perform(data: dict[str, Any]) -> str:
        services.plan_review(
            plan=plan,
            judgement=data["judgement"],
            reviewed_on=data["reviewed_on"],
            feedback=data["feedback"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{plan.title}: {rules.plan_status_label(plan).lower()}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Review the {plan.title}",
        button="Record review",
        perform=perform,
        refresh=[plan],
        versioned=plan,
        stale_message=services.STALE_PLAN,
    )


# --- follow-up visits ----------------------------------------------------------------------------


@requires("inspections.change")
def visit_schedule(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.VISIT_CHANGE)
    framework = framework_of(inspection)
    form = forms.VisitScheduleForm(posted(request), visits=[(v.key, v.title) for v in framework.visits])

    def perform(data: dict[str, Any]) -> str:
        visit = services.visit_schedule(
            inspection=inspection,
            visit=data["visit"],
            notified_on=data["notified_on"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        title = next((v.title for v in framework.visits if v.key == visit.visit), visit.visit)
        return f"Scheduled: {title}"

    def warn(data: dict[str, Any]) -> list[str]:
        found = dates.visit_warnings(
            inspection, data["visit"], data["notified_on"], data["starts_on"], data["ends_on"]
        )
        return [in_words(framework, w) for w in found]

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Schedule a follow-up visit",
        button="Schedule visit",
        perform=perform,
        warn=warn,
        date_field=lambda name: _visit_date_field(framework.visits, name),
    )


def _visit_date_field(visits: Any, event: str) -> str | None:
    """The visit form's field for the date of `event` (None when no visit records it)."""
    for spec in visits:
        events = getattr(spec, "events", None)
        if events is not None:
            fields = {events.notified: "notified_on", events.start: "starts_on", events.end: "ends_on"}
            if event in fields:
                return fields[event]
    return None


@requires("inspections.change")
def visit_judge(request: SignedInRequest, pk: int, visit_pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.VISIT_CHANGE)
    visit = inspection.visits.filter(pk=visit_pk).first()
    if visit is None:
        raise Http404("No such visit")
    visit.inspection = inspection
    framework = framework_of(inspection)
    spec = framework.visit(visit.visit)
    overall_scale = spec.overall_scale if spec else None
    current = {j.finding_id: j.judgement for j in visit.judgements.all()}
    judged: list[tuple[Any, list[tuple[str, str]], str]] = []
    for finding in inspection.findings.in_force().filter(kind__in=spec.judged_kinds if spec else ()):
        scale = spec.scale_judging(finding.kind) if spec else None
        if scale is not None:
            judged.append((finding, [(o.key, o.label) for o in scale.options], scale.label))
    initial: dict[str, Any] = {forms.FINDING_FIELD.format(pk=f.pk): current.get(f.pk) for f, _, _ in judged}
    initial["overall"] = visit.overall or None
    initial["published_on"] = date_text(visit.published_on)
    initial[forms.REASON_FOR_DIFFERENCE] = visit.reason_for_difference
    form = forms.VisitJudgeForm(
        posted(request),
        initial=initial,
        findings=judged,
        overall_options=[(o.key, o.label) for o in overall_scale.options] if overall_scale else [],
        overall_scale=overall_scale.label if overall_scale else "",
        overall_rule=overall_rule_in_words(framework, spec) if spec else "",
    )
    title = spec.title if spec else visit.visit

    def perform(data: dict[str, Any]) -> str:
        try:
            services.visit_judge(
                visit=visit,
                per_finding=form.per_finding(),
                overall=data.get("overall") or "",
                published_on=data.get("published_on"),
                reason_for_difference=data.get(forms.REASON_FOR_DIFFERENCE) or "",
                actor=request.user,
                expected_version=data[VERSION_FIELD],
            )
        except services.JudgementsDisagree as exc:  # shown beside the reason, and in the summary
            raise ValidationError({forms.REASON_FOR_DIFFERENCE: str(exc)}) from exc
        return f"{title}: judgements recorded"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Record the {title.lower()} judgements",
        button="Record judgements",
        perform=perform,
        intro=spec.purpose if spec else "",
        refresh=[visit],
    )


@requires("inspections.change")
def visit_dates(request: SignedInRequest, pk: int, visit_pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.VISIT_CHANGE)
    visit = inspection.visits.filter(pk=visit_pk).first()
    if visit is None:
        raise Http404("No such visit")
    visit.inspection = inspection
    initial = {
        "notified_on": date_text(visit.notified_on),
        "starts_on": date_text(visit.starts_on),
        "ends_on": date_text(visit.ends_on),
    }
    form = forms.VisitDatesForm(posted(request), initial=initial)

    def perform(data: dict[str, Any]) -> str:
        services.visit_dates_record(
            visit=visit,
            notified_on=data["notified_on"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return "Visit dates saved"

    def warn(data: dict[str, Any]) -> list[str]:
        found = dates.visit_warnings(
            inspection,
            visit.visit,
            data["notified_on"] or visit.notified_on,
            data["starts_on"] or visit.starts_on,
            data["ends_on"] or visit.ends_on,
        )
        return [in_words(framework, w) for w in found]

    framework = framework_of(inspection)
    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Record the visit's dates",
        button="Save dates",
        perform=perform,
        refresh=(visit,),
        warn=warn,
        date_field=lambda name: _visit_date_field(framework.visits, name),
    )
