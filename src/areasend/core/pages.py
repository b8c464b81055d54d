"""GOV.UK form pages: show a form, and on a valid post make the change and go back where the user came from.

`form_page` is the whole life of a page that changes one thing: the form is shown with the GOV.UK error
summary when it has errors (and "Error: " before the title); a valid post calls `perform`, the one
service call, which returns the success message shown in the notification banner after the redirect.
When the service refuses (a `ValidationError`, or one of the `refused` exception types), nothing
changes and the form is shown again with the service's own message.

A page given `warn` asks before saving what is valid but unusual: `warn(cleaned_data)` is a dry run
of the change returning its warnings (it may refuse as the service would). With warnings, nothing is
saved: the form is shown again with what was entered, the warnings, and a "Save anyway" button that
posts `confirm` with a token of those warnings; a post confirming exactly the warnings the dry run
gives again is saved. Without warnings the change is saved at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

FORM_TEMPLATE = "core/form_page.html"
CONFIRM_FIELD = "confirm"
SAVE_ANYWAY = "Save anyway"


def posted(request: HttpRequest) -> QueryDict | None:
    """The posted data to bind a form with, or None for a GET (an empty post still binds the form)."""
    return request.POST if request.method == "POST" else None


def add_refusal(form: BaseForm, exc: Exception) -> None:
    """Show a refusal on the form: errors about a field the form has go beside it, the rest in the summary."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = field if field in form.fields else None
            for error in errors:
                form.add_error(name, error.messages)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, str(exc))


def warnings_token(warnings: Sequence[str]) -> str:
    """What "Save anyway" posts: it confirms these warnings, and no others."""
    return hashlib.sha256("\n".join(warnings).encode("utf-8")).hexdigest()[:20]


def form_page(
    request: HttpRequest,
    *,
    form: BaseForm,
    heading: str,
    button: str,
    perform: Callable[[dict[str, Any]], str],
    success_url: str | Callable[[], str],
    cancel_url: str = "",
    caption: str = "",
    intro: str = "",
    button_classes: str = "",
    template: str = FORM_TEMPLATE,
    context: Mapping[str, Any] | None = None,
    refused: tuple[type[Exception], ...] = (),
    refresh: Iterable[Model] = (),
    warn: Callable[[dict[str, Any]], Sequence[str]] | None = None,
) -> HttpResponse:
    """Show `form`; on a valid POST call `perform(cleaned_data)`, which returns the success message.

    `success_url` may be a callable, for a page that only knows where to go once `perform` has run.
    `refresh` lists objects the service may have changed in memory before it refused: they are read
    again so the page shows what is stored.
    """
    handled: tuple[type[Exception], ...] = (ValidationError, *refused)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            warnings = list(warn(form.cleaned_data)) if warn is not None else []
            if warnings and request.POST.get(CONFIRM_FIELD) == warnings_token(warnings):
                warnings = []
            message = "" if warnings else perform(form.cleaned_data)
        except handled as exc:
            warnings = []
            add_refusal(form, exc)
            for obj in refresh:
                obj.refresh_from_db()
        else:
            if not warnings:
                messages.success(request, message)
                return redirect(success_url() if callable(success_url) else success_url)
    page = {
        "form": form,
        "heading": heading,
        "button": button,
        "button_classes": button_classes,
        "intro": intro,
        "caption": caption,
        "cancel_url": cancel_url,
        "warnings": warnings,
        "confirm": {"name": CONFIRM_FIELD, "value": warnings_token(warnings), "text": SAVE_ANYWAY}
        if warnings
        else None,
    }
    return render(request, template, {**page, **(context or {})})
