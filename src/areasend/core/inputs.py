"""One input layer for pages, the API and the command line.

What no record may hold is refused here with a message, before it reaches a form, a service or the
database: NUL and other control characters, malformed Unicode (lone surrogates), text longer than its
field, and dates outside the range a record can sensibly carry (`AREASEND_EARLIEST_DATE` to
`AREASEND_LATEST_DATE`, 2000-01-01 to 2100-12-31 unless set otherwise). Forms, API schemas
(`core.api_types`) and commands call the same checks; `InputGuardMiddleware` refuses a
request carrying such characters anywhere (path, query, form fields, JSON) with a 400 and a message. The API's field types are in
`core.api_types`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

CONTROL_CHARACTER = "{field} contains a character that cannot be stored (a control character or NUL)"
BROKEN_UNICODE = "{field} contains malformed text (an unpaired surrogate): check how it was copied"
TOO_LONG = "{field} must be {limit} characters or fewer (it has {length})"
DATE_OUT_OF_RANGE = "{field} must be between {earliest} and {latest}"
REQUEST_REFUSED = "The request was refused: {problem}."

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def earliest_date() -> dt.date:
    return dt.date.fromisoformat(getattr(settings, "AREASEND_EARLIEST_DATE", "2000-01-01"))


def latest_date() -> dt.date:
    return dt.date.fromisoformat(getattr(settings, "AREASEND_LATEST_DATE", "2100-12-31"))


def text_problem(value: str, field: str = "The text", limit: int | None = None) -> str | None:
    """The message for text that cannot be stored, or None when it can."""
    if _CONTROL.search(value):
        return CONTROL_CHARACTER.format(field=field)
    if _SURROGATE.search(value):
        return BROKEN_UNICODE.format(field=field)
    if limit is not None and len(value) > limit:
        return TOO_LONG.format(field=field, limit=limit, length=len(value))
    return None


def date_problem(value: dt.date, field: str = "The date") -> str | None:
    earliest, latest = earliest_date(), latest_date()
    if earliest <= value <= latest:
        return None
    return DATE_OUT_OF_RANGE.format(
        field=field, earliest=f"{earliest:%-d %B %Y}", latest=f"{latest:%-d %B %Y}"
    )


# --- the request guard -------------------------------------------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _request_problem(request: HttpRequest) -> str | None:
    for where, values in (
        ("the address", [request.path]),
        ("the address", [v for k in request.GET for v in [k, *request.GET.getlist(k)]]),
    ):
        for value in values:
            if problem := text_problem(value, where):
                return problem
    content_type = request.content_type or ""
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            for key in request.POST:
                for value in [key, *request.POST.getlist(key)]:
                    if problem := text_problem(value, "A form field"):
                        return problem
        elif content_type == "application/json" and request.body:
            try:
                body = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                return None  # the API answers malformed JSON itself
            for value in _strings(body):
                if problem := text_problem(value, "A field"):
                    return problem
    return None


class InputGuardMiddleware:
    """Refuse, with a 400 and a message, any request carrying characters that no record may hold."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = _request_problem(request)
        if problem is None:
            return self.get_response(request)
        message = REQUEST_REFUSED.format(problem=problem)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return render(request, "400.html", {"message": message}, status=400)
