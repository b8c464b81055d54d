"""Helpers for the pages about one inspection, shared by the apps that add pages to it.

Object checks, after the role check of `@requires`: an inspection the user may not see is a 404
(`selectors.inspection_get`); one they may see but not act on is a 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from areasend.access import AccessDenied, Action, check
from areasend.core.pages import form_page

from . import selectors
from .models import Inspection
from .services import InspectionError


def posted(request: HttpRequest) -> Any:
    """The posted data, or None for a GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def visible_inspection(request: HttpRequest, pk: int) -> Inspection:
    return selectors.inspection_get(user=request.user, pk=pk)


def inspection_for(request: HttpRequest, pk: int, action: Action) -> Inspection:
    """The inspection, if the user may see it (else 404) and take `action` on it (else 403 with the
    policy's reason)."""
    inspection = visible_inspection(request, pk)
    check(request.user, action, inspection)
    return inspection


def changeable_inspection(request: HttpRequest, pk: int) -> Inspection:
    return inspection_for(request, pk, Action.INSPECTION_CHANGE)


def area_officer_inspection(request: HttpRequest, pk: int) -> Inspection:
    return inspection_for(request, pk, Action.PLAN_SUBMIT)


def inspection_form_page(
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
    """The shared form page for an inspection: on a valid POST it calls the service through `perform`
    (which returns the success message) and goes back to the inspection; a refusal is shown in the
    error summary with the service's own message and nothing changes."""
    detail = reverse("inspections:detail", args=[inspection.pk])
    return form_page(
        request,
        form=form,
        heading=heading,
        button=button,
        perform=perform,
        success_url=detail,
        cancel_url=detail,
        caption=str(inspection),
        intro=intro,
        template="inspections/action_form.html",
        context={"inspection": inspection},
        refused=(InspectionError, AccessDenied),
        refresh=(inspection, *refresh),
    )
