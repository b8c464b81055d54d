"""The lifecycle through the API, with the same permissions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.areas.models import Partner
from areasend.conftest import api_headers
from areasend.domain.calendar import add_months, default_calendar
from areasend.domain.pauses import shipped_programme
from areasend.inspections import dates as inspection_dates
from areasend.inspections import services
from areasend.inspections.models import Inspection

CAL = default_calendar()
D = dt.date


def revisit_due_after(accepted: dt.date) -> dt.date:
    """18 months after the WSOA was accepted, the clock stopped while revisits were paused (ADR 0025)."""
    due = add_months(accepted, 18)
    for pause in shipped_programme().pauses:
        if "revisits" in pause.activities and accepted <= pause.end and due >= pause.start:
            due += dt.timedelta(days=(pause.end - max(accepted, pause.start)).days + 1)
    return due


class Api:
    def __init__(self, client: Any, user: Any) -> None:
        self.client = client
        self.headers = api_headers(user)

    def get(self, path: str, status: int = 200) -> Any:
        response = self.client.get(f"/api{path}", headers=self.headers)
        assert response.status_code == status, response.content
        return response.json()

    def post(self, path: str, body: dict[str, Any], status: int = 200) -> Any:
        response = self.client.post(
            f"/api{path}", body, content_type="application/json", headers=self.headers
        )
        assert response.status_code == status, response.content
        return response.json()


def _milestones(api: Api, pk: int) -> dict[str, Any]:
    return {m["key"]: m for m in api.get(f"/inspections/{pk}/milestones")}


@pytest.mark.django_db
def test_2016_scenario_through_the_api(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin, lead, cqc, officer = (Api(client, team[k]) for k in ("admin", "lead", "cqc", "officer"))
    created = admin.post(
        "/inspections", {"area": "E10000012", "framework": "local-area-send-2016", "title": "Essex 2019"}, 201
    )
    pk = created["id"]
    version = frameworks["local-area-send-2016"].version
    assert created["state"] == "planned" and created["framework"] == {
        "id": "local-area-send-2016",
        "version": version,
    }
    admin.post(f"/inspections/{pk}/team", {"username": "lead-hmi", "role": "lead_hmi"}, 201)
    admin.post(f"/inspections/{pk}/team", {"username": "cqc-inspector", "role": "cqc_inspector"}, 201)
    refused = lead.post(f"/inspections/{pk}/moves", {"target": "published"}, 400)
    assert "An inspection cannot move from Planned to Published" in refused["detail"]
    for target, on in (("notified", "2019-09-23"), ("on_site", "2019-09-30"), ("drafting", "2019-10-04")):
        lead.post(f"/inspections/{pk}/moves", {"target": target, "on": on})
    lead.post(f"/inspections/{pk}/outcome", {"outcome": "wsoa_required"})
    icb = Partner.objects.filter(area__ons_code="E10000012", kind="icb").first()
    assert icb is not None
    findings = [
        lead.post(
            f"/inspections/{pk}/findings",
            {"kind": "significant_weakness", "text": t, "responsible": ["E10000012", icb.code]},
            201,
        )
        for t in ("Joint commissioning", "Autism pathway waiting times")
    ]
    for target in ("quality_assurance", "factual_accuracy"):
        lead.post(f"/inspections/{pk}/moves", {"target": target})
    assert (
        "Each organisation must sign off the report before it is published; missing: Ofsted and CQC."
        in lead.post(f"/inspections/{pk}/moves", {"target": "published", "on": "2019-12-23"}, 400)["detail"]
    )
    lead.post(f"/inspections/{pk}/sign-offs", {"inspectorate": "Ofsted"}, 201)
    cqc.post(f"/inspections/{pk}/sign-offs", {"inspectorate": "CQC"}, 201)
    lead.post(f"/inspections/{pk}/moves", {"target": "published", "on": "2019-12-23"})
    lead.post(f"/inspections/{pk}/events", {"name": "report_received", "on": "2019-12-23"})
    lead.post(f"/inspections/{pk}/moves", {"target": "follow_up"})
    due = _milestones(lead, pk)["wsoa_submission"]["due"]
    assert due == CAL.add_working_days(D(2019, 12, 23), 70).isoformat()

    lead.post(
        f"/inspections/{pk}/plans", {"document": "wsoa"}, 403
    )  # inspectors cannot write the area's plan
    plan = officer.post(f"/inspections/{pk}/plans", {"document": "wsoa"}, 201)
    officer.post(
        f"/plans/{plan['id']}/actions",
        {"text": "Joint commissioning board", "owner": "E10000012", "due_on": "2020-09-01"},
        201,
    )
    officer.post(f"/plans/{plan['id']}/submissions", {"submitted_on": "2020-03-20"}, 201)
    officer.post(
        f"/plans/{plan['id']}/reviews", {"judgement": "fit_for_purpose", "reviewed_on": "2020-03-27"}, 403
    )
    lead.post(
        f"/plans/{plan['id']}/reviews", {"judgement": "not_fit_for_purpose", "reviewed_on": "2020-04-02"}, 201
    )
    milestones = _milestones(lead, pk)
    assert milestones["wsoa_review"]["due"] == CAL.add_working_days(D(2020, 3, 20), 10).isoformat()
    assert milestones["wsoa_resubmission"]["due"] == CAL.add_working_days(D(2020, 4, 2), 20).isoformat()
    officer.post(f"/plans/{plan['id']}/submissions", {"submitted_on": "2020-04-28"}, 201)
    reviewed = lead.post(
        f"/plans/{plan['id']}/reviews", {"judgement": "fit_for_purpose", "reviewed_on": "2020-05-06"}, 201
    )
    assert reviewed["status"] == "fit_for_purpose" and len(reviewed["submissions"]) == 2
    assert _milestones(lead, pk)["revisit_due"]["due"] == revisit_due_after(D(2020, 5, 6)).isoformat()

    visit = lead.post(
        f"/inspections/{pk}/visits",
        {"visit": "revisit", "notified_on": "2021-05-10", "starts_on": "2021-05-24", "ends_on": "2021-05-26"},
        201,
    )
    assert (
        _milestones(lead, pk)["revisit_notice"]["due"] == CAL.add_working_days(D(2021, 5, 10), 10).isoformat()
    )
    judged = lead.post(
        f"/visits/{visit['id']}/judgements",
        {
            "per_finding": {
                str(findings[0]["id"]): "sufficient_progress",
                str(findings[1]["id"]): "insufficient_progress",
            },
            "overall": "sufficient_in_some",
            "published_on": "2021-07-02",
        },
    )
    assert judged["overall"] == "sufficient_in_some"
    lead.post(f"/inspections/{pk}/moves", {"target": "closed"})
    detail = officer.get(f"/inspections/{pk}")
    assert detail["state"] == "closed"
    assert detail["events"]["wsoa_judgement"] == "not_fit_for_purpose"
    assert detail["visits"][0]["judgements"] == {
        str(findings[0]["id"]): "sufficient_progress",
        str(findings[1]["id"]): "insufficient_progress",
    }


@pytest.mark.django_db
def test_2023_scenario_through_the_api(client, frameworks, team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # told from after the monitoring inspection of 2027, so that it can be judged
    monkeypatch.setattr(inspection_dates, "today", lambda: dt.date(2027, 9, 1))
    admin, lead, cqc, officer = (Api(client, team[k]) for k in ("admin", "lead", "cqc", "officer"))
    pk = admin.post("/inspections", {"area": "E10000012", "framework": "area-send-2023"}, 201)["id"]
    for user, role in (
        ("lead-hmi", "lead_hmi"),
        ("cqc-inspector", "cqc_inspector"),
        ("social-care-inspector", "social_care_inspector"),
    ):
        admin.post(f"/inspections/{pk}/team", {"username": user, "role": role}, 201)
    lead.post(f"/inspections/{pk}/moves", {"target": "notified", "on": "2025-09-08"})
    milestones = _milestones(lead, pk)
    assert milestones["offsite_fieldwork"]["due"] == "2025-09-18"
    assert milestones["on_site_week_start"]["due"] == "2025-09-22"
    for target, on in (("fieldwork", "2025-09-18"), ("on_site", "2025-09-22"), ("drafting", "2025-09-26")):
        lead.post(f"/inspections/{pk}/moves", {"target": target, "on": on})
    lead.post(f"/inspections/{pk}/outcome", {"outcome": "3"})
    apa = lead.post(
        f"/inspections/{pk}/findings",
        {"kind": "priority_action", "text": "EHC needs assessment timeliness", "responsible": ["E10000012"]},
        201,
    )
    lead.post(
        f"/inspections/{pk}/findings",
        {"kind": "improvement", "text": "Preparation for adulthood", "responsible": ["E10000012"]},
        201,
    )
    for target in ("quality_assurance", "factual_accuracy"):
        lead.post(f"/inspections/{pk}/moves", {"target": target})
    lead.post(f"/inspections/{pk}/sign-offs", {"inspectorate": "Ofsted"}, 201)
    cqc.post(f"/inspections/{pk}/sign-offs", {"inspectorate": "CQC"}, 201)
    lead.post(f"/inspections/{pk}/moves", {"target": "published", "on": "2025-12-12"})
    lead.post(f"/inspections/{pk}/events", {"name": "final_report_received", "on": "2025-12-10"})
    lead.post(f"/inspections/{pk}/moves", {"target": "follow_up"})
    milestones = _milestones(lead, pk)
    assert milestones["priority_action_plan"]["due"] == CAL.add_working_days(D(2025, 12, 10), 35).isoformat()
    assert milestones["monitoring_inspection_due"]["due"] == "2027-06-10"

    plan = officer.post(f"/inspections/{pk}/plans", {"document": "priority_action_plan"}, 201)
    officer.post(f"/plans/{plan['id']}/submissions", {"submitted_on": "2026-01-30"}, 201)
    assert _milestones(officer, pk)["priority_action_plan"]["status"] == "met"
    visit = lead.post(
        f"/inspections/{pk}/visits",
        {
            "visit": "monitoring_inspection",
            "notified_on": "2027-05-10",
            "starts_on": "2027-05-24",
            "ends_on": "2027-05-28",
        },
        201,
    )
    assert (
        _milestones(lead, pk)["monitoring_on_site"]["due"]
        == CAL.add_working_days(D(2027, 5, 10), 10).isoformat()
    )
    lead.post(f"/visits/{visit['id']}/judgements", {"overall": "effective_action"})
    assert lead.get(f"/inspections/{pk}")["visits"][0]["overall"] == "effective_action"
    assert apa["number"] == 1


@pytest.mark.django_db
def test_scoping_and_roles_on_the_api(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin, officer, kent, viewer, other = (
        Api(client, team[k]) for k in ("admin", "officer", "kent_officer", "viewer", "other_inspector")
    )
    pk = admin.post("/inspections", {"area": "E10000012", "framework": "area-send-2023"}, 201)["id"]
    admin.post(f"/inspections/{pk}/team", {"username": "lead-hmi", "role": "lead_hmi"}, 201)
    lead = Api(client, team["lead"])
    services.note_add(
        inspection=Inspection.objects.get(pk=pk), text="Inspector-only thought", actor=team["lead"]
    )

    assert [i["id"] for i in officer.get("/inspections")] == [pk]
    assert kent.get("/inspections") == []
    kent.get(f"/inspections/{pk}", 404)
    other.get(f"/inspections/{pk}", 404)
    assert [n["text"] for n in lead.get(f"/inspections/{pk}/notes")] == ["Inspector-only thought"]
    officer.get(f"/inspections/{pk}/notes", 403)
    viewer.get(f"/inspections/{pk}/notes", 403)
    assert "Inspector-only thought" not in str(officer.get(f"/inspections/{pk}"))

    viewer.get(f"/inspections/{pk}")
    viewer.post(f"/inspections/{pk}/moves", {"target": "notified", "on": "2025-09-08"}, 403)
    officer.post(f"/inspections/{pk}/moves", {"target": "notified", "on": "2025-09-08"}, 403)
    officer.post("/inspections", {"area": "E10000012", "framework": "area-send-2023"}, 403)
    other.post(f"/inspections/{pk}/moves", {"target": "notified", "on": "2025-09-08"}, 404)
    assert (
        "There is no area with ONS code 'E99999999'"
        in admin.post("/inspections", {"area": "E99999999", "framework": "area-send-2023"}, 400)["detail"]
    )
    assert (
        "No framework 'nope' is loaded"
        in admin.post("/inspections", {"area": "E10000012", "framework": "nope"}, 400)["detail"]
    )
    bad_date = client.post(
        f"/api/inspections/{pk}/moves",
        {"target": "notified", "on": "08/09/2025"},
        content_type="application/json",
        headers=lead.headers,
    )
    assert bad_date.status_code == 422


@pytest.mark.django_db
def test_team_removal_and_visit_dates_through_the_api(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin, lead, officer = (Api(client, team[k]) for k in ("admin", "lead", "officer"))
    pk = admin.post("/inspections", {"area": "E10000012", "framework": "local-area-send-2016"}, 201)["id"]
    admin.post(f"/inspections/{pk}/team", {"username": "lead-hmi", "role": "lead_hmi"}, 201)
    admin.post(f"/inspections/{pk}/team", {"username": "cqc-inspector", "role": "cqc_inspector"}, 201)
    response = client.delete(f"/api/inspections/{pk}/team/cqc-inspector", headers=admin.headers)
    assert response.status_code == 204
    assert [m["username"] for m in lead.get(f"/inspections/{pk}")["team"]] == ["lead-hmi"]
    again = client.delete(f"/api/inspections/{pk}/team/cqc-inspector", headers=admin.headers)
    assert again.status_code == 400 and "is not in this inspection's team" in again.json()["detail"]
    for target, on in (("notified", "2019-09-23"), ("on_site", "2019-09-30"), ("drafting", "2019-10-04")):
        lead.post(f"/inspections/{pk}/moves", {"target": target, "on": on})
    lead.post(f"/inspections/{pk}/outcome", {"outcome": "wsoa_required"})
    visit = lead.post(f"/inspections/{pk}/visits", {"visit": "revisit"}, 201)
    dated = lead.post(
        f"/visits/{visit['id']}/dates", {"notified_on": "2021-05-10", "starts_on": "2021-05-24"}
    )
    assert dated["starts_on"] == "2021-05-24"
    officer.post(f"/visits/{visit['id']}/dates", {"ends_on": "2021-05-26"}, 403)
    refused = lead.post(f"/visits/{visit['id']}/dates", {"ends_on": "2021-05-20"}, 400)
    assert "cannot be before" in refused["detail"]
