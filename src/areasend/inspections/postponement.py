"""Postponing an inspection: the move back that its framework marks ``postpone`` (notified back to
planned), with the reason and the new date.

The framework says where the new date goes (``lifecycle.postponement.event``, a planned notification
date) and that the date of the stage left is estimated by it, so once it is recorded every deadline
is worked out again from it: the inspection's timeline, the deadlines page, the calendar feeds and
the reminders show the new dates and none of the old ones. The dates the postponed stage made void
are cleared: the date of each stage that can follow the one left (without going back through the
target), and every date the framework's deadlines work out from those. They stay in the audit log
and in the postponement's own record (`Postponement.cleared`).

A planned date is checked against the framework's notification weekday (the timeline's warning) and
the working-day calendar; those are warnings, never refusals.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from areasend.access import Action, check
from areasend.core import audit
from areasend.domain.calendar import default_calendar
from areasend.domain.frameworks import Framework, Transition

from . import registry
from .errors import InspectionError
from .frameworks import framework_of
from .models import Inspection, InspectionEvent, Postponement
from .services import count_change, event_store, inspection_events, lock_inspection, state_label

# Refusals and warnings: tests import and assert these exactly.
REASON_NEEDED = "Say why the inspection is postponed."
DATE_NEEDED = "Enter the new date: {label}."
DATE_IN_THE_PAST = "The new date ({date}) is in the past: choose today ({today}) or a later date."
CANNOT_POSTPONE = "An inspection at '{state}' cannot be postponed under {framework}."
NOT_A_WORKING_DAY = "{date} is not a working day (it is a weekend or a bank holiday in England)."
REASON_MAX_LENGTH = 2000
REASON_TOO_LONG = "The reason must be {limit} characters or fewer."


class BadPostponement(InspectionError):
    """A postponement refused because of what was given: ``field`` names it (``reason`` or
    ``planned_for``), so a page can show the message beside it."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def postpone_transition(framework: Framework, state: str) -> Transition | None:
    """The move that postpones an inspection at ``state`` (None when its framework has none)."""
    if framework.lifecycle.postponement is None:
        return None
    return framework.lifecycle.postpone_from(state)


def planned_date_label(framework: Framework) -> str:
    rule = framework.lifecycle.postponement
    event = framework.event(rule.event) if rule is not None else None
    return event.label if event is not None else "the new date"


def voided_events(framework: Framework, transition: Transition) -> tuple[str, ...]:
    """The events a postponement by ``transition`` makes void, in the framework's order: the date
    each state reachable from the one left (not going back through the target) requires, and every
    event the deadlines work out from those, directly or through other milestones."""
    life = framework.lifecycle
    edges: dict[str, set[str]] = {}
    for move in life.transitions:
        edges.setdefault(move.from_, set()).add(move.to)
    reached, todo = {transition.from_}, [transition.from_]
    while todo:
        for state in edges.get(todo.pop(), ()):
            if state != transition.to and state not in reached:
                reached.add(state)
                todo.append(state)
    void = {s.requires_event for s in life.states if s.key in reached and s.requires_event}
    milestones: set[str] = set()
    grew = True
    while grew:
        before = len(void) + len(milestones)
        for deadline in framework.deadlines:
            if deadline.from_ in void or deadline.from_ in milestones:
                milestones.add(deadline.key)
                if deadline.event:
                    void.add(deadline.event)
        void.update(e.name for e in framework.events if e.estimated_by in milestones)
        grew = len(void) + len(milestones) > before
    if life.postponement is not None:
        void.discard(life.postponement.event)  # the new date itself is never void
    return tuple(e.name for e in framework.events if e.name in void)


def _checked_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise BadPostponement(REASON_NEEDED, "reason")
    if len(text) > REASON_MAX_LENGTH:
        raise BadPostponement(REASON_TOO_LONG.format(limit=REASON_MAX_LENGTH), "reason")
    return text


def inspection_postpone(
    *,
    inspection: Inspection,
    actor: User,
    reason: str = "",
    planned_for: dt.date | None = None,
    expected_version: int | None = None,
) -> list[str]:
    """Postpone the inspection to ``planned_for`` because of ``reason``; returns the warnings about
    the new date (not the framework's notification weekday, not a working day, outside the
    framework's period). Refused without a reason, without a date, with a date in the past, or when
    the inspection's stage cannot be postponed."""
    check(actor, Action.INSPECTION_CHANGE, inspection)
    framework = framework_of(inspection)
    rule = framework.lifecycle.postponement
    text = _checked_reason(reason)
    if planned_for is None:
        raise BadPostponement(DATE_NEEDED.format(label=planned_date_label(framework).lower()), "planned_for")
    today = dt.date.today()
    if planned_for < today:
        raise BadPostponement(
            DATE_IN_THE_PAST.format(date=f"{planned_for:%-d %B %Y}", today=f"{today:%-d %B %Y}"),
            "planned_for",
        )
    with transaction.atomic():
        lock_inspection(inspection, expected_version=expected_version)
        transition = postpone_transition(framework, inspection.state)
        if transition is None or rule is None:
            raise InspectionError(
                CANNOT_POSTPONE.format(
                    state=state_label(framework, inspection.state), framework=framework.title
                )
            )
        recorded = inspection_events(inspection)
        cleared = {
            name: value.isoformat() if isinstance(value, dt.date) else str(value)
            for name in voided_events(framework, transition)
            if (value := recorded.get(name)) is not None
        }
        InspectionEvent.objects.filter(inspection=inspection, name__in=list(cleared)).delete()
        warnings = event_store(inspection=inspection, name=rule.event, on=planned_for, actor=actor)
        registry.check_move_guards(inspection, framework, transition.to)
        before = inspection.state
        inspection.state = transition.to
        inspection.save(update_fields=["state", "updated_at"])
        Postponement.objects.create(
            inspection=inspection,
            from_state=before,
            to_state=transition.to,
            reason=text,
            planned_for=planned_for,
            cleared=cleared,
            postponed_by=actor,
        )
        count_change(inspection)
        audit.record(
            actor=actor,
            action="inspection.postpone",
            obj=inspection,
            changes={
                "state": [before, transition.to],
                "reason": text,
                rule.event: planned_for.isoformat(),
                "cleared": cleared,
            },
        )
    if not default_calendar().is_working_day(planned_for):
        warnings.append(NOT_A_WORKING_DAY.format(date=f"{planned_for:%A %-d %B %Y}"))
    return warnings
