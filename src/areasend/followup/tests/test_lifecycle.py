"""The lifecycle through the services, for each regime, with every due date checked against the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import walk_to
from areasend.core.models import AuditEvent
from areasend.domain.calendar import add_months, default_calendar
from areasend.domain.pauses import shipped_programme
from areasend.followup import services as follow_up
from areasend.inspections import dates, services
from areasend.inspections import dates as inspection_dates
from areasend.inspections.services import InspectionError
from areasend.programme.selectors import open_milestones

D = dt.date
CAL = default_calendar()


def revisit_due_after(accepted: dt.date) -> dt.date:
    """18 months after the WSOA was accepted, the clock stopped while revisits were paused (ADR 0025)."""
    due = add_months(accepted, 18)
    for pause in shipped_programme().pauses:
        if "revisits" in pause.activities and accepted <= pause.end and due >= pause.start:
            due += dt.timedelta(days=(pause.end - max(accepted, pause.start)).days + 1)
    return due


def _essex() -> LocalArea:
    return LocalArea.objects.get(ons_code="E10000012")


def _partners(kind: str) -> list[Partner]:
    return list(Partner.objects.filter(area__ons_code="E10000012", kind=kind))


@pytest.mark.django_db
def test_2016_inspection_wsoa_not_fit_resubmitted_accepted_then_revisit(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin, lead, cqc = team["admin"], team["lead"], team["cqc"]
    inspection = services.inspection_create(
        area=_essex(), framework_version=frameworks["local-area-send-2016"], actor=admin, title="Essex 2019"
    )
    assert inspection.state == "planned"

    with pytest.raises(InspectionError) as caught:
        services.inspection_move(inspection=inspection, target="notified", on=D(2019, 9, 23), actor=admin)
    assert str(caught.value) == services.NEEDS_LEAD.format(role="Lead inspector (Her Majesty's Inspector)")

    services.conflict_declare(
        inspector=team["other_inspector"],
        area=_essex(),
        reason="Worked in Essex SEND team until 2018",
        actor=admin,
    )
    with pytest.raises(InspectionError, match="declared a conflict of interest"):
        services.team_assign(
            inspection=inspection, user=team["other_inspector"], role="ofsted_inspector", actor=admin
        )
    with pytest.raises(InspectionError, match="do not hold the inspector role"):
        services.team_assign(
            inspection=inspection, user=team["officer"], role="ofsted_inspector", actor=admin
        )

    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    services.team_assign(inspection=inspection, user=cqc, role="cqc_inspector", actor=admin)
    services.inspection_move(inspection=inspection, target="notified", on=D(2019, 9, 23), actor=lead)
    timeline = services.inspection_timeline(inspection)
    assert timeline["on_site_week_start"].due == D(2019, 9, 30) == CAL.add_working_days(D(2019, 9, 23), 5)

    with pytest.raises(InspectionError, match="cannot move from Notified to Published"):
        services.inspection_move(inspection=inspection, target="published", actor=lead)
    services.inspection_move(inspection=inspection, target="on_site", on=D(2019, 9, 30), actor=lead)
    services.inspection_move(inspection=inspection, target="drafting", on=D(2019, 10, 4), actor=lead)

    with pytest.raises(InspectionError, match="Record the outcome"):
        services.inspection_move(inspection=inspection, target="quality_assurance", actor=lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    with pytest.raises(InspectionError, match="Record at least one area of significant weakness"):
        services.inspection_move(inspection=inspection, target="quality_assurance", actor=lead)
    la, icbs = _partners("local_authority"), _partners("icb")
    weaknesses = [
        services.finding_add(
            inspection=inspection,
            kind="significant_weakness",
            text=text,
            responsible=la + icbs,
            actor=lead,
        )
        for text in (
            "Leaders' understanding of the area's effectiveness",
            "Waiting times for autism assessment",
            "Quality of EHC plans",
        )
    ]
    assert [w.number for w in weaknesses] == [1, 2, 3]
    with pytest.raises(InspectionError, match="is not a finding of"):
        services.finding_add(
            inspection=inspection, kind="priority_action", text="x", responsible=la, actor=lead
        )

    services.inspection_move(inspection=inspection, target="quality_assurance", actor=lead)
    services.inspection_move(inspection=inspection, target="factual_accuracy", actor=lead)
    with pytest.raises(InspectionError) as caught:
        services.inspection_move(inspection=inspection, target="published", on=D(2019, 12, 23), actor=lead)
    assert str(caught.value) == services.NEEDS_SIGN_OFFS.format(missing="Ofsted and CQC")
    assert inspection.events.filter(name="published").count() == 0  # the refused move left nothing behind
    with pytest.raises(
        InspectionError, match="Only the CQC children's services inspector on this inspection"
    ):
        services.sign_off(inspection=inspection, inspectorate="CQC", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="CQC", actor=cqc)
    services.inspection_move(inspection=inspection, target="published", on=D(2019, 12, 23), actor=lead)
    services.event_record(inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=lead)
    services.inspection_move(inspection=inspection, target="follow_up", actor=lead)

    timeline = services.inspection_timeline(inspection)
    wsoa_due = CAL.add_working_days(D(2019, 12, 23), 70)
    assert timeline["wsoa_submission"].due == wsoa_due

    officer = team["officer"]
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=officer)
    with pytest.raises(InspectionError, match="already has a"):
        follow_up.plan_open(inspection=inspection, document="wsoa", actor=officer)
    action = follow_up.plan_action_add(
        plan=plan,
        text="Commission an autism pathway",
        owner=icbs[0],
        due_on=D(2020, 9, 1),
        actor=officer,
        finding=weaknesses[1],
    )
    follow_up.plan_action_progress(action=action, status="in_progress", actor=officer)
    with pytest.raises(InspectionError, match="only moves forward"):
        follow_up.plan_action_progress(action=action, status="not_started", actor=officer)

    follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 20), actor=officer)
    timeline = services.inspection_timeline(inspection)
    assert timeline["wsoa_submission"].status == "met"
    assert timeline["wsoa_review"].due == CAL.add_working_days(D(2020, 3, 20), 10)
    follow_up.plan_review(plan=plan, judgement="not_fit_for_purpose", reviewed_on=D(2020, 4, 2), actor=lead)
    assert plan.status == "not_fit_for_purpose"
    timeline = services.inspection_timeline(inspection)
    assert timeline["wsoa_resubmission"].due == CAL.add_working_days(D(2020, 4, 2), 20)
    follow_up.plan_submit(plan=plan, submitted_on=D(2020, 4, 28), actor=officer)
    follow_up.plan_review(plan=plan, judgement="fit_for_purpose", reviewed_on=D(2020, 5, 6), actor=lead)
    assert plan.status == "fit_for_purpose"
    timeline = services.inspection_timeline(inspection)
    assert timeline["wsoa_resubmission"].status == "met"
    # 18 months after acceptance (6 May 2020), run on by the COVID-19 pause of revisits
    assert timeline["revisit_due"].due == revisit_due_after(D(2020, 5, 6)) > add_months(D(2020, 5, 6), 18)

    revisit = follow_up.visit_schedule(
        inspection=inspection,
        visit="revisit",
        notified_on=D(2021, 5, 10),
        starts_on=D(2021, 5, 24),
        ends_on=D(2021, 5, 26),
        actor=lead,
    )
    timeline = services.inspection_timeline(inspection)
    assert timeline["revisit_notice"].due == CAL.add_working_days(D(2021, 5, 10), 10)
    with pytest.raises(InspectionError, match="is not a judgement on"):
        follow_up.visit_judge(visit=revisit, per_finding={weaknesses[0].pk: "great"}, actor=lead)
    follow_up.visit_judge(
        visit=revisit,
        per_finding={
            weaknesses[0].pk: "sufficient_progress",
            weaknesses[1].pk: "insufficient_progress",
            weaknesses[2].pk: "sufficient_progress",
        },
        overall="sufficient_in_some",
        published_on=D(2021, 7, 2),
        actor=lead,
    )
    timeline = services.inspection_timeline(inspection)
    assert timeline["revisit_publication"].status == "met"
    assert timeline["dfe_progress_review"].due == D(2022, 1, 2)
    services.inspection_move(inspection=inspection, target="closed", actor=lead)
    assert (
        AuditEvent.objects.filter(object_type="inspections.inspection", object_id=str(inspection.pk)).count()
        >= 20
    )


@pytest.mark.django_db
def test_2023_inspection_outcome_3_with_priority_action_plan_and_monitoring(
    frameworks: Any, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # told from after the monitoring inspection of 2027, so that it can be judged
    monkeypatch.setattr(inspection_dates, "today", lambda: dt.date(2027, 9, 1))
    admin, lead, cqc, social = team["admin"], team["lead"], team["cqc"], team["social"]
    inspection = services.inspection_create(
        area=_essex(), framework_version=frameworks["area-send-2023"], actor=admin
    )
    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    services.team_assign(inspection=inspection, user=cqc, role="cqc_inspector", actor=admin)
    services.team_assign(inspection=inspection, user=social, role="social_care_inspector", actor=admin)
    services.inspection_move(inspection=inspection, target="notified", on=D(2025, 9, 8), actor=lead)
    timeline = services.inspection_timeline(inspection)
    assert timeline["offsite_fieldwork"].due == D(2025, 9, 18)
    assert timeline["on_site_week_start"].due == D(2025, 9, 22)
    services.inspection_move(inspection=inspection, target="fieldwork", on=D(2025, 9, 18), actor=lead)
    services.inspection_move(inspection=inspection, target="on_site", on=D(2025, 9, 22), actor=lead)
    services.inspection_move(inspection=inspection, target="drafting", on=D(2025, 9, 26), actor=lead)
    services.outcome_record(inspection=inspection, outcome="widespread_systemic_failings", actor=lead)
    with pytest.raises(InspectionError, match="Record at least one area for priority action"):
        services.inspection_move(inspection=inspection, target="quality_assurance", actor=lead)
    la, icbs = _partners("local_authority"), _partners("icb")
    priority_actions = [
        services.finding_add(inspection=inspection, kind="priority_action", text=t, responsible=p, actor=lead)
        for t, p in (
            ("Timeliness of EHC needs assessments", la),
            ("Neurodevelopmental pathway waiting times", icbs),
        )
    ]
    assert [f.number for f in priority_actions] == [1, 2]
    services.finding_add(
        inspection=inspection,
        kind="improvement",
        text="Preparation for adulthood",
        responsible=la,
        actor=lead,
    )
    for target in ("quality_assurance", "factual_accuracy"):
        services.inspection_move(inspection=inspection, target=target, actor=lead)
    services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="CQC", actor=cqc)
    services.inspection_move(inspection=inspection, target="published", on=D(2025, 12, 12), actor=lead)
    services.event_record(inspection=inspection, name="final_report_received", on=D(2025, 12, 10), actor=lead)
    services.inspection_move(inspection=inspection, target="follow_up", actor=lead)

    timeline = services.inspection_timeline(inspection)
    assert timeline["priority_action_plan"].due == CAL.add_working_days(D(2025, 12, 10), 35)
    assert timeline["monitoring_inspection_due"].due == D(2027, 6, 10)
    assert timeline["next_full_inspection"].due.year == 2028

    officer = team["officer"]
    pap = follow_up.plan_open(inspection=inspection, document="priority_action_plan", actor=officer)
    follow_up.plan_submit(plan=pap, submitted_on=D(2026, 1, 30), actor=officer)
    assert services.inspection_timeline(inspection)["priority_action_plan"].status == "met"
    follow_up.plan_review(plan=pap, judgement="fit_for_purpose", reviewed_on=D(2026, 2, 20), actor=admin)

    monitoring = follow_up.visit_schedule(
        inspection=inspection,
        visit="monitoring_inspection",
        notified_on=D(2027, 5, 10),
        starts_on=D(2027, 5, 24),
        ends_on=D(2027, 5, 28),
        actor=lead,
    )
    assert services.inspection_timeline(inspection)["monitoring_on_site"].due == CAL.add_working_days(
        D(2027, 5, 10), 10
    )
    follow_up.visit_judge(visit=monitoring, overall="effective_action", actor=lead)
    assert services.inspection_timeline(inspection)["monitoring_inspection_due"].status == "met"


@pytest.mark.django_db
def test_open_milestones_are_due_and_overdue_across_visible_inspections(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = services.inspection_create(
        area=_essex(), framework_version=frameworks["local-area-send-2016"], actor=team["admin"]
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    services.inspection_move(inspection=inspection, target="notified", on=D(2019, 9, 23), actor=team["lead"])
    found = open_milestones(user=team["officer"], today=D(2019, 10, 10))
    by_key = {m.key: m for m in found}
    assert by_key["on_site_week_start"].status == "overdue"
    assert by_key["on_site_week_start"].due == D(2019, 9, 30)
    assert [m.due for m in found] == sorted(m.due for m in found)
    assert open_milestones(user=team["kent_officer"], today=D(2019, 10, 10)) == []


@pytest.mark.django_db
def test_an_inspection_already_in_ofsteds_data_is_not_counted_twice(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    from areasend.history.models import PublishedInspection
    from areasend.inspections.demo_steps import _essex_2019  # the real Essex 2019 dates

    users = {
        "demo-admin": team["admin"],
        "demo-lead-inspector": team["lead"],
        "demo-cqc-inspector": team["cqc"],
        "demo-area-officer": team["officer"],
    }
    before = PublishedInspection.objects.count()
    _essex_2019(_essex(), users)
    assert PublishedInspection.objects.count() == before


@pytest.mark.django_db
def test_refused_plan_submission_leaves_the_plan_as_it_was(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin, officer = team["admin"], team["officer"]
    inspection = services.inspection_create(
        area=_essex(), framework_version=frameworks["local-area-send-2016"], actor=admin
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=admin)
    walk_to(inspection, "drafting", team["lead"])
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=admin)
    services.event_record(inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=admin)
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=officer)
    with pytest.raises(InspectionError) as caught:
        follow_up.plan_submit(plan=plan, submitted_on=D(2019, 12, 1), actor=officer)
    assert str(caught.value) == dates.EVENT_BEFORE.format(
        event="WSOA submitted to Ofsted",
        date="1 December 2019",
        other="principal authority received the final outcome letter",
        other_date="23 December 2019",
    )
    assert plan.status == "drafting"
    plan.refresh_from_db()
    assert plan.status == "drafting" and plan.submissions.count() == 0


@pytest.mark.django_db
def test_visit_dates_can_be_added_later(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin, lead = team["admin"], team["lead"]
    inspection = services.inspection_create(
        area=_essex(), framework_version=frameworks["local-area-send-2016"], actor=admin
    )
    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    walk_to(inspection, "drafting", lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    visit = follow_up.visit_schedule(inspection=inspection, visit="revisit", actor=lead)
    follow_up.visit_dates_record(
        visit=visit, notified_on=D(2021, 5, 10), starts_on=D(2021, 5, 24), ends_on=D(2021, 5, 26), actor=lead
    )
    assert services.inspection_timeline(inspection)["revisit_notice"].due == CAL.add_working_days(
        D(2021, 5, 10), 10
    )
    with pytest.raises(InspectionError, match="cannot be before"):
        follow_up.visit_dates_record(visit=visit, ends_on=D(2021, 5, 20), actor=lead)
    visit.refresh_from_db()
    assert visit.ends_on == D(2021, 5, 26)


@pytest.mark.django_db
def test_the_data_pack_starts_from_the_latest_published_findings(frameworks, team, client) -> None:  # type: ignore[no-untyped-def]
    from areasend.conftest import signed_in
    from areasend.inspections.demo_steps import _essex_2019
    from areasend.inspections.selectors import latest_published_findings

    assert latest_published_findings(_essex()) == []
    users = {
        "demo-admin": team["admin"],
        "demo-lead-inspector": team["lead"],
        "demo-cqc-inspector": team["cqc"],
        "demo-area-officer": team["officer"],
    }
    _essex_2019(_essex(), users)
    findings = latest_published_findings(_essex())
    assert len(findings) == 3 and findings[0].startswith("The area's leaders do not have")
    signed_in(client, team["lead"])
    html = client.get("/areas/E10000012/data-pack/").content.decode()
    assert "The area&#x27;s leaders do not have" in html.split('name="propose-previous_weaknesses"')[1][:2000]
