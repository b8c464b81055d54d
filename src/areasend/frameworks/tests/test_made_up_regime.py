"""A made-up regime (``data/made-up-regime.yaml``) runs through areasend with no code of its own.

Its states, events, outcomes, organisations, finding kinds, follow-up document, plan and action
statuses, review judgements, escalation rule, visit, judgement scales and national figures are all
named differently from the shipped frameworks'. Loading the file is all it takes: the inspection is
planned, staffed, notified, visited, judged, signed off and published; its recovery plan is opened,
judged unsound, sent again and approved (and, for a second inspection, escalated after its own third
failure); its check-in is scheduled and judged; its milestones reach the deadlines read model and
its outcome, plan and check-in reach the national figures.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import check_page, signed_in
from areasend.domain.calendar import default_calendar
from areasend.followup import guards
from areasend.followup import services as follow_up
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import framework_load
from areasend.history.models import PublishedInspection
from areasend.history.selectors import figure_labels, national_stats
from areasend.inspections import services
from areasend.inspections.models import Inspection
from areasend.inspections.selectors import latest_published_findings
from areasend.inspections.services import InspectionError
from areasend.programme.selectors import open_milestones

pytestmark = pytest.mark.django_db

MADE_UP = Path(__file__).parent / "data" / "made-up-regime.yaml"
ESSEX = "E10000012"
D = dt.date
CAL = default_calendar()
ANNOUNCED = D(2025, 3, 4)  # a Tuesday, the regime's notification day


def refused(message: str) -> Any:
    return pytest.raises(InspectionError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$")


def _partners() -> list[Partner]:
    return list(Partner.objects.filter(area__ons_code=ESSEX, kind="local_authority"))


def _made_up(team: dict[str, Any]) -> FrameworkVersion:
    return framework_load(path_or_text=MADE_UP, actor=team["admin"]).record


def _released(team: dict[str, Any], version: FrameworkVersion) -> tuple[Inspection, list[Any]]:
    """An inspection of Essex under the made-up regime, taken to the release of its letter."""
    admin, lead, health, care = team["admin"], team["lead"], team["cqc"], team["social"]
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX), framework_version=version, actor=admin, title="Made up"
    )
    assert inspection.state == "scheduled"
    with refused(services.NEEDS_LEAD.format(role="Chief reviewer")):
        services.inspection_move(inspection=inspection, target="announced", on=ANNOUNCED, actor=admin)
    services.team_assign(inspection=inspection, user=lead, role="chief_reviewer", actor=admin)
    services.team_assign(inspection=inspection, user=health, role="health_reviewer", actor=admin)
    services.team_assign(inspection=inspection, user=care, role="care_reviewer", actor=admin)
    services.inspection_move(inspection=inspection, target="announced", on=ANNOUNCED, actor=lead)
    timeline = services.inspection_timeline(inspection)
    visit_starts = CAL.add_working_days(ANNOUNCED, 10)
    assert timeline["visit_starts"].due == visit_starts
    services.inspection_move(inspection=inspection, target="visiting", on=visit_starts, actor=lead)
    visit_ended = CAL.add_working_days(visit_starts, 2)
    assert services.inspection_timeline(inspection)["visit_last_day"].due == visit_ended
    services.inspection_move(inspection=inspection, target="writing_up", on=visit_ended, actor=lead)
    services.outcome_record(inspection=inspection, outcome="serious_concerns", actor=lead)
    with refused(services.NEEDS_FINDINGS.format(kind="urgent concern", target="Letter released")):
        services.inspection_move(inspection=inspection, target="released", on=D(2025, 5, 15), actor=lead)
    with pytest.raises(InspectionError, match="is not a finding of"):
        services.finding_add(
            inspection=inspection, kind="significant_weakness", text="x", responsible=_partners(), actor=lead
        )
    concerns = [
        services.finding_add(
            inspection=inspection, kind="urgent_concern", text=text, responsible=_partners(), actor=lead
        )
        for text in ("Waiting lists for therapy", "Plans written late")
    ]
    services.finding_add(
        inspection=inspection, kind="next_step", text="Share data", responsible=_partners(), actor=lead
    )
    assert [str(f) for f in concerns] == ["Urgent concern 1", "Urgent concern 2"]

    organisations = "Health Watchdog, Learning Inspectorate"
    for name in ("Ofsted", "Care Board"):  # another regime's, and an organisation that does not sign off
        with refused(
            services.NOT_A_SIGN_OFF_ORGANISATION.format(
                inspectorate=name, framework=version.title, organisations=organisations
            )
        ):
            services.sign_off(inspection=inspection, inspectorate=name, actor=care)
    with refused(services.NOT_IN_TEAM_FOR_SIGN_OFF.format(inspectorate="Health Watchdog")):
        services.sign_off(inspection=inspection, inspectorate="Health Watchdog", actor=lead)
    services.sign_off(inspection=inspection, inspectorate="Learning Inspectorate", actor=lead)
    with refused(services.NEEDS_SIGN_OFFS.format(missing="Health Watchdog")):
        services.inspection_move(inspection=inspection, target="released", on=D(2025, 5, 15), actor=lead)
    services.sign_off(inspection=inspection, inspectorate="Health Watchdog", actor=health)
    services.inspection_move(inspection=inspection, target="released", on=D(2025, 5, 15), actor=lead)
    services.event_record(inspection=inspection, name="letter_received", on=D(2025, 5, 15), actor=lead)
    services.inspection_move(inspection=inspection, target="aftercare", actor=lead)
    return inspection, concerns


def test_a_made_up_regime_runs_end_to_end_with_no_code_of_its_own(team, page_client) -> None:  # type: ignore[no-untyped-def]
    version = _made_up(team)
    before = national_stats(as_of=D(2026, 12, 31))
    assert before["made_up_outcomes"] == {"1": 0, "2": 0, "3": 0} and before["check_ins"] == 0
    inspection, concerns = _released(team, version)
    lead, officer = team["lead"], team["officer"]

    # publication: the national history records the regime's own outcome, plan and findings
    record = PublishedInspection.objects.get(source="areasend", source_key=f"inspection:{inspection.pk}")
    assert (record.framework_id, record.kind, record.outcome_key, record.outcome) == (
        "made-up-regime",
        "full",
        "serious_concerns",
        3,
    )
    assert record.published_on == D(2025, 5, 15) and record.started_on == CAL.add_working_days(ANNOUNCED, 10)
    assert record.documents_required == ["recovery_plan"]
    assert record.findings == {"urgent_concern": 2, "next_step": 1}
    assert latest_published_findings(inspection.area)[:2] == [
        "Waiting lists for therapy",
        "Plans written late",
    ]

    # the deadlines read model: the recovery plan is owed by the partnership
    received = D(2025, 5, 15)
    plan_due = CAL.add_working_days(received, 30)
    assert services.inspection_timeline(inspection)["recovery_plan_due"].due == plan_due
    owed = {m.key: m for m in open_milestones(user=officer, today=D(2025, 6, 1), owed_by="area")}
    assert owed["recovery_plan_due"].due == plan_due and owed["recovery_plan_due"].inspection == inspection

    # the recovery plan: its own statuses, judgements and action statuses
    plan = follow_up.plan_open(inspection=inspection, document="recovery_plan", actor=officer)
    assert plan.status == "being_written"
    action = follow_up.plan_action_add(
        plan=plan,
        text="Hire two therapists",
        owner=_partners()[0],
        due_on=D(2025, 9, 1),
        finding=concerns[0],
        actor=officer,
    )
    assert action.status == "to_do"
    follow_up.plan_action_progress(action=action, status="checked", actor=officer)
    with refused(follow_up.ACTION_STATUS_BACKWARDS.format(current="checked", target="doing")):
        follow_up.plan_action_progress(action=action, status="doing", actor=officer)
    with refused(
        follow_up.UNKNOWN_ACTION_STATUS.format(
            status="in_progress", title="Recovery plan", choices="to_do, doing, checked, done"
        )
    ):
        follow_up.plan_action_progress(action=action, status="in_progress", actor=officer)

    sent = D(2025, 6, 20)
    follow_up.plan_submit(plan=plan, submitted_on=sent, actor=officer)
    assert plan.status == "with_reviewers"
    assert services.inspection_timeline(inspection)["recovery_plan_due"].status == "met"
    assert "recovery_plan_due" not in {m.key for m in open_milestones(user=officer, today=D(2025, 7, 1))}
    with refused(follow_up.PLAN_NOT_SUBMITTABLE.format(status="With the reviewers")):
        follow_up.plan_submit(plan=plan, submitted_on=sent, actor=officer)
    with pytest.raises(InspectionError, match="is not a review judgement for Recovery plan"):
        follow_up.plan_review(plan=plan, judgement="fit_for_purpose", reviewed_on=D(2025, 7, 4), actor=lead)
    follow_up.plan_review(plan=plan, judgement="unsound", reviewed_on=D(2025, 7, 4), actor=lead)
    assert plan.status == "needs_rework"
    assert services.inspection_timeline(inspection)["recovery_plan_again"].due == CAL.add_working_days(
        D(2025, 7, 4), 10
    )
    with refused(guards.PLANS_OPEN.format(plans="Recovery plan")):
        services.inspection_move(inspection=inspection, target="archived", actor=lead)
    follow_up.plan_submit(plan=plan, submitted_on=D(2025, 7, 14), actor=officer)
    follow_up.plan_review(plan=plan, judgement="sound", reviewed_on=D(2025, 7, 25), actor=lead)
    assert plan.status == "approved"
    timeline = services.inspection_timeline(inspection)
    assert timeline["recovery_plan_again"].status == "met"
    assert timeline["check_in_due"].due == D(2026, 4, 25)  # nine months after approval

    # the check-in judges each urgent concern on its own scale, and the check-in overall
    check_in = follow_up.visit_schedule(
        inspection=inspection,
        visit="check_in",
        notified_on=D(2026, 3, 2),
        starts_on=D(2026, 3, 16),
        ends_on=D(2026, 3, 17),
        actor=lead,
    )
    assert services.inspection_timeline(inspection)["check_in_due"].status == "met"
    next_step = inspection.findings.get(kind="next_step")
    with refused(follow_up.FINDING_NOT_JUDGED_HERE.format(finding=f"Finding {next_step.pk}")):
        follow_up.visit_judge(visit=check_in, per_finding={next_step.pk: "put_right"}, actor=lead)
    with pytest.raises(InspectionError, match="is not a judgement on Progress on each urgent concern"):
        follow_up.visit_judge(visit=check_in, per_finding={concerns[0].pk: "sufficient_progress"}, actor=lead)
    # the result follows the concerns: on track only when every urgent concern is put right
    with refused(
        follow_up.JUDGEMENTS_DISAGREE.format(
            overall="On track",
            kind="urgent concern",
            counted=1,
            total=2,
            counting="Put right",
            unjudged="",
            agreeing="'Off track'",
        )
    ):
        follow_up.visit_judge(
            visit=check_in,
            per_finding={concerns[0].pk: "put_right", concerns[1].pk: "not_yet_put_right"},
            overall="on_track",
            actor=lead,
        )
    follow_up.visit_judge(
        visit=check_in,
        per_finding={concerns[0].pk: "put_right", concerns[1].pk: "not_yet_put_right"},
        overall="off_track",
        published_on=D(2026, 4, 10),
        actor=lead,
    )
    timeline = services.inspection_timeline(inspection)
    assert timeline["check_in_letter_due"].status == "met"
    assert timeline["minister_meeting"].due == D(2026, 6, 10)
    owed_by_dfe = open_milestones(user=team["viewer"], today=D(2026, 5, 1), owed_by="dfe")
    assert [(m.key, m.due) for m in owed_by_dfe if m.inspection == inspection] == [
        ("minister_meeting", D(2026, 6, 10))
    ]
    visit_record = PublishedInspection.objects.get(source="areasend", source_key=f"visit:{check_in.pk}")
    assert (visit_record.kind, visit_record.visit_result, visit_record.follows) == (
        "check_in",
        "off_track",
        record,
    )
    assert visit_record.judgements == {"put_right": 1, "not_yet_put_right": 1}
    follow_up.visit_dates_record(visit=check_in, starts_on=D(2026, 3, 17), ends_on=D(2026, 3, 18), actor=lead)
    visit_record.refresh_from_db()
    assert (visit_record.started_on, visit_record.ended_on) == (D(2026, 3, 17), D(2026, 3, 18))
    services.inspection_move(inspection=inspection, target="archived", actor=lead)

    # the national figures the regime's file names, beside the ones every framework adds to
    after = national_stats(as_of=D(2026, 12, 31))
    assert after["made_up_outcomes"] == {"1": 0, "2": 0, "3": 1}
    assert after["made_up_outcomes_unknown"] == 0
    assert after["recovery_plans_required"] == 1
    assert after["check_ins"] == 1 and after["check_in_results"] == {"good": 0, "poor": 1}
    assert after["reports_published"] == before["reports_published"] + 1
    assert after["wsoa_required"] == before["wsoa_required"]  # the other regimes' figures are untouched
    assert national_stats(as_of=D(2025, 5, 14))["made_up_outcomes"]["3"] == 0  # not yet published then
    assert figure_labels()["recovery_plans_required"] == (
        "Made-up joint review: published reports requiring a Recovery plan"
    )

    # the pages speak the regime's language
    client = signed_in(page_client, lead)
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Archived" in page and "Approved" in page and "Urgent concern 2" in page
    assert "Put right" in page and "Off track" in page
    history = client.get(f"/areas/{ESSEX}/").content.decode().split('id="inspection-history"')[1]
    assert "Made-up joint review" in history and "Serious concerns" in history
    assert "2 urgent concern" in history and "Check-in" in history and "Off track" in history
    check_page(client.get("/frameworks/made-up-regime/"))
    deadlines = client.get("/deadlines/").content.decode()
    assert "Minister&#x27;s progress meeting (check-in off track)" in deadlines


def test_the_made_up_regime_escalates_after_its_own_third_unsound_plan(team) -> None:  # type: ignore[no-untyped-def]
    inspection, _ = _released(team, _made_up(team))
    officer, lead = team["officer"], team["lead"]
    plan = follow_up.plan_open(inspection=inspection, document="recovery_plan", actor=officer)
    for number, (sent, checked) in enumerate(
        ((D(2025, 6, 2), D(2025, 6, 9)), (D(2025, 6, 16), D(2025, 6, 23)), (D(2025, 6, 30), D(2025, 7, 7))),
        start=1,
    ):
        follow_up.plan_submit(plan=plan, submitted_on=sent, actor=officer)
        follow_up.plan_review(plan=plan, judgement="unsound", reviewed_on=checked, actor=lead)
        # the file's escalation: after 3 unsound submissions (the 2016 WSOA's is 2)
        assert plan.status == ("sent_to_minister" if number == 3 else "needs_rework"), number
    with refused(follow_up.PLAN_NOT_SUBMITTABLE.format(status="Sent to the minister")):
        follow_up.plan_submit(plan=plan, submitted_on=D(2025, 7, 14), actor=officer)
    with refused(guards.PLANS_OPEN.format(plans="Recovery plan")):
        services.inspection_move(inspection=inspection, target="archived", actor=lead)
