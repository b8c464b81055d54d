"""Writes for inspections. Every service is keyword-only, takes the acting user, checks its guards,
runs in one transaction and writes its audit record inside it. Bad moves raise `InspectionError`
with a message that names the guard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from areasend.accounts.roles import ADMINISTRATOR, INSPECTOR, user_roles
from areasend.areas.models import LocalArea, Partner
from areasend.core import audit
from areasend.domain.frameworks import Framework, VocabularyKind
from areasend.domain.timeline import Timeline, TimelineError, build_timeline
from areasend.frameworks.selectors import term_labels

from . import hooks
from .frameworks import framework_of, framework_of_version
from .models import (
    Activity,
    ConflictOfInterest,
    Finding,
    Inspection,
    InspectionEvent,
    InspectorNote,
    Plan,
    PlanAction,
    PlanSubmission,
    SignOff,
    TeamMember,
    Visit,
    VisitJudgement,
)

# Guard messages: tests import and assert these exactly.
NOT_IN_FORCE = "The {framework} framework is not in force on {day}: choose the framework in force then."
NO_SUCH_TRANSITION = "An inspection cannot move from {current} to {target} under {framework}."
NEEDS_LEAD = "Assign a {role} before notifying the partnership."
NEEDS_EVENT = "Record the date '{event}' ({label}) before moving to {target}."
NEEDS_OUTCOME = "Record the outcome before moving to {target}."
NEEDS_SIGN_OFFS = "Both inspectorates must sign off the report before it is published; missing: {missing}."
NEEDS_FINDINGS = "Record at least one {kind} for this outcome before moving to {target}."
PLANS_OPEN = "Close every follow-up plan first: {plans} not yet fit for purpose."
UNKNOWN_EVENT = "'{name}' is not an event of {framework}: use one of {names}."
EVENT_NEEDS_DATE = "The event '{name}' is a date."
EVENT_NEEDS_CHOICE = "The event '{name}' is a decision: choose one of {choices}."
UNKNOWN_OUTCOME = "'{value}' is not an outcome of {framework}: use one of {choices}."
UNKNOWN_ROLE = "'{role}' is not a team role in {framework}: use one of {roles}."
NOT_AN_INSPECTOR = "{user} cannot join an inspection team: they do not hold the inspector role."
CONFLICTED = "{user} cannot inspect {area}: they declared a conflict of interest ({reason})."
ALREADY_IN_TEAM = "{user} is already in this inspection's team."
TEAM_CONFLICT = (
    "{user} has declared a conflict of interest with {area} ({reason}): remove them from the team first."
)
NOT_IN_TEAM = "{user} is not in this inspection's team."
FINDING_KIND_NOT_ALLOWED = "{kind} is not a finding of {framework}{when}."
PARTNER_NOT_IN_AREA = "{partner} is not a partner of {area}."
NOT_IN_TEAM_FOR_SIGN_OFF = "Only a member of the team from {inspectorate} can sign off for {inspectorate}."
ALREADY_SIGNED = "{inspectorate} has already signed off this report."
UNKNOWN_DOCUMENT = "'{document}' is not a follow-up document of {framework}: use one of {documents}."
DOCUMENT_NOT_REQUIRED = "{title} is not required for this inspection's outcome."
PLAN_EXISTS = "This inspection already has a {title}."
PLAN_NOT_SUBMITTABLE = "A plan that is '{status}' cannot be submitted."
PLAN_NOT_UNDER_REVIEW = "Only a submitted plan can be reviewed; this one is '{status}'."
UNKNOWN_JUDGEMENT = "'{judgement}' is not a review judgement for {title}: use one of {choices}."
ACTION_STATUS_BACKWARDS = (
    "An action's status only moves forward: it cannot go from '{current}' to '{target}'."
)
UNKNOWN_ACTION_STATUS = "'{status}' is not an action status."
UNKNOWN_VISIT = "'{visit}' is not a follow-up visit of {framework}: use one of {visits}."
VISIT_NOT_REQUIRED = "A {title} is not required for this inspection's outcome."
UNKNOWN_VISIT_JUDGEMENT = "'{judgement}' is not a judgement on {scale}: use one of {choices}."
FINDING_NOT_JUDGED_HERE = "{finding} is not one of the findings this visit judges."
DATE_ORDER = "{later} ({later_date}) cannot be before {earlier} ({earlier_date})."
ACTIVITY_TIMES = "An activity cannot end ({end}) before it starts ({start})."
ACTIVITY_TYPE_UNKNOWN = "'{code}' is not a kind of activity in {framework}: use one of {codes}."
ACTIVITY_SECTOR_UNKNOWN = "'{code}' is not a sector in {framework}: use one of {codes}."
ACTIVITY_PHASE_UNKNOWN = "'{code}' is not an age phase in {framework}: use one of {codes}."


class InspectionError(Exception):
    """A request the rules refuse; the message says which rule."""


def _names(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


def _is_admin(user: Any) -> bool:
    return ADMINISTRATOR in user_roles(user)


# --- creating and planning ----------------------------------------------------------------------


def inspection_create(
    *,
    area: LocalArea,
    framework_version: Any,
    actor: Any,
    title: str = "",
    planned_for: dt.date | None = None,
) -> Inspection:
    framework = framework_of_version(framework_version)
    if planned_for is not None and not framework.in_force_on(planned_for):
        raise InspectionError(NOT_IN_FORCE.format(framework=framework.title, day=planned_for.isoformat()))
    with transaction.atomic():
        inspection = Inspection(
            area=area, framework=framework_version, state=framework.lifecycle.initial, title=title
        )
        inspection.full_clean()
        inspection.save()
        audit.record(
            actor=actor,
            action="inspection.create",
            obj=inspection,
            changes={"area": area.ons_code, "framework": framework.label, "state": inspection.state},
        )
        hooks.inspection_created(inspection=inspection, actor=actor)
    return inspection


def conflict_declare(*, inspector: Any, area: LocalArea, reason: str, actor: Any) -> ConflictOfInterest:
    with transaction.atomic():
        conflict, _ = ConflictOfInterest.objects.update_or_create(
            inspector=inspector, area=area, defaults={"reason": reason}
        )
        audit.record(
            actor=actor,
            action="conflict.declare",
            obj=conflict,
            changes={"area": area.ons_code, "reason": reason},
        )
    return conflict


def team_assign(*, inspection: Inspection, user: Any, role: str, actor: Any) -> TeamMember:
    framework = framework_of(inspection)
    roles = {r.key: r for r in framework.team_roles}
    if role not in roles:
        raise InspectionError(UNKNOWN_ROLE.format(role=role, framework=framework.title, roles=_names(roles)))
    if INSPECTOR not in user_roles(user):
        raise InspectionError(NOT_AN_INSPECTOR.format(user=user.get_username()))
    conflict = ConflictOfInterest.objects.filter(inspector=user, area=inspection.area).first()
    if conflict is not None:
        raise InspectionError(
            CONFLICTED.format(user=user.get_username(), area=inspection.area.name, reason=conflict.reason)
        )
    if inspection.team.filter(user=user).exists():
        raise InspectionError(ALREADY_IN_TEAM.format(user=user.get_username()))
    with transaction.atomic():
        member = TeamMember.objects.create(inspection=inspection, user=user, role=role)
        audit.record(
            actor=actor,
            action="inspection.team_assign",
            obj=inspection,
            changes={"user": user.get_username(), "role": role},
        )
    return member


def team_remove(*, inspection: Inspection, user: Any, actor: Any) -> None:
    member = inspection.team.filter(user=user).first()
    if member is None:
        raise InspectionError(NOT_IN_TEAM.format(user=user.get_username()))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="inspection.team_remove",
            obj=inspection,
            changes={"user": user.get_username(), "role": member.role},
        )
        member.delete()


def activity_add(
    *, inspection: Inspection, actor: Any, inspectors: Iterable[Any] = (), **fields: Any
) -> Activity:
    activity = Activity(inspection=inspection, **fields)
    if activity.ends_at and activity.starts_at and activity.ends_at < activity.starts_at:
        raise InspectionError(ACTIVITY_TIMES.format(start=activity.starts_at, end=activity.ends_at))
    _check_term(inspection, "activity_type", activity.activity_type, ACTIVITY_TYPE_UNKNOWN, required=True)
    _check_term(inspection, "sector", activity.sector, ACTIVITY_SECTOR_UNKNOWN)
    _check_term(inspection, "age_phase", activity.phase, ACTIVITY_PHASE_UNKNOWN)
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        activity.inspectors.set(list(inspectors))
        audit.record(
            actor=actor,
            action="inspection.activity_add",
            obj=inspection,
            changes={
                "activity": activity.title,
                "on": activity.on.isoformat(),
                "type": activity.activity_type,
            },
        )
    return activity


def _check_term(
    inspection: Inspection, kind: VocabularyKind, code: str, message: str, *, required: bool = False
) -> None:
    """A code must be a term of the inspection's framework version's vocabulary (blank if optional)."""
    if not code and not required:
        return
    codes = term_labels(inspection.framework_id, kind)
    if code not in codes:
        framework = inspection.framework
        raise InspectionError(
            message.format(
                code=code,
                framework=f"{framework.title} (version {framework.version})",
                codes=", ".join(codes),
            )
        )


def note_add(*, inspection: Inspection, text: str, actor: Any) -> InspectorNote:
    with transaction.atomic():
        note = InspectorNote.objects.create(inspection=inspection, author=actor, text=text)
        audit.record(actor=actor, action="inspection.note_add", obj=inspection, changes={"note": note.pk})
    return note


# --- events, timeline and moves -----------------------------------------------------------------


def inspection_events(inspection: Inspection) -> dict[str, dt.date | str]:
    events: dict[str, dt.date | str] = {}
    for event in inspection.events.all():
        events[event.name] = event.on if event.on is not None else event.choice
    if inspection.outcome:
        events["outcome"] = inspection.outcome
    return events


def inspection_timeline(inspection: Inspection, *, today: dt.date | None = None) -> Timeline:
    return build_timeline(
        framework_of(inspection),
        inspection_events(inspection),
        area_code=inspection.area.ons_code,
        today=today,
    )


def _check_timeline(inspection: Inspection, events: dict[str, dt.date | str]) -> list[str]:
    try:
        timeline = build_timeline(framework_of(inspection), events, area_code=inspection.area.ons_code)
    except TimelineError as exc:
        raise InspectionError(str(exc)) from exc
    return list(timeline.warnings)


def event_record(
    *, inspection: Inspection, name: str, actor: Any, on: dt.date | None = None, choice: str = ""
) -> list[str]:
    """Record (or correct) an event; returns the timeline's warnings (guidance, not law)."""
    framework = framework_of(inspection)
    if name == "outcome":
        return outcome_record(inspection=inspection, outcome=choice, actor=actor)
    event = framework.event(name)
    if event is None:
        raise InspectionError(
            UNKNOWN_EVENT.format(name=name, framework=framework.title, names=_names(framework.event_names))
        )
    if event.choices:
        if choice not in event.choices:
            raise InspectionError(EVENT_NEEDS_CHOICE.format(name=name, choices=_names(event.choices)))
        value: dt.date | str = choice
    else:
        if on is None:
            raise InspectionError(EVENT_NEEDS_DATE.format(name=name))
        value = on
    events = inspection_events(inspection)
    events[name] = value
    warnings = _check_timeline(inspection, events)
    with transaction.atomic():
        InspectionEvent.objects.update_or_create(
            inspection=inspection,
            name=name,
            defaults={"on": value if isinstance(value, dt.date) else None, "choice": choice},
        )
        audit.record(
            actor=actor,
            action="inspection.event",
            obj=inspection,
            changes={name: value.isoformat() if isinstance(value, dt.date) else value},
        )
    return warnings


