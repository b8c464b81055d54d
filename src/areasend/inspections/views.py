"""Inspection pages. Thin: forms in, services and selectors do the work.

Every page that changes something calls one service. A refused move (`InspectionError`) is shown to
the user in the GOV.UK error summary with the service's own message, and nothing changes.

Object checks, after the role check of `@requires`: an inspection the user may not see is a 404
(`selectors.inspection_get`); one they may see but not act on is a 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from areasend.areas.models import LIVE, LocalArea
from areasend.core.permissions import has_permission, requires
from areasend.domain.frameworks import Framework
from areasend.domain.timeline import TimelineError
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.presentation import confidence
from areasend.frameworks.selectors import latest_versions

from . import forms, hooks, selectors, services
from .frameworks import framework_of
from .models import ConflictOfInterest, Finding, Inspection, Plan, PlanAction
from .services import InspectionError

NOT_IN_TEAM = "Only the inspection's team can do this."
NOT_YOUR_AREA = "Only the area's partnership officers can do this."
NOT_YOUR_NOTES = "Only the inspection's team can read and write private notes."

STATUS_TAGS = {
    "met": ("Met", "govuk-tag--green"),
    "late": ("Late", "govuk-tag--orange"),
    "due": ("Due", "govuk-tag--blue"),
    "projected": ("Projected", "govuk-tag--grey"),
    "conditional": ("Conditional", "govuk-tag--purple"),
    "overdue": ("Overdue", "govuk-tag--red"),
}
PLAN_TAGS = {
    Plan.DRAFTING: "govuk-tag--grey",
    Plan.SUBMITTED: "govuk-tag--blue",
    Plan.NOT_FIT: "govuk-tag--orange",
    Plan.ACCEPTED: "govuk-tag--green",
    Plan.ESCALATED: "govuk-tag--red",
}


# --- helpers -------------------------------------------------------------------------------------


def _data(request: HttpRequest) -> Any:
    """The posted data, or None for a GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _visible(request: HttpRequest, pk: int) -> Inspection:
    return selectors.inspection_get(user=request.user, pk=pk)


def _changeable(request: HttpRequest, pk: int) -> Inspection:
    inspection = _visible(request, pk)
    if not selectors.can_change(request.user, inspection):
        raise PermissionDenied(NOT_IN_TEAM)
    return inspection


def _for_area_officer(request: HttpRequest, pk: int) -> Inspection:
    inspection = _visible(request, pk)
    if not selectors.can_submit_plans(request.user, inspection):
        raise PermissionDenied(NOT_YOUR_AREA)
    return inspection


def _state_label(framework: Framework, key: str) -> str:
    return next((s.label for s in framework.lifecycle.states if s.key == key), key)


def _outcome_label(framework: Framework, key: str) -> str:
    if not key:
        return ""
    found = framework.outcome(key)
    return f"{found.number}. {found.label}" if found else key


def _is_forward(framework: Framework, current: str, target: str) -> bool:
    order = [s.key for s in framework.lifecycle.states]
    return current in order and target in order and order.index(target) > order.index(current)


def _move_date(inspection: Inspection, framework: Framework, target: str) -> tuple[Any, dt.date | None]:
    """The date event a move asks for (None when it asks for none) and the date already recorded.

    A move back (returning a draft for changes) keeps the date already recorded without asking again.
    """
    needed = services.required_events(framework, target)
    event = framework.event(needed[0]) if needed else None
    if event is None:
        return None, None
    recorded = services.inspection_events(inspection).get(event.name)
    recorded_date = recorded if isinstance(recorded, dt.date) else None
    if recorded_date is not None and not _is_forward(framework, inspection.state, target):
        return None, recorded_date
    return event, recorded_date


def _event_label(framework: Framework, name: str) -> str:
    found = framework.event(name)
    return found.label if found else name


