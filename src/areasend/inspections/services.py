"""Writes for inspections. Every service is keyword-only, takes the acting user, checks its guards,
runs in one transaction and writes its audit record inside it. Bad moves raise `InspectionError`
with a message that names the guard.

Each change adds one to the inspection's `version` in the same transaction. A service given
`expected_version` (the version the page or API client read) refuses with `StaleVersion` when the
stored one differs, so an edit made from a stale read never silently overwrites another; without
one, the edit is checked on the stored state only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from areasend.access import Action, check
from areasend.accounts.roles import INSPECTOR, user_roles
from areasend.areas.models import LocalArea
from areasend.core import audit
from areasend.domain.frameworks import Framework, VocabularyKind
from areasend.frameworks.selectors import term_labels

from . import dates, framework_choice, registry
from .errors import InspectionError as InspectionError  # re-exported: callers catch it from here
from .errors import StaleVersion as StaleVersion
from .frameworks import framework_of, framework_of_version
from .locking import STALE_INSPECTION as STALE_INSPECTION  # re-exported: callers read them here
from .locking import count_change as count_change
from .locking import lock_inspection as lock_inspection
from .models import (
    Activity,
    ConflictOfInterest,
    Inspection,
    InspectionEvent,
    InspectorNote,
    TeamMember,
)
from .publication import record_publication
from .report import ALREADY_SIGNED as ALREADY_SIGNED
from .report import FINDING_KIND_NOT_ALLOWED as FINDING_KIND_NOT_ALLOWED
from .report import NOT_A_SIGN_OFF_ORGANISATION as NOT_A_SIGN_OFF_ORGANISATION
from .report import NOT_IN_TEAM_FOR_SIGN_OFF as NOT_IN_TEAM_FOR_SIGN_OFF
from .report import PARTNER_NOT_IN_AREA as PARTNER_NOT_IN_AREA
from .report import finding_add as finding_add
from .report import finding_kinds as finding_kinds
from .report import sign_off as sign_off
from .stages import CLOSED_ONCE_PUBLISHED as CLOSED_ONCE_PUBLISHED  # re-exported: tests import it here
from .stages import check_record_stage, missing_finding_kind
from .stages import state_label as state_label  # re-exported: pages and other apps read it here
from .team_roles import check_grade
from .timelines import condition_met as condition_met  # re-exported: the reads services use
from .timelines import inspection_events as inspection_events
from .timelines import inspection_timeline as inspection_timeline

# Guard messages: tests import and assert these exactly.
NOT_IN_FORCE = "The {framework} framework is not in force on {day}: choose the framework in force then."
NO_SUCH_TRANSITION = "An inspection cannot move from {current} to {target} under {framework}."
MOVE_IS_POSTPONEMENT = (
    "Moving from {current} to {target} postpones the inspection: postpone it, giving the reason "
    "and the new date."
)
NEEDS_LEAD = "Assign a {role} before notifying the partnership."
NEEDS_EVENT = "Record the date ‘{label}’ before moving to {target}."
NEEDS_OUTCOME = "Record the outcome before moving to {target}."
NEEDS_SIGN_OFFS = "Each organisation must sign off the report before it is published; missing: {missing}."
NEEDS_FINDINGS = "Record at least one {kind} for this outcome before moving to {target}."
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
ACTIVITY_TIMES = "An activity cannot end ({end}) before it starts ({start})."
ACTIVITY_TYPE_UNKNOWN = "'{code}' is not a kind of activity in {framework}: use one of {codes}."
ACTIVITY_SECTOR_UNKNOWN = "'{code}' is not a sector in {framework}: use one of {codes}."
ACTIVITY_PHASE_UNKNOWN = "'{code}' is not an age phase in {framework}: use one of {codes}."


def _names(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


# --- creating and planning ----------------------------------------------------------------------


def inspection_create(
    *,
    area: LocalArea,
    framework_version: Any,
    actor: User,
    title: str = "",
    planned_for: dt.date | None = None,
) -> Inspection:
    check(actor, Action.INSPECTION_CREATE, area)
    if planned_for is not None:  # the version in force on the planned date (ADR 26)
        chosen = framework_choice.version_for(framework_version.framework_id, planned_for)
        framework_version = chosen or framework_version
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
        registry.inspection_created(inspection=inspection, actor=actor)
    return inspection


def conflict_declare(*, inspector: User, area: LocalArea, reason: str, actor: User) -> ConflictOfInterest:
    """An inspector declares their own link with an area; a programme administrator may declare one
    for any inspector."""
    check(actor, Action.CONFLICT_DECLARE if actor.pk == inspector.pk else Action.INSPECTION_CREATE, area)
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


def team_assign(
    *, inspection: Inspection, user: User, role: str, actor: User, expected_version: int | None = None
) -> TeamMember:
    check(actor, Action.TEAM_MANAGE, inspection)
    framework = framework_of(inspection)
    roles = {r.key: r for r in framework.team_roles}
    if role not in roles:
        raise InspectionError(UNKNOWN_ROLE.format(role=role, framework=framework.title, roles=_names(roles)))
    if INSPECTOR not in user_roles(user):
        raise InspectionError(NOT_AN_INSPECTOR.format(user=user.get_username()))
    check_grade(user, roles[role])
    try:
        with transaction.atomic():
            lock_inspection(inspection, expected_version=expected_version)
            conflict = ConflictOfInterest.objects.filter(inspector=user, area=inspection.area).first()
            if conflict is not None:
                raise InspectionError(
                    CONFLICTED.format(
                        user=user.get_username(), area=inspection.area.name, reason=conflict.reason
                    )
                )
            if inspection.team.filter(user=user).exists():
                raise InspectionError(ALREADY_IN_TEAM.format(user=user.get_username()))
            member = TeamMember.objects.create(inspection=inspection, user=user, role=role)
            count_change(inspection)
            audit.record(
                actor=actor,
                action="inspection.team_assign",
                obj=inspection,
                changes={"user": user.get_username(), "role": role},
            )
    except IntegrityError:  # the same person assigned by another request a moment before
        raise InspectionError(ALREADY_IN_TEAM.format(user=user.get_username())) from None
    return member


def team_remove(
    *, inspection: Inspection, user: User, actor: User, expected_version: int | None = None
) -> None:
    check(actor, Action.TEAM_MANAGE, inspection)
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        member = inspection.team.filter(user=user).first()
        if member is None:
            raise InspectionError(NOT_IN_TEAM.format(user=user.get_username()))
        count_change(inspection)
        audit.record(
            actor=actor,
            action="inspection.team_remove",
            obj=inspection,
            changes={"user": user.get_username(), "role": member.role},
        )
        member.delete()


def activity_add(
    *,
    inspection: Inspection,
    actor: User,
    inspectors: Iterable[User] = (),
    expected_version: int | None = None,
    **fields: Any,
) -> Activity:
    check(actor, Action.INSPECTION_CHANGE, inspection)
    activity = Activity(inspection=inspection, **fields)
    if activity.ends_at and activity.starts_at and activity.ends_at < activity.starts_at:
        raise InspectionError(ACTIVITY_TIMES.format(start=activity.starts_at, end=activity.ends_at))
    _check_term(inspection, "activity_type", activity.activity_type, ACTIVITY_TYPE_UNKNOWN, required=True)
    _check_term(inspection, "sector", activity.sector, ACTIVITY_SECTOR_UNKNOWN)
    _check_term(inspection, "age_phase", activity.phase, ACTIVITY_PHASE_UNKNOWN)
    activity.full_clean()
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        activity.save()
        activity.inspectors.set(list(inspectors))
        count_change(inspection)
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


def note_add(*, inspection: Inspection, text: str, actor: User) -> InspectorNote:
    check(actor, Action.NOTES, inspection)
    with transaction.atomic():
        note = InspectorNote.objects.create(inspection=inspection, author=actor, text=text)
        audit.record(actor=actor, action="inspection.note_add", obj=inspection, changes={"note": note.pk})
    return note


# --- events, timeline and moves -----------------------------------------------------------------


def _check_timeline(inspection: Inspection, events: dict[str, dt.date | str]) -> list[str]:
    return list(dates.checked_timeline(inspection, events).warnings)


def event_record(
    *,
    inspection: Inspection,
    name: str,
    actor: User,
    on: dt.date | None = None,
    choice: str = "",
    expected_version: int | None = None,
) -> list[str]:
    """Record (or correct) an event; returns the timeline's warnings (guidance, not law)."""
    check(actor, Action.INSPECTION_CHANGE, inspection)
    if name == "outcome":
        return outcome_record(
            inspection=inspection, outcome=choice, actor=actor, expected_version=expected_version
        )
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        warnings = event_store(inspection=inspection, name=name, on=on, choice=choice, actor=actor)
        count_change(inspection)
    return warnings


