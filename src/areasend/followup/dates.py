"""The dates follow-up plans and visits record, checked as the inspection's dates are
(`areasend.inspections.dates`), and the timeline's warnings for them before they are saved.

A plan's submission records the document's `submitted` event (or `resubmitted` for a resubmission,
when the document has one); a resubmission that records no event is still held to the `submitted`
event's rules, and cannot be before the review of the submission before it. A visit records its
notification, first and last days as the visit's events, checked together. An action cannot be due
before the report it follows was published. The services and the pages use these same functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from areasend.inspections import dates as inspection_dates
from areasend.inspections.dates import (
    DateRuleError,
    check_event_dates,
    date_warnings,
    event_label,
    long_date,
)
from areasend.inspections.errors import InspectionError
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Inspection
from areasend.inspections.timelines import condition_met, inspection_events

from . import rules
from .models import Plan

# Messages: tests import these and assert them exactly.
DATE_ORDER = "{later} ({later_date}) cannot be before {earlier} ({earlier_date})."
RESUBMITTED_BEFORE_REVIEW = (
    "The resubmission ({date}) cannot be before the review of submission {number} ({reviewed})."
)
DUE_BEFORE_REPORT = "An action cannot be due ({due}) before {event} ({published})."


def submission_events(plan: Plan, document: Any) -> tuple[str | None, str | None]:
    """The event a submission of the plan records now (None when it records none), and the event
    whose rules its date is held to."""
    events = document.events
    if events is None:
        return None, None
    resubmission = plan.status in document.resubmission_statuses
    recorded = events.resubmitted if resubmission else events.submitted
    return recorded, recorded or events.submitted


def check_submission_date(plan: Plan, document: Any, submitted_on: dt.date) -> None:
    """Refuse a submission date the rules do not allow that recording its event would not catch: a
    resubmission before the last review, or, when it records no event, a date the `submitted`
    event's rules refuse. (A recorded event is checked when it is recorded.)"""
    last = plan.submissions.exclude(reviewed_on=None).order_by("-number").first()
    if last is not None and last.reviewed_on is not None and submitted_on < last.reviewed_on:
        raise DateRuleError(
            RESUBMITTED_BEFORE_REVIEW.format(
                date=long_date(submitted_on), number=last.number, reviewed=long_date(last.reviewed_on)
            ),
            event="",
        )
    recorded, held_to = submission_events(plan, document)
    if recorded is None and held_to is not None:
        inspection = plan.inspection
        check_event_dates(
            framework_of(inspection), inspection_events(inspection), {held_to: submitted_on}, dependents=False
        )


def submission_warnings(plan: Plan, submitted_on: dt.date) -> list[str]:
    """A dry run of submitting the plan on `submitted_on`: refuses a date as the service would,
    otherwise the timeline's warnings for it (none for a plan that cannot be submitted now: the
    service says why)."""
    document = rules.document_of(plan)
    if not rules.can_be_submitted(document, plan):
        return []
    check_submission_date(plan, document, submitted_on)
    recorded, _ = submission_events(plan, document)
    return date_warnings(plan.inspection, {recorded: submitted_on}) if recorded else []


def check_review_date(plan: Plan, document: Any, reviewed_on: dt.date, records_review: bool) -> None:
    """A review that records no `reviewed` event is still held to that event's rules."""
    events = document.events
    if events is None or not events.reviewed or records_review:
        return
    inspection = plan.inspection
    check_event_dates(
        framework_of(inspection),
        inspection_events(inspection),
        {events.reviewed: reviewed_on},
        dependents=False,
    )


def check_due_date(plan: Plan, due_on: dt.date) -> None:
    inspection = plan.inspection
    framework = framework_of(inspection)
    publication = framework.lifecycle.publication
    published = inspection_events(inspection).get(publication.event) if publication else None
    if publication is not None and isinstance(published, dt.date) and due_on < published:
        raise DateRuleError(
            DUE_BEFORE_REPORT.format(
                due=long_date(due_on),
                event=event_label(framework, publication.event, first=False),
                published=long_date(published),
            ),
            event="",
        )


def check_visit_days(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise DateRuleError(
            DATE_ORDER.format(
                later="The last day", later_date=ends_on, earlier="the first day", earlier_date=starts_on
            ),
            event="",
        )


def visit_event_dates(
    spec: Any, notified_on: dt.date | None, starts_on: dt.date | None, ends_on: dt.date | None
) -> dict[str, dt.date]:
    """The events a visit of this kind records for the dates given (event -> date)."""
    events = getattr(spec, "events", None)
    if events is None:
        return {}
    pairs = ((events.notified, notified_on), (events.start, starts_on), (events.end, ends_on))
    return {name: value for name, value in pairs if name and value}


def visit_warnings(
    inspection: Inspection,
    visit: str,
    notified_on: dt.date | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> list[str]:
    """A dry run of recording a visit's dates: refuses a date as the service would, otherwise the
    timeline's warnings for them (none for a visit the service refuses: it says why)."""
    check_visit_days(starts_on, ends_on)
    spec = framework_of(inspection).visit(visit)
    if spec is None or (
        spec.required_when and not condition_met(spec.required_when, inspection_events(inspection))
    ):
        return []
    return date_warnings(inspection, visit_event_dates(spec, notified_on, starts_on, ends_on))


# A visit is judged once it is over (its last day recorded and passed).
VISIT_NOT_DATED = "Record the last day of the {visit} before judging it."
VISIT_NOT_OVER = "The {visit} is not over until {date}: judge it once it has ended."


def check_visit_over(ends_on: dt.date | None, title: str) -> None:
    if ends_on is None:
        raise InspectionError(VISIT_NOT_DATED.format(visit=title))
    if ends_on > inspection_dates.today():
        raise InspectionError(VISIT_NOT_OVER.format(visit=title, date=long_date(ends_on)))
