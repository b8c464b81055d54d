"""Deny by default: every route declares its permission, and none disappears unnoticed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from areasend.core.permissions import PUBLIC, public, requires
from areasend.core.routes import all_routes, undeclared_routes

INVENTORY = Path(__file__).resolve().parents[3].parent / "docs" / "routes.txt"


def test_every_route_declares_a_permission() -> None:
    missing = undeclared_routes()
    assert not missing, "routes without a declared permission: " + ", ".join(r.pattern for r in missing)


def _undeclared(request: object) -> HttpResponse:
    return HttpResponse("no permission declared")


@public
def _open(request: object) -> HttpResponse:
    return HttpResponse("ok")


@requires("areas.view")
def _guarded(request: object) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("undeclared/", _undeclared, name="undeclared"),
    path("open/", _open, name="open"),
    path("guarded/", _guarded, name="guarded"),
    path("", include("areasend.accounts.urls")),
]


def test_the_check_fails_on_a_view_without_a_declared_permission() -> None:
    found = undeclared_routes(urlconf=__name__)
    assert [r.pattern for r in found] == ["undeclared/"]
    declared = {r.pattern: r.permission for r in all_routes(urlconf=__name__)}
    assert {k: declared[k] for k in ("undeclared/", "open/", "guarded/")} == {
        "undeclared/": None,
        "open/": PUBLIC,
        "guarded/": "areas.view",
    }


def test_api_operations_are_checked_too() -> None:
    routes = {r.name: r.permission for r in all_routes()}
    assert routes["api:list_areas"] == "GET areas.view"
    assert routes["api:openapi-json"] == PUBLIC


def test_requires_refuses_to_declare_public() -> None:
    with pytest.raises(ValueError):
        requires(PUBLIC)


def test_route_inventory_is_current() -> None:
    """docs/routes.txt lists every route; removing one must be a deliberate change to that file."""
    current = sorted(f"{r.pattern}\t{r.name}\t{r.permission}" for r in all_routes())
    committed = sorted(
        line for line in INVENTORY.read_text().splitlines() if line and not line.startswith("#")
    )
    gone = set(committed) - set(current)
    added = set(current) - set(committed)
    assert not gone, f"routes removed or changed without updating docs/routes.txt: {sorted(gone)}"
    assert not added, (
        f"new routes missing from docs/routes.txt (run `areasend routes > docs/routes.txt`): {sorted(added)}"
    )


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_undeclared_check_is_what_keeps_views_safe(client) -> None:  # type: ignore[no-untyped-def]
    # Without the route test a view like this would be open to anyone, which is why the test exists.
    assert client.get("/undeclared/").status_code == 200
    assert client.get("/guarded/").status_code == 302
