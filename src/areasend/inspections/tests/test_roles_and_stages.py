"""Roles and stages from the framework: who may hold each team role (by the inspector's grade), who
signs off for each inspectorate and when, and the stages in which the outcome and findings are
recorded. Each check is made by the service, so pages and the API refuse the same way."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from areasend.accounts.grades import UNKNOWN_GRADE, grade_of, grade_set
from areasend.accounts.models import InspectorProfile
from areasend.areas.models import LocalArea, Partner
from areasend.conftest import PageClient, api_headers, make_user, signed_in, walk_to
from areasend.core.models import AuditEvent
from areasend.domain.frameworks import (
    FrameworkFileError,
    cross_check,
    load_framework_text,
    shipped_framework_files,
)
from areasend.domain.frameworks.messages import (
    MSG_GRADE_OTHER_ORGANISATION,
    MSG_RECORD_TWICE,
    MSG_SIGN_OFF_AFTER_PUBLICATION,
    MSG_SIGNATORY_OTHER_ORGANISATION,
    MSG_UNKNOWN_GRADE,
    MSG_UNKNOWN_STATE,
)
from areasend.domain.inspectorates import GRADES
from areasend.frameworks.services import framework_load
from areasend.inspections import services
from areasend.inspections.models import Inspection
from areasend.inspections.stages import (
    NOT_THE_SIGNATORY,
    RECORD_NOT_NOW,
    SIGN_OFF_NEEDS_FINDINGS,
    SIGN_OFF_NEEDS_OUTCOME,
    SIGN_OFF_NOT_NOW,
)
from areasend.inspections.team_roles import NO_GRADE, WRONG_GRADE

pytestmark = pytest.mark.django_db

ESSEX = "E10000012"
FILES = {path.name: path for path in shipped_framework_files()}
F2016, F2023 = FILES["local-area-send-2016.yaml"], FILES["area-send-2023.yaml"]
HMI = "His Majesty's Inspector (HMI), Ofsted"
CQC = "CQC children's services inspector, CQC"


def _inspection(frameworks: dict[str, Any], team: dict[str, Any], framework: str) -> Inspection:
    return services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX),
        framework_version=frameworks[framework],
        actor=team["admin"],
    )


def _la(inspection: Inspection) -> list[Partner]:
    return list(inspection.area.partners.filter(kind=Partner.LOCAL_AUTHORITY))


def _refused(message: str) -> Any:
    return pytest.raises(services.InspectionError, match="^" + __import__("re").escape(message) + "$")


# --- roles -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("framework", ["local-area-send-2016", "area-send-2023"])
def test_a_cqc_inspector_cannot_be_the_ofsted_lead(frameworks, team, framework) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team, framework)
    lead_title = next(r.title for r in frameworks[framework].framework().team_roles if r.key == "lead_hmi")
    with _refused(WRONG_GRADE.format(user="cqc-inspector", role=lead_title, grades=HMI, grade=CQC)):
        services.team_assign(inspection=inspection, user=team["cqc"], role="lead_hmi", actor=team["admin"])
    assert not inspection.team.exists()
    # and an HMI cannot be the CQC inspector
    cqc_title = next(
        r.title for r in frameworks[framework].framework().team_roles if r.key == "cqc_inspector"
    )
    with _refused(WRONG_GRADE.format(user="lead-hmi", role=cqc_title, grades=CQC, grade=HMI)):
        services.team_assign(
            inspection=inspection, user=team["lead"], role="cqc_inspector", actor=team["admin"]
        )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    services.team_assign(inspection=inspection, user=team["cqc"], role="cqc_inspector", actor=team["admin"])
    assert sorted(inspection.team.values_list("role", flat=True)) == ["cqc_inspector", "lead_hmi"]


def test_the_2023_social_care_lead_is_a_social_care_inspector_or_an_hmi(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team, "area-send-2023")
    oi = make_user("ofsted-oi", "inspector", grade="ofsted_inspector")
    with _refused(
        WRONG_GRADE.format(
            user="ofsted-oi",
            role="Lead inspector for social care",
            grades="Social care regulatory inspector, Ofsted or " + HMI,
            grade="Ofsted Inspector (OI), Ofsted",
        )
    ):
        services.team_assign(
            inspection=inspection, user=oi, role="social_care_inspector", actor=team["admin"]
        )
    services.team_assign(
        inspection=inspection, user=team["social"], role="social_care_inspector", actor=team["admin"]
    )
    services.team_assign(inspection=inspection, user=oi, role="ofsted_inspector", actor=team["admin"])


def test_an_inspector_without_a_grade_cannot_join_a_team(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    nobody = make_user("no-grade", "inspector", grade="")
    inspection = _inspection(frameworks, team, "area-send-2023")
    with _refused(NO_GRADE.format(user="no-grade")):
        services.team_assign(inspection=inspection, user=nobody, role="ofsted_inspector", actor=team["admin"])


def test_only_the_framework_named_signatory_signs_off_for_each_inspectorate(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    """An Ofsted Inspector on the team is from Ofsted, but the lead HMI signs off for Ofsted."""
    admin, lead, cqc = team["admin"], team["lead"], team["cqc"]
    oi = make_user("ofsted-oi", "inspector", grade="ofsted_inspector")
    inspection = _inspection(frameworks, team, "local-area-send-2016")
    for user, role in ((lead, "lead_hmi"), (cqc, "cqc_inspector"), (oi, "ofsted_inspector")):
        services.team_assign(inspection=inspection, user=user, role=role, actor=admin)
    walk_to(inspection, "drafting", lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    services.finding_add(
        inspection=inspection, kind="significant_weakness", text="W", responsible=_la(inspection), actor=lead
    )
    services.inspection_move(inspection=inspection, target="quality_assurance", actor=lead)
    lead_title = "Lead inspector (Her Majesty's Inspector)"
    with _refused(NOT_THE_SIGNATORY.format(role=lead_title, inspectorate="Ofsted")):
        services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=oi)
    with _refused(NOT_THE_SIGNATORY.format(role="CQC children's services inspector", inspectorate="CQC")):
        services.sign_off(inspection=inspection, inspectorate="CQC", actor=lead)
    assert not inspection.sign_offs.exists()
    services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="CQC", actor=cqc)
    assert sorted(inspection.sign_offs.values_list("inspectorate", flat=True)) == ["CQC", "Ofsted"]


# --- stages ----------------------------------------------------------------------------------------


def _team_of_two(frameworks: dict[str, Any], team: dict[str, Any], framework: str) -> Inspection:
    inspection = _inspection(frameworks, team, framework)
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    services.team_assign(inspection=inspection, user=team["cqc"], role="cqc_inspector", actor=team["admin"])
    return inspection


def test_sign_off_is_refused_before_the_report_is_ready(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _team_of_two(frameworks, team, "area-send-2023")
    lead = team["lead"]
    for state, label in (("planned", "Planned"), ("on_site", "On site (week 3)")):
        walk_to(inspection, state, lead, notified=dt.date(2025, 9, 8))
        with _refused(
            SIGN_OFF_NOT_NOW.format(
                state=label, states="Quality assurance and moderation or Factual accuracy check"
            )
        ):
            services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)
    assert not inspection.sign_offs.exists()
    assert not AuditEvent.objects.filter(action="inspection.sign_off").exists()


def test_sign_off_needs_the_outcome_and_its_findings_when_the_framework_says_so(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    """A version that lets drafting reports be signed off still asks for the outcome and findings."""
    text = F2016.read_text(encoding="utf-8")
    current = load_framework_text(text).version
    text = text.replace(f"version: {current}\ntitle", f"version: {current + 1}\ntitle", 1)
    text = text.replace(
        "  states: [quality_assurance, factual_accuracy]\n  requires_outcome",
        "  states: [drafting, quality_assurance, factual_accuracy]\n  requires_outcome",
        1,
    )
    text = text.replace(
        "\n# ---- The three key questions",
        f"\n  - version: {current + 1}\n    date: 2027-01-04\n    changes: [A test revision]\n"
        "    source: test\n    confidence: high\n\n# ---- The three key questions",
        1,
    )
    version = framework_load(path_or_text=text, actor=None).record
    inspection = _team_of_two({"v": version}, team, "v")
    lead = team["lead"]
    walk_to(inspection, "drafting", lead)
    with _refused(SIGN_OFF_NEEDS_OUTCOME):
        services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    with _refused(SIGN_OFF_NEEDS_FINDINGS.format(kind="area of significant weakness")):
        services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)
    services.finding_add(
        inspection=inspection, kind="significant_weakness", text="W", responsible=_la(inspection), actor=lead
    )
    services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)


def test_the_outcome_and_findings_are_recorded_only_in_the_stages_the_framework_names(
    frameworks: dict[str, Any], team: dict[str, Any]
) -> None:
    inspection = _team_of_two(frameworks, team, "area-send-2023")
    lead = team["lead"]
    outcome_states = "On site (week 3), Drafting the report or Quality assurance and moderation"
    with _refused(
        RECORD_NOT_NOW.format(what="The outcome", state="Planned", they="it", states=outcome_states)
    ):
        services.outcome_record(inspection=inspection, outcome="inconsistent", actor=lead)
    with _refused(
        RECORD_NOT_NOW.format(
            what="Findings",
            state="Notified (week 1)",
            they="they",
            states="On site (week 3), Drafting the report, Quality assurance and moderation or "
            "Factual accuracy check",
        )
    ):
        walk_to(inspection, "notified", lead, notified=dt.date(2025, 9, 8))
        services.finding_add(
            inspection=inspection, kind="improvement", text="x", responsible=_la(inspection), actor=lead
        )
    inspection.refresh_from_db()
    assert inspection.outcome == "" and not inspection.findings.exists()
    walk_to(inspection, "on_site", lead, notified=dt.date(2025, 9, 8))
    services.outcome_record(inspection=inspection, outcome="inconsistent", actor=lead)
    services.finding_add(
        inspection=inspection, kind="improvement", text="x", responsible=_la(inspection), actor=lead
    )
    walk_to(inspection, "factual_accuracy", lead)
    with _refused(
        RECORD_NOT_NOW.format(
            what="The outcome", state="Factual accuracy check", they="it", states=outcome_states
        )
    ):
        services.outcome_record(inspection=inspection, outcome="typically_positive", actor=lead)
    # findings may still be worded at the factual accuracy check
    services.finding_add(
        inspection=inspection, kind="improvement", text="y", responsible=_la(inspection), actor=lead
    )
    inspection.refresh_from_db()
    assert inspection.outcome == "inconsistent" and inspection.findings.count() == 2


# --- the framework files -------------------------------------------------------------------------


def _problems(text: str) -> list[str]:
    try:
        return [message for _, message in cross_check(load_framework_text(text))]
    except FrameworkFileError as caught:
        return [problem.message for problem in caught.problems]


def test_the_framework_files_check_grades_signatories_and_stages() -> None:
    text = F2023.read_text(encoding="utf-8")
    assert _problems(text) == []
    cases = [
        (
            "    grades: [hmi]\n",
            "    grades: [chief_inspector]\n",
            MSG_UNKNOWN_GRADE.format(name="chief_inspector", grades=", ".join(GRADES)),
        ),
        (
            "    grades: [cqc_inspector]\n",
            "    grades: [hmi]\n",
            MSG_GRADE_OTHER_ORGANISATION.format(name="hmi", grade_organisation="Ofsted", organisation="CQC"),
        ),
        (
            "signatories: {Ofsted: lead_hmi, CQC: cqc_inspector}",
            "signatories: {Ofsted: cqc_inspector, CQC: cqc_inspector}",
            MSG_SIGNATORY_OTHER_ORGANISATION.format(
                role="cqc_inspector", role_organisation="CQC", organisation="Ofsted"
            ),
        ),
        (
            "  states: [quality_assurance, factual_accuracy]\n  requires_outcome",
            "  states: [quality_assurance, published]\n  requires_outcome",
            MSG_SIGN_OFF_AFTER_PUBLICATION.format(state="published"),
        ),
        (
            "      states: [on_site, drafting, quality_assurance]\n",
            "      states: [on_site, writing]\n",
            MSG_UNKNOWN_STATE.format(name="writing"),
        ),
        ("    - record: findings\n", "    - record: outcome\n", MSG_RECORD_TWICE.format(record="outcome")),
    ]
    for old, new, message in cases:
        assert text.count(old) >= 1, old
        assert message in _problems(text.replace(old, new, 1)), (old, _problems(text.replace(old, new, 1)))


def test_every_shipped_framework_declares_grades_signatories_and_stages() -> None:
    for path in (F2016, F2023):
        framework = load_framework_text(path.read_text(encoding="utf-8"))
        assert all(role.grades for role in framework.team_roles), path.name
        assert framework.sign_off is not None and framework.sign_off.states
        assert set(framework.sign_off.signatories) == set(framework.sign_off.organisations)
        assert {r.record for r in framework.lifecycle.records} == {"outcome", "findings"}


# --- pages, the API and the command line ---------------------------------------------------------


def test_an_administrator_records_a_grade_on_the_user_page(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(PageClient(), team["admin"])
    user = make_user("new-inspector", "inspector", grade="")
    url = reverse("accounts:grade-change", args=[user.pk])
    page = admin.get(url).content.decode()
    assert "Inspector’s grade" in page and "CQC children&#x27;s services inspector, CQC" in page
    bad = admin.post(url, {"grade": "chief"})
    assert bad.status_code == 200 and "Select the inspector’s grade from the list" in bad.content.decode()
    assert grade_of(user) is None
    assert admin.post(url, {"grade": "cqc_inspector"}).status_code == 302
    assert grade_of(user) is not None and grade_of(user).key == "cqc_inspector"  # type: ignore[union-attr]
    event = AuditEvent.objects.get(action="user.grade", object_id=str(user.pk), actor=team["admin"])
    assert event.changes == {"grade": ["", "cqc_inspector"]}
    detail = admin.get(reverse("accounts:user-detail", args=[user.pk])).content.decode()
    assert escape(CQC) in detail
    assert admin.post(url, {"grade": ""}).status_code == 302
    assert not InspectorProfile.objects.filter(user=user).exists()
    # only administrators
    lead = signed_in(PageClient(), team["lead"])
    assert lead.get(url).status_code == 403 and lead.post(url, {"grade": "hmi"}).status_code == 403
    with pytest.raises(Exception, match="manage users"):
        grade_set(actor=team["lead"], user=user, grade="hmi")


def test_the_team_page_and_the_api_refuse_a_grade_the_role_does_not_take(frameworks, team, client) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team, "area-send-2023")
    admin = signed_in(PageClient(), team["admin"])
    form = admin.get(f"/inspections/{inspection.pk}/team/").content.decode()
    assert escape(f"cqc-inspector, {CQC}") in form
    response = admin.post(
        f"/inspections/{inspection.pk}/team/", {"user": "cqc-inspector", "role": "lead_hmi"}
    )
    message = WRONG_GRADE.format(
        user="cqc-inspector",
        role="Lead inspector for education (Her Majesty's Inspector)",
        grades=HMI,
        grade=CQC,
    )
    assert response.status_code == 200 and escape(message) in response.content.decode()
    api = client.post(
        f"/api/inspections/{inspection.pk}/team",
        {"username": "cqc-inspector", "role": "lead_hmi"},
        content_type="application/json",
        headers=api_headers(team["admin"]),
    )
    assert api.status_code == 400 and api.json() == {"detail": message}
    assert not inspection.team.exists()


def test_the_users_command_records_grades() -> None:
    out = StringIO()
    call_command(
        "users",
        "create",
        "--username",
        "cli-cqc",
        "--role",
        "inspector",
        "--grade",
        "cqc_inspector",
        stdout=out,
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="cli-cqc")
    assert grade_of(user).key == "cqc_inspector"  # type: ignore[union-attr]
    call_command("users", "grade", "cli-cqc", "none", stdout=out)
    assert grade_of(user) is None
    call_command("users", "grade", "cli-cqc", "hmi", stdout=out)
    assert out.getvalue().splitlines()[-1] == f"cli-cqc: {HMI}."
    with pytest.raises(CommandError, match="invalid choice: 'chief'"):
        call_command("users", "grade", "cli-cqc", "chief", stdout=out)
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        call_command("users", "grade", "nobody", "hmi", stdout=out)


def test_an_unknown_grade_is_refused_by_the_service(team) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        grade_set(actor=team["admin"], user=team["viewer"], grade="chief")
    assert caught.value.message_dict == {
        "grade": [UNKNOWN_GRADE.format(grade="chief", grades=", ".join(GRADES))]
    }
    assert grade_of(team["viewer"]) is None
