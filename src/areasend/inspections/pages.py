"""Helpers for the pages about one inspection, shared by the apps that add pages to it.

Object checks, after the role check of `@requires`: an inspection the user may not see is a 404
(`selectors.inspection_get`); one they may see but not act on is a 403.

Every form that changes an inspection (or a plan) carries the version the page was built from in a
hidden `version` field; the service refuses the edit when the stored version has moved on since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from areasend.access import AccessDenied, Action, check
from areasend.core.pages import form_page

from . import selectors
from .dates import DateRuleError
from .models import Inspection
from .services import STALE_INSPECTION, InspectionError, StaleVersion

VERSION_FIELD = "version"


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


def posted_version(request: HttpRequest) -> tuple[int | None, bool]:
    """The version a posted form was built from (None when it names none) and whether it is readable."""
    value = request.POST.get(VERSION_FIELD, "").strip() if request.method == "POST" else ""
    if not value:
        return None, True
    return (int(value), True) if value.isascii() and value.isdigit() else (None, False)


class FormVersion:
    """The version a form page carries in its hidden field: the one the form was opened with, or, after
    a refusal because it was stale, the one stored now (read when the page is drawn, after the page has
    read the stored objects again), so sending the form again is a decision made on what changed."""

    def __init__(self, target: Model, posted: int | None) -> None:
        self.target, self.posted, self.stale = target, posted, False

    @property
    def value(self) -> int:
        if self.posted is not None and not self.stale:
            return self.posted
        return int(getattr(self.target, VERSION_FIELD))


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
    versioned: Model | None = None,
    stale_message: str = STALE_INSPECTION,
    carries_version: bool = True,
    warn: Callable[[dict[str, Any]], Sequence[str]] | None = None,
    date_field: Callable[[str], str | None] | None = None,
    back: str = "",
    button_classes: str = "",
) -> HttpResponse:
    """The shared form page for an inspection: on a valid POST it calls the service through `perform`
    (which returns the success message) and goes back to the inspection; a refusal is shown in the
    error summary with the service's own message and nothing changes.

    The form carries the version of `versioned` (a plan), or of the inspection; `perform` receives the
    posted one as `data["version"]` (None when the post named none) and hands it to its service as
    `expected_version`; a post whose version is not a number is refused with `stale_message`. A form
    that changes neither the inspection nor a plan (a private note, a declared conflict) says
    `carries_version=False`. `back` is the page to go back to (the inspection's, unless given).

    A page that enters dates gives `warn`, the dry run of its change (see `core.pages.form_page`),
    and `date_field`, which names the form field of an event's date, so that a date the rules refuse
    is shown beside the field it was typed in.
    """
    detail = back or reverse("inspections:detail", args=[inspection.pk])
    stored = [inspection, *refresh]
    target = (versioned or inspection) if carries_version else None
    version: FormVersion | None = None
    run = perform
    if target is not None:
        if all(obj is not target for obj in stored):
            stored.append(target)
        posted, readable = posted_version(request)
        version = form_version = FormVersion(target, posted)

        def run(data: dict[str, Any]) -> str:
            try:
                if not readable:  # not a version a page wrote: it cannot be checked
                    raise StaleVersion(stale_message)
                return perform({**data, VERSION_FIELD: posted})
            except StaleVersion:
                form_version.stale = True
                raise

    if date_field is not None:
        run, warn = _beside_date_field(run, date_field), warn and _beside_date_field(warn, date_field)
    return form_page(
        request,
        form=form,
        heading=heading,
        button=button,
        perform=run,
        warn=warn,
        success_url=detail,
        cancel_url=detail,
        caption=str(inspection),
        intro=intro,
        button_classes=button_classes,
        template="inspections/action_form.html",
        context={"inspection": inspection, "version": version},
        refused=(InspectionError, AccessDenied),
        refresh=stored,
    )


def _beside_date_field(call: Callable[[dict[str, Any]], Any], field_of: Callable[[str], str | None]) -> Any:
    """`call`, with a refused date shown beside the form field it was typed in."""

    def wrapped(data: dict[str, Any]) -> Any:
        try:
            return call(data)
        except DateRuleError as exc:
            field = field_of(exc.event)
            if field is None:
                raise
            raise ValidationError({field: str(exc)}) from exc

    return wrapped