def event_store(
    *, inspection: Inspection, name: str, actor: User, on: dt.date | None = None, choice: str = ""
) -> list[str]:
    """Record an event for a service that has already checked its own actor's access (a plan
    submission records the submission date); the framework's rules for the event still apply, its
    date rules included (`dates.check_event_dates`). The calling service has locked the inspection
    and counts its change."""
    framework = framework_of(inspection)
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
    return _store_events(inspection, framework, {name: value}, actor)


def dates_store(*, inspection: Inspection, values: dict[str, dt.date], actor: User) -> list[str]:
    """Record several dates at once for a service that has checked its actor's access and locked the
    inspection (a visit's notification, first and last days): each is checked against the others as
    they will be stored, so dates corrected together are not refused on the way."""
    framework = framework_of(inspection)
    for name in values:
        event = framework.event(name)
        if event is None or event.choices:
            raise InspectionError(
                UNKNOWN_EVENT.format(
                    name=name, framework=framework.title, names=_names(framework.event_names)
                )
            )
    return _store_events(inspection, framework, dict(values), actor)


def _store_events(
    inspection: Inspection, framework: Framework, values: dict[str, dt.date | str], actor: User
) -> list[str]:
    with transaction.atomic():
        events = inspection_events(inspection)
        dates.check_event_dates(framework, events, dates.only_dates(values))
        events.update(values)
        warnings = _check_timeline(inspection, events)
        for name, value in values.items():
            InspectionEvent.objects.update_or_create(
                inspection=inspection,
                name=name,
                defaults={
                    "on": value if isinstance(value, dt.date) else None,
                    "choice": "" if isinstance(value, dt.date) else value,
                },
            )
            audit.record(
                actor=actor,
                action="inspection.event",
                obj=inspection,
                changes={name: value.isoformat() if isinstance(value, dt.date) else value},
            )
        framework_choice.follow_dates(inspection, events, actor)  # the version in force when notified
    return warnings