def _form_page(
    request: HttpRequest,
    *,
    inspection: Inspection,
    form: Form,
    heading: str,
    button: str,
    perform: Callable[[dict[str, Any]], str],
    intro: str = "",
    refresh: Iterable[Model] = (),
) -> HttpResponse:
    """Show a form; on a valid POST call the service through `perform`, which returns the success message."""
    if request.method == "POST" and form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except (InspectionError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            # services may have changed objects in memory before refusing; show what is stored
            for obj in (inspection, *refresh):
                obj.refresh_from_db()
        else:
            messages.success(request, message)
            return redirect("inspections:detail", pk=inspection.pk)
    context = {"inspection": inspection, "form": form, "heading": heading, "button": button, "intro": intro}
    return render(request, "inspections/action_form.html", context)


# --- reading -------------------------------------------------------------------------------------


@requires("inspections.view")
def inspection_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for inspection in selectors.inspections_visible_to(request.user).select_related("area", "framework"):
        framework = framework_of(inspection)
        rows.append(
            {
                "inspection": inspection,
                "framework": framework,
                "state": _state_label(framework, inspection.state),
                "outcome": _outcome_label(framework, inspection.outcome),
            }
        )
    return render(
        request,
        "inspections/list.html",
        {"rows": rows, "can_create": has_permission(request.user, "inspections.create")},
    )


@requires("inspections.view")
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _visible(request, pk)
    return render(request, "inspections/detail.html", _detail_context(request, inspection))


def _detail_context(request: HttpRequest, inspection: Inspection) -> dict[str, Any]:
    user = request.user
    framework = framework_of(inspection)
    today = dt.date.today()
    can_change = selectors.can_change(user, inspection)
    can_submit = selectors.can_submit_plans(user, inspection)
    can_notes = selectors.can_see_private_notes(user, inspection)
    can_create = has_permission(user, "inspections.create")

    try:
        timeline = services.inspection_timeline(inspection, today=today)
        milestones, warnings = timeline.milestones, list(timeline.warnings)
    except TimelineError as exc:  # recorded events are checked when recorded; this is only a safety net
        milestones, warnings = (), [str(exc)]

    roles = {r.key: r for r in framework.team_roles}
    events = services.inspection_events(inspection)
    moves: list[dict[str, Any]] = []
    if can_change:
        for transition in framework.lifecycle.transitions:
            if transition.from_ != inspection.state:
                continue
            forward = _is_forward(framework, inspection.state, transition.to)
            moves.append(
                {
                    "target": transition.to,
                    "label": transition.label or f"Move to {_state_label(framework, transition.to).lower()}",
                    "needs_date": _move_date(inspection, framework, transition.to)[0] is not None,
                    # the first move forward is the main button; going back (postpone, return) is secondary
                    "primary": forward and not any(m["primary"] for m in moves),
                }
            )
    open_documents = {p.document for p in inspection.plans.all()}
    return {
        "inspection": inspection,
        "framework": framework,
        "state": _state_label(framework, inspection.state),
        "outcome": _outcome_label(framework, inspection.outcome),
        "milestones": [
            {
                "key": m.key,
                "label": m.label,
                "due": m.due,
                "rule": m.rule,
                "actual": m.actual,
                "status": m.status,
                "status_text": STATUS_TAGS[m.status][0],
                "status_classes": STATUS_TAGS[m.status][1],
                "confidence": confidence(m.confidence),
            }
            for m in milestones
        ],
        "warnings": warnings,
        "events": [
            {"label": _event_label(framework, name), "value": value, "is_date": isinstance(value, dt.date)}
            for name, value in events.items()
            if name != "outcome"
        ],
        "team": [
            {
                "user": member.user,
                "role": roles[member.role].title if member.role in roles else member.role,
                "organisation": roles[member.role].organisation if member.role in roles else "",
            }
            for member in inspection.team.select_related("user")
        ],
        "conflicts": (
            list(ConflictOfInterest.objects.filter(area_id=inspection.area_id).select_related("inspector"))
            if can_change
            else []
        ),
        "activities": list(inspection.activities.prefetch_related("inspectors")),
        "findings": list(inspection.findings.prefetch_related("responsible")),
        "sign_offs": list(inspection.sign_offs.select_related("user")),
        "plans": _plans(inspection, framework, today, can_submit=can_submit, can_change=can_change),
        "visits": _visits(inspection, framework),
        "notes": selectors.private_notes(user=user, inspection=inspection) if can_notes else [],
        "moves": moves,
        "can_change": can_change,
        "can_submit": can_submit,
        "can_notes": can_notes,
        "can_create": can_create,
        "lines_of_enquiry": None,  # other apps may fill it in (hooks.page_context)
        "can_open_plan": can_submit
        and any(d.key not in open_documents for d in framework.follow_up_documents),
        "can_schedule_visit": can_change and bool(framework.visits),
    } | hooks.context_for_page(user, inspection)


def _plans(
    inspection: Inspection, framework: Framework, today: dt.date, *, can_submit: bool, can_change: bool
) -> list[dict[str, Any]]:
    documents = {d.key: d for d in framework.follow_up_documents}
    overdue = {a.pk for a in selectors.overdue_actions(inspection=inspection, today=today)}
    statuses = dict(Plan.STATUS_CHOICES)
    rows = []
    plans = inspection.plans.prefetch_related(
        "submissions__submitted_by", "submissions__reviewed_by", "actions__owner", "actions__finding"
    )
    for plan in plans:
        document = documents.get(plan.document)
        judgements = {j.key: j.label for j in document.review_judgements} if document else {}
        rows.append(
            {
                "plan": plan,
                "status": plan.get_status_display(),
                "status_classes": PLAN_TAGS.get(plan.status, ""),
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
                        "overdue": a.pk in overdue,
                        "can_progress": can_submit and a.status != PlanAction.COMPLETE,
                    }
                    for a in plan.actions.all()
                ],
                "can_submit": can_submit and plan.status in {Plan.DRAFTING, Plan.NOT_FIT},
                "can_add_action": can_submit,
                "can_review": can_change and plan.status == Plan.SUBMITTED,
            }
        )
    return rows


