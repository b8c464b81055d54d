"""The input layer: characters no record may hold, over-long text and impossible dates are refused
with a message (400 or a form error), never a server error, whoever sends them."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError

from areasend.conftest import api_headers, signed_in
from areasend.core.api_types import SensibleDate, Title
from areasend.core.inputs import (
    BROKEN_UNICODE,
    CONTROL_CHARACTER,
    REQUEST_REFUSED,
    date_problem,
    text_problem,
)


def test_text_and_date_checks() -> None:
    assert text_problem("An ordinary title, with – dashes and é") is None
    assert text_problem("tab\tand\nnew line\r\n") is None
    assert text_problem("nul\x00") == CONTROL_CHARACTER.format(field="The text")
    assert text_problem("bell\x07") == CONTROL_CHARACTER.format(field="The text")
    assert text_problem("half \ud800 a pair") == BROKEN_UNICODE.format(field="The text")
    assert text_problem("x" * 201, limit=200) == "The text must be 200 characters or fewer (it has 201)"
    assert date_problem(dt.date(2025, 9, 8)) is None
    assert date_problem(dt.date(1, 1, 1)) == "The date must be between 1 January 2000 and 31 December 2100"
    assert date_problem(dt.date(9999, 12, 31)) is not None


def test_api_types_refuse_what_cannot_be_stored() -> None:
    assert TypeAdapter(Title).validate_python("Essex") == "Essex"
    for bad in ("x" * 201, "a\x00b"):
        with pytest.raises(ValidationError):
            TypeAdapter(Title).validate_python(bad)
    with pytest.raises(ValidationError, match="between 1 January 2000"):
        TypeAdapter(SensibleDate).validate_python("9999-12-30")


@pytest.mark.django_db
def test_requests_carrying_nul_or_surrogates_get_a_400_with_a_message(client, admin_user) -> None:  # type: ignore[no-untyped-def]
    # unauthenticated, in the path
    response = client.get("/calendar/x%00.ics")
    assert response.status_code == 400
    assert (
        REQUEST_REFUSED.format(problem=CONTROL_CHARACTER.format(field="the address"))
        in response.content.decode()
    )
    # in the query
    assert client.get("/areas/?q=%00").status_code == 400
    # in a form field, signed in
    signed_in(client, admin_user)
    response = client.post("/inspections/new/", {"title": "bad\x01title"})
    assert response.status_code == 400
    # in JSON, including an escaped lone surrogate
    headers = api_headers(admin_user)
    response = client.post(
        "/api/inspections",
        data='{"area": "E10000012", "framework": "area-send-2023", "title": "\\ud800"}',
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": REQUEST_REFUSED.format(problem=BROKEN_UNICODE.format(field="A field"))
    }


@pytest.mark.django_db
def test_impossible_dates_and_over_long_text_are_refused_by_pages_and_api(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from areasend.areas.models import LocalArea
    from areasend.inspections import services
    from areasend.inspections.models import InspectionEvent

    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["area-send-2023"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    page = signed_in(Client(), team["lead"])
    for day in ("1/1/0001", "31/12/9999", "1/1/1999"):
        response = page.post(f"/inspections/{inspection.pk}/events/", {"name": "notified", "on": day})
        assert response.status_code == 200
        assert "must be between 1 January 2000 and 31 December 2100" in response.content.decode()
    headers = api_headers(team["lead"])
    api = Client()
    for body in (
        {"name": "notified", "on": "9999-12-31"},
        {"name": "notified", "on": "0001-01-01"},
        {"name": "x" * 101, "on": "2025-09-08"},
    ):
        response = api.post(
            f"/api/inspections/{inspection.pk}/events",
            data=body,
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 422, body
    response = api.post(
        "/api/inspections",
        data={"area": "E10000012", "framework": "area-send-2023", "title": "t" * 201},
        content_type="application/json",
        headers=api_headers(team["admin"]),
    )
    assert response.status_code == 422 and "200 characters or fewer" in response.content.decode()
    assert not InspectionEvent.objects.filter(inspection=inspection).exists()
