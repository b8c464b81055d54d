from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from areasend.access import Action, check, decide
from areasend.analytics.errors import CatalogueError
from areasend.areas.models import LocalArea
from areasend.areas.selectors import area_get
from areasend.core import components as c
from areasend.core.pages import form_page, posted
from areasend.core.permissions import requires
from areasend.inspections.models import Inspection
from areasend.inspections.selectors import latest_published_findings

from . import exports, presentation, selectors, services
from .forms import LineReviewForm, PeriodForm, ProposeForm
from .presentation import page_context


def _live_area(request: HttpRequest, ons_code: str, action: Action = Action.DATAPACK_VIEW) -> LocalArea:
    """The area, if this user may see it (404 otherwise, as on the area pages) and take `action` on it
    (403 with the policy's reason otherwise); data packs exist for live areas only."""
    area = area_get(user=request.user, ons_code=ons_code)
    if not area.is_live:
        raise Http404("Data packs are built for current areas only")
    check(request.user, action, area)
    return area


def _inspection(
    request: HttpRequest, area: LocalArea, chosen: Any = None
) -> tuple[list[Inspection], Inspection | None]:
    """The area's inspections the user may see, and the one the page is for: the one asked for
    (``?inspection=``; 404 if it is not one of them), or else the most recent."""
    inspections = selectors.inspections_for_area(user=request.user, area=area)
    chosen = chosen if chosen is not None else request.GET.get("inspection")
    if chosen in (None, ""):
        return inspections, (inspections[0] if inspections else None)
    found = next((i for i in inspections if str(i.pk) == str(chosen)), None)
    if found is None:
        raise Http404("No such inspection of this area")
    return inspections, found


def _page_url(area: LocalArea, inspection: Inspection | None, anchor: str = "") -> str:
    url = reverse("datapack:page", kwargs={"ons_code": area.ons_code})
    return url + (f"?inspection={inspection.pk}" if inspection is not None else "") + anchor


def _query(**values: Any) -> str:
    """``?inspection=3&period=2023`` from the values given (none: empty)."""
    given = {k: v for k, v in values.items() if v not in (None, "")}
    return f"?{urlencode(given)}" if given else ""


def _period(request: HttpRequest) -> tuple[PeriodForm, str | None]:
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"] or None
    return form, None


def _pack(area: LocalArea, inspection: Inspection | None, period: str | None) -> dict[str, Any]:
    """The pack for the inspection's framework; for a framework the catalogue does not cover, or with
    no inspection, for the catalogue's first framework."""
    framework_id = inspection.framework.framework_id if inspection is not None else None
    try:
        return selectors.pack_for_area(area=area, period=period, framework_id=framework_id)
    except CatalogueError:
        return selectors.pack_for_area(area=area, period=period)


def _page(
    request: HttpRequest,
    area: LocalArea,
    period_form: PeriodForm,
    period: str | None,
    inspections: list[Inspection],
    inspection: Inspection | None,
    propose_form: ProposeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    pack = _pack(area, inspection, period)
    can_see_lines = bool(decide(request.user, Action.ENQUIRY_VIEW, area))
    can_change = bool(decide(request.user, Action.ENQUIRY_CHANGE, area))
    stored_lines = (
        list(selectors.lines_for_inspection(inspection=inspection))
        if can_see_lines and inspection is not None
        else []
    )
    context: dict[str, Any] = page_context(pack) | {
        "area": area,
        "breadcrumbs": c.breadcrumbs(
            ("Home", reverse("core:home")),
            ("Local areas", reverse("areas:list")),
            (area.name, reverse("areas:detail", args=[area.ons_code])),
        ),
        "summary": presentation.pack_summary(pack, period),
        "period_form": period_form,
        "period": period or "",
        "inspections": inspections,
        "inspection": inspection,
        "stored_lines": stored_lines,
        "stored_lines_table": presentation.stored_lines_table(area, stored_lines, can_change=can_change),
        "area_lines": selectors.area_level_lines(area=area) if can_see_lines else [],
        "can_see_lines": can_see_lines,
        "can_change": can_change,
        "propose_form": propose_form
        or ProposeForm(
            initial={
                "period": period or "",
                "inspection": inspection.pk if inspection else None,
                "previous_weaknesses": "\n".join(latest_published_findings(area)),
            },
            prefix=ProposeForm.prefix,
        ),
        "download_query": _query(inspection=inspection.pk if inspection else None, period=period),
    }
    return render(request, "datapack/page.html", context, status=status)


@requires("datapack.view")
def datapack_page(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = _live_area(request, ons_code)
    inspections, inspection = _inspection(request, area)
    form, period = _period(request)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return _page(request, area, form, period, inspections, inspection, status=status)


@requires("datapack.view")
def datapack_pdf(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = _live_area(request, ons_code)
    _, inspection = _inspection(request, area)
    _, period = _period(request)
    pack = _pack(area, inspection, period)
    lines = (
        selectors.accepted_lines(inspection)
        if inspection is not None and decide(request.user, Action.ENQUIRY_VIEW, area)
        else []
    )
    response = HttpResponse(
        exports.pdf_bytes(pack, lines=lines, inspection=inspection), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(pack, "pdf")}"'
    return response


@requires("datapack.view")
def datapack_xlsx(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = _live_area(request, ons_code)
    _, inspection = _inspection(request, area)
    _, period = _period(request)
    pack = _pack(area, inspection, period)
    response = HttpResponse(
        exports.xlsx_bytes(pack),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(pack, "xlsx")}"'
    return response


@requires("datapack.enquiries.change")
@require_POST
def lines_propose(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = _live_area(request, ons_code, Action.ENQUIRY_CHANGE)
    form = ProposeForm(request.POST, prefix=ProposeForm.prefix)
    inspections, inspection = _inspection(request, area, request.POST.get(f"{ProposeForm.prefix}-inspection"))
    if not form.is_valid() or inspection is None:
        return _page(
            request, area, PeriodForm(), None, inspections, inspection, propose_form=form, status=400
        )
    try:
        created = services.lines_propose(
            inspection=inspection,
            actor=request.user,
            period=form.cleaned_data["period"] or None,
            previous_weaknesses=form.weaknesses(),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(
            request, area, PeriodForm(), None, inspections, inspection, propose_form=form, status=400
        )
    messages.success(request, f"{len(created)} line{'s' if len(created) != 1 else ''} of enquiry proposed")
    return redirect(_page_url(area, inspection, "#stored-lines"))


@requires("datapack.enquiries.change")
def line_review(request: HttpRequest, ons_code: str, line_id: int) -> HttpResponse:
    area = _live_area(request, ons_code, Action.ENQUIRY_CHANGE)
    line = selectors.line_get(user=request.user, area=area, line_id=line_id)
    if line is None:
        raise Http404("No such line of enquiry")
    initial = {"text": line.text, "decision": "accept" if line.status == line.PROPOSED else ""}
    form = LineReviewForm(posted(request), initial=initial)

    def perform(data: dict[str, Any]) -> str:
        services.line_review(line=line, actor=request.user, decision=data["decision"], text=data["text"])
        return f"Line of enquiry {line.get_status_display().lower()}"

    anchor = "#stored-lines" if line.inspection is not None else "#area-lines"
    back = _page_url(area, line.inspection, anchor)
    return form_page(
        request,
        form=form,
        heading="Review a line of enquiry",
        button="Save decision",
        perform=perform,
        success_url=back,
        cancel_url=back,
        caption=area.name,
        template="datapack/line_form.html",
        context={"line": line, "facts": presentation.line_facts(line)},
    )