def _visits(inspection: Inspection, framework: Framework) -> list[dict[str, Any]]:
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
    return rows


# --- creating ------------------------------------------------------------------------------------


@requires("inspections.create")
def inspection_create(request: HttpRequest) -> HttpResponse:
    form = forms.InspectionCreateForm(
        _data(request),
        areas=LocalArea.objects.filter(status=LIVE),
        frameworks=latest_versions(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        version = (
            FrameworkVersion.objects.filter(framework_id=form.cleaned_data["framework"])
            .order_by("-version")
            .first()
        )
        try:
            if version is None:  # the choices are the loaded frameworks, so only a race gets here
                raise InspectionError(forms.SELECT_FRAMEWORK)
            inspection = services.inspection_create(
                area=form.cleaned_data["area"],
                framework_version=version,
                title=form.cleaned_data["title"].strip(),
                actor=request.user,
            )
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Inspection planned: {inspection}")
            return redirect("inspections:detail", pk=inspection.pk)
    return render(request, "inspections/create.html", {"form": form})


# --- moves, events, outcome ----------------------------------------------------------------------


@requires("inspections.change")
def inspection_move(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    inspection = _changeable(request, pk)
    framework = framework_of(inspection)
    transition = next(
        (t for t in framework.lifecycle.transitions if t.from_ == inspection.state and t.to == target), None
    )
    if transition is None and request.method != "POST":
        raise Http404("No such move from this state")
    event, recorded = _move_date(inspection, framework, target)
    form = forms.MoveForm(
        _data(request),
        date_label=event.label if event else "",
        date_required=event is not None and recorded is None,
        initial={"on": forms.date_text(recorded)} if event is not None and recorded else None,
    )
    label = (
        transition.label
        if transition and transition.label
        else f"Move to {_state_label(framework, target).lower()}"
    )

    def perform(data: dict[str, Any]) -> str:
        services.inspection_move(inspection=inspection, target=target, on=data.get("on"), actor=request.user)
        return f"{inspection} is now at: {_state_label(framework, inspection.state)}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading=label,
        button=label,
        perform=perform,
        intro=f"Now: {_state_label(framework, inspection.state)}. Next: {_state_label(framework, target)}.",
    )


@requires("inspections.change")
def event_record(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    framework = framework_of(inspection)
    form = forms.EventForm(_data(request), framework=framework)

    def perform(data: dict[str, Any]) -> str:
        services.event_record(
            inspection=inspection, name=data["name"], on=data["on"], choice=data["choice"], actor=request.user
        )
        found = framework.event(data["name"])
        return f"Recorded: {found.label if found else data['name']}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Record a date or decision",
        button="Record",
        perform=perform,
        intro="Deadlines are worked out again from what you record. Give a date for something that "
        "happened, or a decision for a choice such as a review judgement.",
    )


@requires("inspections.change")
def outcome_record(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    framework = framework_of(inspection)
    form = forms.OutcomeForm(
        _data(request), framework=framework, initial={"outcome": inspection.outcome or None}
    )

    def perform(data: dict[str, Any]) -> str:
        services.outcome_record(inspection=inspection, outcome=data["outcome"], actor=request.user)
        return f"Outcome recorded: {_outcome_label(framework, inspection.outcome)}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Record the outcome",
        button="Record outcome",
        perform=perform,
    )


# --- team and timetable --------------------------------------------------------------------------


@requires("inspections.create")
def team_assign(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _visible(request, pk)
    framework = framework_of(inspection)
    form = forms.TeamForm(_data(request), framework=framework, inspection=inspection)

    def perform(data: dict[str, Any]) -> str:
        member = services.team_assign(
            inspection=inspection, user=data["user"], role=data["role"], actor=request.user
        )
        role = next((r.title for r in framework.team_roles if r.key == member.role), member.role)
        return f"{member.user.get_username()} joined the team as {role}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Assign a team member",
        button="Assign",
        perform=perform,
    )


@requires("inspections.change")
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    choose = has_permission(request.user, "inspections.create")
    form = forms.ConflictForm(_data(request), choose_inspector=choose)

    def perform(data: dict[str, Any]) -> str:
        inspector = data["inspector"] if choose else request.user
        services.conflict_declare(
            inspector=inspector, area=inspection.area, reason=data["reason"], actor=request.user
        )
        return f"Conflict of interest recorded for {inspector.get_username()} with {inspection.area.name}"

    intro = (
        f"Record an inspector's link with {inspection.area.name}. An inspector with a declared conflict "
        "cannot join a team inspecting the area."
        if choose
        else f"Record your own link with {inspection.area.name}. Tell the programme administrator as well."
    )
    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Declare a conflict of interest",
        button="Declare",
        perform=perform,
        intro=intro,
    )


@requires("inspections.change")
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    team_users = get_user_model().objects.filter(team_places__inspection=inspection).order_by("username")
    form = forms.ActivityForm(_data(request), team_users=team_users, version=inspection.framework)

    def perform(data: dict[str, Any]) -> str:
        fields = {k: v for k, v in data.items() if k != "inspectors"}
        activity = services.activity_add(
            inspection=inspection, inspectors=data["inspectors"], actor=request.user, **fields
        )
        return f"Added to the timetable: {activity.title}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Add a timetable activity",
        button="Add activity",
        perform=perform,
    )


