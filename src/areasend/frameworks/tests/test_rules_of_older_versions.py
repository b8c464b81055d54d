"""Versions loaded before the regime rules were declared keep working exactly as they did; a new
version that leaves a rule out is refused with a message naming the file, the key and the problem."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import signed_in
from areasend.domain.frameworks import (
    FrameworkFileError,
    Problem,
    load_framework_file,
    shipped_framework_files,
)
from areasend.domain.frameworks.messages import MSG_RULE_NO_PUBLICATION, MSG_RULE_NO_SIGN_OFF
from areasend.followup import services as follow_up
from areasend.frameworks.management.commands.frameworks import MSG_INVALID_FILE
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import framework_load, load_shipped_frameworks
from areasend.frameworks.tests.legacy import FIXTURES, LEGACY_2016, LEGACY_2023, install_legacy_version
from areasend.history.models import PublishedInspection
from areasend.inspections import services
from areasend.inspections.frameworks import framework_of

pytestmark = pytest.mark.django_db

D = dt.date
V5_2016 = FIXTURES / "local-area-send-2016-v5.yaml"
V7_2023 = FIXTURES / "area-send-2023-v7.yaml"
MADE_UP = Path(__file__).parent / "data" / "made-up-regime.yaml"


def _inspection(version: FrameworkVersion, team: dict[str, Any]) -> Any:
    admin, lead = team["admin"], team["lead"]
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"), framework_version=version, actor=admin
    )
    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    services.team_assign(inspection=inspection, user=team["cqc"], role="cqc_inspector", actor=admin)
    return inspection


def _published_2016(version: FrameworkVersion, team: dict[str, Any]) -> Any:
    lead, cqc = team["lead"], team["cqc"]
    inspection = _inspection(version, team)
    for target, on in (
        ("notified", D(2019, 11, 4)),
        ("on_site", D(2019, 11, 11)),
        ("drafting", D(2019, 11, 15)),
    ):
        services.inspection_move(inspection=inspection, target=target, on=on, actor=lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    la = list(Partner.objects.filter(area__ons_code="E10000012", kind="local_authority"))
    for text in ("One", "Two"):
        services.finding_add(
            inspection=inspection, kind="significant_weakness", text=text, responsible=la, actor=lead
        )
    services.inspection_move(inspection=inspection, target="quality_assurance", actor=lead)
    services.inspection_move(inspection=inspection, target="factual_accuracy", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="CQC", actor=cqc)
    services.inspection_move(inspection=inspection, target="published", on=D(2020, 1, 20), actor=lead)
    services.event_record(inspection=inspection, name="report_received", on=D(2020, 1, 20), actor=lead)
    services.inspection_move(inspection=inspection, target="follow_up", actor=lead)
    return inspection


@pytest.mark.parametrize("legacy", [V5_2016, LEGACY_2016], ids=["v5", "v4"])
def test_an_inspection_under_an_older_2016_version_runs_as_it_always_did(legacy, team, page_client) -> None:  # type: ignore[no-untyped-def]
    version = install_legacy_version(legacy)
    assert not FrameworkVersion.objects.filter(
        version__gt=version.version
    ).exists()  # rules from the shipped file
    inspection = _published_2016(version, team)
    assert inspection.framework == version and framework_of(inspection).version == version.version
    record = PublishedInspection.objects.get(source="areasend", source_key=f"inspection:{inspection.pk}")
    assert (record.outcome_key, record.documents_required, record.findings) == (
        "wsoa_required",
        ["wsoa"],
        {"significant_weakness": 2},
    )
    officer, lead = team["officer"], team["lead"]
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=officer)
    assert plan.status == "drafting"
    follow_up.plan_submit(plan=plan, submitted_on=D(2020, 4, 1), actor=officer)
    follow_up.plan_review(plan=plan, judgement="not_fit_for_purpose", reviewed_on=D(2020, 4, 8), actor=lead)
    assert plan.status == "not_fit_for_purpose"
    follow_up.plan_submit(plan=plan, submitted_on=D(2020, 5, 1), actor=officer)
    follow_up.plan_review(plan=plan, judgement="not_fit_for_purpose", reviewed_on=D(2020, 5, 8), actor=lead)
    assert plan.status == "escalated"  # a second unfit statement goes to DfE, as before
    revisit = follow_up.visit_schedule(
        inspection=inspection, visit="revisit", starts_on=D(2021, 5, 24), ends_on=D(2021, 5, 26), actor=lead
    )
    weaknesses = list(inspection.findings.all())
    follow_up.visit_judge(
        visit=revisit,
        per_finding={weaknesses[0].pk: "sufficient_progress", weaknesses[1].pk: "insufficient_progress"},
        overall="sufficient_in_some",
        actor=lead,
    )
    assert revisit.judgements.count() == 2
    page = signed_in(page_client, lead).get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Still not fit for purpose: referred to DfE" in page and "Insufficient progress" in page


def test_an_older_version_borrows_the_rules_of_a_later_loaded_version(team) -> None:  # type: ignore[no-untyped-def]
    v7 = install_legacy_version(V7_2023)
    load_shipped_frameworks()
    shipped_2023 = [
        f for f in map(load_framework_file, shipped_framework_files()) if f.id == "area-send-2023"
    ]
    assert FrameworkVersion.objects.filter(framework_id="area-send-2023").count() == 1 + len(shipped_2023)
    inspection = _inspection(v7, team)
    framework = framework_of(inspection)
    assert framework.version == 7 and framework.lifecycle.publication is not None
    services.outcome_record(inspection=inspection, outcome="inconsistent", actor=team["lead"])
    services.event_record(
        inspection=inspection, name="final_report_received", on=D(2025, 1, 6), actor=team["lead"]
    )
    # version 7 declared no review of the strategic plan update: it keeps the review it always had
    plan = follow_up.plan_open(inspection=inspection, document="strategic_plan_update", actor=team["officer"])
    follow_up.plan_submit(plan=plan, submitted_on=D(2025, 2, 3), actor=team["officer"])
    follow_up.plan_review(
        plan=plan, judgement="fit_for_purpose", reviewed_on=D(2025, 2, 10), actor=team["lead"]
    )
    assert plan.status == "fit_for_purpose"


def test_the_2023_version_loaded_before_vocabularies_still_opens_plans(team) -> None:  # type: ignore[no-untyped-def]
    v6 = install_legacy_version(LEGACY_2023)
    inspection = _inspection(v6, team)
    services.outcome_record(inspection=inspection, outcome="widespread_systemic_failings", actor=team["lead"])
    plan = follow_up.plan_open(inspection=inspection, document="priority_action_plan", actor=team["officer"])
    action = follow_up.plan_action_add(
        plan=plan,
        text="Recruit",
        owner=Partner.objects.filter(area__ons_code="E10000012").first(),  # type: ignore[arg-type]
        due_on=D(2026, 1, 1),
        actor=team["officer"],
    )
    assert (plan.status, action.status) == ("drafting", "not_started")


def test_a_new_version_that_leaves_a_rule_out_is_refused(tmp_path: Path) -> None:
    text = MADE_UP.read_text(encoding="utf-8")
    start, end = text.index("  publication:\n"), text.index("\nevents:")
    sign_off = text[text.index("sign_off:\n") : text.index("\ntimetable:")]
    path = tmp_path / "made-up-without-rules.yaml"
    path.write_text(text.replace(text[start:end], "", 1).replace(sign_off, "", 1), encoding="utf-8")
    with pytest.raises(FrameworkFileError) as caught:
        framework_load(path_or_text=path, actor=None)
    written = path.read_text(encoding="utf-8").splitlines()
    assert caught.value.problems == [
        Problem(path.name, "lifecycle.publication", MSG_RULE_NO_PUBLICATION, written.index("lifecycle:") + 1),
        Problem(path.name, "sign_off", MSG_RULE_NO_SIGN_OFF, written.index("id: made-up-regime") + 1),
    ]
    assert str(caught.value).splitlines()[0] == (
        f"{path.name}:{written.index('lifecycle:') + 1}: lifecycle.publication: {MSG_RULE_NO_PUBLICATION}"
    )
    assert not FrameworkVersion.objects.filter(framework_id="made-up-regime").exists()


def test_validate_refuses_as_loading_does_a_file_that_leaves_a_rule_out(tmp_path: Path) -> None:
    text = MADE_UP.read_text(encoding="utf-8")
    start, end = text.index("  publication:\n"), text.index("\nevents:")
    path = tmp_path / "no-publication.yaml"
    path.write_text(text.replace(text[start:end], "", 1), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("frameworks", "validate", str(path), stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 2
    assert str(caught.value) == MSG_INVALID_FILE.format(file=path, count=1, s="")
    line = path.read_text(encoding="utf-8").splitlines().index("lifecycle:") + 1
    assert err.getvalue().splitlines() == [f"{path}:{line}: lifecycle.publication: {MSG_RULE_NO_PUBLICATION}"]
    out = StringIO()
    call_command("frameworks", "validate", str(MADE_UP), stdout=out)
    assert (
        out.getvalue()
        .strip()
        .endswith("valid (made-up-regime version 1, Made-up joint review of support for children with SEND)")
    )
