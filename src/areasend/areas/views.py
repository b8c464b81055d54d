from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from areasend.core import components as c
from areasend.core.forms import ConfirmForm
from areasend.core.pages import form_page, posted
from areasend.core.permissions import has_permission, requires

from . import presentation, selectors, services
from .forms import AreaSearchForm, PartnerForm
from .models import StatisticalNeighbour


@requires("areas.view")
def area_list(request: HttpRequest) -> HttpResponse:
    form = AreaSearchForm(request.GET or None, regions=selectors.regions())
    query = region = ""
    former = False
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"].strip()
        region = form.cleaned_data["region"]
        former = form.cleaned_data["former"]
    areas = selectors.area_list(user=request.user, query=query, region=region, include_former=former)
    context = {
        "form": form,
        "areas": areas,
        "query": query,
        "region": region,
        "table": presentation.area_list_table(areas),
    }
    return render(request, "areas/list.html", context)


@requires("areas.view")
def area_detail(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = selectors.area_get(user=request.user, ons_code=ons_code)
    can_change = has_permission(request.user, "areas.partners.change")
    neighbours = selectors.neighbours(area=area)
    context = {
        "area": area,
        "breadcrumbs": c.breadcrumbs(("Home", reverse("core:home")), ("Local areas", reverse("areas:list"))),
        "facts": presentation.area_facts(area, selectors.predecessors(area=area)),
        "partners_table": presentation.partners_table(area, area.partners.all(), can_change=can_change),
        "neighbours": neighbours,
        "neighbours_table": presentation.neighbours_table(
            neighbours, selectors.area_ids_visible_to(request.user)
        ),
        "neighbours_2021": selectors.neighbours(area=area, model=StatisticalNeighbour.MODEL_2021),
        "sections": _area_sections(request, area),
        "perms_partners": can_change,
    }
    return render(request, "areas/detail.html", context)


def _area_sections(request: HttpRequest, area: object) -> list[dict[str, object]]:
    """Sections other apps contribute to the area page (inspection history, data pack...)."""
    from .page_sections import sections_for

    return sections_for(request, area)


@requires("areas.partners.change")
def partner_edit(request: HttpRequest, ons_code: str, partner_id: int | None = None) -> HttpResponse:
    area = selectors.area_get(user=request.user, ons_code=ons_code)
    partner = None
    if partner_id is not None:
        partner = area.partners.filter(pk=partner_id).first()
        if partner is None:
            raise Http404("No such partner")
    form = PartnerForm(posted(request), instance=partner)

    def perform(data: dict[str, Any]) -> str:
        instance = form.save(commit=False)
        instance.area = area
        services.partner_save(partner=instance, actor=request.user)
        return f"{instance.name} saved"

    back = reverse("areas:detail", args=[area.ons_code])
    return form_page(
        request,
        form=form,
        heading="Change partner" if partner else "Add a partner",
        button="Save partner",
        perform=perform,
        success_url=back,
        cancel_url=back,
        caption=area.name,
        template="areas/partner_form.html",
        context={"area": area, "partner": partner},
    )


@requires("areas.partners.change")
def partner_delete(request: HttpRequest, ons_code: str, partner_id: int) -> HttpResponse:
    area = selectors.area_get(user=request.user, ons_code=ons_code)
    partner = area.partners.filter(pk=partner_id).first()
    if partner is None:
        raise Http404("No such partner")

    def perform(data: dict[str, Any]) -> str:
        services.partner_delete(partner=partner, actor=request.user)
        return f"{partner.name} removed"

    back = reverse("areas:detail", args=[area.ons_code])
    return form_page(
        request,
        form=ConfirmForm(posted(request)),
        heading=f"Remove {partner.name}?",
        button="Remove partner",
        button_classes="govuk-button--warning",
        perform=perform,
        success_url=back,
        cancel_url=back,
        caption=area.name,
        context={"title": f"Remove {partner.name}"},
    )
