"""Helpers for the pages about one inspection, shared by the apps that add pages to it.

Object checks, after the role check of `@requires`: an inspection the user may not see is a 404
(`selectors.inspection_get`); one they may see but not act on is a 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import selectors
from .models import Inspection
from .services import InspectionError

NOT_IN_TEAM = "Only the inspection's team can do this."
NOT_YOUR_AREA = "Only the area's partnership officers can do this."


def posted(request: HttpRequest) -> Any:
    """The posted data, or None for a GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def visible_inspection(request: HttpRequest, pk: int) -> Inspection:
    return selectors.inspection_get(user=request.user, pk=pk)


def changeable_inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = visible_inspection(request, pk)
    if not selectors.can_change(request.user, inspection):
        raise PermissionDenied(NOT_IN_TEAM)
    return inspection


def area_officer_inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = visible_inspection(request, pk)
    if not selectors.can_submit_plans(request.user, inspection):
        raise PermissionDenied(NOT_YOUR_AREA)
    return inspection


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
