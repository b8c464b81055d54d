"""Lines of enquiry belong to an inspection: proposed when it is created, per inspection on the data
pack page, linked to criteria and sectors of the inspection's framework version."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from areasend.areas.models import LocalArea
from areasend.conftest import make_user, signed_in
from areasend.core.models import AuditEvent
from areasend.datapack import receivers, services
from areasend.datapack.models import LineOfEnquiry
from areasend.domain.frameworks import load_framework_file
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.selectors import criterion_get
from areasend.frameworks.services import framework_load, load_shipped_frameworks
from areasend.inspections import registry as hooks
from areasend.inspections import services as inspection_services
from areasend.inspections.models import Inspection

pytestmark = pytest.mark.django_db

ESSEX = "E10000012"
KENT = "E10000016"
F2023 = Path(__file__).resolve().parents[2] / "frameworks" / "files" / "area-send-2023.yaml"
F2016 = F2023.with_name("local-area-send-2016.yaml")
CURRENT = load_framework_file(F2023).version  # the shipped version; a test's new version is the next


@pytest.fixture
def versions(db: None) -> dict[str, FrameworkVersion]:
    load_shipped_frameworks()
    return {v.framework_id: v for v in FrameworkVersion.objects.all()}


@pytest.fixture
def admin(db: None) -> Any:
    return make_user("programme-admin", "administrator")


def create(admin: Any, version: FrameworkVersion, area: str = ESSEX, title: str = "") -> Inspection:
    return inspection_services.inspection_create(
        area=LocalArea.objects.get(ons_code=area), framework_version=version, actor=admin, title=title
    )


def page(code: str = ESSEX, name: str = "page", **kwargs: Any) -> str:
    return reverse(f"datapack:{name}", kwargs={"ons_code": code, **kwargs})


def version_file(tmp_path: Path, version: int, *changes: tuple[str, str]) -> Path:
    """The shipped 2023 file as a new version, with ``changes`` (old, new) made to its text."""
    text = F2023.read_text(encoding="utf-8").replace(
        f"version: {CURRENT}\ntitle", f"version: {version}\ntitle", 1
    )
    text = text.replace(
        "\n# ---- Evaluation",
        f"\n  - version: {version}\n    date: 2027-01-04\n    changes: [A test revision]\n"
        "    source: test revision\n    confidence: high\n\n# ---- Evaluation",
        1,
    )
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / f"area-send-2023-v{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- proposed when the inspection is created --------------------------------------------------------


def test_creating_an_inspection_proposes_its_lines_once_committed(
    versions: dict[str, FrameworkVersion], admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as pending:
        inspection = create(admin, versions["area-send-2023"])
        assert not LineOfEnquiry.objects.exists()  # nothing before the inspection is committed
    for callback in pending:
        callback()
    lines = LineOfEnquiry.objects.filter(inspection=inspection)
    assert lines.count() > 3
    assert {line.criterion.framework_version_id for line in lines} == {inspection.framework_id}  # type: ignore[union-attr]
    assert set(lines.values_list("status", flat=True)) == {LineOfEnquiry.PROPOSED}
    assert AuditEvent.objects.get(action="datapack.lines_propose").object_id == str(inspection.pk)


def test_a_2016_inspection_gets_lines_linked_to_the_2016_key_questions(
    versions: dict[str, FrameworkVersion], admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        inspection = create(admin, versions["local-area-send-2016"])
    codes = set(LineOfEnquiry.objects.filter(inspection=inspection).values_list("criterion__code", flat=True))
    assert codes and codes <= {"A", "B", "C"}


def test_a_failing_receiver_neither_undoes_the_inspection_nor_stops_the_others(
    versions: dict[str, FrameworkVersion],
    admin: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[int] = []

    def broken(*, inspection: Inspection, actor: Any) -> None:
        LineOfEnquiry.objects.filter(inspection=inspection).delete()  # undone with the failure
        raise RuntimeError("the data pack is unavailable")

    def recorder(*, inspection: Inspection, actor: Any) -> None:
        seen.append(inspection.pk)

    monkeypatch.setattr(hooks, "_AFTER_CREATE", [*hooks._AFTER_CREATE, broken, recorder])
    with (
        caplog.at_level(logging.ERROR, logger="areasend.inspections.registry"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        inspection = create(admin, versions["area-send-2023"])
    assert Inspection.objects.filter(pk=inspection.pk).exists()
    assert seen == [inspection.pk]
    assert LineOfEnquiry.objects.filter(inspection=inspection).exists()  # the proposer ran; broken undone
    assert f"After creating inspection {inspection.pk}" in caplog.text and "broken" in caplog.text


def test_receivers_register_once() -> None:
    before = list(hooks._AFTER_CREATE)
    assert before.count(receivers.propose_lines_for_new_inspection) == 1  # by DatapackConfig.ready
    try:
        hooks.after_create(receivers.propose_lines_for_new_inspection)
        assert before == hooks._AFTER_CREATE
    finally:
        hooks._AFTER_CREATE[:] = before


def test_a_rolled_back_creation_proposes_nothing(
    versions: dict[str, FrameworkVersion], admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as pending,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        create(admin, versions["area-send-2023"])
        raise RuntimeError("rolled back")
    assert pending == [] and not LineOfEnquiry.objects.exists()


# -- criteria and sectors of the inspection's framework version -------------------------------------


def test_lines_whose_criterion_the_version_lacks_are_left_out(
    versions: dict[str, FrameworkVersion], admin: Any, tmp_path: Path
) -> None:
    """A version without criterion H1.1: the data pack's H1.1 lines are not kept for its inspections."""
    without = version_file(
        tmp_path,
        CURRENT + 1,
        (
            "  - {ref: H1.1, parent: H1, kind: criterion, source: *src_lancashire, confidence: high,\n"
            '     text: "Children and young people\'s needs are identified accurately and assessed in a timely and effective way."}\n',
            "",
        ),
    )
    v9 = framework_load(path_or_text=without, actor=None).record
    inspection = create(admin, v9)
    kept = services.lines_propose(inspection=inspection, actor=admin)
    current = services.lines_propose(inspection=create(admin, versions["area-send-2023"]), actor=admin)
    assert kept and all(line.criterion.framework_version == v9 for line in kept)  # type: ignore[union-attr]
    assert "H1.1" not in {line.criterion.code for line in kept}  # type: ignore[union-attr]
    assert "H1.1" in {line.criterion.code for line in current}  # type: ignore[union-attr]
    audit = AuditEvent.objects.filter(action="datapack.lines_propose", object_id=str(inspection.pk)).get()
    assert audit.changes["left_out"] == len(current) - len(kept) > 0


