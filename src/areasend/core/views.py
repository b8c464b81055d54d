from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.views.decorators.cache import never_cache

from areasend import __version__

from . import components as c
from .forms import AuditFilterForm
from .models import AuditEvent
from .permissions import public, requires


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            database_ok = cursor.fetchone() == (1,)
    except Exception:
        database_ok = False
    return JsonResponse(
        {"status": "ok" if database_ok else "degraded", "version": __version__, "database": database_ok},
        status=200 if database_ok else 503,
    )


@requires("home.view")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@requires("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    action = form.cleaned_data["action"].strip() if form.is_bound and form.is_valid() else ""
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "table": _audit_table(page),
        "pagination": c.pagination(page, lambda n: "?" + urlencode({"page": n, "action": action})),
    }
    return render(request, "core/audit_log.html", context, status=400 if form.errors else 200)


def _audit_table(page: Any) -> dict[str, Any]:
    rows = [
        c.row(
            date_format(localtime(event.created_at), "j M Y H:i"),
            event.actor_label,
            format_html(
                '{} <span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0"><code>{}</code></span>',
                event.action_label,
                event.action,
            ),
            event.object_repr,
            format_html("<code>{}</code>", Truncator(str(event.changes)).chars(200)),
            format_html("<code>{}</code>", Truncator(event.request_id).chars(14)),
        )
        for event in page
    ]
    return {
        "caption": "Changes, newest first",
        "caption_classes": "govuk-table__caption--m",
        "head": c.head("When", "Who", "Action", "Object", "Changes", "Request"),
        "rows": rows or [c.row(c.cell("No changes recorded.", colspan=6))],
    }
