"""The timeliness page in a real browser on a phone-sized screen: reached from the national figures,
no accessibility violations (axe-core), no internal codes, nothing wider than the screen."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from areasend.core.demo import DEMO_PASSWORD
from areasend.core.tests.browser.fixtures import axe_violations, sign_in
from areasend.core.tests.browser.test_roles_walk import PHONE, Walk

pytestmark = pytest.mark.browser


def test_a_viewer_follows_the_national_figures_to_the_timeliness_page(browser: Any, demo_server: str) -> None:
    context = browser.new_context(bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, demo_server, "demo-viewer", DEMO_PASSWORD)
        page.goto(f"{demo_server}/national/")
        page.get_by_role("link", name="timeliness of publication").click()
        page.wait_for_load_state()
        expect(page.locator("h1")).to_have_text("Timeliness of publication")
        expect(page.locator("main svg[role=img]").first).to_have_attribute(
            "aria-label",
            re.compile(
                r"^Median working days from the last day on site to publication, 2016 to 2025\. .*2022: 53"
            ),
        )
        expect(page.locator("#table-backtest")).to_contain_text("Estimate from")
        walk = Walk(page, demo_server)
        walk.check()
        assert walk.problems == [], "\n".join(walk.problems)
        assert axe_violations(page) == []
        shot = os.environ.get("AREASEND_SCREENSHOT")
        if shot:
            page.screenshot(path=str(Path(shot)), full_page=True)
    finally:
        context.close()