def outcome_record(*, inspection: Inspection, outcome: str, actor: Any) -> list[str]:
    framework = framework_of(inspection)
    found = framework.outcome(outcome)
    if found is None:
        raise InspectionError(
            UNKNOWN_OUTCOME.format(
                value=outcome, framework=framework.title, choices=_names(o.key for o in framework.outcomes)
            )
        )
    events = inspection_events(inspection)
    events["outcome"] = found.key
    warnings = _check_timeline(inspection, events)
    with transaction.atomic():
        before = inspection.outcome
        inspection.outcome = found.key
        inspection.save(update_fields=["outcome", "updated_at"])
        audit.record(
            actor=actor, action="inspection.outcome", obj=inspection, changes={"outcome": [before, found.key]}
        )
    return warnings


# Events a state needs before an inspection may enter it, from the framework's timetable.
def required_events(framework: Framework, target: str) -> list[str]:
    """The date event a state needs before an inspection may enter it (from the framework)."""
    state = framework.state(target)
    return [state.requires_event] if state is not None and state.requires_event else []


def finding_kinds(framework: Framework, outcome: str) -> dict[str, str]:
    """The kinds of finding the framework records, each with the outcome it needs ('' for any)."""
    kinds: dict[str, str] = {}
    for kind in framework.finding_kinds:
        outcomes = kind.when.get("outcome", ())
        kinds[kind.key] = outcomes[0] if outcomes else ""
    return kinds


