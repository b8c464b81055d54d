"""Requests sent at the same moment never corrupt an inspection or a plan, and never give a server error.

Each race fires real HTTP requests (the API, and the pages where a browser would send them) from
threads that each hold their own PostgreSQL connection, started together by a barrier, and repeats
20 times. Every round must end with exactly one valid outcome: the stored state is one a single
request could have left, refused requests carry the service's message, and the audit log has one row
per change that was made and none for a refused one. SQLite lets one writer in at a time, so these
tests run only on PostgreSQL (`pytest.mark.postgres`).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils.html import escape

from areasend.areas.models import LocalArea, Partner
from areasend.conftest import api_headers, signed_in, walk_to
from areasend.core.models import AuditEvent
from areasend.followup import services as follow_up
from areasend.followup.models import Plan, PlanSubmission
from areasend.followup.rules import plan_status_label
from areasend.inspections import postponement, services
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Finding, Inspection, InspectionEvent, TeamMember

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROUNDS = 20
D = dt.date
ESSEX = "E10000012"


# --- firing requests at once ---------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: Any
    location: str = ""

    @property
    def detail(self) -> str:
        return str(self.body.get("detail", "")) if isinstance(self.body, dict) else ""


def at_once(*calls: Callable[[], Reply]) -> list[Reply]:
    """Run every call in its own thread with its own database connection, released together."""
    barrier = threading.Barrier(len(calls))
    replies: list[Reply | BaseException | None] = [None] * len(calls)

    def run(index: int, call: Callable[[], Reply]) -> None:
        try:
            connection.ensure_connection()  # connect first, so the requests themselves start together
            barrier.wait(timeout=60)
            replies[index] = call()
        except BaseException as exc:  # reported below, never lost in the thread
            replies[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    for reply in replies:
        if isinstance(reply, BaseException):
            raise reply
    found = [r for r in replies if isinstance(r, Reply)]
    assert len(found) == len(calls)
    assert all(r.status < 500 for r in found), [(r.status, r.body) for r in found]
    return found


def _reply(response: Any) -> Reply:
    content_type = response.get("Content-Type", "")
    body: Any = json.loads(response.content) if "json" in content_type else response.content.decode()
    return Reply(response.status_code, body, response.get("Location", ""))


def api_post(headers: dict[str, str], path: str, payload: dict[str, Any]) -> Callable[[], Reply]:
    def call() -> Reply:
        client = Client(raise_request_exception=False)
        response = client.post(f"/api{path}", payload, content_type="application/json", headers=headers)
        return _reply(response)

    return call


def page_post(user: Any, path: str, data: dict[str, Any]) -> Callable[[], Reply]:
    def call() -> Reply:
        client = signed_in(Client(raise_request_exception=False), user)
        return _reply(client.post(path, data))

    return call


def statuses(replies: list[Reply]) -> list[int]:
    return sorted(r.status for r in replies)


def audit_rows(obj: Any, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
        ).order_by("id")
    )


# --- what each round starts from -----------------------------------------------------------------


@pytest.fixture
def world(frameworks, team) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    essex = LocalArea.objects.get(ons_code=ESSEX)  # the register is back: serialized rollback
    partner = Partner.objects.filter(area=essex).first()
    assert partner is not None
    return {
        "area": essex,
        "partner": partner,
        "v2016": frameworks["local-area-send-2016"],
        "tokens": {key: api_headers(user) for key, user in team.items()},
        **team,
    }


def _inspection(w: dict[str, Any], *, cqc: bool = False) -> Inspection:
    inspection = services.inspection_create(area=w["area"], framework_version=w["v2016"], actor=w["admin"])
    services.team_assign(inspection=inspection, user=w["lead"], role="lead_hmi", actor=w["admin"])
    if cqc:
        services.team_assign(inspection=inspection, user=w["cqc"], role="cqc_inspector", actor=w["admin"])
    return inspection


def _plan(w: dict[str, Any], *, submitted: bool = False) -> Plan:
    inspection = walk_to(_inspection(w, cqc=True), "drafting", w["lead"])
    services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=w["lead"])
    services.event_record(inspection=inspection, name="report_received", on=D(2019, 12, 23), actor=w["lead"])
    plan = follow_up.plan_open(inspection=inspection, document="wsoa", actor=w["officer"])
    if submitted:
        follow_up.plan_submit(plan=plan, submitted_on=D(2020, 3, 20), actor=w["officer"])
    return plan


# --- the races -----------------------------------------------------------------------------------


def test_two_plan_submissions_at_once_record_one(world) -> None:  # type: ignore[no-untyped-def]
    headers = world["tokens"]["officer"]
    refused = follow_up.PLAN_NOT_SUBMITTABLE.format(status="Submitted, awaiting review")
    for _ in range(ROUNDS):
        plan = _plan(world)
        body = {"submitted_on": "2020-03-20"}
        replies = at_once(*(api_post(headers, f"/plans/{plan.pk}/submissions", body) for _ in range(2)))
        assert statuses(replies) == [201, 400]
        assert [r.detail for r in replies if r.status == 400] == [refused]
        assert list(plan.submissions.values_list("number", flat=True)) == [1]
        plan.refresh_from_db()
        assert plan.status == "submitted"
        assert [a.changes["submission"] for a in audit_rows(plan, "plan.submit")] == [1]
        submitted = [
            a for a in audit_rows(plan.inspection, "inspection.event") if "wsoa_submitted" in a.changes
        ]
        assert len(submitted) == 1
        # the next "not fit" review is the first one: the plan goes back to the area, not to DfE
        follow_up.plan_review(
            plan=plan, judgement="not_fit_for_purpose", reviewed_on=D(2020, 3, 27), actor=world["lead"]
        )
        assert plan.status == "not_fit_for_purpose"


def test_a_fit_and_a_not_fit_review_at_once_record_one_judgement(world) -> None:  # type: ignore[no-untyped-def]
    lead, cqc = world["tokens"]["lead"], world["tokens"]["cqc"]
    for _ in range(ROUNDS):
        plan = _plan(world, submitted=True)
        path = f"/plans/{plan.pk}/reviews"
        replies = at_once(
            api_post(lead, path, {"judgement": "fit_for_purpose", "reviewed_on": "2020-03-27"}),
            api_post(cqc, path, {"judgement": "not_fit_for_purpose", "reviewed_on": "2020-03-27"}),
        )
        assert statuses(replies) == [201, 400]
        plan.refresh_from_db()
        assert [r.detail for r in replies if r.status == 400] == [
            follow_up.PLAN_NOT_UNDER_REVIEW.format(status=plan_status_label(plan))
        ]
        submission = PlanSubmission.objects.get(plan=plan)
        assert submission.judgement in {"fit_for_purpose", "not_fit_for_purpose"}
        assert plan.status == submission.judgement  # a first review: fit, or back to the area
        winner = next(r for r in replies if r.status == 201)
        assert winner.body["status"] == plan.status
        assert [a.changes["judgement"] for a in audit_rows(plan, "plan.review")] == [submission.judgement]
        judgement = InspectionEvent.objects.get(inspection=plan.inspection, name="wsoa_judgement")
        assert judgement.choice == submission.judgement


def test_two_moves_out_of_notified_at_once_make_one(world) -> None:  # type: ignore[no-untyped-def]
    lead = world["tokens"]["lead"]
    later = dt.date.today() + dt.timedelta(days=28)
    for _ in range(ROUNDS):
        inspection = _inspection(world)
        services.inspection_move(
            inspection=inspection, target="notified", on=D(2019, 9, 23), actor=world["lead"]
        )
        path = f"/inspections/{inspection.pk}"
        replies = at_once(
            api_post(lead, f"{path}/postponements", {"reason": "Ofsted asked", "planned_for": str(later)}),
            api_post(lead, f"{path}/moves", {"target": "on_site", "on": "2019-09-30"}),
        )
        assert statuses(replies) == [200, 400]
        inspection.refresh_from_db()
        winner = next(r for r in replies if r.status == 200)
        assert winner.body["state"] == inspection.state in {"planned", "on_site"}
        framework = framework_of(inspection)
        if inspection.state == "planned":
            refusal = services.NO_SUCH_TRANSITION.format(
                current=services.state_label(framework, "planned"),
                target=services.state_label(framework, "on_site"),
                framework=framework.title,
            )
        else:
            refusal = postponement.CANNOT_POSTPONE.format(
                state=services.state_label(framework, "on_site"), framework=framework.title
            )
        assert [r.detail for r in replies if r.status == 400] == [refusal]
        moves = [a.changes["state"] for a in audit_rows(inspection, "inspection.move")]
        moves += [a.changes["state"] for a in audit_rows(inspection, "inspection.postpone")]
        assert moves == [["planned", "notified"], ["notified", inspection.state]]
        on_site_dates = InspectionEvent.objects.filter(inspection=inspection, name="on_site_start")
        recorded = [a for a in audit_rows(inspection, "inspection.event") if "on_site_start" in a.changes]
        assert on_site_dates.count() == len(recorded) == (1 if inspection.state == "on_site" else 0)


def test_an_action_never_moves_back_when_two_updates_arrive_at_once(world) -> None:  # type: ignore[no-untyped-def]
    officer = world["tokens"]["officer"]
    for _ in range(ROUNDS):
        plan = _plan(world)
        action = follow_up.plan_action_add(
            plan=plan,
            text="Joint board",
            owner=world["partner"],
            due_on=D(2020, 9, 1),
            actor=world["officer"],
        )
        path = f"/actions/{action.pk}/progress"
        replies = at_once(
            api_post(officer, path, {"status": "complete"}),
            api_post(officer, path, {"status": "in_progress"}),
        )
        action.refresh_from_db()
        assert action.status == "complete"
        made = [a.changes["status"] for a in audit_rows(plan, "plan.action_progress")]
        if statuses(replies) == [200, 200]:  # "in progress" came first, then "complete"
            assert made == [["not_started", "in_progress"], ["in_progress", "complete"]]
        else:
            assert statuses(replies) == [200, 400]
            assert [r.detail for r in replies if r.status == 400] == [
                follow_up.ACTION_STATUS_BACKWARDS.format(current="complete", target="in_progress")
            ]
            assert made == [["not_started", "complete"]]


def test_findings_added_at_once_are_numbered_one_after_another(world) -> None:  # type: ignore[no-untyped-def]
    lead = world["tokens"]["lead"]
    count = 24
    for _ in range(ROUNDS):
        inspection = walk_to(_inspection(world), "drafting", world["lead"])
        services.outcome_record(inspection=inspection, outcome="wsoa_required", actor=world["lead"])
        path = f"/inspections/{inspection.pk}/findings"
        replies = at_once(
            *(
                api_post(
                    lead,
                    path,
                    {"kind": "significant_weakness", "text": f"Weakness {n}", "responsible": [ESSEX]},
                )
                for n in range(count)
            )
        )
        assert statuses(replies) == [201] * count
        numbers = sorted(r.body["number"] for r in replies)
        assert numbers == list(range(1, count + 1))
        stored = Finding.objects.filter(inspection=inspection).order_by("number")
        assert [(f.number, f.text) for f in stored] == sorted(
            (r.body["number"], r.body["text"]) for r in replies
        )
        audited = sorted(a.changes["number"] for a in audit_rows(inspection, "inspection.finding_add"))
        assert audited == numbers


def test_the_same_inspector_assigned_twice_at_once_joins_once(world) -> None:  # type: ignore[no-untyped-def]
    admin = world["tokens"]["admin"]
    cqc = world["cqc"]
    for _ in range(ROUNDS):
        inspection = _inspection(world)
        path = f"/inspections/{inspection.pk}/team"
        body = {"username": cqc.username, "role": "cqc_inspector"}
        replies = at_once(api_post(admin, path, body), api_post(admin, path, body))
        assert statuses(replies) == [201, 400]
        assert [r.detail for r in replies if r.status == 400] == [
            services.ALREADY_IN_TEAM.format(user=cqc.username)
        ]
        assert TeamMember.objects.filter(inspection=inspection, user=cqc).count() == 1
        assigned = [a.changes for a in audit_rows(inspection, "inspection.team_assign")]
        assert assigned == [
            {"user": world["lead"].username, "role": "lead_hmi"},
            {"user": cqc.username, "role": "cqc_inspector"},
        ]


# --- two writers holding the same version: the second holds an old one by the time it is checked ----


def test_two_api_writers_holding_the_same_version_one_is_refused_409(world) -> None:  # type: ignore[no-untyped-def]
    lead, cqc = world["tokens"]["lead"], world["tokens"]["cqc"]
    for _ in range(ROUNDS):
        inspection = walk_to(_inspection(world, cqc=True), "drafting", world["lead"])
        read = inspection.version
        path = f"/inspections/{inspection.pk}/outcome"
        replies = at_once(
            api_post({**lead, "If-Match": f'"{read}"'}, path, {"outcome": "wsoa_required"}),
            api_post({**cqc, "If-Match": f'"{read}"'}, path, {"outcome": "wsoa_not_required"}),
        )
        assert statuses(replies) == [200, 409]
        assert [r.detail for r in replies if r.status == 409] == [services.STALE_INSPECTION]
        inspection.refresh_from_db()
        assert inspection.version == read + 1
        winner = next(r for r in replies if r.status == 200)
        assert winner.body["version"] == inspection.version
        recorded = [a.changes["outcome"] for a in audit_rows(inspection, "inspection.outcome")]
        assert recorded == [["", inspection.outcome]]


def test_two_pages_opened_on_the_same_plan_version_one_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    officer, partner = world["officer"], world["partner"]
    for _ in range(ROUNDS):
        plan = _plan(world)
        base = f"/inspections/{plan.inspection_id}/plans/{plan.pk}/actions/"
        form = {"owner": partner.pk, "due_on": "1/9/2020", "version": plan.version}
        replies = at_once(
            page_post(officer, base, {**form, "text": "Joint commissioning board"}),
            page_post(officer, base, {**form, "text": "Autism pathway"}),
        )
        assert statuses(replies) == [200, 302]
        refused = next(r for r in replies if r.status == 200)
        assert escape(follow_up.STALE_PLAN) in refused.body
        assert "govuk-error-summary" in refused.body
        plan.refresh_from_db()
        assert plan.version == form["version"] + 1
        stored = list(plan.actions.values_list("text", flat=True))
        assert len(stored) == 1
        assert [a.changes["action"] for a in audit_rows(plan, "plan.action_add")] == stored