def test_a_framework_the_catalogue_does_not_cover_is_explained(admin: Any, tmp_path: Path) -> None:
    """A framework file the indicator catalogue does not map (a new regime) gets no lines, and says why."""
    path = version_file(tmp_path, CURRENT + 1, ("id: area-send-2023\n", "id: area-send-2031\n"))
    version = framework_load(path_or_text=path, actor=None).record
    inspection = create(admin, version)
    with pytest.raises(ValidationError) as caught:
        services.lines_propose(inspection=inspection, actor=admin)
    assert caught.value.messages == [services.FRAMEWORK_NOT_COVERED.format(framework=version.title)]


def test_review_checks_the_sector_against_the_framework_version(
    versions: dict[str, FrameworkVersion], admin: Any
) -> None:
    """Alternative provision is a 2023 sector only."""
    inspection = create(admin, versions["local-area-send-2016"])
    line = LineOfEnquiry.objects.create(
        area=inspection.area,
        inspection=inspection,
        text="Alternative provision",
        criterion=criterion_get(version=inspection.framework, code="B"),
        sector="alternative_provision",
    )
    with pytest.raises(ValidationError) as caught:
        services.line_review(line=line, actor=admin, decision="accept")
    assert caught.value.message_dict == {
        "sector": [
            services.SECTOR_NOT_IN_FRAMEWORK.format(
                sector="alternative_provision",
                framework="Local area SEND inspection: framework and handbook (2016) "
                f"(version {load_framework_file(F2016).version})",
                sectors="education, health, social_care",
            )
        ]
    }
    line.refresh_from_db()
    assert line.status == LineOfEnquiry.PROPOSED


# -- the data pack page, per inspection -------------------------------------------------------------


def test_the_page_shows_one_inspections_lines_and_switches_between_them(
    page_client: Any, versions: dict[str, FrameworkVersion], admin: Any
) -> None:
    earlier = create(admin, versions["local-area-send-2016"], title="Essex 2019")
    current = create(admin, versions["area-send-2023"], title="Essex now")
    older_line = services.lines_propose(
        inspection=earlier, actor=admin, previous_weaknesses=["Old weakness."]
    )[0]
    current_line = services.lines_propose(
        inspection=current, actor=admin, previous_weaknesses=["New weakness."]
    )[0]
    client = signed_in(page_client, admin)

    html = client.get(page()).content.decode()  # the most recent inspection by default
    stored = html.split('id="stored-lines"')[1].split("</table>")[0]
    assert (
        "Lines of enquiry for Essex now" in html
        and "New weakness." in stored
        and "Old weakness." not in stored
    )
    assert f'href="{page()}?inspection={earlier.pk}"' in html
    assert "Area SEND inspections: framework and handbook (2023)" in html

    html = client.get(page() + f"?inspection={earlier.pk}").content.decode()
    stored = html.split('id="stored-lines"')[1].split("</table>")[0]
    assert "Old weakness." in stored and "New weakness." not in stored
    assert "Local area SEND inspection: framework and handbook (2016)" in html  # the pack's criteria
    assert f'name="propose-inspection" value="{earlier.pk}"' in html
    assert older_line.criterion.code in stored and current_line.pk != older_line.pk  # type: ignore[union-attr]


