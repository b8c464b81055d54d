"""The data pack page, its PDF and XLSX downloads, lines of enquiry and their permissions."""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from areasend.areas.models import LocalArea
from areasend.conftest import check_page, make_user, signed_in
from areasend.core.models import AuditEvent
from areasend.core.tests.page_checker import Page
from areasend.datapack import services
from areasend.datapack.forms import ENTER_LINE, ENTER_PERIOD, SELECT_DECISION, WEAKNESSES_TOO_LONG
from areasend.datapack.models import LineOfEnquiry
from areasend.datapack.selectors import accepted_lines
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import load_shipped_frameworks
from areasend.inspections import services as inspection_services
from areasend.inspections.models import Inspection

pytestmark = pytest.mark.django_db

ESSEX = "E10000012"
RUTLAND = "E06000017"


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look inside its objects."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return b"\n".join(parts)


def page_url(code: str = ESSEX, name: str = "page", **kwargs: Any) -> str:
    return reverse(f"datapack:{name}", kwargs={"ons_code": code, **kwargs})


@pytest.fixture
def essex_inspection(inspector: Any, admin_user: Any) -> Inspection:
    """A 2023 inspection of Essex with the inspector in its team (so the inspector can see it)."""
    load_shipped_frameworks()
    version = FrameworkVersion.objects.filter(framework_id="area-send-2023").latest("version")
    inspection = inspection_services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX), framework_version=version, actor=admin_user
    )
    inspection_services.team_assign(inspection=inspection, user=inspector, role="lead_hmi", actor=admin_user)
    return inspection


def test_inspector_sees_the_data_pack_with_charts_and_tables(
    page_client: Any, inspector: Any, essex_inspection: Inspection
) -> None:
    response = signed_in(page_client, inspector).get(page_url())
    assert response.status_code == 200
    page = check_page(response)
    assert page.text("h1.govuk-heading-l") == "Essex"
    assert page.text(".govuk-caption-l") == "Pre-inspection data pack"
    assert "not a judgement" in page.text(".govuk-warning-text__text")
    # Charts are SVG images with a title, each beside a data table.
    charts = [svg.attributes["id"] for svg in page.select("svg.app-chart[role=img]")]
    assert "chart-new-plans-20wk-incl-exc-pct" in charts and "chart-primary-need" in charts
    assert len(page.select("table.govuk-table.app-data-table")) >= len(charts)
    labels = [svg.attributes.get("aria-label") or "" for svg in page.select("svg.app-chart")]
    assert any(label.startswith("SEND Tribunal appeal rate (%), 2014 to 2024.") for label in labels)
    # The figures that matter, in the group's summary table, and the lines of enquiry citing them.
    timeliness = next(
        row
        for table in page.select("table.app-summary-table")
        for row in Page(table.html or "").rows()
        if row[0].startswith("New EHC plans issued within 20 weeks")
    )
    assert timeliness[2:4] == ["16.2%", "45.9%"] and timeliness[7] == "D"
    assert "H1.1" in page.texts(".app-lines strong.govuk-tag.govuk-tag--blue")
    assert any("Hypothesis:" in text for text in page.texts(".app-lines .app-line > p.govuk-body"))
    # inspectors may keep them
    assert (
        page.text("form[action$='/lines/propose/'] button")
        == "Keep the suggested lines of enquiry for review"
    )
    assert "Area SEND inspections: framework and handbook (2023)" in page.text(
        "#pack-summary"
    )  # whose criteria
    assert page.select_one('input[name="propose-inspection"]').attributes["value"] == str(essex_inspection.pk)


def test_viewer_sees_the_pack_but_cannot_keep_lines(
    page_client: Any, viewer: Any, essex_inspection: Inspection
) -> None:
    response = signed_in(page_client, viewer).get(page_url())
    assert response.status_code == 200
    assert not check_page(response).exists("main form[method=post]")
    assert signed_in(page_client, viewer).post(page_url(name="lines-propose")).status_code == 403


