from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from areasend.core.permissions import has_permission, requires

from . import selectors, services
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
    return render(
        request, "areas/list.html", {"form": form, "areas": areas, "query": query, "region": region}
    )


@requires("areas.view")
def area_detail(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = selectors.area_get(user=request.user, ons_code=ons_code)
    visible = selectors.area_ids_visible_to(request.user)
    context = {
        "area": area,
        "neighbours": selectors.neighbours(area=area),
        "neighbours_2021": selectors.neighbours(area=area, model=StatisticalNeighbour.MODEL_2021),
        "visible_area_ids": visible,
        "partners": area.partners.all(),
        "predecessors": selectors.predecessors(area=area),
        "sections": _area_sections(request, area),
        "perms_partners": has_permission(request.user, "areas.partners.change"),
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
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        instance.area = area
        try:
            services.partner_save(partner=instance, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{instance.name} saved")
            return redirect("areas:detail", ons_code=area.ons_code)
    return render(request, "areas/partner_form.html", {"area": area, "form": form, "partner": partner})


@requires("areas.partners.change")
def partner_delete(request: HttpRequest, ons_code: str, partner_id: int) -> HttpResponse:
    area = selectors.area_get(user=request.user, ons_code=ons_code)
    partner = area.partners.filter(pk=partner_id).first()
    if partner is None:
        raise Http404("No such partner")
    error = ""
    if request.method == "POST":
        try:
            services.partner_delete(partner=partner, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{partner.name} removed")
            return redirect("areas:detail", ons_code=area.ons_code)
    return render(request, "areas/partner_delete.html", {"area": area, "partner": partner, "error": error})