# --- findings, sign-off, notes -------------------------------------------------------------------


@requires("inspections.change")
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    framework = framework_of(inspection)
    kinds = services.finding_kinds(framework, inspection.outcome)
    form = forms.FindingForm(
        _data(request), kinds=kinds, partners=inspection.area.partners.all(), version=inspection.framework
    )

    def perform(data: dict[str, Any]) -> str:
        finding = services.finding_add(
            inspection=inspection,
            kind=data["kind"],
            text=data["text"],
            responsible=data["responsible"],
            actor=request.user,
        )
        return f"Added: {finding}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Add a finding",
        button="Add finding",
        perform=perform,
    )


@requires("inspections.change")
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    form = forms.SignOffForm(_data(request))

    def perform(data: dict[str, Any]) -> str:
        services.sign_off(inspection=inspection, inspectorate=data["inspectorate"], actor=request.user)
        return f"Signed off for {data['inspectorate']}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Sign off the report",
        button="Sign off",
        perform=perform,
        intro="Each inspectorate signs off the report before it is published. Only a member of the team "
        "from that inspectorate can sign off for it.",
    )


@requires("inspections.view_private_notes")
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _visible(request, pk)
    if not selectors.can_see_private_notes(request.user, inspection):
        raise PermissionDenied(NOT_YOUR_NOTES)
    form = forms.NoteForm(_data(request))

    def perform(data: dict[str, Any]) -> str:
        services.note_add(inspection=inspection, text=data["text"], actor=request.user)
        return "Private note added"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Add a private note",
        button="Add note",
        perform=perform,
    )


