"""GOV.UK form pages: show a form, and on a valid post make the change and go back where the user came from.

`form_page` is the whole life of a page that changes one thing: the form is shown with the GOV.UK error
summary when it has errors (and "Error: " before the title); a valid post calls `perform`, the one
service call, which returns the success message shown in the notification banner after the redirect.
When the service refuses (a `ValidationError`, or one of the `refused` exception types), nothing
changes and the form is shown again with the service's own message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

FORM_TEMPLATE = "core/form_page.html"


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
) -> HttpResponse:
    """Show `form`; on a valid POST call `perform(cleaned_data)`, which returns the success message.

    `success_url` may be a callable, for a page that only knows where to go once `perform` has run.
    `refresh` lists objects the service may have changed in memory before it refused: they are read
    again so the page shows what is stored.
    """
    handled: tuple[type[Exception], ...] = (ValidationError, *refused)
    if request.method == "POST" and form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except handled as exc:
            add_refusal(form, exc)
            for obj in refresh:
                obj.refresh_from_db()
        else:
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
    }
    return render(request, template, {**page, **(context or {})})
