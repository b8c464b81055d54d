"""The pages of a plan's submission, a plan's action and a visit's judgement, driven as a user would:
the history in words, the forms that correct or withdraw them, by the role that records them."""

from __future__ import annotations

import datetime as dt

import pytest

from areasend.areas.models import Partner
from areasend.followup import services as follow_up
from areasend.followup.correction_forms import ENTER_CORRECTED_SUBMITTED_ON
from areasend.followup.models import PlanAction, PlanSubmission
from areasend.followup.tests.test_corrections import ESSEX, _plan, published  # noqa: F401  (the fixture)
from areasend.inspections import services
from areasend.inspections.correction_forms import ENTER_CORRECTION_REASON
from areasend.inspections.tests.test_correction_pages import (
    client_for,
    errors,
    history_rows,
    links,
    no_codes,
    text_of,
)

D = dt.date


@pytest.mark.django_db
def test_a_submission_is_corrected_by_the_area_and_its_review_by_the_team(published, team) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    plan = _plan(published, team)
    submission = follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 20), actor=team["officer"])
    follow_up.plan_review(
        plan=plan, judgement="fit_for_purpose", reviewed_on=D(2020, 4, 2), actor=team["lead"]
    )
    page = f"/inspections/{published.pk}/plans/{plan.pk}/submissions/{submission.pk}/"
    officer, lead, viewer = (client_for(team[r]) for r in ("officer", "lead", "viewer"))
    assert links(officer.get(page)) == ["Correct the submission"]
    assert links(lead.get(page)) == ["Correct the review"]
    assert links(viewer.get(page)) == []
    assert lead.get(f"{page}correct/").status_code == 403
    assert officer.get(f"{page}review/correct/").status_code == 403
    assert client_for(team["kent_officer"]).get(page).status_code == 404
    plan.refresh_from_db()
    refused = officer.post(
        f"{page}correct/", {"submitted_on": "", "reason": "", "version": str(plan.version)}
    )
    assert errors(refused) == [ENTER_CORRECTED_SUBMITTED_ON, ENTER_CORRECTION_REASON]
    done = officer.post(
        f"{page}correct/",
        {
            "submitted_on": "18/3/2020",
            "summary": "",
            "reason": "Sent on the 18th",
            "version": str(plan.version),
        },
    )
    assert done.status_code == 302 and done["Location"] == page
    assert services.inspection_events(published)["wsoa_submitted"] == D(2020, 3, 18)
    plan.refresh_from_db()
    lead.post(
        f"{page}review/correct/",
        {
            "judgement": "not_fit_for_purpose",
            "reviewed_on": "2/4/2020",
            "feedback": "",
            "reason": "The panel's decision was misread",
            "version": str(plan.version),
        },
    )
    plan.refresh_from_db()
    assert plan.status == "not_fit_for_purpose"
    response = viewer.get(page)
    rows = history_rows(response)
    assert [row[2] for row in rows] == ["Submitted", "Reviewed", "Corrected", "Corrected"]
    assert rows[2][3] == "Submitted: was 20 March 2020, now 18 March 2020"
    assert rows[3][4] == "The panel's decision was misread"
    no_codes(response)
    section = text_of(viewer.get(f"/inspections/{published.pk}/"), f"#plan-{plan.pk}-submissions")
    assert "the history of submission 1" in section


