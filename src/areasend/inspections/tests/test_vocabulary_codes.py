"""Timetable activities and findings use the codes of their inspection's framework version."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from areasend.areas.models import LocalArea
from areasend.conftest import signed_in, walk_to
from areasend.domain.frameworks import load_framework_file, shipped_frameworks
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import framework_load
from areasend.frameworks.tests.legacy import LEGACY_2023, install_legacy_version
from areasend.inspections import services
from areasend.inspections.models import Activity, Inspection
from areasend.inspections.services import InspectionError

ESSEX = "E10000012"
F2023 = Path(__file__).resolve().parents[2] / "frameworks" / "files" / "area-send-2023.yaml"
F2016 = F2023.with_name("local-area-send-2016.yaml")
CURRENT = load_framework_file(F2023).version
V2016 = f"Local area SEND inspection: framework and handbook (2016) (version {load_framework_file(F2016).version})"
V2023 = f"Area SEND inspections: framework and handbook (2023) (version {CURRENT})"


def create(version: FrameworkVersion, team: dict[str, Any]) -> Inspection:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX), framework_version=version, actor=team["admin"]
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    return inspection


def activity(inspection: Inspection, team: dict[str, Any], **fields: str) -> Activity:
    values: dict[str, Any] = {
        "on": dt.date(2026, 12, 1),
        "starts_at": dt.time(9, 30),
        "ends_at": dt.time(11),
        "activity_type": "provider_visit",
        "title": "Visit",
        **fields,
    }
    return services.activity_add(inspection=inspection, actor=team["lead"], **values)


def options(html: str, name: str) -> list[str]:
    select = html.split(f'name="{name}"')[1].split("</select>")[0]
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


@pytest.mark.django_db
def test_activity_codes_are_checked_against_the_inspections_framework_version(
    frameworks: dict[str, FrameworkVersion], team: dict[str, Any]
) -> None:
    old, new = create(frameworks["local-area-send-2016"], team), create(frameworks["area-send-2023"], team)
    ap = activity(new, team, sector="alternative_provision", phase="post_16")
    assert (ap.sector, ap.phase) == ("alternative_provision", "post_16")
    assert ap.labels == {
        "activity_type": "Provider visit",
        "sector": "Alternative provision",
        "phase": "Post-16 and further education",
    }
    with pytest.raises(InspectionError) as caught:
        activity(old, team, sector="alternative_provision")
    assert str(caught.value) == services.ACTIVITY_SECTOR_UNKNOWN.format(
        code="alternative_provision", framework=V2016, codes="education, health, social_care"
    )
    with pytest.raises(InspectionError) as caught:
        activity(new, team, phase="school")
    assert str(caught.value) == services.ACTIVITY_PHASE_UNKNOWN.format(
        code="school", framework=V2023, codes="early_years, primary, secondary, post_16, ages_19_to_25"
    )
    with pytest.raises(InspectionError) as caught:
        activity(new, team, activity_type="picnic")
    kinds = ", ".join(t.code for t in shipped_frameworks()["area-send-2023"].vocabulary("activity_type"))
    assert str(caught.value) == services.ACTIVITY_TYPE_UNKNOWN.format(
        code="picnic", framework=V2023, codes=kinds
    )
    assert kinds.startswith("leaders_meeting, elected_members_meeting") and kinds.endswith(
        "final_feedback, other"
    )
    with pytest.raises(InspectionError, match="'' is not a kind of activity"):
        activity(new, team, activity_type="")
    assert list(Activity.objects.values_list("pk", flat=True)) == [ap.pk]


@pytest.mark.django_db
def test_an_inspection_under_a_version_loaded_before_vocabularies_keeps_its_codes(
    team: dict[str, Any],
) -> None:
    """Activities under area-send-2023 version 6 used the phases then fixed in code, such as 'school'."""
    v6 = install_legacy_version(LEGACY_2023)
    inspection = create(v6, team)
    kept = activity(inspection, team, sector="education", phase="school")
    assert kept.labels["phase"] == "School"
    with pytest.raises(InspectionError, match=r"'secondary' is not an age phase in .* \(version 6\)"):
        activity(inspection, team, phase="secondary")


@pytest.mark.django_db
def test_the_activity_form_offers_the_versions_terms(
    frameworks: dict[str, FrameworkVersion], team: dict[str, Any], page_client: Any
) -> None:
    old, new = create(frameworks["local-area-send-2016"], team), create(frameworks["area-send-2023"], team)
    client = signed_in(page_client, team["lead"])
    old_form = client.get(f"/inspections/{old.pk}/activities/").content.decode()
    new_form = client.get(f"/inspections/{new.pk}/activities/").content.decode()
    assert options(old_form, "sector") == ["education", "health", "social_care"]
    assert options(new_form, "sector") == ["education", "health", "social_care", "alternative_provision"]
    assert options(new_form, "phase") == ["early_years", "primary", "secondary", "post_16", "ages_19_to_25"]
    assert options(new_form, "activity_type")[:2] == ["leaders_meeting", "elected_members_meeting"]
    response = client.post(
        f"/inspections/{old.pk}/activities/",
        {
            "on": "1/12/2026",
            "starts_at": "09:30",
            "ends_at": "11:00",
            "activity_type": "provider_visit",
            "title": "Pupil referral unit",
            "sector": "alternative_provision",
        },
    )
    assert response.status_code == 200 and "Select the sector from the list" in response.content.decode()
    response = client.post(
        f"/inspections/{new.pk}/activities/",
        {
            "on": "1/12/2026",
            "starts_at": "09:30",
            "ends_at": "11:00",
            "activity_type": "provider_visit",
            "title": "Pupil referral unit",
            "sector": "alternative_provision",
            "phase": "secondary",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/inspections/{new.pk}/").content.decode()
    assert "Provider visit, alternative provision, secondary" in page


@pytest.mark.django_db
def test_a_new_activity_type_in_a_new_version_needs_no_code(
    frameworks: dict[str, FrameworkVersion], team: dict[str, Any], tmp_path: Path
) -> None:
    text = F2023.read_text(encoding="utf-8")
    text = text.replace(f"version: {CURRENT}\ntitle", f"version: {CURRENT + 1}\ntitle", 1)
    text = text.replace(
        "\n# ---- Evaluation",
        f"\n  - version: {CURRENT + 1}\n    date: 2027-01-04\n    changes: [Tracking meetings with the parent carer forum]\n"
        "    source: test revision\n    confidence: high\n\n# ---- Evaluation",
        1,
    )
    text = text.replace(
        "    - {code: final_feedback,",
        "    - {code: forum_meeting, label: Meeting with the parent carer forum, evidence_source: parents_and_carers,"
        " source: test revision, confidence: high}\n    - {code: final_feedback,",
        1,
    )
    path = tmp_path / f"area-send-2023-v{CURRENT + 1}.yaml"
    path.write_text(text, encoding="utf-8")
    v9 = framework_load(path_or_text=path, actor=None).record
    added = activity(create(v9, team), team, activity_type="forum_meeting")
    assert added.labels["activity_type"] == "Meeting with the parent carer forum"
    with pytest.raises(InspectionError, match="'forum_meeting' is not a kind of activity"):
        activity(create(frameworks["area-send-2023"], team), team, activity_type="forum_meeting")


@pytest.mark.django_db
def test_finding_kinds_and_their_labels_come_from_the_framework(
    frameworks: dict[str, FrameworkVersion], team: dict[str, Any]
) -> None:
    inspection = walk_to(create(frameworks["area-send-2023"], team), "drafting", team["lead"])
    la = list(inspection.area.partners.all()[:1])
    finding = services.finding_add(
        inspection=inspection, kind="improvement", text="x", responsible=la, actor=team["lead"]
    )
    assert str(finding) == "Area for improvement 1"
    with pytest.raises(InspectionError) as caught:
        services.finding_add(
            inspection=inspection, kind="priority_action", text="x", responsible=la, actor=team["lead"]
        )
    assert str(caught.value) == services.FINDING_KIND_NOT_ALLOWED.format(
        kind="Area for priority action",
        framework="Area SEND inspections: framework and handbook (2023)",
        when=" unless the outcome is 'Widespread and/or systemic failings'",
    )
    with pytest.raises(InspectionError, match="significant_weakness is not a finding of"):
        services.finding_add(
            inspection=inspection,
            kind="significant_weakness",
            text="x",
            responsible=la,
            actor=team["lead"],
        )
