"""Fixtures shared by every app's tests."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from areasend.accounts.services import api_token_create, user_create


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test database starts with the real register of local areas and its history loaded."""
    from areasend.areas.services import areas_import
    from areasend.history.services import history_import

    with django_db_blocker.unblock():
        areas_import()
        history_import()


class _PageChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.in_title = False
        self.title = ""
        self.h1_count = 0
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.h1_count += 1
        if tag == "html":
            self.lang = found.get("lang")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def check_page(response: Any) -> _PageChecker:
    """Every HTML page: a GOV.UK title, one h1, unique ids, a language."""
    assert response["Content-Type"].startswith("text/html")
    checker = _PageChecker()
    checker.feed(response.content.decode())
    title = " ".join(checker.title.split())
    assert title.endswith("– Area SEND inspections – GOV.UK"), title
    assert checker.h1_count == 1, f"{checker.h1_count} h1 elements on {title}"
    duplicates = {i for i in checker.ids if checker.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids {duplicates} on {title}"
    assert checker.lang == "en"
    return checker


class PageClient(Client):
    """A test client whose HTML responses are checked like every page a user sees."""

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
    username: str, role: str, area_code: str | None = None, password: str = "correct-horse-9"
) -> Any:
    from areasend.areas.models import LocalArea

    area = LocalArea.objects.get(ons_code=area_code) if area_code else None
    return user_create(username=username, role=role, area=area, password=password)


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
    return {fv.framework_id: fv for fv in FrameworkVersion.objects.order_by("framework_id", "-version")}


@pytest.fixture
def team(db: None) -> dict[str, Any]:
    return {
        "admin": make_user("programme-admin", "administrator"),
        "lead": make_user("lead-hmi", "inspector"),
        "cqc": make_user("cqc-inspector", "inspector"),
        "social": make_user("social-care-inspector", "inspector"),
        "other_inspector": make_user("other-inspector", "inspector"),
        "officer": make_user("essex-officer", "area_officer", "E10000012"),
        "kent_officer": make_user("kent-officer", "area_officer", "E10000016"),
        "viewer": make_user("dfe-viewer", "viewer"),
    }