def outcome_record(
    *, inspection: Inspection, outcome: str, actor: User, expected_version: int | None = None
) -> list[str]:
    check(actor, Action.INSPECTION_CHANGE, inspection)
    framework = framework_of(inspection)
    found = framework.outcome(outcome)
    if found is None:
        raise InspectionError(
            UNKNOWN_OUTCOME.format(
                value=outcome, framework=framework.title, choices=_names(o.key for o in framework.outcomes)
            )
        )
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        check_record_stage(inspection, framework, "outcome", "The outcome")
        events = inspection_events(inspection)
        events["outcome"] = found.key
        warnings = _check_timeline(inspection, events)
        before = inspection.outcome
        inspection.outcome = found.key
        inspection.save(update_fields=["outcome", "updated_at"])
        count_change(inspection)
        audit.record(
            actor=actor, action="inspection.outcome", obj=inspection, changes={"outcome": [before, found.key]}
        )
    return warnings


def required_events(framework: Framework, target: str) -> list[str]:
    """The date event a state needs before an inspection may enter it (from the framework)."""
    state = framework.state(target)
    return [state.requires_event] if state is not None and state.requires_event else []


def inspection_move(
    *,
    inspection: Inspection,
    target: str,
    actor: User,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> Inspection:
    """Move to another state of the framework's lifecycle, if the transition exists and its guards pass.

    `on` records the date event the target state needs (for example the notification date). The
    transition and its guards are checked on the locked row, so of two moves sent at once from the
    same state only the first succeeds.
    """
    check(actor, Action.INSPECTION_CHANGE, inspection)
    framework = framework_of(inspection)
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        allowed = {(t.from_, t.to) for t in framework.lifecycle.transitions}
        if (inspection.state, target) not in allowed:
            raise InspectionError(
                NO_SUCH_TRANSITION.format(
                    current=state_label(framework, inspection.state),
                    target=state_label(framework, target),
                    framework=framework.title,
                )
            )
        postpones = framework.lifecycle.postpone_from(inspection.state)
        if framework.lifecycle.postponement is not None and postpones and postpones.to == target:
            raise InspectionError(
                MOVE_IS_POSTPONEMENT.format(
                    current=state_label(framework, inspection.state), target=state_label(framework, target)
                )
            )
        required = required_events(framework, target)
        if on is not None and required:
            event_store(inspection=inspection, name=required[0], on=on, actor=actor)
        _check_guards(inspection, framework, target)
        before = inspection.state
        inspection.state = target
        inspection.save(update_fields=["state", "updated_at"])
        count_change(inspection)
        publication = framework.lifecycle.publication
        if publication is not None and target == publication.state:
            record_publication(inspection, framework)
        audit.record(
            actor=actor, action="inspection.move", obj=inspection, changes={"state": [before, target]}
        )
    return inspection


def _check_guards(inspection: Inspection, framework: Framework, target: str) -> None:
    events = inspection_events(inspection)
    for name in required_events(framework, target):
        if name not in events:
            event = framework.event(name)
            raise InspectionError(
                NEEDS_EVENT.format(
                    event=name, label=event.label if event else name, target=state_label(framework, target)
                )
            )
    state = framework.state(target)
    if state is not None and state.requires_event == framework.timetable.notification_event:
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
        raise InspectionError(NEEDS_OUTCOME.format(target=state_label(framework, target)))
    if state is not None and state.requires_findings:
        missing = missing_finding_kind(inspection, framework, events)
        if missing is not None:
            raise InspectionError(NEEDS_FINDINGS.format(kind=missing, target=state_label(framework, target)))
    if state is not None and state.requires_sign_off:
        signed = set(inspection.sign_offs.values_list("inspectorate", flat=True))
        unsigned = [name for name in state.requires_sign_off if name not in signed]
        if unsigned:
            raise InspectionError(NEEDS_SIGN_OFFS.format(missing=" and ".join(unsigned)))
    registry.check_move_guards(inspection, framework, target)
