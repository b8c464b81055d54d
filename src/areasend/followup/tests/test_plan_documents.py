"""The partnership attaches documents to its follow-up plans: checked by content before anything is
stored, kept outside the web root, audited, and read only by those who may see the inspection."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from areasend.areas.models import LocalArea
from areasend.conftest import PageClient, make_user, signed_in, walk_to
from areasend.core.models import AuditEvent
from areasend.core.uploads import UPLOAD_EMPTY, UPLOAD_MISSING, UPLOAD_TOO_BIG, UPLOAD_WRONG_KIND
from areasend.followup import services as follow_up
from areasend.followup.documents import plan_document_attach
from areasend.followup.models import Plan, PlanDocument
from areasend.inspections import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WRONG_KIND = UPLOAD_WRONG_KIND.format(kinds="PDF or Word document (DOCX)")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def fresh_storage(settings: Any) -> None:
    """A new, empty store for each test (the tests' default storage keeps files in memory)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def plan(frameworks: Any, team: dict[str, Any]) -> Plan:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["local-area-send-2016"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    walk_to(inspection, "drafting", team["lead"])
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=team["lead"])
    services.event_record(
        inspection=inspection, name="report_received", on=dt.date(2019, 12, 23), actor=team["lead"]
    )
    return follow_up.plan_open(inspection=inspection, document="wsoa", actor=team["officer"])


def _stored(plan: Plan) -> list[str]:
    """The files stored for the plan, through the storage API (tests store in memory)."""
    try:
        return default_storage.listdir(f"plans/{plan.pk}")[1]
    except FileNotFoundError:
        return []


def test_an_area_officer_attaches_their_plan_and_the_team_reads_it(plan: Plan, team: dict[str, Any]) -> None:
    officer = signed_in(PageClient(), team["officer"])
    base = f"/inspections/{plan.inspection_id}/"
    page = officer.get(base).content.decode()
    assert f'href="{base}plans/{plan.pk}/documents/"' in page
    form = officer.get(f"{base}plans/{plan.pk}/documents/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'class="govuk-file-upload"' in form
    upload = SimpleUploadedFile("Essex WSOA final.pdf", PDF, content_type="text/plain")
    response = officer.post(
        f"{base}plans/{plan.pk}/documents/",
        {"file": upload, "description": "The WSOA as published", "version": plan.version},
    )
    assert response.status_code == 302
    document = PlanDocument.objects.get(plan=plan)
    assert (document.name, document.kind, document.size) == ("Essex WSOA final.pdf", "pdf", len(PDF))
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    [stored] = _stored(plan)
    assert stored != "Essex WSOA final.pdf" and stored.endswith(".pdf")  # stored by a random name
    with default_storage.open(document.file.name or "") as kept:
        assert kept.read() == PDF
    event = AuditEvent.objects.get(action="plan.document_attach")
    assert event.actor == team["officer"] and event.changes["sha256"] == document.sha256
    plan.refresh_from_db()
    assert plan.version == 2

    shown = signed_in(PageClient(), team["lead"]).get(base).content.decode()
    assert "Essex WSOA final.pdf" in shown and "The WSOA as published" in shown
    download = signed_in(PageClient(), team["lead"]).get(f"{base}plans/{plan.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="Essex WSOA final.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    viewer = signed_in(PageClient(), team["viewer"])
    assert viewer.get(f"{base}plans/{plan.pk}/documents/{document.pk}/").status_code == 200


def test_a_word_document_is_taken_too(plan: Plan, team: dict[str, Any]) -> None:
    document = plan_document_attach(
        plan=plan, upload=SimpleUploadedFile("plan.docx", docx_bytes()), actor=team["officer"]
    )
    assert document.kind == "docx" and len(_stored(plan)) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"This is not a PDF, whatever its name says.", WRONG_KIND),
        ("plan.docx", b"PK\x03\x04 not a real package", WRONG_KIND),
        ("plan.xlsx", xlsx_bytes(), WRONG_KIND),
        ("plan.pdf", b"", UPLOAD_EMPTY),
        ("large.pdf", PDF + b"x" * 2048, UPLOAD_TOO_BIG.format(limit="1KB")),
    ],
)
def test_a_wrong_or_oversized_file_is_refused_and_nothing_is_stored(
    plan: Plan, team: dict[str, Any], settings: Any, name: str, content: bytes, message: str
) -> None:
    settings.MAX_UPLOAD_BYTES = 1024
    officer = signed_in(PageClient(), team["officer"])
    url = f"/inspections/{plan.inspection_id}/plans/{plan.pk}/documents/"
    response = officer.post(url, {"file": SimpleUploadedFile(name, content), "version": plan.version})
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not PlanDocument.objects.exists() and _stored(plan) == []
    assert not AuditEvent.objects.filter(action="plan.document_attach").exists()
    plan.refresh_from_db()
    assert plan.version == 1


def test_a_post_without_a_file_asks_for_one(plan: Plan, team: dict[str, Any]) -> None:
    officer = signed_in(PageClient(), team["officer"])
    url = f"/inspections/{plan.inspection_id}/plans/{plan.pk}/documents/"
    response = officer.post(url, {"description": "x", "version": plan.version})
    assert response.status_code == 200 and UPLOAD_MISSING in response.content.decode()
    assert not PlanDocument.objects.exists()


def test_only_the_areas_officers_attach_and_only_those_who_see_the_inspection_read(
    plan: Plan, team: dict[str, Any]
) -> None:
    url = f"/inspections/{plan.inspection_id}/plans/{plan.pk}/documents/"
    for user, status in ((team["kent_officer"], 404), (team["viewer"], 403), (team["lead"], 403)):
        client = signed_in(PageClient(), user)
        assert client.post(url, {"file": SimpleUploadedFile("p.pdf", PDF)}).status_code == status, user
    assert not PlanDocument.objects.exists() and _stored(plan) == []
    document = plan_document_attach(plan=plan, upload=SimpleUploadedFile("p.pdf", PDF), actor=team["officer"])
    read = f"{url}{document.pk}/"
    assert signed_in(PageClient(), team["kent_officer"]).get(read).status_code == 404
    outsider = make_user("outside-inspector", "inspector", "E10000016")
    assert signed_in(PageClient(), outsider).get(read).status_code == 404
    assert PageClient().get(read).status_code == 302  # signed out: to sign in
    # a document of another plan is not found under this one
    assert signed_in(PageClient(), team["lead"]).get(f"{url}{document.pk + 1}/").status_code == 404


def test_a_description_too_long_is_refused_by_the_service(plan: Plan, team: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    from areasend.followup.documents import DESCRIPTION_TOO_LONG

    with pytest.raises(ValidationError) as caught:
        plan_document_attach(
            plan=plan, upload=SimpleUploadedFile("p.pdf", PDF), description="x" * 201, actor=team["officer"]
        )
    assert caught.value.message_dict == {"description": [DESCRIPTION_TOO_LONG]}
    assert not PlanDocument.objects.exists() and _stored(plan) == []
