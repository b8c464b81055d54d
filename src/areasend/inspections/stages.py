"""The stages in which the report's outcome, findings and sign-off may be recorded, as the framework
names them (``lifecycle.records``, ``sign_off.states``), and the checks the services make with them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from areasend.domain.frameworks import Framework

from .errors import InspectionError
from .models import Inspection
from .timelines import condition_met, inspection_events

# Guard messages: tests import and assert these exactly.
CLOSED_ONCE_PUBLISHED = (
    "{what} can no longer change: the report is published (the inspection is at: {state})."
)
NOT_THE_SIGNATORY = "Only the {role} on this inspection’s team signs off for {inspectorate}."
SIGN_OFF_NOT_NOW = "The report cannot be signed off at this stage ({state}): it is signed off in {states}."
SIGN_OFF_NEEDS_OUTCOME = "Record the outcome before signing off the report."
SIGN_OFF_NEEDS_FINDINGS = "Record at least one {kind} for this outcome before signing off the report."
RECORD_NOT_NOW = "{what} cannot be recorded at this stage ({state}): {they} can be recorded in {states}."


def state_label(framework: Framework, key: str) -> str:
    """The framework's label for a lifecycle state (the key itself for a state it does not name)."""
    state = framework.state(key)
    return state.label if state is not None else key


def missing_finding_kind(
    inspection: Inspection, framework: Framework, events: dict[str, dt.date | str] | None = None
) -> str | None:
    """The first kind of finding the outcome calls for that has none recorded (its label, in lower
    case), or None when every required kind has at least one."""
    events = inspection_events(inspection) if events is None else events
    for kind in framework.finding_kinds:
        applies = condition_met(kind.when, events) if kind.when else True
        # a withdrawn finding counts for nothing
        if kind.required and applies and not inspection.findings.in_force().filter(kind=kind.key).exists():
            return kind.label.lower()
    return None


def _states_text(framework: Framework, states: Iterable[str]) -> str:
    labels = [state_label(framework, key) for key in states]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def check_record_stage(inspection: Inspection, framework: Framework, record: str, what: str) -> None:
    """The outcome and findings are recorded only in the stages the framework names for them (and
    never once the report is published)."""
    if framework.is_published(inspection.state):
        raise InspectionError(
            CLOSED_ONCE_PUBLISHED.format(what=what, state=state_label(framework, inspection.state))
        )
    states = framework.lifecycle.record_states(record)
    if states is not None and inspection.state not in states:
        raise InspectionError(
            RECORD_NOT_NOW.format(
                what=what,
                state=state_label(framework, inspection.state),
                they="they" if what.endswith("s") else "it",
                states=_states_text(framework, states),
            )
        )


def check_sign_off_stage(inspection: Inspection, framework: Framework) -> None:
    """A report is signed off in the stages the framework names, once its outcome and the findings the
    outcome calls for are recorded."""
    rule = framework.sign_off
    if rule is None:
        return
    if rule.states and inspection.state not in rule.states:
        raise InspectionError(
            SIGN_OFF_NOT_NOW.format(
                state=state_label(framework, inspection.state), states=_states_text(framework, rule.states)
            )
        )
    if rule.requires_outcome and not inspection.outcome:
        raise InspectionError(SIGN_OFF_NEEDS_OUTCOME)
    if rule.requires_findings:
        missing = missing_finding_kind(inspection, framework)
        if missing is not None:
            raise InspectionError(SIGN_OFF_NEEDS_FINDINGS.format(kind=missing))
