"""Sign in, open the area list and an area page, and check each with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from areasend.core.demo import DEMO_PASSWORD

from .fixtures import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_page_is_accessible(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/sign-in/")
    expect(page).to_have_title("Sign in – Area SEND inspections – GOV.UK")
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").startswith(
        '"GDS Transport"'
    )
    assert axe_violations(page) == []


def test_sign_in_error_summary_is_accessible(page: Any, demo_server: str) -> None:
    sign_in(page, demo_server, "demo-viewer", "not-the-password")
    expect(page).to_have_title("Error: Sign in – Area SEND inspections – GOV.UK")
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []


def test_viewer_browses_areas(page: Any, demo_server: str) -> None:
    sign_in(page, demo_server, "demo-viewer", DEMO_PASSWORD)
    expect(page).to_have_title("Home – Area SEND inspections – GOV.UK")
    assert axe_violations(page) == []

    page.click(".govuk-service-navigation__link:text-is('Areas')")
    expect(page).to_have_title("Local areas – Area SEND inspections – GOV.UK")
    expect(page.locator("#area-count")).to_contain_text("153 areas")
    assert axe_violations(page) == []

    page.select_option("#id_region", "East of England")
    page.click("text=Apply filter")
    expect(page.locator("#area-count")).to_contain_text("11 areas")
    page.click("a:text-is('Essex')")
    expect(page).to_have_title("Essex – Area SEND inspections – GOV.UK")
    codes = page.locator("#area-codes").inner_text()
    assert "E10000012" in codes and "881" in codes and "East of England" in codes
    assert page.locator("#statistical-neighbours tbody tr").count() == 10
    assert axe_violations(page) == []


def test_area_officer_cannot_open_another_area(page: Any, demo_server: str) -> None:
    sign_in(page, demo_server, "demo-area-officer", DEMO_PASSWORD)
    response = page.goto(f"{demo_server}/areas/E10000016/")
    assert response.status == 404
    expect(page).to_have_title("Page not found – Area SEND inspections – GOV.UK")
    assert axe_violations(page) == []
