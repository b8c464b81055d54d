"""Each role walks its main task on a phone-sized screen (375 pixels wide), then every page it can reach
by following links: no page shows an internal code (a framework key such as `fit_for_purpose`) where
the framework's own words belong, and no page is wider than the screen (a wide table scrolls inside its
own named, focusable region instead)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from playwright.sync_api import expect

from areasend.core.demo import DEMO_PASSWORD

from .fixtures import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
# a key of a framework file: snake_case, or a state written like `Follow_up`
CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[A-Z][a-z]+_[a-z]+\b")
SKIP_SUFFIXES = (".ics", "/pdf/", "/xlsx/", "/sign-out/")
# Links to pages (a link marked `download` is a file, not a page).
LINKS = "a[href]:not([download])"
MAX_PAGES = 45

# What the page says to its reader: code shown on purpose (<code>, as on the framework page's list of
# the names the API takes) and scripts are not text.
TEXT = """() => {
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll('script, style, code').forEach(e => e.remove());
    return copy.innerText;
}"""
TOO_WIDE = """() => document.documentElement.scrollWidth > window.innerWidth"""
# every table is inside a scrolling region that is named and can take the keyboard's focus
TABLES_OUTSIDE_A_REGION = """() => [...document.querySelectorAll('table')].filter(t => {
    const region = t.closest('.app-table-scroll');
    return region === null || region.getAttribute('role') !== 'region'
        || region.getAttribute('tabindex') !== '0' || !region.getAttribute('aria-label');
}).length"""


class Walk:
    """The pages one role has seen, with what was wrong on each."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        self.problems: list[str] = []
        self.seen: list[str] = []

    def check(self) -> None:
        path = urlparse(self.page.url).path
        self.seen.append(path)
        codes = sorted(set(CODE.findall(self.page.evaluate(TEXT))))
        if codes:
            self.problems.append(f"{path}: internal codes {codes}")
        if self.page.evaluate(TOO_WIDE):
            width = self.page.evaluate("document.documentElement.scrollWidth")
            self.problems.append(f"{path}: {width} pixels wide on a 375-pixel screen")
        outside = self.page.evaluate(TABLES_OUTSIDE_A_REGION)
        if outside:
            self.problems.append(f"{path}: {outside} tables outside a named, focusable scrolling region")

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        self.check()

    def click(self, text: str) -> None:
        """Follow the link (or press the button) with this text, as the user would."""
        self.page.get_by_role("link", name=text, exact=False).first.click()
        self.page.wait_for_load_state()
        self.check()

    def crawl(self, start: list[str]) -> None:
        """Every page reachable by links from `start` (two of each shape of address)."""
        queue, visited, shapes = list(start), set(), {}  # type: ignore[var-annotated]
        while queue and len(visited) < MAX_PAGES:
            path = queue.pop(0)
            shape = re.sub(r"[^/]*\d[^/]*", "#", path.split("?")[0])
            if path in visited or shapes.get(shape, 0) >= 2:
                continue
            visited.add(path)
            shapes[shape] = shapes.get(shape, 0) + 1
            response = self.page.goto(self.base + path)
            if response is None or response.status != 200:
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            self.check()
            for href in self.page.eval_on_selector_all(LINKS, "els => els.map(e => e.getAttribute('href'))"):
                href = urldefrag(href)[0]
                parsed = urlparse(href)
                if parsed.scheme or parsed.netloc or not href.startswith("/") or href.startswith("/static/"):
                    continue
                if href.startswith("/api/") or parsed.path.endswith(SKIP_SUFFIXES):
                    continue
                queue.append(href)


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(bypass_csp=True, viewport=PHONE)
    yield context.new_page()
    context.close()


def _walk(phone: Any, demo_server: str, username: str) -> Walk:
    sign_in(phone, demo_server, username, DEMO_PASSWORD)
    walk = Walk(phone, demo_server)
    walk.check()
    return walk