# --- follow-up plans -----------------------------------------------------------------------------


def _plan_of(inspection: Inspection, plan_pk: int) -> Plan:
    plan = inspection.plans.filter(pk=plan_pk).first()
    if plan is None:
        raise Http404("No such plan")
    plan.inspection = inspection
    return plan


@requires("plans.submit")
def plan_open(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _for_area_officer(request, pk)
    framework = framework_of(inspection)
    opened = set(inspection.plans.values_list("document", flat=True))
    documents = [(d.key, d.title) for d in framework.follow_up_documents if d.key not in opened]
    form = forms.PlanOpenForm(_data(request), documents=documents)

    def perform(data: dict[str, Any]) -> str:
        plan = services.plan_open(inspection=inspection, document=data["document"], actor=request.user)
        return f"Opened: {plan.title}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Start a follow-up plan",
        button="Start plan",
        perform=perform,
    )


@requires("plans.submit")
def plan_submit(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    inspection = _for_area_officer(request, pk)
    plan = _plan_of(inspection, plan_pk)
    form = forms.PlanSubmitForm(_data(request))

    def perform(data: dict[str, Any]) -> str:
        submission = services.plan_submit(
            plan=plan, submitted_on=data["submitted_on"], summary=data["summary"], actor=request.user
        )
        return f"{plan.title}: submission {submission.number} recorded"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Submit the {plan.title}",
        button="Submit plan",
        perform=perform,
        refresh=[plan],
    )


@requires("plans.submit")
def plan_action_add(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    inspection = _for_area_officer(request, pk)
    plan = _plan_of(inspection, plan_pk)
    form = forms.PlanActionForm(
        _data(request), partners=inspection.area.partners.all(), findings=inspection.findings.all()
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
        )
        return f"{plan.title}: action added"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Add an action to the {plan.title}",
        button="Add action",
        perform=perform,
    )


@requires("plans.submit")
def plan_action_progress(request: HttpRequest, pk: int, plan_pk: int, action_pk: int) -> HttpResponse:
    inspection = _for_area_officer(request, pk)
    plan = _plan_of(inspection, plan_pk)
    action = plan.actions.select_related("owner").filter(pk=action_pk).first()
    if action is None:
        raise Http404("No such action")
    action.plan = plan
    form = forms.ActionProgressForm(_data(request), action=action)

    def perform(data: dict[str, Any]) -> str:
        services.plan_action_progress(action=action, status=data["status"], actor=request.user)
        return f"Action now {action.get_status_display().lower()}: {action}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Update an action's progress",
        button="Update progress",
        perform=perform,
        intro=f"{action.text} (owned by {action.owner.name}; now {action.get_status_display().lower()}).",
        refresh=[action],
    )


@requires("inspections.change")
def plan_review(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    plan = _plan_of(inspection, plan_pk)
    form = forms.PlanReviewForm(_data(request), judgements=services.review_judgements(plan))

    def perform(data: dict[str, Any]) -> str:
        services.plan_review(
            plan=plan,
            judgement=data["judgement"],
            reviewed_on=data["reviewed_on"],
            feedback=data["feedback"],
            actor=request.user,
        )
        return f"{plan.title}: {plan.get_status_display().lower()}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Review the {plan.title}",
        button="Record review",
        perform=perform,
        refresh=[plan],
    )


