"""Every page a programme administrator can reach by following links passes axe-core."""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest

from areasend.core.demo import DEMO_PASSWORD

from .fixtures import axe_violations, sign_in

pytestmark = pytest.mark.browser

SKIP_SUFFIXES = (".ics", "/pdf/", "/xlsx/", "/sign-out/")
# Links to pages (a link marked `download` is a file, not a page).
LINKS = "a[href]:not([download])"
MAX_PAGES = 120
SAMPLE_PER_PATTERN = 2  # /areas/E06.../ has 172 siblings: two of each shape are enough


def _shape(path: str) -> str:
    return "/".join("#" if any(c.isdigit() for c in part) else part for part in path.split("/"))


@pytest.mark.parametrize("username", ["demo-admin", "demo-area-officer"])
def test_every_reachable_page_passes_axe(page: Any, demo_server: str, username: str) -> None:
    sign_in(page, demo_server, username, DEMO_PASSWORD)
    queue = ["/", "/inspections/", "/deadlines/", "/frameworks/", "/areas/E10000012/"]
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    failures: dict[str, list[dict[str, Any]]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        shape = _shape(path.split("?")[0])
        if shapes.get(shape, 0) >= SAMPLE_PER_PATTERN:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = page.goto(demo_server + path)
        visited += 1
        assert response is not None and response.status in (200, 403, 404), (
            f"{path}: {response and response.status}"
        )
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # the health check is JSON
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
        for href in page.eval_on_selector_all(LINKS, "els => els.map(e => e.getAttribute('href'))"):
            href = urldefrag(href)[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/") or href.startswith("/static/"):
                continue
            if href.startswith("/api/") or parsed.path.endswith(SKIP_SUFFIXES):  # downloads, with a query too
                continue
            if href not in seen:
                queue.append(href)
    print(f"{username}: {visited} pages checked")
    assert visited >= 15, f"only {visited} pages reached"
    assert failures == {}
