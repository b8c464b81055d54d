"""The data migration that gives lines kept for an area (before lines belonged to inspections) an
inspection and a criterion row: datapack 0003_attach_lines_to_inspections."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from areasend.areas.models import LocalArea
from areasend.conftest import make_user, signed_in
from areasend.datapack import services
from areasend.datapack.models import LineOfEnquiry
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import load_shipped_frameworks
from areasend.frameworks.tests.legacy import (
    LEGACY_2016,
    LEGACY_2023,
    install_legacy_version,
    run_data_migration,
)
from areasend.inspections import services as inspection_services
from areasend.inspections.models import Inspection

pytestmark = pytest.mark.django_db

ESSEX, KENT, RUTLAND = "E10000012", "E10000016", "E06000017"


def inspection(admin: Any, code: str, version: FrameworkVersion, title: str) -> Inspection:
    area = LocalArea.objects.get(ons_code=code)
    return inspection_services.inspection_create(
        area=area, framework_version=version, actor=admin, title=title
    )


def line_as_before(
    code: str, criterion: str, text: str, status: str = LineOfEnquiry.ACCEPTED
) -> LineOfEnquiry:
    """A line as it was stored before: its area, and its criterion as text."""
    return LineOfEnquiry.objects.create(
        area=LocalArea.objects.get(ons_code=code),
        text=text,
        original_text=text,
        unmapped_criterion=criterion,
        sector="education",
        status=status,
    )


def migrate() -> None:
    run_data_migration("datapack", "0003_attach_lines_to_inspections", "attach_and_map")


@pytest.fixture
def installation(db: None) -> dict[str, Any]:
    """An installation from before: the framework versions then, inspections, lines on areas."""
    admin = make_user("programme-admin", "administrator")
    v6, v4 = install_legacy_version(LEGACY_2023), install_legacy_version(LEGACY_2016)
    found = {
        "admin": admin,
        "v6": v6,
        "v4": v4,
        "essex_2019": inspection(admin, ESSEX, v4, "Essex 2019"),
        "essex_2023": inspection(admin, ESSEX, v6, "Essex 2023"),
        "essex_now": inspection(admin, ESSEX, v6, "Essex now"),
        "kent_2018": inspection(admin, KENT, v4, "Kent 2018"),
    }
    # The new files are loaded after the upgrade, beside the old versions.
    load_shipped_frameworks()
    found["latest"] = FrameworkVersion.objects.filter(framework_id="area-send-2023").latest("version")
    return found


def test_each_line_goes_to_the_latest_inspection_under_its_criterions_framework(
    installation: dict[str, Any], page_client: Any
) -> None:
    essex_2023 = line_as_before(ESSEX, "2023:H1.1", "Timeliness")
    essex_2016 = line_as_before(ESSEX, "2016:A", "Identification")
    migrate()
    essex_2023.refresh_from_db()
    essex_2016.refresh_from_db()
    # the most recent 2023 inspection, with the criterion of its own version (6, not the newer 8)
    assert essex_2023.inspection == installation["essex_now"]
    assert essex_2023.criterion is not None
    assert (essex_2023.criterion.code, essex_2023.criterion.framework_version) == ("H1.1", installation["v6"])
    assert essex_2023.unmapped_criterion == ""
    # a 2016 line goes to the 2016 inspection although a 2023 one is more recent
    assert essex_2016.inspection == installation["essex_2019"]
    assert essex_2016.criterion is not None and essex_2016.criterion.framework_version == installation["v4"]
    # and the inspection page shows only its own
    client = signed_in(page_client, installation["admin"])
    page = client.get(f"/inspections/{installation['essex_now'].pk}/").content.decode()
    section = page.split('id="lines-of-enquiry"')[1].split("</table>")[0]
    assert "Timeliness" in section and "Identification" not in section
    assert "Timeliness" not in client.get(f"/inspections/{installation['essex_2023'].pk}/").content.decode()


def test_a_line_with_no_inspection_under_its_framework_stays_with_the_area(
    installation: dict[str, Any], page_client: Any
) -> None:
    """Kent had only a 2016 inspection: its 2023 line becomes an area-level proposal."""
    kent = line_as_before(KENT, "2023:H1.2", "Tribunal appeals", status=LineOfEnquiry.PROPOSED)
    migrate()
    kent.refresh_from_db()
    assert kent.inspection is None
    assert kent.criterion is not None
    assert (kent.criterion.code, kent.criterion.framework_version) == ("H1.2", installation["latest"])
    client = signed_in(page_client, installation["admin"])
    page = client.get(reverse("datapack:page", args=[KENT])).content.decode()
    area_lines = page.split('id="area-lines"')[1].split("</table>")[0]
    assert "Tribunal appeals" in area_lines and "H1.2" in area_lines
    kent_2018 = client.get(f"/inspections/{installation['kent_2018'].pk}/").content.decode()
    assert "Tribunal appeals" not in kent_2018


def test_a_line_that_cannot_be_mapped_is_kept_with_a_flag(
    installation: dict[str, Any], page_client: Any
) -> None:
    unknown_code = line_as_before(RUTLAND, "2023:H9.9", "Unknown criterion", status=LineOfEnquiry.PROPOSED)
    unknown_year = line_as_before(ESSEX, "2031:X", "Unknown framework", status=LineOfEnquiry.PROPOSED)
    migrate()
    for line, code in ((unknown_code, "2023:H9.9"), (unknown_year, "2031:X")):
        line.refresh_from_db()
        assert (line.inspection, line.criterion, line.unmapped_criterion) == (None, None, code)
    # it can be rejected, not accepted
    admin = installation["admin"]
    with pytest.raises(ValidationError) as caught:
        services.line_review(line=unknown_code, actor=admin, decision="accept")
    assert caught.value.messages == [services.UNMAPPED_CRITERION.format(code="2023:H9.9")]
    services.line_review(line=unknown_code, actor=admin, decision="reject")
    unknown_code.refresh_from_db()
    assert unknown_code.status == LineOfEnquiry.REJECTED
    # and the data pack page flags it
    client = signed_in(page_client, admin)
    area_lines = (
        client.get(reverse("datapack:page", args=[ESSEX])).content.decode().split('id="area-lines"')[1]
    )
    assert "2031:X" in area_lines.split("</table>")[0]
    assert "Not a criterion of any loaded framework" in area_lines


def test_running_it_again_changes_nothing(installation: dict[str, Any]) -> None:
    line = line_as_before(ESSEX, "2023:H1.1", "Timeliness")
    migrate()
    line.refresh_from_db()
    attached = (line.inspection_id, line.criterion_id)
    migrate()
    line.refresh_from_db()
    assert (line.inspection_id, line.criterion_id) == attached
