"""Stored lines of enquiry keep the version of the rule set that proposed them; new proposals use
the latest; the page says which version built the lines and how they were chosen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from areasend.analytics.enquiry import default_rules, shipped_rule_sets
from areasend.areas.models import LocalArea
from areasend.conftest import check_page, signed_in
from areasend.datapack import services
from areasend.datapack.models import LineOfEnquiry
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import load_shipped_frameworks
from areasend.frameworks.tests.legacy import run_data_migration
from areasend.inspections import services as inspection_services
from areasend.inspections.models import Inspection

pytestmark = pytest.mark.django_db

ESSEX = "E10000012"
LATEST = max(shipped_rule_sets())


@pytest.fixture
def essex_inspection(inspector: Any, admin_user: Any) -> Inspection:
    load_shipped_frameworks()
    version = FrameworkVersion.objects.filter(framework_id="area-send-2023").latest("version")
    inspection = inspection_services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX), framework_version=version, actor=admin_user
    )
    inspection_services.team_assign(inspection=inspection, user=inspector, role="lead_hmi", actor=admin_user)
    return inspection


def an_earlier_line(inspection: Inspection, version: int) -> LineOfEnquiry:
    """A line as an earlier rule set stored it."""
    criterion = inspection.framework.criteria.get(code="H1.1")
    return LineOfEnquiry.objects.create(
        area=inspection.area,
        inspection=inspection,
        text="Earlier wording: the 20-week figure has worsened.",
        original_text="Earlier wording: the 20-week figure has worsened.",
        criterion=criterion,
        sector="education",
        rule_id="worsening-trend",
        rule_version=1,
        rules_version=version,
    )


def test_new_lines_are_stored_with_the_latest_rules_version_and_earlier_ones_keep_theirs(
    inspector: Any, essex_inspection: Inspection
) -> None:
    earlier = an_earlier_line(essex_inspection, 2)
    created = services.lines_propose(inspection=essex_inspection, actor=inspector)
    assert created and {line.rules_version for line in created} == {LATEST}
    assert len(created) <= int(default_rules().settings.max_lines.value)  # type: ignore[union-attr]
    earlier.refresh_from_db()
    assert earlier.rules_version == 2 and earlier.text.startswith("Earlier wording")


def test_the_page_says_which_version_built_the_lines_and_how_they_are_scored(
    client: Any, inspector: Any, essex_inspection: Inspection
) -> None:
    an_earlier_line(essex_inspection, 2)
    client = signed_in(client, inspector)
    response = client.get(reverse("datapack:page", kwargs={"ons_code": ESSEX}))
    page = check_page(response)
    assert f"lines of enquiry rules, version {LATEST}" in page.text("#rules-version")
    settings = default_rules().settings
    assert settings is not None
    definition = page.text("#score-definition")
    assert f"At most {settings.max_lines.value:g} lines" in definition
    assert f"up to {settings.score.distance_points.value:g} points" in definition
    assert "Score " in page.text(".app-lines")
    assert "proposed by the lines of enquiry rules, version 2" in page.text("#stored-lines-table")


def test_the_review_page_names_the_rules_version(
    client: Any, inspector: Any, essex_inspection: Inspection
) -> None:
    line = an_earlier_line(essex_inspection, 2)
    client = signed_in(client, inspector)
    url = reverse("datapack:line-review", kwargs={"ons_code": ESSEX, "line_id": line.pk})
    page = check_page(client.get(url))
    assert "Lines of enquiry rules" in page.text("body") and "Version 2" in page.text("body")


def test_lines_stored_before_the_version_was_kept_get_the_version_then_shipped(
    essex_inspection: Inspection,
) -> None:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = (
        MigrationRecorder(connection)
        .migration_qs.get(app="datapack", name="0003_attach_lines_to_inspections")
        .applied
    )
    old = an_earlier_line(essex_inspection, 2)
    new = an_earlier_line(essex_inspection, 2)
    manual = an_earlier_line(essex_inspection, 2)
    LineOfEnquiry.objects.filter(pk__in=[old.pk, new.pk]).update(rules_version=None)
    LineOfEnquiry.objects.filter(pk=manual.pk).update(rules_version=None, rule_id="")
    LineOfEnquiry.objects.filter(pk=old.pk).update(created_at=applied - dt.timedelta(days=1))
    run_data_migration("datapack", "0005_lines_keep_their_rules_version", "record_versions")
    versions = dict(LineOfEnquiry.objects.values_list("pk", "rules_version"))
    assert versions[old.pk] == 1 and versions[new.pk] == 2 and versions[manual.pk] is None