def inspection_move(
    *, inspection: Inspection, target: str, actor: Any, on: dt.date | None = None
) -> Inspection:
    """Move to another state of the framework's lifecycle, if the transition exists and its guards pass.

    `on` records the date event the target state needs (for example the notification date).
    """
    framework = framework_of(inspection)
    allowed = {(t.from_, t.to) for t in framework.lifecycle.transitions}
    if (inspection.state, target) not in allowed:
        raise InspectionError(
            NO_SUCH_TRANSITION.format(current=inspection.state, target=target, framework=framework.title)
        )
    with transaction.atomic():
        required = required_events(framework, target)
        if on is not None and required:
            event_record(inspection=inspection, name=required[0], on=on, actor=actor)
        _check_guards(inspection, framework, target)
        before = inspection.state
        inspection.state = target
        inspection.save(update_fields=["state", "updated_at"])
        if target == "published":
            _record_publication(inspection, framework)
        audit.record(
            actor=actor, action="inspection.move", obj=inspection, changes={"state": [before, target]}
        )
    return inspection


AREASEND_SOURCE = "areasend"


def _record_publication(inspection: Inspection, framework: Framework) -> None:
    """Add the published outcome to the national history, unless Ofsted's data already has it."""
    from areasend.history.models import PublishedInspection

    events = inspection_events(inspection)
    started = events.get(framework.timetable.on_site_start_event)
    ended = events.get(framework.timetable.on_site_end_event)
    published = events.get("published")
    already = PublishedInspection.objects.filter(
        area=inspection.area, framework_id=framework.id, kind=PublishedInspection.FULL, started_on=started
    ).exclude(source=AREASEND_SOURCE)
    if already.exists():
        return
    outcome = framework.outcome(inspection.outcome)
    next_full = inspection_timeline(inspection).get("next_full_inspection")
    wsoa = any(d.key == "wsoa" for d in framework.follow_up_documents)
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
    record.wsoa_required = (inspection.outcome == "wsoa_required") if wsoa else None
    record.significant_weaknesses = (
        inspection.findings.filter(kind=Finding.SIGNIFICANT_WEAKNESS).count() if wsoa else None
    )
    record.outcome = None if wsoa or outcome is None else outcome.number
    record.outcome_text = (outcome.wording or outcome.label) if outcome else ""
    record.priority_action_plan_required = (
        None if wsoa else inspection.findings.filter(kind=Finding.PRIORITY_ACTION).exists()
    )
    record.next_inspection_by = next_full.due if next_full else None
    record.full_clean()
    record.save()


