"""Pages that enter an inspection's dates: a date the rules refuse is an error beside its field; a
valid date the timeline warns about is not saved at first: the page lists the warnings, keeps what
was typed and offers "Save anyway", which saves it. A date with no warnings is saved at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.areas.models import LocalArea
from areasend.conftest import PageClient, check_page, signed_in
from areasend.core.pages import CONFIRM_FIELD, SAVE_ANYWAY
from areasend.core.tests.page_checker import text_of
from areasend.inspections import dates, services
from areasend.inspections.models import Inspection

D = dt.date
SATURDAY = "6/12/2025"  # puts "Monday of week 3" on a Friday and the on-site week over Christmas


def _inspection(frameworks: Any, team: dict[str, Any]) -> Inspection:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks["area-send-2023"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    return inspection


def _client(user: Any) -> PageClient:
    client = PageClient()
    signed_in(client, user)
    return client


def _warned(response: Any) -> Any:
    """The page shown instead of saving: no error, the warnings, and a Save anyway button."""
    assert response.status_code == 200
    page = check_page(response)
    assert not page.title.startswith("Error: ")
    assert page.exists("#warnings-before-saving")
    assert text_of(page.select_one(f'button[name="{CONFIRM_FIELD}"]')) == SAVE_ANYWAY
    return page


def _token(page: Any) -> str:
    token = page.select_one(f'button[name="{CONFIRM_FIELD}"]').attributes["value"]
    assert token
    return str(token)


@pytest.mark.django_db
def test_a_saturday_notification_warns_and_is_saved_only_when_confirmed(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team)
    lead = _client(team["lead"])
    url = f"/inspections/{inspection.pk}/move/notified/"
    version = inspection.version
    page = _warned(lead.post(url, {"on": SATURDAY, "version": version}))
    warnings = page.texts("#warnings-before-saving li")
    assert any("2025-12-06 (Saturday); the framework expects notification on a Monday" in w for w in warnings)
    assert any("Christmas holiday 2025/26" in w for w in warnings)
    assert page.select_one('input[name="on"]').attributes["value"] == SATURDAY  # what was typed is kept
    assert page.select_one('input[name="version"]').attributes["value"] == str(version)
    inspection.refresh_from_db()
    assert (inspection.state, inspection.version, inspection.events.count()) == ("planned", version, 0)
    # a confirmation of other warnings (the date was changed since) shows the new ones instead
    stale = lead.post(url, {"on": "13/12/2025", "version": version, CONFIRM_FIELD: _token(page)})
    assert _token(_warned(stale)) != _token(page)
    assert inspection.events.count() == 0
    saved = lead.post(url, {"on": SATURDAY, "version": version, CONFIRM_FIELD: _token(page)})
    assert saved.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == "notified"
    assert services.inspection_events(inspection) == {"notified": D(2025, 12, 6)}


@pytest.mark.django_db
def test_a_date_without_warnings_is_saved_at_once(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team)
    lead = _client(team["lead"])
    saved = lead.post(f"/inspections/{inspection.pk}/move/notified/", {"on": "3/3/2025"})
    assert saved.status_code == 302
    saved = lead.post(f"/inspections/{inspection.pk}/events/", {"name": "on_site_start", "on": "17/3/2025"})
    assert saved.status_code == 302
    assert services.inspection_events(inspection) == {
        "notified": D(2025, 3, 3),
        "on_site_start": D(2025, 3, 17),
    }


@pytest.mark.django_db
def test_the_event_form_warns_about_a_date_off_the_timetable_then_saves_it(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team)
    services.event_record(inspection=inspection, name="notified", on=D(2025, 3, 3), actor=team["lead"])
    lead = _client(team["lead"])
    url = f"/inspections/{inspection.pk}/events/"
    posted = {"name": "on_site_start", "on": "19/3/2025"}
    page = _warned(lead.post(url, posted))
    assert page.texts("#warnings-before-saving li") == [
        "First day on site is 2025-03-19, but the framework's timetable puts it on 2025-03-17 "
        "(10 working days after notified)"
    ]
    assert page.select_one('select[name="name"] option[selected]').attributes["value"] == "on_site_start"
    assert "on_site_start" not in services.inspection_events(inspection)
    assert lead.post(url, {**posted, CONFIRM_FIELD: _token(page)}).status_code == 302
    assert services.inspection_events(inspection)["on_site_start"] == D(2025, 3, 19)


@pytest.mark.django_db
def test_a_refused_date_is_an_error_beside_its_field(frameworks, team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dates, "today", lambda: D(2025, 6, 2))
    inspection = _inspection(frameworks, team)
    services.event_record(inspection=inspection, name="notified", on=D(2025, 3, 3), actor=team["lead"])
    lead = _client(team["lead"])
    url = f"/inspections/{inspection.pk}/events/"
    for posted, message in (
        (
            {"name": "on_site_end", "on": "28/2/2025"},
            dates.EVENT_BEFORE.format(
                event="Last day on site",
                date="28 February 2025",
                other="partnership notified of the inspection",
                other_date="3 March 2025",
            ),
        ),
        (
            {"name": "published", "on": "3/6/2025"},
            dates.EVENT_IN_FUTURE.format(event="Report published", date="3 June 2025", today="2 June 2025"),
        ),
    ):
        response = lead.post(url, posted)
        assert response.status_code == 200
        page = check_page(response)
        assert page.title.startswith("Error: ")
        assert page.texts(".govuk-error-summary__list li") == [message]
        assert page.text("#id_on-error").endswith(message)
        assert not page.exists("#warnings-before-saving")
    assert services.inspection_events(inspection) == {"notified": D(2025, 3, 3)}


@pytest.mark.django_db
def test_the_framework_page_shows_each_event_s_date_rules(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    response = _client(team["admin"]).get(reverse("frameworks:detail", args=["area-send-2023"]))
    assert response.status_code == 200
    described = check_page(response).texts("dd")
    # the partnership receives the final report before it is published (ADR 26)
    assert (
        "Report published (not before last day on site or partnership received the final inspection "
        "report; not in the future)" in described
    )
    assert (
        "First day on site (not before partnership notified of the inspection or off-site fieldwork started)"
        in described
    )
