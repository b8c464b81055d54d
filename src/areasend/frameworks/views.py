from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from areasend.core.permissions import requires

from . import selectors
from .presentation import framework_page


@requires("frameworks.view")
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "frameworks/list.html", {"frameworks": selectors.latest_versions(user=request.user)}
    )


@requires("frameworks.view")
def framework_detail(request: HttpRequest, framework_id: str) -> HttpResponse:
    raw_version = request.GET.get("version", "").strip()
    version: int | None = None
    if raw_version:
        if not raw_version.isdigit():
            raise Http404("No such framework version")
        version = int(raw_version)
    record = selectors.framework_get(user=request.user, framework_id=framework_id, version=version)
    versions = selectors.other_versions(user=request.user, framework_id=framework_id)
    context = {
        "record": record,
        "framework": record.framework(),
        "page": framework_page(record.framework()),
        "versions": versions,
        "is_latest": record.version == versions[0],
    }
    return render(request, "frameworks/detail.html", context)