def test_area_officers_read_their_own_areas_data_pack_without_the_kept_lines(
    page_client: Any,
    essex_officer: Any,
    inspector: Any,
    essex_inspection: Inspection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from areasend.datapack import exports

    line = services.lines_propose(inspection=essex_inspection, actor=inspector)[0]
    services.line_review(line=line, actor=inspector, decision="accept", text="Test the waiting times.")
    kept = (line.status, line.text)
    printed: dict[str, list[Any]] = {}
    monkeypatch.setattr(
        exports,
        "pdf_bytes",
        lambda pack, lines=(), inspection=None: printed.setdefault("lines", list(lines)) and b"%PDF",
    )
    client = signed_in(page_client, essex_officer)
    response = client.get(page_url())
    assert response.status_code == 200
    page = check_page(response)
    assert page.text("h1.govuk-heading-l") == "Essex"
    assert page.exists("svg.app-chart[role=img]")
    # the lines inspectors keep, and the forms to keep or review them, are not theirs to see
    assert not page.exists("#stored-lines") and not page.exists("main form[method=post]")
    assert "Test the waiting times." not in page.html
    assert client.get(page_url(name="pdf")).status_code == 200 and printed["lines"] == []
    book = load_workbook(io.BytesIO(client.get(page_url(name="xlsx")).content))
    assert book["Summary"]["B2"].value == "Essex"
    # another area's data pack stays hidden, as the area pages hide that area
    for name in ("page", "pdf", "xlsx"):
        assert client.get(page_url("E10000016", name=name)).status_code == 404
    # and they still cannot keep or review lines of enquiry
    assert client.post(page_url(name="lines-propose")).status_code == 403
    review = page_url(name="line-review", line_id=line.pk)
    assert client.get(review).status_code == 403
    assert client.post(review, {"decision": "reject", "text": "No."}).status_code == 403
    line.refresh_from_db()
    assert (line.status, line.text) == kept
    # the area page links to their data pack; neither it nor the inspection's page shows the lines
    area_page = check_page(client.get(reverse("areas:detail", args=[ESSEX])))
    assert area_page.text("h2#data-pack") == "Pre-inspection data pack"
    assert area_page.exists(f'#main-content a.govuk-link[href="{page_url()}"]')
    inspection_page = check_page(client.get(reverse("inspections:detail", args=[essex_inspection.pk])))
    assert not inspection_page.exists("#lines-of-enquiry")
    assert "Test the waiting times." not in inspection_page.html
    # inspectors still get the kept lines in their PDF
    printed.clear()
    signed_in(page_client, inspector).get(page_url(name="pdf"))
    assert [printed_line.pk for printed_line in printed["lines"]] == [line.pk]


def test_the_data_pack_asks_the_access_policy(
    page_client: Any, essex_officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scope check is the policy's: a refusal of `Action.DATAPACK_VIEW` is a 403 with its reason."""
    from areasend.access import Action, policy

    rules = dict(policy.RULES)
    rules[Action.DATAPACK_VIEW] = policy._Rule("datapack.view", "area_officer", "read this area's data pack")
    monkeypatch.setattr(policy, "RULES", rules)
    client = signed_in(page_client, essex_officer)
    for name in ("page", "pdf", "xlsx"):
        assert client.get(page_url(name=name)).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client: Any) -> None:
    response = client.get(page_url())
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_users_see_only_the_areas_they_may_see(page_client: Any) -> None:
    scoped = make_user("essex-inspector", "inspector", ESSEX)
    client = signed_in(page_client, scoped)
    assert client.get(page_url(ESSEX)).status_code == 200
    for name in ("page", "pdf", "xlsx"):
        assert client.get(page_url(RUTLAND, name=name)).status_code == 404


def test_former_areas_have_no_data_pack(page_client: Any, inspector: Any) -> None:
    assert signed_in(page_client, inspector).get(page_url("E08000016")).status_code == 404


def test_period_chooses_earlier_figures_and_bad_periods_are_explained(
    page_client: Any, inspector: Any
) -> None:
    client = signed_in(page_client, inspector)
    response = client.get(page_url() + "?period=2022")
    assert response.status_code == 200
    summary = check_page(response)
    assert "Latest published for 2022 or earlier" in summary.texts("#pack-summary dd")
    response = client.get(page_url() + "?period=twenty")
    assert response.status_code == 400
    page = check_page(response)
    assert page.title.startswith("Error: Data pack – Essex")
    assert page.text(".govuk-error-summary__list a[href='#id_period']") == ENTER_PERIOD


def test_every_live_area_has_a_page(page_client: Any, inspector: Any) -> None:
    client = signed_in(page_client, inspector)
    for code in (
        "E06000017",
        "E09000033",
        "E08000038",
        "E06000053",
    ):  # Rutland, Westminster, Barnsley, Scilly
        assert client.get(page_url(code)).status_code == 200


def test_pdf_is_text_from_the_same_html(client: Any, inspector: Any) -> None:
    response = signed_in(client, inspector).get(page_url(name="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="data-pack-E10000012-')
    assert response.content.startswith(b"%PDF")
    data = pdf_objects(response.content)
    # Real text (fonts with a Unicode map), not pictures of text.
    assert b"/Font" in data and b"/ToUnicode" in data
    assert b"/Image" not in data
    # Timings (page < 1 s, PDF < 3 s) are measured by bench/datapack_bench.py, not asserted here.


def test_xlsx_has_the_figures(client: Any, inspector: Any) -> None:
    response = signed_in(client, inspector).get(page_url(name="xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Indicators", "History", "Lines of enquiry", "Sources"]
    sheet = book["Indicators"]
    header = [c.value for c in sheet[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    timeliness = rows["new_plans_20wk_incl_exc_pct"]
    assert (
        timeliness["Value"] == 16.2
        and timeliness["England"] == 45.9
        and timeliness["Quartile band (A best)"] == "D"
    )
    assert book["Summary"]["B2"].value == "Essex"
    assert book["Lines of enquiry"].max_row > 1


def test_inspector_keeps_lines_then_reviews_them(
    client: Any, inspector: Any, essex_inspection: Inspection
) -> None:
    client = signed_in(client, inspector)
    keep = {
        "propose-previous_weaknesses": "EHC plans are late.\n\n",
        "propose-inspection": essex_inspection.pk,
    }
    response = client.post(page_url(name="lines-propose"), keep)
    assert response.status_code == 302
    assert response["Location"] == page_url() + f"?inspection={essex_inspection.pk}#stored-lines"
    lines = LineOfEnquiry.objects.filter(inspection=essex_inspection)
    count = lines.count()
    assert count > 3 and set(lines.values_list("status", flat=True)) == {LineOfEnquiry.PROPOSED}
    assert count == LineOfEnquiry.objects.filter(area__ons_code=ESSEX).count()
    timeliness = lines.get(rule_id="previous-weakness")
    assert timeliness.criterion is not None and timeliness.criterion.code == "H1.1"
    assert timeliness.criterion.framework_version == essex_inspection.framework
    assert AuditEvent.objects.filter(action="datapack.lines_propose").count() == 1
    # Keeping them again does not duplicate them.
    client.post(page_url(name="lines-propose"), keep)
    assert lines.count() == count

    first, second, third = lines.order_by("id")[:3]
    client.post(page_url(name="line-review", line_id=first.pk), {"text": first.text, "decision": "accept"})
    client.post(
        page_url(name="line-review", line_id=second.pk),
        {"text": "Check plan timeliness.", "decision": "accept"},
    )
    client.post(page_url(name="line-review", line_id=third.pk), {"text": third.text, "decision": "reject"})
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, second.status, third.status) == ("accepted", "edited", "rejected")
    assert second.original_text != second.text == "Check plan timeliness."
    assert {e.action for e in AuditEvent.objects.filter(object_type="datapack.lineofenquiry")} == {
        "datapack.line_accept",
        "datapack.line_reject",
    }
    assert accepted_lines(essex_inspection) == sorted(
        [first, second],
        key=lambda x: (x.criterion.order, x.pk),  # type: ignore[union-attr]
    )


def test_too_many_weaknesses_are_explained(
    page_client: Any, inspector: Any, essex_inspection: Inspection
) -> None:
    response = signed_in(page_client, inspector).post(
        page_url(name="lines-propose"),
        {"propose-previous_weaknesses": "x" * 5001, "propose-inspection": essex_inspection.pk},
    )
    assert response.status_code == 400
    page = check_page(response)
    assert (
        page.text(".govuk-error-summary__list a[href='#id_propose-previous_weaknesses']")
        == WEAKNESSES_TOO_LONG
    )
    assert WEAKNESSES_TOO_LONG == "Weaknesses must be 5,000 characters or less"
    assert not LineOfEnquiry.objects.exists()


def test_review_form_shows_errors(page_client: Any, inspector: Any, essex_inspection: Inspection) -> None:
    line = services.lines_propose(inspection=essex_inspection, actor=inspector)[0]
    response = signed_in(page_client, inspector).post(
        page_url(name="line-review", line_id=line.pk), {"text": ""}
    )
    assert response.status_code == 200
    page = check_page(response)
    assert page.title.startswith("Error: Review a line of enquiry – Essex")
    assert page.texts(".govuk-error-summary__list a") == [ENTER_LINE, SELECT_DECISION]
    assert page.select_one(".govuk-error-summary__list li:first-child a").attributes["href"] == "#id_text"
    assert page.exists("fieldset input#id_decision[type=radio]")
    assert dict(zip(page.texts("dl dt"), page.texts("dl dd"), strict=True))["Status"] == "Proposed"


def test_review_refuses_empty_text_in_the_service(inspector: Any, essex_inspection: Inspection) -> None:
    line = services.lines_propose(inspection=essex_inspection, actor=inspector)[0]
    with pytest.raises(ValidationError):
        services.line_review(line=line, actor=inspector, decision="accept", text="  ")
    with pytest.raises(ValidationError):
        services.line_review(line=line, actor=inspector, decision="maybe")


def test_area_page_lists_accepted_lines_for_inspectors_only(
    page_client: Any, inspector: Any, essex_officer: Any, essex_inspection: Inspection
) -> None:
    line = services.lines_propose(inspection=essex_inspection, actor=inspector)[0]
    services.line_review(
        line=line, actor=inspector, decision="accept", text="Test the timeliness of EHC plans."
    )
    page = check_page(signed_in(page_client, inspector).get(reverse("areas:detail", args=[ESSEX])))
    assert page.text("h2#lines-of-enquiry") == "Lines of enquiry"
    assert page.texts(f"#accepted-lines-{essex_inspection.pk} li") == [
        f"{line.criterion_code} {line.sector_label} Test the timeliness of EHC plans."
    ]
    assert page.exists(f'a.govuk-link[href="{page_url()}"]')
    # an inspector who cannot see the inspection does not see its lines
    outsider = make_user("outsider", "inspector")
    page_client.logout()
    page = check_page(signed_in(page_client, outsider).get(reverse("areas:detail", args=[ESSEX])))
    assert page.text("h2#lines-of-enquiry") == "Lines of enquiry"
    assert "Test the timeliness of EHC plans." not in page.text("main")
    page_client.logout()
    page = check_page(signed_in(page_client, essex_officer).get(reverse("areas:detail", args=[ESSEX])))
    assert not page.exists("#lines-of-enquiry")
    assert "Test the timeliness of EHC plans." not in page.html
