"""Pages for the documents attached to follow-up plans: the area's officers attach them; whoever may
see the inspection reads them, through a page that checks so (no URL serves the stored files)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase, HttpResponseNotAllowed

from areasend.core.permissions import SignedInRequest, requires
from areasend.core.uploads import KINDS, size_text
from areasend.inspections.pages import (
    VERSION_FIELD,
    area_officer_inspection,
    inspection_form_page,
    posted,
    visible_inspection,
)

from . import forms, services
from .documents import plan_document_attach
from .models import PlanDocument
from .views import _plan_of


@requires("plans.submit")
def plan_document_add(request: SignedInRequest, pk: int, plan_pk: int) -> HttpResponse:
    inspection = area_officer_inspection(request, pk)
    plan = _plan_of(inspection, plan_pk)
    files = request.FILES if request.method == "POST" else None
    form = forms.PlanDocumentForm(posted(request), files, limit=size_text(settings.MAX_UPLOAD_BYTES))

    def perform(data: dict[str, Any]) -> str:
        document = plan_document_attach(
            plan=plan,
            upload=data["file"],
            description=data["description"],
            actor=request.user,
            expected_version=data[VERSION_FIELD],
        )
        return f"{plan.title}: {document.name} attached"

    return inspection_form_page(
        request,
        inspection=inspection,
        form=form,
        heading=f"Attach a document to the {plan.title}",
        button="Attach document",
        perform=perform,
        intro="The inspection team and the programme staff who can see this inspection can read it.",
        refresh=[plan],
        versioned=plan,
        stale_message=services.STALE_PLAN,
    )


@requires("inspections.view")
def plan_document(request: SignedInRequest, pk: int, plan_pk: int, document_pk: int) -> HttpResponseBase:
    inspection = visible_inspection(request, pk)  # an inspection the user may not see is not found
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    document = PlanDocument.objects.filter(
        pk=document_pk, plan_id=plan_pk, plan__inspection=inspection
    ).first()
    if document is None:
        raise Http404("No such document")
    kind = KINDS.get(document.kind)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
