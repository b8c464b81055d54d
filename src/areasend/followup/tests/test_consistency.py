"""A follow-up visit's overall judgement agrees with its judgement of each finding, or says why not:
through the service, the judgement page and the API."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils.html import escape

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import PageClient, api_headers, signed_in, walk_to
from areasend.core.models import AuditEvent
from areasend.followup import services as follow_up
from areasend.followup.models import Visit
from areasend.followup.tests.test_pages import errors, ok, refused
from areasend.inspections import services
from areasend.inspections.models import Finding, Inspection

pytestmark = pytest.mark.django_db

D = dt.date
ALL, SOME, NONE = "sufficient_in_all", "sufficient_in_some", "sufficient_in_none"
YES, NO = "sufficient_progress", "insufficient_progress"
ALL_LABEL = "Sufficient progress in all areas"
SOME_LABEL = "Sufficient progress in some areas"
NONE_LABEL = "Sufficient progress in none of the areas"


def disagree(overall: str, counted: int, unjudged: int, agreeing: list[str], total: int = 3) -> str:
    return follow_up.JUDGEMENTS_DISAGREE.format(
        overall=overall,
        kind="area of significant weakness",
        counted=counted,
        total=total,
        counting="Sufficient progress",
        unjudged=f"; {unjudged} not yet judged" if unjudged else "",
        agreeing=" or ".join(f"'{label}'" for label in agreeing),
    )


def _revisit(frameworks: Any, team: dict[str, Any]) -> tuple[Inspection, list[Finding], Visit]:
    """A 2016 inspection of Essex requiring a WSOA, with three areas of significant weakness and a
    revisit scheduled."""
    admin, lead = team["admin"], team["lead"]
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["local-area-send-2016"],
        actor=admin,
    )
    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    walk_to(inspection, "drafting", lead)
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=lead)
    la = list(Partner.objects.filter(area__ons_code="E10000012", kind="local_authority"))
    weaknesses = [
        services.finding_add(
            inspection=inspection,
            kind="significant_weakness",
            text=f"Weakness {n}",
            responsible=la,
            actor=lead,
        )
        for n in (1, 2, 3)
    ]
    visit = follow_up.visit_schedule(
        inspection=inspection, visit="revisit", starts_on=D(2021, 5, 24), ends_on=D(2021, 5, 26), actor=lead
    )
    return inspection, weaknesses, visit


def _judged(visit: Visit) -> tuple[str, str, dict[int, str]]:
    visit.refresh_from_db()
    return (
        visit.overall,
        visit.reason_for_difference,
        dict(visit.judgements.values_list("finding_id", "judgement")),
    )


def _audits(inspection: Inspection) -> list[dict[str, Any]]:
    rows = AuditEvent.objects.filter(action="visit.judge", object_id=str(inspection.pk)).order_by("id")
    return [row.changes for row in rows]


def test_every_area_insufficient_is_not_sufficient_in_all_areas_without_a_reason(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection, weaknesses, visit = _revisit(frameworks, team)
    lead = team["lead"]
    version = Inspection.objects.get(pk=inspection.pk).version
    all_insufficient = {w.pk: NO for w in weaknesses}
    with pytest.raises(follow_up.JudgementsDisagree) as caught:
        follow_up.visit_judge(
            visit=visit, per_finding=all_insufficient, overall=ALL, published_on=D(2021, 7, 2), actor=lead
        )
    assert str(caught.value) == disagree(ALL_LABEL, 0, 0, [NONE_LABEL])
    # nothing half-written: no judgement, no outcome or publication date, no audit, the same version
    assert _judged(visit) == ("", "", {})
    assert not inspection.events.filter(name__in=["revisit_outcome", "revisit_published"]).exists()
    assert _audits(inspection) == []
    assert Inspection.objects.get(pk=inspection.pk).version == version

    # with the reason for the difference, it is recorded, and the reason with it
    follow_up.visit_judge(
        visit=visit,
        per_finding=all_insufficient,
        overall=ALL,
        reason_for_difference="  The letter judged the plan as a whole; see paragraph 4.  ",
        actor=lead,
    )
    reason = "The letter judged the plan as a whole; see paragraph 4."
    assert _judged(visit) == (ALL, reason, all_insufficient)
    assert inspection.events.get(name="revisit_outcome").choice == ALL
    assert _audits(inspection)[-1]["reason_for_difference"] == reason


def test_an_overall_judgement_that_agrees_needs_no_reason_and_clears_the_old_one(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    _, weaknesses, visit = _revisit(frameworks, team)
    lead = team["lead"]
    judgements = {weaknesses[0].pk: YES, weaknesses[1].pk: NO, weaknesses[2].pk: YES}
    follow_up.visit_judge(
        visit=visit, per_finding=judgements, overall=NONE, reason_for_difference="Why", actor=lead
    )
    assert _judged(visit)[:2] == (NONE, "Why")
    follow_up.visit_judge(visit=visit, overall=SOME, reason_for_difference="No longer needed", actor=lead)
    assert _judged(visit) == (SOME, "", judgements)
    all_sufficient = {w.pk: YES for w in weaknesses}
    follow_up.visit_judge(visit=visit, per_finding=all_sufficient, overall=ALL, actor=lead)
    assert _judged(visit) == (ALL, "", all_sufficient)


def test_judgements_recorded_at_different_times_are_checked_together(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    _, weaknesses, visit = _revisit(frameworks, team)
    lead = team["lead"]
    follow_up.visit_judge(visit=visit, per_finding={weaknesses[0].pk: NO}, actor=lead)
    with pytest.raises(follow_up.JudgementsDisagree) as caught:
        follow_up.visit_judge(visit=visit, overall=ALL, actor=lead)
    assert str(caught.value) == disagree(ALL_LABEL, 0, 2, [SOME_LABEL, NONE_LABEL])
    follow_up.visit_judge(visit=visit, overall=SOME, actor=lead)  # areas 2 and 3 may yet be sufficient
    # the other way round: judging the remaining areas against the overall judgement already stored
    with pytest.raises(follow_up.JudgementsDisagree) as caught:
        follow_up.visit_judge(
            visit=visit, per_finding={weaknesses[1].pk: NO, weaknesses[2].pk: NO}, actor=lead
        )
    assert str(caught.value) == disagree(SOME_LABEL, 0, 0, [NONE_LABEL])
    assert _judged(visit) == (SOME, "", {weaknesses[0].pk: NO})


def test_a_stored_reason_stands_while_no_judgement_changes(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    _, weaknesses, visit = _revisit(frameworks, team)
    lead = team["lead"]
    all_insufficient = {w.pk: NO for w in weaknesses}
    follow_up.visit_judge(
        visit=visit,
        per_finding=all_insufficient,
        overall=SOME,
        reason_for_difference="Agreed at moderation",
        actor=lead,
    )
    follow_up.visit_judge(visit=visit, per_finding=all_insufficient, published_on=D(2021, 7, 2), actor=lead)
    assert _judged(visit)[:2] == (SOME, "Agreed at moderation")
    with pytest.raises(follow_up.JudgementsDisagree):  # a changed judgement needs its own reason
        follow_up.visit_judge(visit=visit, overall=ALL, actor=lead)
    assert _judged(visit)[:2] == (SOME, "Agreed at moderation")


def test_a_monitoring_inspection_is_judged_overall_only(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin, lead = team["admin"], team["lead"]
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["area-send-2023"],
        actor=admin,
    )
    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    walk_to(inspection, "drafting", lead, notified=dt.date(2025, 3, 3))
    services.outcome_record(inspection=inspection, outcome="widespread_systemic_failings", actor=lead)
    visit = follow_up.visit_schedule(
        inspection=inspection,
        visit="monitoring_inspection",
        starts_on=dt.date(2026, 9, 14),
        ends_on=dt.date(2026, 9, 16),
        actor=lead,
    )
    follow_up.visit_judge(
        visit=visit, overall="ineffective_action", reason_for_difference="Not asked", actor=lead
    )
    assert _judged(visit) == ("ineffective_action", "", {})


def test_the_judgement_page_asks_for_the_reason_beside_its_field(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection, weaknesses, visit = _revisit(frameworks, team)
    lead = signed_in(PageClient(), team["lead"])
    page = f"/inspections/{inspection.pk}/visits/{visit.pk}/judge/"
    form = lead.get(page).content.decode()
    assert 'name="reason_for_difference"' in form
    assert (
        escape(
            "The overall judgement follows the judgement of each area of significant weakness: "
            "'Sufficient progress in all areas' when all of them are judged 'Sufficient progress'"
        )
        in form
    )
    posted = {f"finding_{w.pk}": NO for w in weaknesses} | {"overall": ALL}
    response = lead.post(page, posted)
    message = disagree(ALL_LABEL, 0, 0, [NONE_LABEL])
    refused(response, message)
    field_error = re.search(
        r'<p id="[^"]*reason_for_difference[^"]*" class="govuk-error-message">(.*?)</p>',
        response.content.decode(),
        re.S,
    )
    assert field_error is not None and escape(message) in field_error.group(1)
    assert _judged(visit) == ("", "", {})

    ok(lead.post(page, {**posted, "reason_for_difference": "Moderation found the plan on track overall"}))
    detail = lead.get(f"/inspections/{inspection.pk}/").content.decode()
    reason = re.search(rf'id="visit-{visit.pk}-reason">(.*?)</div>', detail, re.S)
    assert reason is not None and "Why the overall judgement differs" in reason.group(1)
    assert "Moderation found the plan on track overall" in reason.group(1)
    assert errors(lead.get(page)) == []


def test_the_api_refuses_a_disagreeing_judgement_with_400(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection, weaknesses, visit = _revisit(frameworks, team)
    headers = api_headers(team["lead"])
    path = f"/api/visits/{visit.pk}/judgements"
    body = {"per_finding": {str(w.pk): NO for w in weaknesses}, "overall": ALL}
    refused_reply = client.post(path, body, content_type="application/json", headers=headers)
    assert refused_reply.status_code == 400
    assert refused_reply.json() == {"detail": disagree(ALL_LABEL, 0, 0, [NONE_LABEL])}
    assert _judged(visit) == ("", "", {})
    reply = client.post(
        path,
        {**body, "reason_for_difference": "See the letter"},
        content_type="application/json",
        headers=headers,
    )
    assert reply.status_code == 200, reply.content
    assert (reply.json()["overall"], reply.json()["reason_for_difference"]) == (ALL, "See the letter")
    read = client.get(f"/api/inspections/{inspection.pk}", headers=headers).json()
    assert [v["reason_for_difference"] for v in read["visits"]] == ["See the letter"]


def test_the_framework_page_says_how_the_overall_judgement_follows(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, team["viewer"])
    page = client.get("/frameworks/local-area-send-2016/").content.decode()
    assert (
        escape(
            "'Sufficient progress in some areas' when some but not all of them are judged 'Sufficient progress'"
        )
        in page
    )
