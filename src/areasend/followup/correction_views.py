"""Pages of one plan submission, plan action or visit judgement: what is recorded, its history, and
the forms that correct or withdraw it (each calls one service of `followup.corrections`; a refusal
shows in the GOV.UK error summary with the service's message and nothing changes).

An inspection the viewer may not see is a 404; each form needs the access that recording the thing
needs (the area's officers for submissions and actions, the team for reviews and visits)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.formats import date_format

from areasend.access import Action, decide
from areasend.core.forms import date_text
from areasend.core.permissions import SignedInRequest, requires
from areasend.inspections.correction_views import WITHDRAW_INTRO
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Finding, Inspection
from areasend.inspections.pages import (
    VERSION_FIELD,
    area_officer_inspection,
    inspection_for,
    inspection_form_page,
    posted,
    visible_inspection,
)
from areasend.inspections.record_pages import link, record_page

from . import corrections, rules, services, visit_corrections
from .correction_forms import (
    ActionCorrectForm,
    JudgementCorrectForm,
    ReviewCorrectForm,
    SubmissionCorrectForm,
    WithdrawForm,
)
from .models import Plan, PlanAction, PlanSubmission, Visit, VisitJudgement
from .record_history import action_history, judgement_history, submission_history


def _day(value: Any) -> str:
    return date_format(value, "j F Y") if value else ""


def _plan_of(inspection: Inspection, plan_pk: int) -> Plan:
    plan = inspection.plans.filter(pk=plan_pk).first()
    if plan is None:
        raise Http404("No such plan")
    plan.inspection = inspection
    return plan


def _submission_of(inspection: Inspection, plan_pk: int, submission_pk: int) -> PlanSubmission:
    plan = _plan_of(inspection, plan_pk)
    submission = (
        plan.submissions.select_related("submitted_by", "reviewed_by", "withdrawn_by")
        .filter(pk=submission_pk)
        .first()
    )
    if submission is None:
        raise Http404("No such submission")
    submission.plan = plan
    return submission


def _action_of(inspection: Inspection, plan_pk: int, action_pk: int) -> PlanAction:
    plan = _plan_of(inspection, plan_pk)
    action = plan.actions.select_related("owner", "finding", "withdrawn_by").filter(pk=action_pk).first()
    if action is None:
        raise Http404("No such action")
    action.plan = plan
    return action


def _visit_of(inspection: Inspection, visit_pk: int) -> Visit:
    visit = inspection.visits.filter(pk=visit_pk).first()
    if visit is None:
        raise Http404("No such visit")
    visit.inspection = inspection
    return visit


def _judged_finding(inspection: Inspection, finding_pk: int) -> Finding:
    finding = inspection.findings.filter(pk=finding_pk).first()
    if finding is None:
        raise Http404("No such finding")
    finding.inspection = inspection
    return finding


def _url(view: str, *args: Any) -> str:
    return reverse(f"followup:{view}", args=args)


def _plan_back(plan: Plan) -> str:
    return reverse("inspections:detail", args=[plan.inspection_id]) + f"#plan-{plan.pk}"


# --- submissions and reviews --------------------------------------------------------------------


def _latest_in_force(plan: Plan) -> PlanSubmission | None:
    return plan.submissions.in_force().order_by("-number").first()


@requires("inspections.view")
def submission_detail(request: SignedInRequest, pk: int, plan_pk: int, submission_pk: int) -> HttpResponse:
    inspection = visible_inspection(request, pk)
    submission = _submission_of(inspection, plan_pk, submission_pk)
    plan = submission.plan
    args = (inspection.pk, plan.pk, submission.pk)
    judgements = dict(services.review_judgements(plan))
    links: list[dict[str, str]] = []
    if not submission.is_withdrawn:
        if decide(request.user, Action.PLAN_SUBMIT, submission):
            links.append(link(_url("submission-correct", *args), "Correct the submission"))
            latest = _latest_in_force(plan)
            if not submission.judgement and latest is not None and latest.pk == submission.pk:
                links.append(link(_url("submission-withdraw", *args), "Withdraw the submission"))
        if submission.judgement and decide(request.user, Action.PLAN_REVIEW, submission):
            links.append(link(_url("review-correct", *args), "Correct the review"))
    review = (
        f"{judgements.get(submission.judgement, submission.judgement)} ({_day(submission.reviewed_on)})"
        if submission.judgement
        else "Awaiting review"
    )
    summary = [
        ("Submitted", f"{_day(submission.submitted_on)} by {submission.submitted_by.get_username()}"),
        ("Summary", submission.summary or "None given"),
        ("Review", review),
    ]
    if submission.feedback:
        summary.append(("Feedback", submission.feedback))
    return record_page(
        request,
        inspection=inspection,
        heading=f"{plan.title}: submission {submission.number}",
        summary=summary,
        history=submission_history(submission),
        links=links,
        record=submission,
        back=_plan_back(plan),
    )


@requires("plans.submit")
def submission_correct(request: SignedInRequest, pk: int, plan_pk: int, submission_pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    submission = _submission_of(inspection, plan_pk, submission_pk)
    plan = submission.plan
    form = SubmissionCorrectForm(
        posted(request),
        initial={"submitted_on": date_text(submission.submitted_on), "summary": submission.summary},
    )

    def perform(data: dict[str, Any]) -> str:
        corrections.plan_submission_correct(
            submission=submission,
            submitted_on=data["submitted_on"],
            summary=data["summary"],
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{plan.title}: submission {submission.number} corrected"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Correct submission {submission.number} of the {plan.title}",
        button="Save the correction",
        perform=perform,
        intro="The date it records for the plan's deadlines follows the correction.",
        refresh=[plan, submission],
        versioned=plan,
        stale_message=services.STALE_PLAN,
        back=_url("submission-detail", inspection.pk, plan.pk, submission.pk),
    )


@requires("inspections.change")
def review_correct(request: SignedInRequest, pk: int, plan_pk: int, submission_pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.PLAN_REVIEW)
    submission = _submission_of(inspection, plan_pk, submission_pk)
    plan = submission.plan
    latest = _latest_in_force(plan)
    fixed = latest is not None and latest.pk != submission.pk
    form = ReviewCorrectForm(
        posted(request),
        judgements=services.review_judgements(plan),
        judgement_fixed=fixed,
        initial={
            "judgement": submission.judgement or None,
            "reviewed_on": date_text(submission.reviewed_on),
            "feedback": submission.feedback,
        },
    )

    def perform(data: dict[str, Any]) -> str:
        corrections.plan_review_correct(
            submission=submission,
            reviewed_on=data["reviewed_on"],
            judgement=data.get("judgement"),
            feedback=data["feedback"],
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{plan.title}: review of submission {submission.number} corrected"

    intro = "The plan's status and the dates its deadlines run from follow the correction."
    if fixed:
        intro = "A later submission was made, so only the date and feedback of this review can change."
    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Correct the review of submission {submission.number}",
        button="Save the correction",
        perform=perform,
        intro=intro,
        refresh=[plan, submission],
        versioned=plan,
        stale_message=services.STALE_PLAN,
        back=_url("submission-detail", inspection.pk, plan.pk, submission.pk),
    )


@requires("plans.submit")
def submission_withdraw(request: SignedInRequest, pk: int, plan_pk: int, submission_pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    submission = _submission_of(inspection, plan_pk, submission_pk)
    plan = submission.plan
    form = WithdrawForm(posted(request))

    def perform(data: dict[str, Any]) -> str:
        corrections.plan_submission_withdraw(
            submission=submission,
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{plan.title}: submission {submission.number} withdrawn"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Withdraw submission {submission.number} of the {plan.title}",
        button="Withdraw the submission",
        button_classes="govuk-button--warning",
        perform=perform,
        intro=f"The plan goes back to where it was before this submission. {WITHDRAW_INTRO}",
        refresh=[plan, submission],
        versioned=plan,
        stale_message=services.STALE_PLAN,
        back=_url("submission-detail", inspection.pk, plan.pk, submission.pk),
    )


# --- actions ------------------------------------------------------------------------------------


@requires("inspections.view")
def action_detail(request: SignedInRequest, pk: int, plan_pk: int, action_pk: int) -> HttpResponse:
    inspection = visible_inspection(request, pk)
    action = _action_of(inspection, plan_pk, action_pk)
    plan = action.plan
    links: list[dict[str, str]] = []
    if not action.is_withdrawn and decide(request.user, Action.PLAN_SUBMIT, action):
        args = (inspection.pk, plan.pk, action.pk)
        links = [
            link(_url("action-correct", *args), "Correct the action"),
            link(_url("action-withdraw", *args), "Withdraw the action"),
        ]
    summary = [
        ("Action", action.text),
        ("Owned by", action.owner.name),
        ("Due by", _day(action.due_on)),
        ("Progress", rules.action_status_label(action)),
    ]
    if action.milestone:
        summary.append(("Milestone", action.milestone))
    if action.finding is not None:
        summary.append(("Finding it addresses", str(action.finding)))
    return record_page(
        request,
        inspection=inspection,
        heading=f"{plan.title}: an action",
        summary=summary,
        history=action_history(action),
        links=links,
        record=action,
        back=_plan_back(plan),
    )


@requires("plans.submit")
def action_correct(request: SignedInRequest, pk: int, plan_pk: int, action_pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    action = _action_of(inspection, plan_pk, action_pk)
    plan = action.plan
    form = ActionCorrectForm(
        posted(request),
        partners=inspection.area.partners.all(),
        statuses=rules.action_statuses(action),
        initial={
            "text": action.text,
            "owner": action.owner_id,
            "due_on": date_text(action.due_on),
            "milestone": action.milestone,
            "status": action.status,
        },
    )

    def perform(data: dict[str, Any]) -> str:
        corrections.plan_action_correct(
            action=action,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            milestone=data["milestone"],
            status=data["status"],
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{plan.title}: action corrected"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Correct an action",
        button="Save the correction",
        perform=perform,
        intro="A correction may also put its progress back, for example an action marked complete too soon.",
        refresh=[plan, action],
        versioned=plan,
        stale_message=services.STALE_PLAN,
        back=_url("action-detail", inspection.pk, plan.pk, action.pk),
    )


@requires("plans.submit")
def action_withdraw(request: SignedInRequest, pk: int, plan_pk: int, action_pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    action = _action_of(inspection, plan_pk, action_pk)
    plan = action.plan
    form = WithdrawForm(posted(request))

    def perform(data: dict[str, Any]) -> str:
        corrections.plan_action_withdraw(
            action=action, reason=data["reason"], actor=request.user, expected_version=data[VERSION_FIELD]
        )
        return f"{plan.title}: action withdrawn"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Withdraw an action",
        button="Withdraw the action",
        button_classes="govuk-button--warning",
        perform=perform,
        intro=f"{action.text} A withdrawn action is never overdue. {WITHDRAW_INTRO}",
        refresh=[plan, action],
        versioned=plan,
        stale_message=services.STALE_PLAN,
        back=_url("action-detail", inspection.pk, plan.pk, action.pk),
    )


# --- visit judgements ---------------------------------------------------------------------------


def _scale(visit: Visit, finding: Finding | None) -> tuple[str, list[tuple[str, str]]]:
    spec = framework_of(visit.inspection).visit(visit.visit)
    scale = None
    if spec is not None:
        scale = spec.overall_scale if finding is None else spec.scale_judging(finding.kind)
    if scale is None:
        return "Judgement", []
    return scale.label, [(o.key, o.label) for o in scale.options]


def _visit_title(visit: Visit) -> str:
    spec = framework_of(visit.inspection).visit(visit.visit)
    return spec.title if spec else visit.visit


def _judgement_page(request: SignedInRequest, visit: Visit, finding: Finding | None) -> HttpResponse:
    inspection = visit.inspection
    label, options = _scale(visit, finding)
    words = dict(options)
    if finding is None:
        current = visit.overall
    else:
        stored = VisitJudgement.objects.filter(visit=visit, finding=finding).first()
        current = stored.judgement if stored is not None else ""
    history = judgement_history(visit, finding)
    now = words.get(current, current) if current else "Not judged"
    if not current and history and history[-1].what == "Withdrawn":
        now = "Withdrawn"
    links: list[dict[str, str]] = []
    if current and decide(request.user, Action.VISIT_CHANGE, visit):
        if finding is None:
            links = [link(_url("overall-correct", inspection.pk, visit.pk), "Correct the overall judgement")]
        else:
            args = (inspection.pk, visit.pk, finding.pk)
            links = [
                link(_url("judgement-correct", *args), "Correct the judgement"),
                link(_url("judgement-withdraw", *args), "Withdraw the judgement"),
            ]
    summary = [(label, now)]
    if finding is not None:
        summary.insert(0, ("Finding", finding.text))
    title = _visit_title(visit)
    return record_page(
        request,
        inspection=inspection,
        heading=f"{title}: {finding if finding is not None else 'overall judgement'}",
        summary=summary,
        history=history,
        links=links,
        back=reverse("inspections:detail", args=[inspection.pk]) + f"#visit-{visit.pk}",
    )


@requires("inspections.view")
def judgement_detail(request: SignedInRequest, pk: int, visit_pk: int, finding_pk: int) -> HttpResponse:
    inspection = visible_inspection(request, pk)
    return _judgement_page(request, _visit_of(inspection, visit_pk), _judged_finding(inspection, finding_pk))


@requires("inspections.view")
def overall_detail(request: SignedInRequest, pk: int, visit_pk: int) -> HttpResponse:
    inspection = visible_inspection(request, pk)
    return _judgement_page(request, _visit_of(inspection, visit_pk), None)


def _judgement_form(request: SignedInRequest, visit: Visit, finding: Finding | None) -> HttpResponse:
    inspection = visit.inspection
    label, options = _scale(visit, finding)
    current = (
        visit.overall
        if finding is None
        else VisitJudgement.objects.filter(visit=visit, finding=finding)
        .values_list("judgement", flat=True)
        .first()
    )
    form = JudgementCorrectForm(
        posted(request), label=label, options=options, initial={"judgement": current or None}
    )
    what = str(finding) if finding is not None else "the overall judgement"

    def perform(data: dict[str, Any]) -> str:
        visit_corrections.visit_judgement_correct(
            visit=visit,
            finding=finding,
            judgement=data["judgement"],
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{_visit_title(visit)}: judgement of {what} corrected"

    back = (
        _url("overall-detail", inspection.pk, visit.pk)
        if finding is None
        else _url("judgement-detail", inspection.pk, visit.pk, finding.pk)
    )
    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Correct the judgement: {what}",
        button="Save the correction",
        perform=perform,
        intro=f"{_visit_title(visit)}. The national history follows the correction.",
        refresh=[visit],
        back=back,
    )


@requires("inspections.change")
def judgement_correct(request: SignedInRequest, pk: int, visit_pk: int, finding_pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.VISIT_CHANGE)
    return _judgement_form(request, _visit_of(inspection, visit_pk), _judged_finding(inspection, finding_pk))


@requires("inspections.change")
def overall_correct(request: SignedInRequest, pk: int, visit_pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.VISIT_CHANGE)
    return _judgement_form(request, _visit_of(inspection, visit_pk), None)


@requires("inspections.change")
def judgement_withdraw(request: SignedInRequest, pk: int, visit_pk: int, finding_pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.VISIT_CHANGE)
    visit = _visit_of(inspection, visit_pk)
    finding = _judged_finding(inspection, finding_pk)
    form = WithdrawForm(posted(request))

    def perform(data: dict[str, Any]) -> str:
        visit_corrections.visit_judgement_withdraw(
            visit=visit,
            finding=finding,
            reason=data["reason"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{_visit_title(visit)}: judgement of {finding} withdrawn"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Withdraw the judgement: {finding}",
        button="Withdraw the judgement",
        button_classes="govuk-button--warning",
        perform=perform,
        intro=f"{_visit_title(visit)}. {WITHDRAW_INTRO}",
        refresh=[visit],
        back=_url("judgement-detail", inspection.pk, visit.pk, finding.pk),
    )
