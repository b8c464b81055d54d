"""The national figures page: the figures `areasend stats` prints, with charts, tables and what each
counts, for every signed-in role (docs/adr/0022-national-figures-page.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from areasend.core import components as c
from areasend.core.permissions import requires

from . import national_page
from .figures import national_figures
from .forms import filter_form
from .official_page import official_section

# Every signed-in role reads the national figures: every role's permissions include it.
NATIONAL_FIGURES = "frameworks.view"


@requires(NATIONAL_FIGURES)
@require_GET
def national(request: HttpRequest) -> HttpResponse:
    form = filter_form(request.GET or None)
    context: dict[str, object] = {
        "form": form,
        "breadcrumbs": c.breadcrumbs(("Home", reverse("core:home")), "National figures"),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "history/national.html", context, status=400)
    filters = form.filters()
    figures = national_figures(
        as_of=filters.as_of,
        first_year=filters.first_year,
        last_year=filters.last_year,
        framework_id=filters.framework_id,
        count_by=filters.count_by,
    )
    context.update(
        filters=filters,
        as_of=filters.as_of,
        sections=national_page.sections(figures, filters.as_of),
        official_figures=official_section(filters.framework_id),
    )
    return render(request, "history/national.html", context)


@requires(NATIONAL_FIGURES)
@require_GET
def timeliness(request: HttpRequest) -> HttpResponse:
    """Timeliness of publication by year and regime, and the backtest of the deadlines (ADR 0028)."""
    from .timeliness import page_context, shipped_timeliness  # the schema (pydantic) loads on first use

    context: dict[str, object] = {
        "breadcrumbs": c.breadcrumbs(
            ("Home", reverse("core:home")),
            ("National figures", reverse("history:national")),
            "Timeliness of publication",
        ),
        **page_context(shipped_timeliness()),
    }
    return render(request, "history/timeliness.html", context)