@pytest.mark.django_db
def test_a_mistaken_submission_and_an_action_are_withdrawn_through_their_pages(published, team) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    plan = _plan(published, team)
    submission = follow_up.plan_submit(
        plan=plan, submitted_on=D(2020, 3, 2), summary="The draft", actor=team["officer"]
    )
    owner = Partner.objects.filter(area__ons_code=ESSEX).order_by("name").first()
    assert owner is not None
    action = follow_up.plan_action_add(
        plan=plan, text="Cut waiting times", owner=owner, due_on=D(2020, 6, 30), actor=team["officer"]
    )
    officer = client_for(team["officer"])
    base = f"/inspections/{published.pk}/plans/{plan.pk}"
    assert links(officer.get(f"{base}/submissions/{submission.pk}/")) == [
        "Correct the submission",
        "Withdraw the submission",
    ]
    plan.refresh_from_db()
    officer.post(
        f"{base}/submissions/{submission.pk}/withdraw/",
        {"reason": "The draft was sent, not the plan", "version": str(plan.version)},
    )
    assert PlanSubmission.objects.get(pk=submission.pk).is_withdrawn
    plan.refresh_from_db()
    assert links(officer.get(f"{base}/actions/{action.pk}/")) == ["Correct the action", "Withdraw the action"]
    done = officer.post(
        f"{base}/actions/{action.pk}/correct/",
        {
            "text": "Cut waiting times for assessments",
            "owner": owner.pk,
            "due_on": "31/7/2020",
            "milestone": "",
            "status": "not_started",
            "reason": "The board moved the date",
            "version": str(plan.version),
        },
    )
    assert done.status_code == 302
    plan.refresh_from_db()
    officer.post(f"{base}/actions/{action.pk}/withdraw/", {"reason": "Merged", "version": str(plan.version)})
    stored = PlanAction.objects.get(pk=action.pk)
    assert stored.is_withdrawn and stored.due_on == D(2020, 7, 31)
    detail = officer.get(f"/inspections/{published.pk}/")
    html = detail.content.decode()
    assert "<s>The draft</s>" in html and "<s>Cut waiting times for assessments</s>" in html
    assert "Overdue" not in text_of(detail, f"#plan-{plan.pk}-actions")
    assert "Update" not in text_of(detail, f"#plan-{plan.pk}-actions")  # a withdrawn action makes no progress
    response = officer.get(f"{base}/actions/{action.pk}/")
    assert [row[2] for row in history_rows(response)] == ["Added", "Corrected", "Withdrawn"]
    assert links(response) == []
    no_codes(response)


@pytest.mark.django_db
def test_a_visit_judgement_is_corrected_through_its_page(published, team) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    visit = follow_up.visit_schedule(
        inspection=published,
        visit="revisit",
        starts_on=D(2022, 6, 6),
        ends_on=D(2022, 6, 8),
        actor=team["lead"],
    )
    findings = list(published.findings.order_by("number"))
    follow_up.visit_judge(
        visit=visit,
        per_finding={f.pk: "sufficient_progress" for f in findings},
        overall="sufficient_in_all",
        actor=team["lead"],
    )
    page = f"/inspections/{published.pk}/visits/{visit.pk}/judgements/{findings[0].pk}/"
    lead = client_for(team["lead"])
    assert links(lead.get(page)) == ["Correct the judgement", "Withdraw the judgement"]
    assert client_for(team["officer"]).get(f"{page}correct/").status_code == 403
    published.refresh_from_db()
    refused = lead.post(
        f"{page}correct/", {"judgement": "", "reason": "x", "version": str(published.version)}
    )
    assert errors(refused) == ["Select the judgement"]
    lead.post(
        f"{page}correct/",
        {"judgement": "insufficient_progress", "reason": "Moderation", "version": str(published.version)},
    )
    published.refresh_from_db()
    overall = f"/inspections/{published.pk}/visits/{visit.pk}/overall/"
    lead.post(
        f"{overall}correct/",
        {"judgement": "sufficient_in_some", "reason": "Moderation", "version": str(published.version)},
    )
    rows = history_rows(client_for(team["viewer"]).get(page))
    assert [row[2:4] for row in rows] == [
        ["Judged", f"{findings[0]}: Sufficient progress"],
        ["Corrected", f"{findings[0]}: was Sufficient progress, now Insufficient progress"],
    ]
    response = client_for(team["viewer"]).get(overall)
    assert "Sufficient progress in some areas" in text_of(response, ".govuk-summary-list")
    assert [row[2] for row in history_rows(response)] == ["Judged", "Corrected"]
    no_codes(response)
