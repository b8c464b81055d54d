"""Signed-out users reach only the public routes; scoped users see only their own areas."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from areasend.conftest import api_headers, check_page, signed_in
from areasend.core.permissions import PUBLIC
from areasend.core.routes import all_routes

SAMPLE_ARGS = {"ons_code": "E10000012", "partner_id": "1"}


def _concrete(pattern: str) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_ARGS.get(m.group(1), "1"), pattern)
    return "/" + path


@pytest.mark.django_db
def test_every_private_page_redirects_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for route in all_routes():
        if route.permission == PUBLIC or route.pattern.startswith("api/"):
            continue
        url = _concrete(route.pattern)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign-in") + "?next="), url
        checked += 1
    assert checked >= 6


@pytest.mark.django_db
def test_every_api_operation_answers_401_without_a_token(client) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for route in all_routes():
        if (
            not route.pattern.startswith("api/")
            or route.permission == PUBLIC
            or "404" in (route.permission or "")
        ):
            continue
        for operation in (route.permission or "").split("; "):
            method = operation.split(" ")[0].split("/")[0].lower()
            response = getattr(client, method)(_concrete(route.pattern))
            assert response.status_code == 401, route.pattern
            response = getattr(client, method)(
                _concrete(route.pattern), headers={"Authorization": "Bearer wrong"}
            )
            assert response.status_code == 401, route.pattern
            checked += 1
    assert checked >= 2


@pytest.mark.django_db
def test_public_routes_answer_without_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").status_code == 200
    assert client.get("/sign-in/").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200


@pytest.mark.django_db
def test_area_officer_sees_only_their_area(page_client, essex_officer) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, essex_officer)
    assert page_client.get("/areas/E10000012/").status_code == 200
    assert page_client.get("/areas/E10000016/").status_code == 404  # Kent
    listing = page_client.get("/areas/")
    assert listing.status_code == 200
    assert list(listing.context["areas"].values_list("ons_code", flat=True)) == ["E10000012"]
    # Kent is shown as a neighbour's name but not linked.
    page = check_page(page_client.get("/areas/E10000012/"))
    assert "Kent" in page.texts("#statistical-neighbours td")
    assert not page.exists('a[href="/areas/E10000016/"]')


@pytest.mark.django_db
def test_area_officer_api_is_scoped(client, essex_officer) -> None:  # type: ignore[no-untyped-def]
    headers = api_headers(essex_officer)
    assert [a["ons_code"] for a in client.get("/api/areas", headers=headers).json()] == ["E10000012"]
    assert client.get("/api/areas/E10000012", headers=headers).status_code == 200
    assert client.get("/api/areas/E10000016", headers=headers).status_code == 404


@pytest.mark.django_db
def test_area_officer_cannot_change_partners(page_client, essex_officer) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, essex_officer)
    assert page_client.get("/areas/E10000012/partners/add/").status_code == 403
    assert (
        page_client.post("/areas/E10000012/partners/add/", {"kind": "other", "name": "X"}).status_code == 403
    )


@pytest.mark.django_db
def test_audit_log_is_for_administrators_only(page_client, viewer, admin_user) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, viewer)
    assert page_client.get("/audit/").status_code == 403
    signed_in(page_client, admin_user)
    response = page_client.get("/audit/")
    assert response.status_code == 200
    page = check_page(response)
    assert page.text("table caption") == "Changes, newest first"
    assert page.texts("table thead th") == ["When", "Who", "Action", "Object", "Changes", "Request"]
    assert "User created user.create" in [row[2] for row in page.rows()]  # label, then the code


@pytest.mark.django_db
def test_user_without_any_role_sees_nothing(page_client, django_user_model) -> None:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("nobody", password="correct-horse-9")
    signed_in(page_client, user)
    assert page_client.get("/").status_code == 403
    assert page_client.get("/areas/").status_code == 403


@pytest.mark.django_db
def test_audit_log_filters_and_pages(page_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from areasend.core import audit

    with transaction.atomic():
        for number in range(60):
            audit.record(actor=admin_user, action="conflict.declare", object_repr=f"thing {number}")
    signed_in(page_client, admin_user)
    page = check_page(page_client.get("/audit/", {"action": "conflict."}))
    assert len(page.rows()) == 50
    assert {row[2] for row in page.rows()} == {f"{audit.action_label('conflict.declare')} conflict.declare"}
    assert page.texts(".govuk-pagination__item") == ["1", "2"]
    assert page.select_one(".govuk-pagination a[rel=next]").attributes["href"] == "?page=2&action=conflict."
    second = check_page(page_client.get("/audit/", {"action": "conflict.", "page": "2"}))
    assert len(second.rows()) == 10 and second.exists(".govuk-pagination a[rel=prev]")
    nothing = check_page(page_client.get("/audit/", {"action": "no.such"}))
    assert nothing.rows() == [["No changes recorded."]] and not nothing.exists(".govuk-pagination")
    too_long = page_client.get("/audit/", {"action": "x" * 101})
    assert too_long.status_code == 400
    assert check_page(too_long).text("#id_action-error") == "Error: The action must be 100 characters or less"