def _check_guards(inspection: Inspection, framework: Framework, target: str) -> None:
    events = inspection_events(inspection)
    for name in required_events(framework, target):
        if name not in events:
            event = framework.event(name)
            raise InspectionError(
                NEEDS_EVENT.format(event=name, label=event.label if event else name, target=target)
            )
    state = framework.state(target)
    if target == framework.timetable.notification_event:
        lead = framework.lead_role
        if not inspection.team.filter(role=lead.key).exists():
            raise InspectionError(NEEDS_LEAD.format(role=lead.title))
        conflicted = (
            ConflictOfInterest.objects.filter(
                area=inspection.area, inspector__team_places__inspection=inspection
            )
            .select_related("inspector")
            .first()
        )
        if conflicted is not None:
            raise InspectionError(
                TEAM_CONFLICT.format(
                    user=conflicted.inspector.get_username(),
                    area=inspection.area.name,
                    reason=conflicted.reason,
                )
            )
    if state is not None and state.requires_outcome and not inspection.outcome:
        raise InspectionError(NEEDS_OUTCOME.format(target=target))
    if state is not None and state.requires_findings:
        for kind in framework.finding_kinds:
            applies = _condition_met(kind.when, events) if kind.when else True
            if kind.required and applies and not inspection.findings.filter(kind=kind.key).exists():
                raise InspectionError(NEEDS_FINDINGS.format(kind=kind.label.lower(), target=target))
    if state is not None and state.requires_sign_off:
        signed = set(inspection.sign_offs.values_list("inspectorate", flat=True))
        missing = [name for name in state.requires_sign_off if name not in signed]
        if missing:
            raise InspectionError(NEEDS_SIGN_OFFS.format(missing=" and ".join(missing)))
    if target in framework.lifecycle.final:
        open_plans = inspection.plans.exclude(status=Plan.ACCEPTED)
        if open_plans.exists():
            raise InspectionError(PLANS_OPEN.format(plans=", ".join(p.title for p in open_plans)))


