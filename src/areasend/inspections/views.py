"""Inspection pages. Thin: forms in, services and selectors do the work.

Every page that changes something calls one service. A refused move (`InspectionError`) is shown to
the user in the GOV.UK error summary with the service's own message, and nothing changes.

Object checks, after the role check of `@requires`: an inspection the user may not see is a 404
(`selectors.inspection_get`); one they may see but not act on is a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from areasend.access import Action
from areasend.areas.models import LIVE, LocalArea
from areasend.core.permissions import SignedInRequest, has_permission, requires
from areasend.domain.frameworks import Framework
from areasend.domain.frameworks.schema_estimates import estimate_text
from areasend.domain.timeline import TimelineError
from areasend.frameworks.presentation import confidence
from areasend.frameworks.selectors import latest_versions

from . import dates, forms, framework_choice, postponement, registry, selectors, services
from .frameworks import framework_of
from .models import ConflictOfInterest, Inspection
from .pages import (
    VERSION_FIELD,
    changeable_inspection,
    inspection_for,
    inspection_form_page,
    posted,
    visible_inspection,
)
from .postponement_views import postponements_in_words
from .presentation import in_words, label_of
from .record_history import withdrawn_events
from .services import InspectionError

STATUS_TAGS = {
    "met": ("Met", "govuk-tag--green"),
    "late": ("Late", "govuk-tag--orange"),
    "due": ("Due", "govuk-tag--blue"),
    "projected": ("Projected", "govuk-tag--grey"),
    "conditional": ("Conditional", "govuk-tag--purple"),
    "overdue": ("Overdue", "govuk-tag--red"),
}


# --- helpers -------------------------------------------------------------------------------------


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


def date_warnings_in_words(
    inspection: Inspection, framework: Framework, changes: dict[str, dt.date]
) -> list[str]:
    """The timeline's warnings for dates about to be recorded, in the framework's words (a dry run:
    it refuses a date as the service would)."""
    return [in_words(framework, w) for w in dates.date_warnings(inspection, changes)]


def _event_label(framework: Framework, name: str) -> str:
    found = framework.event(name)
    return found.label if found else name


# --- reading -------------------------------------------------------------------------------------


@requires("inspections.view")
def inspection_list(request: SignedInRequest) -> HttpResponse:
    rows = []
    for inspection in selectors.inspections_visible_to(request.user).select_related("area", "framework"):
        framework = framework_of(inspection)
        rows.append(
            {
                "inspection": inspection,
                "framework": framework,
                "state": services.state_label(framework, inspection.state),
                "outcome": _outcome_label(framework, inspection.outcome),
            }
        )
    return render(
        request,
        "inspections/list.html",
        {"rows": rows, "can_create": has_permission(request.user, "inspections.create")},
    )


@requires("inspections.view")
def inspection_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = visible_inspection(request, pk)
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
        postpones = postponement.postpone_transition(framework, inspection.state)
        for transition in framework.lifecycle.transitions:
            if transition.from_ != inspection.state:
                continue
            forward = _is_forward(framework, inspection.state, transition.to)
            moves.append(
                {
                    "target": transition.to,
                    "label": transition.label
                    or f"Move to {services.state_label(framework, transition.to).lower()}",
                    "needs_date": _move_date(inspection, framework, transition.to)[0] is not None,
                    # postponing asks for the reason and the new date on its own page
                    "url": reverse("inspections:postpone", args=[inspection.pk])
                    if transition == postpones
                    else "",
                    # the first move forward is the main button; going back (postpone, return) is secondary
                    "primary": forward and not any(m["primary"] for m in moves),
                }
            )
    return {
        "inspection": inspection,
        "framework": framework,
        "state": services.state_label(framework, inspection.state),
        "outcome": _outcome_label(framework, inspection.outcome),
        "milestones": [
            {
                "key": m.key,
                "label": m.label,
                "due": m.due,
                "rule": in_words(framework, m.rule),
                "actual": m.actual,
                "status": m.status,
                "status_text": STATUS_TAGS[m.status][0],
                "status_classes": STATUS_TAGS[m.status][1],
                "confidence": confidence(m.confidence),
                "estimate": estimate_text(framework.deadline(m.key)),
            }
            for m in milestones
        ],
        "warnings": [in_words(framework, w) for w in warnings],
        "events": [
            {
                "name": name,
                "label": _event_label(framework, name),
                "value": value if isinstance(value, dt.date) else label_of(framework, str(value)),
                "is_date": isinstance(value, dt.date),
            }
            for name, value in events.items()
            if name != "outcome"
        ],
        "withdrawn_events": [
            {"name": name, "label": _event_label(framework, name)} for name in withdrawn_events(inspection)
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
        "notes": selectors.private_notes(user=user, inspection=inspection) if can_notes else [],
        "moves": moves,
        "postponements": postponements_in_words(inspection, framework),
        "sections": registry.sections_for(request, inspection, framework),
        "can_change": can_change,
        "can_submit": can_submit,
        "can_notes": can_notes,
        "can_create": can_create,
    }


# --- creating ------------------------------------------------------------------------------------


@requires("inspections.create")
def inspection_create(request: SignedInRequest) -> HttpResponse:
    form = forms.InspectionCreateForm(
        posted(request),
        areas=LocalArea.objects.filter(status=LIVE),
        frameworks=latest_versions(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        version = framework_choice.version_for(form.cleaned_data["framework"], None)  # in force today
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
def inspection_move(request: SignedInRequest, pk: int, target: str) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    framework = framework_of(inspection)
    transition = next(
        (t for t in framework.lifecycle.transitions if t.from_ == inspection.state and t.to == target), None
    )
    if transition is None and request.method != "POST":
        raise Http404("No such move from this state")
    if transition is not None and transition == postponement.postpone_transition(framework, inspection.state):
        return redirect("inspections:postpone", pk=inspection.pk)  # it asks for a reason and a date
    event, recorded = _move_date(inspection, framework, target)
    form = forms.MoveForm(
        posted(request),
        date_label=event.label if event else "",
        date_required=event is not None and recorded is None,
        initial={"on": forms.date_text(recorded)} if event is not None and recorded else None,
    )
    label = (
        transition.label
        if transition and transition.label
        else f"Move to {services.state_label(framework, target).lower()}"
    )

    def perform(data: dict[str, Any]) -> str:
        services.inspection_move(
            inspection=inspection,
            target=target,
            on=data.get("on"),
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{inspection} is now at: {services.state_label(framework, inspection.state)}"

    def warn(data: dict[str, Any]) -> list[str]:
        on = data.get("on")
        if event is None or on is None or transition is None:  # no move: the service says why
            return []
        return date_warnings_in_words(inspection, framework, {event.name: on})

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=label,
        button=label,
        perform=perform,
        warn=warn,
        date_field=lambda name: "on",
        intro=f"Now: {services.state_label(framework, inspection.state)}. Next: {services.state_label(framework, target)}.",
    )


@requires("inspections.change")
def event_record(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    framework = framework_of(inspection)
    form = forms.EventForm(posted(request), framework=framework)

    def perform(data: dict[str, Any]) -> str:
        services.event_record(
            inspection=inspection,
            name=data["name"],
            on=data["on"],
            choice=data["choice"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        found = framework.event(data["name"])
        return f"Recorded: {found.label if found else data['name']}"

    def warn(data: dict[str, Any]) -> list[str]:
        found = framework.event(data["name"])
        if found is None or found.choices or data["on"] is None:
            return []
        return date_warnings_in_words(inspection, framework, {found.name: data["on"]})

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Record a date or decision",
        button="Record",
        perform=perform,
        warn=warn,
        date_field=lambda name: "on",
        intro="Deadlines are worked out again from what you record. Give a date for something that "
        "happened, or a decision for a choice such as a review judgement.",
    )


@requires("inspections.change")
def outcome_record(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    framework = framework_of(inspection)
    form = forms.OutcomeForm(
        posted(request), framework=framework, initial={"outcome": inspection.outcome or None}
    )

    def perform(data: dict[str, Any]) -> str:
        services.outcome_record(
            inspection=inspection,
            outcome=data["outcome"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"Outcome recorded: {_outcome_label(framework, inspection.outcome)}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Record the outcome",
        button="Record outcome",
        perform=perform,
    )


# --- team and timetable --------------------------------------------------------------------------


@requires("inspections.create")
def team_assign(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.TEAM_MANAGE)
    framework = framework_of(inspection)
    form = forms.TeamForm(posted(request), framework=framework, inspection=inspection)

    def perform(data: dict[str, Any]) -> str:
        member = services.team_assign(
            inspection=inspection,
            user=data["user"],
            role=data["role"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        role = next((r.title for r in framework.team_roles if r.key == member.role), member.role)
        return f"{member.user.get_username()} joined the team as {role}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Assign a team member",
        button="Assign",
        perform=perform,
    )


@requires("inspections.change")
def conflict_declare(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    choose = has_permission(request.user, "inspections.create")
    form = forms.ConflictForm(posted(request), choose_inspector=choose)

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
    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Declare a conflict of interest",
        button="Declare",
        perform=perform,
        intro=intro,
        carries_version=False,  # a conflict is the inspector's, with the area: it changes no inspection
    )


@requires("inspections.change")
def activity_add(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    team_users = get_user_model().objects.filter(team_places__inspection=inspection).order_by("username")
    form = forms.ActivityForm(posted(request), team_users=team_users, version=inspection.framework)

    def perform(data: dict[str, Any]) -> str:
        fields = {k: v for k, v in data.items() if k not in ("inspectors", VERSION_FIELD)}
        activity = services.activity_add(
            inspection=inspection,
            inspectors=data["inspectors"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
            **fields,
        )
        return f"Added to the timetable: {activity.title}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Add a timetable activity",
        button="Add activity",
        perform=perform,
    )


# --- findings, sign-off, notes -------------------------------------------------------------------


@requires("inspections.change")
def finding_add(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    framework = framework_of(inspection)
    kinds = services.finding_kinds(framework, inspection.outcome)
    form = forms.FindingForm(
        posted(request), kinds=kinds, partners=inspection.area.partners.all(), version=inspection.framework
    )

    def perform(data: dict[str, Any]) -> str:
        finding = services.finding_add(
            inspection=inspection,
            kind=data["kind"],
            text=data["text"],
            responsible=data["responsible"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"Added: {finding}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Add a finding",
        button="Add finding",
        perform=perform,
    )


@requires("inspections.change")
def sign_off(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    organisations = framework_of(inspection).sign_off_organisations
    form = forms.SignOffForm(posted(request), organisations=organisations)

    def perform(data: dict[str, Any]) -> str:
        services.sign_off(
            inspection=inspection,
            inspectorate=data["inspectorate"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"Signed off for {data['inspectorate']}"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Sign off the report",
        button="Sign off",
        perform=perform,
        intro=f"Each organisation that signs off ({' and '.join(organisations)}) does so before the report "
        "is published. Only a member of the team from that organisation can sign off for it.",
    )


@requires("inspections.view_private_notes")
def note_add(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.NOTES)
    form = forms.NoteForm(posted(request))

    def perform(data: dict[str, Any]) -> str:
        services.note_add(inspection=inspection, text=data["text"], actor=request.user)
        return "Private note added"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Add a private note",
        button="Add note",
        perform=perform,
        carries_version=False,  # working notes decide nothing: they change no version
    )


@requires("inspections.create")
def team_remove(request: SignedInRequest, pk: int, user_pk: int) -> HttpResponse:
    inspection = inspection_for(request, pk, Action.TEAM_MANAGE)
    member = inspection.team.select_related("user").filter(user_id=user_pk).first()
    if member is None:
        raise Http404("No such team member")
    form = forms.ConfirmForm(posted(request))

    def perform(data: dict[str, Any]) -> str:
        services.team_remove(
            inspection=inspection, user=member.user, actor=request.user, expected_version=data[VERSION_FIELD]
        )
        return f"{member.user.get_username()} removed from the team"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Remove {member.user.get_username()} from the team",
        button="Remove from the team",
        perform=perform,
    )
