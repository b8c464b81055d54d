"""Fixtures shared by every app's tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from areasend.accounts.services import api_token_create, user_create
from areasend.core.tests.page_checker import check_page as check_page


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test database starts with the real register of local areas and its history loaded.

    A test with real commits (`django_db(transaction=True)`) empties the database when it ends; one
    that also asks for `serialized_rollback=True` gets this starting data back before it runs, because
    the copy Django restores from is taken again here, after the register is loaded.
    """
    from django.db import connections

    from areasend.areas.services import areas_import
    from areasend.history.services import history_import

    with django_db_blocker.unblock():
        areas_import()
        history_import()
        for connection in connections.all():
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


def on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


ON_SQLITE = (
    "Concurrent writers need PostgreSQL: SQLite lets one writer in at a time, so requests never overlap."
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `postgres` (concurrent requests) run only when the database is PostgreSQL."""
    if on_postgresql():
        return
    skip = pytest.mark.skip(reason=ON_SQLITE)
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


class PageClient(Client):
    """A test client whose HTML responses are checked like every page a user sees.

    Each checked response carries its parsed page as `response.page` (also what `check_page` returns).
    """

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        if response.status_code in (200, 400, 403, 404) and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            check_page(response)
        return response


@pytest.fixture
def page_client() -> PageClient:
    return PageClient()


def make_user(
    username: str,
    role: str,
    area_code: str | None = None,
    password: str = "correct-horse-9",
    grade: str | None = None,
) -> Any:
    """A user with one role. An inspector is an Ofsted HMI unless `grade` says otherwise ('' for none)."""
    from areasend.areas.models import LocalArea

    area = LocalArea.objects.get(ons_code=area_code) if area_code else None
    if grade is None:
        grade = "hmi" if role == "inspector" else ""
    return user_create(username=username, role=role, area=area, password=password, grade=grade)


@pytest.fixture
def admin_user(db: None) -> Any:
    return make_user("admin", "administrator")


@pytest.fixture
def essex_officer(db: None) -> Any:
    return make_user("essex-officer", "area_officer", "E10000012")


@pytest.fixture
def viewer(db: None) -> Any:
    return make_user("viewer", "viewer")


@pytest.fixture
def inspector(db: None) -> Any:
    return make_user("inspector", "inspector")


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def api_headers(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user)}"}


# --- inspections: the shipped frameworks and a team of users (used by every app built on inspections) ---


@pytest.fixture
def frameworks(db: None) -> dict[str, Any]:
    from areasend.frameworks.models import FrameworkVersion
    from areasend.frameworks.services import load_shipped_frameworks

    load_shipped_frameworks()
    # each framework's latest version (of its latest edition: ADR 26)
    return {fv.framework_id: fv for fv in FrameworkVersion.objects.order_by("framework_id", "version")}


@pytest.fixture
def team(db: None) -> dict[str, Any]:
    return {
        "admin": make_user("programme-admin", "administrator"),
        "lead": make_user("lead-hmi", "inspector"),
        "cqc": make_user("cqc-inspector", "inspector", grade="cqc_inspector"),
        "social": make_user("social-care-inspector", "inspector", grade="social_care_inspector"),
        "other_inspector": make_user("other-inspector", "inspector"),
        "officer": make_user("essex-officer", "area_officer", "E10000012"),
        "kent_officer": make_user("kent-officer", "area_officer", "E10000016"),
        "viewer": make_user("dfe-viewer", "viewer"),
    }


def walk_to(inspection: Any, target: str, actor: Any, *, notified: Any = None) -> Any:
    """Move an inspection through its framework's lifecycle to `target`, as its lead would: the
    shortest way along the transitions, each stage's date on the framework's timetable from the
    notification (the one recorded, else `notified`, else Monday 23 September 2019). The outcome,
    findings and sign-offs the later stages need are the caller's to record on the way."""
    import datetime as dt
    from collections import deque

    from areasend.domain.calendar import default_calendar
    from areasend.inspections import services
    from areasend.inspections.frameworks import framework_of

    framework = framework_of(inspection)
    calendar = default_calendar()
    timetable = framework.timetable
    recorded = services.inspection_events(inspection).get(timetable.notification_event)
    start = notified or (recorded if isinstance(recorded, dt.date) else dt.date(2019, 9, 23))
    dates = {timetable.notification_event: start}
    for deadline in framework.deadlines:
        if (
            deadline.event
            and deadline.from_ == timetable.notification_event
            and deadline.unit == "working_days"
        ):
            dates.setdefault(deadline.event, calendar.add_working_days(start, deadline.value))
    on_site = dates.get(timetable.on_site_start_event, calendar.add_working_days(start, 5))
    dates[timetable.on_site_start_event] = on_site
    dates[timetable.on_site_end_event] = calendar.add_working_days(on_site, timetable.on_site_days - 1)
    paths = {inspection.state: [inspection.state]}
    queue = deque([inspection.state])
    while queue and target not in paths:
        here = queue.popleft()
        for move in framework.lifecycle.transitions:
            if move.from_ == here and move.to not in paths:
                paths[move.to] = [*paths[here], move.to]
                queue.append(move.to)
    for state in paths[target][1:]:
        stage = framework.state(state)
        event = stage.requires_event if stage is not None else None
        on = dates.get(event) if event else None
        services.inspection_move(inspection=inspection, target=state, on=on, actor=actor)
    return inspection