# --- findings and sign-off ----------------------------------------------------------------------


def finding_add(
    *, inspection: Inspection, kind: str, text: str, responsible: Iterable[Partner], actor: Any
) -> Finding:
    framework = framework_of(inspection)
    kinds = finding_kinds(framework, inspection.outcome)
    if kind not in kinds:
        raise InspectionError(FINDING_KIND_NOT_ALLOWED.format(kind=kind, framework=framework.title, when=""))
    needed_outcome = kinds[kind]
    if needed_outcome and inspection.outcome != needed_outcome:
        label = framework.outcome(needed_outcome)
        raise InspectionError(
            FINDING_KIND_NOT_ALLOWED.format(
                kind=term_labels(inspection.framework_id, "finding_kind").get(kind, kind),
                framework=framework.title,
                when=f" unless the outcome is '{label.label if label else needed_outcome}'",
            )
        )
    partners = list(responsible)
    for partner in partners:
        if partner.area_id != inspection.area_id:
            raise InspectionError(PARTNER_NOT_IN_AREA.format(partner=partner.name, area=inspection.area.name))
    with transaction.atomic():
        number = (
            inspection.findings.filter(kind=kind).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        finding = Finding(inspection=inspection, kind=kind, number=number, text=text)
        finding.full_clean()
        finding.save()
        finding.responsible.set(partners)
        audit.record(
            actor=actor,
            action="inspection.finding_add",
            obj=inspection,
            changes={"kind": kind, "number": number, "responsible": [p.name for p in partners]},
        )
    return finding


def sign_off(*, inspection: Inspection, inspectorate: str, actor: Any) -> SignOff:
    framework = framework_of(inspection)
    organisations = {r.key: r.organisation for r in framework.team_roles}
    member_orgs = {organisations.get(m.role) for m in inspection.team.filter(user=actor)}
    if inspectorate not in member_orgs:
        raise InspectionError(NOT_IN_TEAM_FOR_SIGN_OFF.format(inspectorate=inspectorate))
    if inspection.sign_offs.filter(inspectorate=inspectorate).exists():
        raise InspectionError(ALREADY_SIGNED.format(inspectorate=inspectorate))
    with transaction.atomic():
        signed = SignOff.objects.create(inspection=inspection, inspectorate=inspectorate, user=actor)
        audit.record(
            actor=actor, action="inspection.sign_off", obj=inspection, changes={"inspectorate": inspectorate}
        )
    return signed


# --- follow-up plans ----------------------------------------------------------------------------


def _condition_met(conditions: dict[str, tuple[str, ...]], events: dict[str, dt.date | str]) -> bool:
    return all(str(events.get(name, "")) in values for name, values in conditions.items())


def plan_open(*, inspection: Inspection, document: str, actor: Any) -> Plan:
    framework = framework_of(inspection)
    documents = {d.key: d for d in framework.follow_up_documents}
    doc = documents.get(document)
    if doc is None:
        raise InspectionError(
            UNKNOWN_DOCUMENT.format(document=document, framework=framework.title, documents=_names(documents))
        )
    if doc.required_when and not _condition_met(doc.required_when, inspection_events(inspection)):
        raise InspectionError(DOCUMENT_NOT_REQUIRED.format(title=doc.title))
    if inspection.plans.filter(document=document).exists():
        raise InspectionError(PLAN_EXISTS.format(title=doc.title))
    with transaction.atomic():
        plan = Plan.objects.create(inspection=inspection, document=document, title=doc.title)
        audit.record(actor=actor, action="plan.open", obj=plan, changes={"document": document})
    return plan


def _document(plan: Plan) -> Any:
    framework = framework_of(plan.inspection)
    return next(d for d in framework.follow_up_documents if d.key == plan.document)


def _document_events(plan: Plan) -> Any:
    return getattr(_document(plan), "events", None)


def plan_submit(*, plan: Plan, submitted_on: dt.date, actor: Any, summary: str = "") -> PlanSubmission:
    if plan.status not in {Plan.DRAFTING, Plan.NOT_FIT}:
        raise InspectionError(PLAN_NOT_SUBMITTABLE.format(status=plan.get_status_display()))
    resubmission = plan.status == Plan.NOT_FIT
    events = _document_events(plan)
    event_name = None
    if events is not None:
        event_name = events.resubmitted if resubmission else events.submitted
    with transaction.atomic():
        # The event first: it is the step that can still be refused (a date before the report).
        if event_name:
            event_record(inspection=plan.inspection, name=event_name, on=submitted_on, actor=actor)
        number = plan.submissions.count() + 1
        submission = PlanSubmission.objects.create(
            plan=plan, number=number, submitted_on=submitted_on, submitted_by=actor, summary=summary
        )
        plan.status = Plan.SUBMITTED
        plan.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="plan.submit",
            obj=plan,
            changes={"submission": number, "submitted_on": submitted_on.isoformat()},
        )
    return submission


