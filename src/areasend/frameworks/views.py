from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from areasend.core import components as c
from areasend.core.permissions import requires

from . import presentation, selectors
from .differences import differences


@requires("frameworks.view")
def framework_list(request: HttpRequest) -> HttpResponse:
    table = presentation.frameworks_table(selectors.latest_versions(user=request.user))
    return render(request, "frameworks/list.html", {"table": table})


@requires("frameworks.view")
def framework_detail(request: HttpRequest, framework_id: str) -> HttpResponse:
    raw_version = request.GET.get("version", "").strip()
    version: int | None = None
    if raw_version:
        if not (raw_version.isascii() and raw_version.isdigit()):
            raise Http404("No such framework version")
        version = int(raw_version)
    record = selectors.framework_get(user=request.user, framework_id=framework_id, version=version)
    versions = selectors.other_versions(user=request.user, framework_id=framework_id)
    framework = record.framework()
    page = presentation.framework_page(framework)
    previous = selectors.previous_in_force(user=request.user, record=record)
    context = {
        "framework": framework,
        "page": page,
        "versions": versions,
        "is_latest": record.version == versions[0],
        "breadcrumbs": c.breadcrumbs(
            ("Home", reverse("core:home")), ("Inspection frameworks", reverse("frameworks:list"))
        ),
        "facts": presentation.framework_facts(framework, record, versions),
        "tables": presentation.framework_tables(page),
        "events": presentation.events_list(page),
        "documents": [
            {"title": d["title"], "list": presentation.document_list(d)} for d in page["follow_up_documents"]
        ],
        "visits": [{"title": v["title"], "list": presentation.visit_list(v)} for v in page["visits"]],
        "previous": previous,
        "changes": differences(previous.framework(), framework) if previous is not None else [],
    }
    return render(request, "frameworks/detail.html", context)