def test_administrator_manages_users_and_the_programme(phone: Any, demo_server: str) -> None:
    walk = _walk(phone, demo_server, "demo-admin")
    walk.open("/users/")
    walk.click("demo-lead-inspector")
    expect(phone.locator("h1")).to_contain_text("demo-lead-inspector")
    walk.open("/inspections/")
    walk.click("Essex")
    walk.click("Assign a team member")
    walk.open("/deadlines/")
    walk.open("/audit/")
    walk.crawl(["/", "/inspections/", "/frameworks/"])
    assert len(walk.seen) >= 20
    assert walk.problems == [], "\n".join(walk.problems)


def test_lead_inspector_prepares_and_records_the_inspection(phone: Any, demo_server: str) -> None:
    walk = _walk(phone, demo_server, "demo-lead-inspector")
    walk.open("/inspections/")
    walk.click("Essex")
    inspection = urlparse(phone.url).path
    walk.click("Open the data pack")
    expect(phone.locator("h1")).to_contain_text("Essex")
    walk.open(inspection)
    walk.click("Add a private note")
    phone.fill("textarea", "Ask the designated clinical officer about waiting times for therapies.")
    phone.get_by_role("button").last.click()
    phone.wait_for_load_state()
    walk.check()
    expect(phone.locator("main")).to_contain_text("waiting times for therapies")
    walk.crawl([inspection, "/deadlines/", "/frameworks/"])
    assert len(walk.seen) >= 15
    assert walk.problems == [], "\n".join(walk.problems)


def test_cqc_inspector_reads_the_inspection_and_its_sign_off(phone: Any, demo_server: str) -> None:
    walk = _walk(phone, demo_server, "demo-cqc-inspector")
    walk.open("/inspections/")
    walk.click("Essex")
    walk.click("Sign off the report")
    walk.crawl(["/inspections/", "/deadlines/"])
    assert walk.problems == [], "\n".join(walk.problems)


def test_area_officer_follows_their_area_s_plan_and_data_pack(phone: Any, demo_server: str) -> None:
    walk = _walk(phone, demo_server, "demo-area-officer")
    walk.open("/inspections/")
    walk.click("Essex")
    walk.open("/areas/E10000012/")
    walk.open("/areas/E10000012/data-pack/")
    walk.open("/deadlines/")
    walk.crawl(["/", "/inspections/", "/frameworks/"])
    assert len(walk.seen) >= 10
    assert walk.problems == [], "\n".join(walk.problems)


def test_viewer_reads_areas_inspections_data_packs_and_national_figures(phone: Any, demo_server: str) -> None:
    walk = _walk(phone, demo_server, "demo-viewer")
    walk.open("/areas/")
    walk.click("Essex")
    walk.open("/inspections/")
    walk.click("Essex")
    walk.click("Open the data pack")
    walk.open("/")
    phone.locator("main").get_by_role("link", name="National figures").click()  # the home page's list
    phone.wait_for_load_state()
    walk.check()
    expect(phone.locator("h1")).to_have_text("National figures")
    expect(phone.locator("main svg[role=img]").first).to_have_attribute(
        "aria-label", re.compile(r"2016: \d+")
    )
    phone.fill("#id_from_year", "2023")
    phone.get_by_role("button", name="Show figures").click()
    phone.wait_for_load_state()
    walk.check()
    expect(phone.locator("#as-of")).to_contain_text("years before 2023 are left out")
    walk.crawl(["/", "/areas/E10000012/", "/frameworks/", "/national/"])
    assert len(walk.seen) >= 10
    assert walk.problems == [], "\n".join(walk.problems)


def test_a_wide_table_scrolls_in_its_region_from_the_keyboard(phone: Any, demo_server: str) -> None:
    sign_in(phone, demo_server, "demo-admin", DEMO_PASSWORD)
    phone.goto(f"{demo_server}/deadlines/")
    region = phone.locator(".app-table-scroll").first
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the deadlines table fits: nothing to test"
    assert not phone.evaluate(TOO_WIDE)
    region.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    # Chromium animates keyboard scrolling: wait for the region to move rather than read it at once.
    phone.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle(), timeout=10000)
    assert region.evaluate("r => r.scrollLeft") > 0