def review_judgements(plan: Plan) -> list[tuple[str, str]]:
    """The judgements a review of this plan can reach: the framework's, or fit / not fit."""
    found = [(j.key, j.label) for j in _document(plan).review_judgements]
    return found or [(Plan.ACCEPTED, "Fit for purpose"), (Plan.NOT_FIT, "Not fit for purpose")]


def plan_review(
    *, plan: Plan, judgement: str, reviewed_on: dt.date, actor: Any, feedback: str = ""
) -> PlanSubmission:
    if plan.status != Plan.SUBMITTED:
        raise InspectionError(PLAN_NOT_UNDER_REVIEW.format(status=plan.get_status_display()))
    doc = _document(plan)
    choices = [key for key, _ in review_judgements(plan)]
    if judgement not in choices:
        raise InspectionError(
            UNKNOWN_JUDGEMENT.format(judgement=judgement, title=doc.title, choices=_names(choices))
        )
    submission = plan.submissions.order_by("-number").first()
    assert submission is not None
    if reviewed_on < submission.submitted_on:
        raise InspectionError(
            DATE_ORDER.format(
                later="The review",
                later_date=reviewed_on,
                earlier="the submission",
                earlier_date=submission.submitted_on,
            )
        )
    events = getattr(doc, "events", None)
    if judgement == Plan.ACCEPTED:
        status = Plan.ACCEPTED
    elif submission.number >= 2:
        status = Plan.ESCALATED
    else:
        status = Plan.NOT_FIT
    with transaction.atomic():
        # Events first: they are the steps that can still be refused; nothing in memory changes before.
        if events is not None:
            if events.reviewed and submission.number == 1:
                event_record(inspection=plan.inspection, name=events.reviewed, on=reviewed_on, actor=actor)
            if events.judgement and submission.number == 1:
                event_record(inspection=plan.inspection, name=events.judgement, choice=judgement, actor=actor)
            if events.accepted and judgement == Plan.ACCEPTED:
                event_record(inspection=plan.inspection, name=events.accepted, on=reviewed_on, actor=actor)
        submission.reviewed_on = reviewed_on
        submission.reviewed_by = actor
        submission.judgement = judgement
        submission.feedback = feedback
        submission.save()
        plan.status = status
        plan.save(update_fields=["status"])
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
    actor: Any,
    milestone: str = "",
    finding: Finding | None = None,
) -> PlanAction:
    if owner.area_id != plan.inspection.area_id:
        raise InspectionError(PARTNER_NOT_IN_AREA.format(partner=owner.name, area=plan.inspection.area.name))
    action = PlanAction(
        plan=plan, text=text, owner=owner, due_on=due_on, milestone=milestone, finding=finding
    )
    action.full_clean()
    with transaction.atomic():
        action.save()
        audit.record(
            actor=actor,
            action="plan.action_add",
            obj=plan,
            changes={"action": text[:100], "owner": owner.name},
        )
    return action


def plan_action_progress(*, action: PlanAction, status: str, actor: Any) -> PlanAction:
    order = PlanAction.STATUS_ORDER
    if status not in order:
        raise InspectionError(UNKNOWN_ACTION_STATUS.format(status=status))
    if order.index(status) < order.index(action.status):
        raise InspectionError(ACTION_STATUS_BACKWARDS.format(current=action.status, target=status))
    with transaction.atomic():
        before = action.status
        action.status = status
        action.save(update_fields=["status"])
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


