from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from areasend import __version__

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
    events = AuditEvent.objects.select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "action": action})