# --- follow-up visits ----------------------------------------------------------------------------


@requires("inspections.change")
def visit_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    framework = framework_of(inspection)
    form = forms.VisitScheduleForm(_data(request), visits=[(v.key, v.title) for v in framework.visits])

    def perform(data: dict[str, Any]) -> str:
        visit = services.visit_schedule(
            inspection=inspection,
            visit=data["visit"],
            notified_on=data["notified_on"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=request.user,
        )
        title = next((v.title for v in framework.visits if v.key == visit.visit), visit.visit)
        return f"Scheduled: {title}"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Schedule a follow-up visit",
        button="Schedule visit",
        perform=perform,
    )


@requires("inspections.change")
def visit_judge(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    visit = inspection.visits.filter(pk=visit_pk).first()
    if visit is None:
        raise Http404("No such visit")
    visit.inspection = inspection
    framework = framework_of(inspection)
    spec = next((v for v in framework.visits if v.key == visit.visit), None)
    scales = {s.applies_to: s for s in (spec.judgement_scales if spec else ())}
    finding_scale = scales.get("each_weakness") or scales.get("each_area_for_priority_action")
    overall_scale = scales.get("overall")
    judged_kind = Finding.SIGNIFICANT_WEAKNESS if "each_weakness" in scales else Finding.PRIORITY_ACTION
    current = {j.finding_id: j.judgement for j in visit.judgements.all()}
    findings = list(inspection.findings.filter(kind=judged_kind))
    initial: dict[str, Any] = {forms.FINDING_FIELD.format(pk=f.pk): current.get(f.pk) for f in findings}
    initial["overall"] = visit.overall or None
    initial["published_on"] = forms.date_text(visit.published_on)
    form = forms.VisitJudgeForm(
        _data(request),
        initial=initial,
        findings=findings,
        finding_options=[(o.key, o.label) for o in finding_scale.options] if finding_scale else [],
        finding_scale=finding_scale.label if finding_scale else "",
        overall_options=[(o.key, o.label) for o in overall_scale.options] if overall_scale else [],
        overall_scale=overall_scale.label if overall_scale else "",
    )
    title = spec.title if spec else visit.visit

    def perform(data: dict[str, Any]) -> str:
        services.visit_judge(
            visit=visit,
            per_finding=form.per_finding(),
            overall=data.get("overall") or "",
            published_on=data.get("published_on"),
            actor=request.user,
        )
        return f"{title}: judgements recorded"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Record the {title.lower()} judgements",
        button="Record judgements",
        perform=perform,
        intro=spec.purpose if spec else "",
        refresh=[visit],
    )


@requires("inspections.create")
def team_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    inspection = _visible(request, pk)
    member = inspection.team.select_related("user").filter(user_id=user_pk).first()
    if member is None:
        raise Http404("No such team member")
    form = forms.ConfirmForm(_data(request))

    def perform(data: dict[str, Any]) -> str:
        services.team_remove(inspection=inspection, user=member.user, actor=request.user)
        return f"{member.user.get_username()} removed from the team"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Remove {member.user.get_username()} from the team",
        button="Remove from the team",
        perform=perform,
    )


@requires("inspections.change")
def visit_dates(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    visit = inspection.visits.filter(pk=visit_pk).first()
    if visit is None:
        raise Http404("No such visit")
    visit.inspection = inspection
    initial = {
        "notified_on": forms.date_text(visit.notified_on),
        "starts_on": forms.date_text(visit.starts_on),
        "ends_on": forms.date_text(visit.ends_on),
    }
    form = forms.VisitDatesForm(_data(request), initial=initial)

    def perform(data: dict[str, Any]) -> str:
        services.visit_dates_record(
            visit=visit,
            notified_on=data["notified_on"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=request.user,
        )
        return "Visit dates saved"

    return _form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Record the visit's dates",
        button="Save dates",
        perform=perform,
        refresh=(visit,),
    )