def _check_visit_days(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise InspectionError(
            DATE_ORDER.format(
                later="The last day", later_date=ends_on, earlier="the first day", earlier_date=starts_on
            )
        )


def _record_visit_events(
    inspection: Inspection,
    spec: Any,
    notified_on: dt.date | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    actor: Any,
) -> None:
    """Record the dates the framework's deadlines for this kind of visit run from."""
    events = getattr(spec, "events", None)
    if events is None:
        return
    for name, value in ((events.notified, notified_on), (events.start, starts_on), (events.end, ends_on)):
        if name and value:
            event_record(inspection=inspection, name=name, on=value, actor=actor)


def visit_schedule(
    *,
    inspection: Inspection,
    visit: str,
    actor: Any,
    notified_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Visit:
    spec = _visit_spec(inspection, visit)
    if spec.required_when and not _condition_met(spec.required_when, inspection_events(inspection)):
        raise InspectionError(VISIT_NOT_REQUIRED.format(title=spec.title.lower()))
    _check_visit_days(starts_on, ends_on)
    with transaction.atomic():
        record = Visit.objects.create(
            inspection=inspection, visit=visit, notified_on=notified_on, starts_on=starts_on, ends_on=ends_on
        )
        _record_visit_events(inspection, spec, notified_on, starts_on, ends_on, actor)
        audit.record(
            actor=actor,
            action="visit.schedule",
            obj=inspection,
            changes={"visit": visit, "starts_on": starts_on.isoformat() if starts_on else None},
        )
    return record


def visit_judge(
    *,
    visit: Visit,
    actor: Any,
    per_finding: dict[int, str] | None = None,
    overall: str = "",
    published_on: dt.date | None = None,
) -> Visit:
    """Record a visit's judgements: one per finding it judges, and the overall one."""
    spec = _visit_spec(visit.inspection, visit.visit)
    per_finding = per_finding or {}
    scales = {s.applies_to: s for s in spec.judgement_scales}
    finding_scale = scales.get("each_weakness") or scales.get("each_area_for_priority_action")
    judged_kind = Finding.SIGNIFICANT_WEAKNESS if "each_weakness" in scales else Finding.PRIORITY_ACTION
    findings = {f.pk: f for f in visit.inspection.findings.filter(kind=judged_kind)}
    for finding_id, judgement in per_finding.items():
        if finding_id not in findings:
            raise InspectionError(FINDING_NOT_JUDGED_HERE.format(finding=f"Finding {finding_id}"))
        options = [o.key for o in finding_scale.options] if finding_scale else []
        if judgement not in options:
            raise InspectionError(
                UNKNOWN_VISIT_JUDGEMENT.format(
                    judgement=judgement,
                    scale=finding_scale.label if finding_scale else "findings",
                    choices=_names(options),
                )
            )
    overall_scale = scales.get("overall")
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
        if events is not None:  # first: the steps that can still be refused
            if overall and events.outcome:
                event_record(inspection=visit.inspection, name=events.outcome, choice=overall, actor=actor)
            if published_on and events.published:
                event_record(inspection=visit.inspection, name=events.published, on=published_on, actor=actor)
        for finding_id, judgement in per_finding.items():
            VisitJudgement.objects.update_or_create(
                visit=visit, finding=findings[finding_id], defaults={"judgement": judgement}
            )
        if overall:
            visit.overall = overall
        if published_on:
            visit.published_on = published_on
        visit.save()
        audit.record(
            actor=actor,
            action="visit.judge",
            obj=visit.inspection,
            changes={
                "visit": visit.visit,
                "overall": overall,
                "judgements": {str(k): v for k, v in per_finding.items()},
            },
        )
    return visit


def visit_dates_record(
    *,
    visit: Visit,
    actor: Any,
    notified_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Visit:
    """Add or correct a visit's dates (and the events its deadlines run from)."""
    spec = _visit_spec(visit.inspection, visit.visit)
    notified_on = notified_on or visit.notified_on
    starts_on = starts_on or visit.starts_on
    ends_on = ends_on or visit.ends_on
    _check_visit_days(starts_on, ends_on)
    with transaction.atomic():
        _record_visit_events(visit.inspection, spec, notified_on, starts_on, ends_on, actor)
        visit.notified_on, visit.starts_on, visit.ends_on = notified_on, starts_on, ends_on
        visit.save()
        audit.record(
            actor=actor,
            action="visit.dates",
            obj=visit.inspection,
            changes={"visit": visit.visit, "starts_on": starts_on.isoformat() if starts_on else None},
        )
    return visit
