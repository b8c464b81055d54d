"""The page that postpones an inspection (reason and new date), and the postponements the
inspection page lists. The rules are in `postponement.inspection_postpone`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from areasend.core.permissions import SignedInRequest, requires
from areasend.domain.frameworks import Framework

from . import forms, postponement, services
from .frameworks import framework_of
from .models import Inspection
from .pages import VERSION_FIELD, changeable_inspection, inspection_form_page, posted
from .presentation import in_words


def _event_label(framework: Framework, name: str) -> str:
    event = framework.event(name)
    return event.label if event is not None else name.replace("_", " ")


def _when(value: str) -> str:
    try:
        return f"{dt.date.fromisoformat(value):%-d %B %Y}"
    except ValueError:
        return value


def postponements_in_words(inspection: Inspection, framework: Framework) -> list[dict[str, Any]]:
    """Each postponement of the inspection, oldest first, in the framework's words."""
    return [
        {
            "postponed_at": item.postponed_at,
            "by": item.postponed_by.get_full_name() or item.postponed_by.get_username(),
            "reason": item.reason,
            "planned_for": item.planned_for,
            "from_state": services.state_label(framework, item.from_state),
            "cleared": [f"{_event_label(framework, n)}: {_when(str(v))}" for n, v in item.cleared.items()],
        }
        for item in inspection.postponements.select_related("postponed_by")
    ]


@requires("inspections.change")
def inspection_postpone(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = changeable_inspection(request, pk)
    framework = framework_of(inspection)
    transition = postponement.postpone_transition(framework, inspection.state)
    if transition is None and request.method != "POST":
        raise Http404("This inspection cannot be postponed at its stage")
    label = postponement.planned_date_label(framework)
    form = forms.PostponeForm(
        posted(request), date_label=label, weekday=framework.timetable.notification_weekday
    )

    def perform(data: dict[str, Any]) -> str:
        try:
            warnings = postponement.inspection_postpone(
                inspection=inspection,
                reason=data["reason"],
                planned_for=data["planned_for"],
                actor=request.user,
                expected_version=data[VERSION_FIELD],
            )
        except postponement.BadPostponement as exc:  # beside its field, and in the summary
            raise ValidationError({exc.field: str(exc)}) from exc
        message = (
            f"{inspection} is postponed: {label.lower()}, {data['planned_for']:%-d %B %Y}. "
            "Every deadline is worked out again from it."
        )
        return " ".join([message, *(f"Check: {in_words(framework, w)}." for w in warnings)])

    events = services.inspection_events(inspection)
    void = [
        _event_label(framework, name)
        for name in (postponement.voided_events(framework, transition) if transition else ())
        if name in events
    ]
    back_to = services.state_label(framework, transition.to if transition else framework.lifecycle.initial)
    intro = (
        f"The inspection goes back to: {back_to}. "
        + (f"These dates are cleared (the audit log keeps them): {', '.join(void)}. " if void else "")
        + "Every deadline is worked out again from the new date until the notification is recorded."
    )
    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading="Postpone the inspection",
        button=(transition.label if transition else None) or "Postpone",
        perform=perform,
        intro=intro,
    )
