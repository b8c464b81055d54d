"""Every route in the inventory, visited as every role with the demo's own objects for its parameters.

For each route and role: nobody gets a server error; a role without the route's declared permission
is refused (403, or sign-in for the anonymous); a role that has the permission but may not see the
object (another area's officer, an inspector outside the team) gets 404 for an inspection's routes.
Writes are sent too (an empty form or JSON body) and rolled back, so every request meets the same data.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from areasend.access.policy import scope_of
from areasend.areas.models import LocalArea
from areasend.conftest import api_headers, make_user
from areasend.core.demo import DEMO_AREA
from areasend.core.demo_steps import create_demo_users
from areasend.core.models import JobRun
from areasend.core.permissions import PUBLIC, has_permission
from areasend.core.routes import all_routes
from areasend.datapack.demo_steps import demo_lines_of_enquiry
from areasend.datapack.models import LineOfEnquiry
from areasend.followup.demo_steps import demo_follow_up
from areasend.followup.models import Plan, PlanAction, PlanDocument, Visit
from areasend.frameworks.services import load_shipped_frameworks
from areasend.inspections.demo_steps import TITLE_2016, demo_inspections
from areasend.inspections.models import Inspection
from areasend.programme.models import CalendarFeed

ROLES = [
    "demo-admin",
    "demo-lead-inspector",
    "outside-inspector",
    "demo-area-officer",
    "other-area-officer",
    "demo-viewer",
    "anonymous",
]
CANNOT_SEE_THE_INSPECTION = {"outside-inspector", "other-area-officer"}


def _world() -> dict[str, Any]:
    load_shipped_frameworks()
    create_demo_users()
    demo_inspections()
    demo_follow_up()
    demo_lines_of_enquiry()
    users: dict[str, Any] = {r: None for r in ROLES}
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(username__startswith="demo-"):
        users[user.username] = user
    users["outside-inspector"] = make_user("outside-inspector", "inspector")
    users["other-area-officer"] = make_user("other-area-officer", "area_officer", "E10000016")
    area = LocalArea.objects.get(ons_code=DEMO_AREA)
    inspection = Inspection.objects.get(title=TITLE_2016)
    plan = Plan.objects.get(inspection=inspection)
    action = PlanAction.objects.filter(plan=plan).first()
    visit = Visit.objects.filter(inspection=inspection).first()
    line = LineOfEnquiry.objects.filter(inspection__area=area).first()
    assert line is not None  # the demo's current inspection keeps its lines
    job = JobRun.objects.create(task_name="x", title="A job", started_by=users["demo-admin"])
    feed = CalendarFeed.objects.create(user=users["demo-lead-inspector"])
    member = inspection.team.first()
    document = PlanDocument.objects.filter(plan=plan).first()
    finding = inspection.findings.first()
    submission = plan.submissions.first()
    assert action is not None and visit is not None and member is not None and document is not None
    assert finding is not None and submission is not None
    values = {
        "pk": inspection.pk,
        "plan_pk": plan.pk,
        "action_pk": action.pk,
        "visit_pk": visit.pk,
        "document_pk": document.pk,
        "finding_pk": finding.pk,
        "submission_pk": submission.pk,
        "name": "notified",
        "user_pk": member.user_id,
        "username": member.user.get_username(),
        "target": "follow_up",
        "ons_code": area.ons_code,
        "line_id": line.pk,
        "partner_id": area.partners.first().pk,  # type: ignore[union-attr]
        "framework_id": inspection.framework.framework_id,
        "job_id": job.pk,
        "token": feed.token,
    }
    return {
        "users": users,
        "values": values,
        "plan": plan,
        "action": action,
        "visit": visit,
        "finding": finding,
        "submission": submission,
    }


def _api_pk(pattern: str, values: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    """API paths name every object `pk`: which object depends on the path."""
    if pattern.startswith("api/plans/"):
        return {**values, "pk": world["plan"].pk}
    if pattern.startswith("api/actions/"):
        return {**values, "pk": world["action"].pk}
    if pattern.startswith("api/visits/"):
        return {**values, "pk": world["visit"].pk}
    if pattern.startswith("api/findings/"):
        return {**values, "pk": world["finding"].pk}
    if pattern.startswith("api/submissions/"):
        return {**values, "pk": world["submission"].pk}
    return values


def _path(pattern: str, values: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"the crawl has no demo object for <{name}> in {pattern}"
        return str(values[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, pattern)


def _methods(permission: str) -> list[tuple[str, str]]:
    """(method, permission) pairs: API routes say theirs; pages are read with GET and sent a POST."""
    if permission[:4] in {"GET ", "POST", "DELE"}:
        pairs = []
        for part in permission.split("; "):
            method, perm = part.split(" ", 1)
            pairs.append((method, perm))
        return pairs
    return [("GET", permission), ("POST", permission)]


# A well-formed body for each API write, so that what is checked is access, not the body's shape.
API_BODIES: dict[str, dict[str, Any]] = {
    "api:create_inspection": {"area": "E10000012", "framework": "area-send-2023"},
    "api:list_inspections": {"area": "E10000012", "framework": "area-send-2023"},  # the same path
    "api:move_inspection": {"target": "closed"},
    "api:postpone_inspection": {"reason": "The area asked", "planned_for": "2099-01-05"},
    "api:record_event": {"name": "published", "on": "2020-01-06"},
    "api:record_outcome": {"outcome": "wsoa_required"},
    "api:add_finding": {"kind": "significant_weakness", "text": "A weakness", "responsible": []},
    "api:add_sign_off": {"inspectorate": "Ofsted"},
    "api:assign_team_member": {"username": "demo-viewer", "role": "lead_hmi"},
    "api:open_plan": {"document": "wsoa"},
    "api:submit_plan": {"submitted_on": "2020-03-02"},
    "api:review_plan": {"judgement": "fit_for_purpose", "reviewed_on": "2020-03-09"},
    "api:add_plan_action": {"text": "Act", "owner": "0", "due_on": "2021-01-04"},
    "api:progress_action": {"status": "complete"},
    "api:schedule_visit": {"visit": "revisit"},
    "api:correct_judgement": {"judgement": "insufficient_progress", "reason": "Moderation"},
    "api:correct_overall": {"judgement": "sufficient_in_some", "reason": "Moderation"},
}


def _request(
    client: Client, method: str, path: str, headers: dict[str, str], api: bool, body: dict[str, Any]
) -> int:
    with transaction.atomic():
        if method == "GET":
            response = client.get(path, headers=headers)
        elif method == "DELETE":
            response = client.delete(path, headers=headers)
        elif api:
            response = client.post(path, data=body, content_type="application/json", headers=headers)
        else:
            response = client.post(path, {}, headers=headers)
        transaction.set_rollback(True)
    return int(response.status_code)


@pytest.mark.django_db
def test_every_route_as_every_role(monkeypatch: pytest.MonkeyPatch) -> None:
    from areasend.datapack import exports

    # Rendering the PDF (seconds each, tested in the data pack's own tests) is not what is checked here.
    monkeypatch.setattr(
        exports, "pdf_bytes", lambda pack, lines=(), inspection=None: b"%PDF-1.7 (not rendered here)"
    )
    world = _world()
    routes = [r for r in all_routes() if r.permission and not r.permission.startswith("none")]
    visits = 0
    failures: list[str] = []
    for role in ROLES:
        user = world["users"][role]
        client = Client()
        if user is not None:
            client.force_login(user)
            scope_of(user)  # read the scope once, as a request would
        for route in routes:
            api = route.pattern.startswith("api/")
            pairs = [("GET", PUBLIC)] if route.permission == PUBLIC else _methods(route.permission or "")
            values = _api_pk(route.pattern, world["values"], world) if api else world["values"]
            path = _path(route.pattern, values)
            for method, permission in pairs:
                headers = api_headers(user) if (api and user is not None) else {}
                body = API_BODIES.get(route.name, {})
                status = _request(client, method, path, headers, api, body)
                visits += 1
                where = f"{role} {method} {path} ({route.name}) -> {status}"
                if status >= 500:
                    failures.append(f"server error: {where}")
                    continue
                if api and status == 422:
                    failures.append(f"the crawl's body is not well formed: {where}")
                    continue
                if permission in {PUBLIC, "public"}:
                    continue
                if user is None:
                    if status not in ({401} if api else {302}):
                        failures.append(f"anonymous not sent to sign in: {where}")
                    continue
                if not has_permission(user, permission):
                    if status != 403:
                        failures.append(f"missing permission {permission} not refused: {where}")
                    continue
                hidden = role in CANNOT_SEE_THE_INSPECTION and _is_inspection_route(route.pattern)
                if hidden and status != 404:
                    failures.append(f"inspection out of scope not hidden: {where}")
    assert failures == [], "\n".join(failures)
    per_role = visits // len(ROLES)
    assert per_role >= len(routes)  # every route, at least one method, for every role
    assert visits == per_role * len(ROLES)


def _is_inspection_route(pattern: str) -> bool:
    return bool(
        re.match(r"(api/)?(inspections/<[^>]+>|plans/|actions/|visits/|findings/|submissions/)", pattern)
    )


CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[A-Z][a-z]+_[a-z]+\b")
PAGES_WITHOUT_CODES = (
    "inspections/",
    "deadlines/",
    "areas/<str:ons_code>/",
    "",
    "frameworks/<str:framework_id>/",
    "national/",
)


@pytest.mark.django_db
def test_no_internal_code_shows_on_the_pages_each_role_works_from() -> None:
    from selectolax.lexbor import LexborHTMLParser

    world = _world()
    paths = [_path(r.pattern, world["values"]) for r in all_routes() if _shows_work(r.pattern, r.permission)]
    assert len(paths) >= 5
    assert sum(1 for path in paths if "/events/" in path or "/findings/" in path) == 2
    found: list[str] = []
    for role in ("demo-admin", "demo-lead-inspector", "demo-area-officer", "demo-viewer"):
        client = Client()
        client.force_login(world["users"][role])
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                continue
            tree = LexborHTMLParser(response.content.decode())
            for node in tree.css("script, style, code"):
                node.decompose()
            text = tree.body.text(separator=" ") if tree.body else ""
            codes = sorted(set(CODE.findall(text)))
            if codes:
                found.append(f"{role} {path}: {codes}")
    assert found == [], "\n".join(found)


def _shows_work(pattern: str, permission: str | None) -> bool:
    """The pages of inspections, deadlines, areas and national figures a role reads (not forms,
    downloads or the API)."""
    if pattern.startswith("api/") or not permission or "change" in permission or "create" in permission:
        return False
    return pattern in PAGES_WITHOUT_CODES or bool(
        re.fullmatch(r"inspections/<int:pk>/", pattern) or RECORD_PAGE.fullmatch(pattern)
    )


# The page of one recorded thing: a date or decision, a finding, a submission, an action, a judgement.
RECORD_PAGE = re.compile(
    r"inspections/<int:pk>/(events/<str:name>|findings/<int:finding_pk>"
    r"|plans/<int:plan_pk>/(submissions/<int:submission_pk>|actions/<int:action_pk>)"
    r"|visits/<int:visit_pk>/(judgements/<int:finding_pk>|overall))/"
)
