from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from areasend.areas.models import LocalArea
from areasend.areas.selectors import area_get
from areasend.core import components as c
from areasend.core.pages import form_page, posted
from areasend.core.permissions import has_permission, requires
from areasend.inspections.selectors import latest_published_findings

from . import exports, presentation, selectors, services
from .forms import LineReviewForm, PeriodForm, ProposeForm
from .presentation import page_context


def _live_area(request: HttpRequest, ons_code: str) -> LocalArea:
    """The area, if this user may see it (404 otherwise); data packs exist for live areas only."""
    area = area_get(user=request.user, ons_code=ons_code)
    if not area.is_live:
        raise Http404("Data packs are built for current areas only")
    return area


def _period(request: HttpRequest) -> tuple[PeriodForm, str | None]:
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"] or None
    return form, None


def _page(
    request: HttpRequest,
    area: LocalArea,
    period_form: PeriodForm,
    period: str | None,
    propose_form: ProposeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    pack = selectors.pack_for_area(area=area, period=period)
    can_change = has_permission(request.user, "datapack.enquiries.change")
    stored_lines = list(selectors.lines_for_area(area=area))
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
        "stored_lines": stored_lines,
        "stored_lines_table": presentation.stored_lines_table(area, stored_lines, can_change=can_change),
        "can_change": can_change,
        "propose_form": propose_form
        or ProposeForm(
            initial={
                "period": period or "",
                "previous_weaknesses": "\n".join(latest_published_findings(area)),
            },
            prefix=ProposeForm.prefix,
        ),
    }
    return render(request, "datapack/page.html", context, status=status)


@requires("datapack.view")
def datapack_page(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = _live_area(request, ons_code)
    form, period = _period(request)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return _page(request, area, form, period, status=status)


@requires("datapack.view")
def datapack_pdf(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = _live_area(request, ons_code)
    _, period = _period(request)
    pack = selectors.pack_for_area(area=area, period=period)
    lines = list(selectors.accepted_lines_for_area(area))
    response = HttpResponse(exports.pdf_bytes(pack, lines=lines), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(pack, "pdf")}"'
    return response


@requires("datapack.view")
def datapack_xlsx(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = _live_area(request, ons_code)
    _, period = _period(request)
    pack = selectors.pack_for_area(area=area, period=period)
    response = HttpResponse(
        exports.xlsx_bytes(pack),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(pack, "xlsx")}"'
    return response


@requires("datapack.enquiries.change")
@require_POST
def lines_propose(request: HttpRequest, ons_code: str) -> HttpResponse:
    area = _live_area(request, ons_code)
    form = ProposeForm(request.POST, prefix=ProposeForm.prefix)
    if not form.is_valid():
        return _page(request, area, PeriodForm(), None, propose_form=form, status=400)
    created = services.lines_propose(
        area=area,
        actor=request.user,
        period=form.cleaned_data["period"] or None,
        previous_weaknesses=form.weaknesses(),
    )
    messages.success(request, f"{len(created)} line{'s' if len(created) != 1 else ''} of enquiry proposed")
    return redirect(reverse("datapack:page", kwargs={"ons_code": area.ons_code}) + "#stored-lines")


@requires("datapack.enquiries.change")
def line_review(request: HttpRequest, ons_code: str, line_id: int) -> HttpResponse:
    area = _live_area(request, ons_code)
    line = selectors.line_get(area=area, line_id=line_id)
    if line is None:
        raise Http404("No such line of enquiry")
    initial = {"text": line.text, "decision": "accept" if line.status == line.PROPOSED else ""}
    form = LineReviewForm(posted(request), initial=initial)

    def perform(data: dict[str, Any]) -> str:
        services.line_review(line=line, actor=request.user, decision=data["decision"], text=data["text"])
        return f"Line of enquiry {line.get_status_display().lower()}"

    back = reverse("datapack:page", kwargs={"ons_code": area.ons_code}) + "#stored-lines"
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
