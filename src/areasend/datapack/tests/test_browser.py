"""The data pack page in Chromium: it renders its charts and passes axe-core (WCAG 2.2 A and AA)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from areasend.core.demo import DEMO_PASSWORD
from areasend.core.tests.browser.fixtures import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_viewer_reads_a_data_pack_that_passes_axe(page: Any, demo_server: str) -> None:
    sign_in(page, demo_server, "demo-viewer", DEMO_PASSWORD)
    page.goto(f"{demo_server}/areas/E10000012/")
    page.click("text=View the pre-inspection data pack for Essex")
    expect(page).to_have_title("Data pack – Essex – Area SEND inspections – GOV.UK")
    chart = page.locator("#chart-new-plans-20wk-incl-exc-pct")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 300
    assert page.locator("svg.app-chart").count() >= 20
    assert axe_violations(page) == []
