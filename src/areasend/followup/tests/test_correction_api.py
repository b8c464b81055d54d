"""Corrections through the API: each record's history, and writes that correct or withdraw it, with
400 for a refused correction, 403 for a role that may not, 404 when the inspection is not visible and
409 for an edit from an older version."""

from __future__ import annotations

import datetime as dt

import pytest

from areasend.access.policy import NOT_IN_TEAM
from areasend.areas.models import Partner
from areasend.conftest import make_user
from areasend.followup import services as follow_up
from areasend.followup.corrections import NOT_WITHDRAWABLE
from areasend.followup.tests.test_api import Api
from areasend.followup.tests.test_corrections import ESSEX, _plan, published  # noqa: F401  (the fixture)
from areasend.inspections import services
from areasend.inspections.corrections import CORRECTION, NEEDED_BY_STAGE, NOTHING_CHANGES, REASON_NEEDED
from areasend.inspections.services import CLOSED_ONCE_PUBLISHED, STALE_INSPECTION
from areasend.inspections.tests.test_corrections import _kent

D = dt.date
ROLE_REFUSED = "Your role does not allow this."  # the API's refusal of a role without the permission


@pytest.mark.django_db
def test_an_event_and_a_finding_through_the_api(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _kent(frameworks, team)
    services.outcome_record(inspection=inspection, outcome="inconsistent", actor=team["lead"])
    finding = services.finding_add(
        inspection=inspection, kind="improvement", text="Plans are late.", responsible=[], actor=team["lead"]
    )
    lead, viewer, outsider = (Api(client, team[r]) for r in ("lead", "viewer", "other_inspector"))
    events = f"/inspections/{inspection.pk}/events"
    refused = lead.post(f"{events}/notified/corrections", {"on": "2026-02-23"}, 400)
    assert refused["detail"] == REASON_NEEDED.format(change=CORRECTION)
    refused = lead.post(f"{events}/notified/corrections", {"on": "2026-03-02", "reason": "x"}, 400)
    assert refused["detail"] == NOTHING_CHANGES.format(what="date")
    refused = lead.post(f"{events}/notified/withdrawals", {"reason": "Recorded by mistake"}, 400)
    assert refused["detail"] == NEEDED_BY_STAGE.format(
        label="Partnership notified of the inspection",
        needing="Notified (week 1)",
        current="Drafting the report",
    )
    stale = lead.client.post(
        f"/api{events}/notified/corrections",
        {"on": "2026-02-23", "reason": "x"},
        content_type="application/json",
        headers={**lead.headers, "If-Match": '"1"'},
    )
    assert stale.status_code == 409 and stale.json()["detail"] == STALE_INSPECTION
    refused = viewer.post(f"{events}/notified/corrections", {"on": "2026-02-23", "reason": "x"}, 403)
    assert refused["detail"] == ROLE_REFUSED
    outsider.post(f"{events}/notified/corrections", {"on": "2026-02-23", "reason": "x"}, 404)
    outsider.get(f"{events}/notified/history", 404)
    done = lead.post(f"{events}/notified/corrections", {"on": "2026-02-23", "reason": "Typed the wrong week"})
    assert done["value"] == "2026-02-23"
    record = viewer.get(f"{events}/notified/history")
    assert [(e["what"], e["changes"], e["reason"]) for e in record["history"]] == [
        (
            "Recorded",
            [{"field": "Partnership notified of the inspection", "before": "", "after": "2 March 2026"}],
            "",
        ),
        (
            "Corrected",
            [
                {
                    "field": "Partnership notified of the inspection",
                    "before": "2 March 2026",
                    "after": "23 February 2026",
                }
            ],
            "Typed the wrong week",
        ),
    ]
    viewer.get(f"{events}/teatime/history", 404)
    # the outcome is corrected by its name, as it is recorded
    lead.post(f"{events}/outcome/corrections", {"choice": "typically_positive", "reason": "Moderation"})
    assert [e["what"] for e in viewer.get(f"{events}/outcome/history")["history"]] == [
        "Recorded",
        "Corrected",
    ]

    # a finding
    path = f"/findings/{finding.pk}"
    partner = Partner.objects.filter(area__ons_code="E10000016").order_by("name").first()
    assert partner is not None
    refused = lead.post(f"{path}/corrections", {"responsible": ["nobody"], "reason": "x"}, 400)
    assert "is not a partner of Kent" in refused["detail"]
    outsider.post(f"{path}/corrections", {"text": "x", "reason": "x"}, 404)
    assert (
        Api(client, team["officer"]).post(f"{path}/withdrawals", {"reason": "x"}, 403)["detail"]
        == ROLE_REFUSED
    )
    # an inspector outside the team who may see the area's inspections may not correct them
    other = make_user("kent-inspector", "inspector", "E10000016")
    refused = Api(client, other).post(f"{path}/withdrawals", {"reason": "x"}, 403)
    assert refused["detail"] == NOT_IN_TEAM
    done = lead.post(
        f"{path}/corrections",
        {"text": "Plans are late.", "responsible": [partner.code], "reason": "Named it"},
    )
    assert done["responsible"] == [partner.name] and done["withdrawn"] is None
    done = lead.post(f"{path}/withdrawals", {"reason": "Merged into another"})
    assert done["withdrawn"]["by"] == "lead-hmi" and done["withdrawn"]["reason"] == "Merged into another"
    assert [e["what"] for e in viewer.get(f"{path}/history")["history"]] == [
        "Added",
        "Corrected",
        "Withdrawn",
    ]
    detail = viewer.get(f"/inspections/{inspection.pk}")
    assert detail["findings"] == []  # a withdrawn finding no longer counts, and is listed apart
    assert [f["id"] for f in detail["withdrawn_findings"]] == [finding.pk]


@pytest.mark.django_db
def test_plan_entries_and_judgements_through_the_api(client, published, team) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    plan = _plan(published, team)
    submission = follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 20), actor=team["officer"])
    owner = Partner.objects.filter(area__ons_code=ESSEX).order_by("name").first()
    assert owner is not None
    action = follow_up.plan_action_add(
        plan=plan, text="Cut waiting times", owner=owner, due_on=D(2020, 6, 30), actor=team["officer"]
    )
    officer, lead, viewer, kent = (
        Api(client, team[r]) for r in ("officer", "lead", "viewer", "kent_officer")
    )
    path = f"/submissions/{submission.pk}"
    assert lead.post(f"{path}/corrections", {"submitted_on": "2020-03-18", "reason": "x"}, 403)["detail"] == (
        ROLE_REFUSED
    )
    kent.post(f"{path}/corrections", {"submitted_on": "2020-03-18", "reason": "x"}, 404)
    kent.get(f"{path}/history", 404)
    done = officer.post(f"{path}/corrections", {"submitted_on": "2020-03-18", "reason": "Sent on the 18th"})
    assert done["submitted_on"] == "2020-03-18" and done["history"][-1]["reason"] == "Sent on the 18th"
    follow_up.plan_review(
        plan=plan, judgement="fit_for_purpose", reviewed_on=D(2020, 4, 2), actor=team["lead"]
    )
    assert officer.post(f"{path}/withdrawals", {"reason": "x"}, 400)["detail"] == NOT_WITHDRAWABLE
    officer.post(f"{path}/review-corrections", {"reviewed_on": "2020-04-03", "reason": "x"}, 403)
    done = lead.post(
        f"{path}/review-corrections", {"reviewed_on": "2020-04-03", "reason": "Dated the letter"}
    )
    assert done["reviewed_on"] == "2020-04-03"

    actions = f"/actions/{action.pk}"
    refused = officer.post(f"{actions}/corrections", {"status": "finished", "reason": "x"}, 400)
    assert "'finished' is not an action status" in refused["detail"]
    done = officer.post(f"{actions}/corrections", {"due_on": "2020-07-31", "reason": "The board moved it"})
    assert done["due_on"] == "2020-07-31"
    done = officer.post(f"{actions}/withdrawals", {"reason": "Merged"})
    assert done["withdrawn"]["reason"] == "Merged"
    assert [e["what"] for e in viewer.get(f"{actions}/history")["history"]] == [
        "Added",
        "Corrected",
        "Withdrawn",
    ]
    plans = viewer.get(f"/inspections/{published.pk}")["plans"]
    assert plans[0]["actions"] == [] and [a["id"] for a in plans[0]["withdrawn_actions"]] == [action.pk]

    visit = follow_up.visit_schedule(
        inspection=published,
        visit="revisit",
        starts_on=D(2022, 6, 6),
        ends_on=D(2022, 6, 8),
        actor=team["lead"],
    )
    finding = published.findings.order_by("number").first()
    assert finding is not None
    follow_up.visit_judge(
        visit=visit,
        per_finding={finding.pk: "sufficient_progress"},
        overall="sufficient_in_all",
        actor=team["lead"],
    )
    judgement = f"/visits/{visit.pk}/judgements/{finding.pk}"
    officer.post(f"{judgement}/corrections", {"judgement": "insufficient_progress", "reason": "x"}, 403)
    refused = lead.post(f"{judgement}/corrections", {"judgement": "lovely", "reason": "x"}, 400)
    assert "'lovely' is not a judgement on" in refused["detail"]
    done = lead.post(
        f"{judgement}/corrections", {"judgement": "insufficient_progress", "reason": "Moderation"}
    )
    assert done["judgement"] == "insufficient_progress"
    lead.post(
        f"/visits/{visit.pk}/overall/corrections", {"judgement": "sufficient_in_some", "reason": "Moderation"}
    )
    assert viewer.get(f"/visits/{visit.pk}/overall/history")["judgement"] == "sufficient_in_some"
    done = lead.post(f"{judgement}/withdrawals", {"reason": "Not judged at this visit"})
    assert done["judgement"] == "" and [e["what"] for e in done["history"]] == [
        "Judged",
        "Corrected",
        "Withdrawn",
    ]
    lead.get(f"/visits/{visit.pk}/judgements/999999/history", 404)
    # the published report itself stays closed
    refused = lead.post(f"/findings/{finding.pk}/withdrawals", {"reason": "x"}, 400)
    assert refused["detail"] == CLOSED_ONCE_PUBLISHED.format(
        what="Findings", state="Follow-up (WSOA and revisit)"
    )