def test_inspections_the_user_cannot_see_are_not_found(
    page_client: Any, versions: dict[str, FrameworkVersion], admin: Any
) -> None:
    essex = create(admin, versions["area-send-2023"])
    kent = create(admin, versions["area-send-2023"], area=KENT)
    lead = make_user("lead", "inspector")
    inspection_services.team_assign(inspection=essex, user=lead, role="lead_hmi", actor=admin)
    outsider = make_user("outsider", "inspector")
    client = signed_in(page_client, outsider)
    assert client.get(page() + f"?inspection={essex.pk}").status_code == 404  # not in its team
    html = client.get(page()).content.decode()
    assert "has no inspection you can see" in html and "Keep the suggested lines" not in html
    keep = {"propose-inspection": essex.pk, "propose-previous_weaknesses": ""}
    assert client.post(page(name="lines-propose"), keep).status_code == 404
    client = signed_in(page_client, lead)
    assert client.get(page() + f"?inspection={kent.pk}").status_code == 404  # another area's
    assert client.post(page(name="lines-propose"), keep).status_code == 302
    line = LineOfEnquiry.objects.filter(inspection=essex).first()
    assert line is not None
    client = signed_in(page_client, outsider)
    assert client.get(page(name="line-review", line_id=line.pk)).status_code == 404


def test_keeping_lines_needs_an_inspection(
    page_client: Any, versions: dict[str, FrameworkVersion], admin: Any
) -> None:
    create(admin, versions["area-send-2023"])
    response = signed_in(page_client, admin).post(
        page(name="lines-propose"), {"propose-previous_weaknesses": ""}
    )
    assert response.status_code == 400
    assert "Choose the inspection the lines of enquiry are for" in response.content.decode()
    assert not LineOfEnquiry.objects.exists()


def test_a_new_inspection_takes_the_previous_inspections_weaknesses_not_its_own(
    versions: dict[str, FrameworkVersion], admin: Any
) -> None:
    essex = LocalArea.objects.get(ons_code=ESSEX)
    earlier = create(admin, versions["local-area-send-2016"])
    earlier.findings.create(kind="significant_weakness", number=1, text="Waiting times are too long.")
    Inspection.objects.filter(pk=earlier.pk).update(state="published")
    current = create(admin, versions["area-send-2023"])
    services.lines_propose_for_new_inspection(inspection=current, actor=admin)
    weakness = LineOfEnquiry.objects.get(inspection=current, rule_id="previous-weakness")
    assert "Waiting times are too long." in weakness.text and weakness.area == essex
    # the earlier inspection itself (published in the transaction that created it) gets none of its own
    services.lines_propose_for_new_inspection(inspection=earlier, actor=admin)
    assert not LineOfEnquiry.objects.filter(inspection=earlier, rule_id="previous-weakness").exists()
    assert LineOfEnquiry.objects.filter(inspection=earlier).exists()


def test_downloads_are_for_the_inspection_shown(
    page_client: Any, versions: dict[str, FrameworkVersion], admin: Any
) -> None:
    from areasend.datapack import exports
    from areasend.datapack.selectors import accepted_lines, pack_for_area

    inspection = create(admin, versions["area-send-2023"], title="Essex now")
    line = services.lines_propose(inspection=inspection, actor=admin)[0]
    services.line_review(line=line, actor=admin, decision="accept", text="Check the waiting list.")
    client = signed_in(page_client, admin)
    html = client.get(page() + "?period=2023").content.decode()
    assert f'href="{page(name="pdf")}?inspection={inspection.pk}&amp;period=2023"' in html
    response = client.get(page(name="pdf") + f"?inspection={inspection.pk}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = exports.pack_html(
        pack_for_area(area=inspection.area), lines=accepted_lines(inspection), inspection=inspection
    )
    assert (
        "Lines of enquiry accepted by inspectors for Essex now" in text and "Check the waiting list." in text
    )
    assert client.get(page(name="pdf") + "?inspection=999999").status_code == 404
