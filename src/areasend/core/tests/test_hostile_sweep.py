"""Hostile values sent to every route of the inventory: every form field and every API body field in
turn gets text that cannot be stored, text far too long, impossible dates, wrong types. Nothing may
answer with a server error; every write is rolled back so each request meets the same data."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from areasend.conftest import api_headers
from areasend.core.routes import all_routes

from .test_access_crawl import API_BODIES, _api_pk, _methods, _path, _world

HOSTILE_TEXT = [
    "nul\x00byte",
    "bell\x07",
    "x" * 20_001,
    "<script>alert(1)</script>",
    "'; DROP TABLE inspections_inspection; --",
    "0001-01-01",
    "9999-12-31",
    "31/02/2025",
    "-1",
    "99999999999999999999",
    "",
]
HOSTILE_JSON: list[Any] = [
    None,
    12,
    -1,
    10**30,
    1.5,
    True,
    [],
    {},
    "x" * 20_001,
    "9999-12-31",
    "0001-01-01",
    "\x00",
]


def _field_names(client: Client, path: str) -> list[str]:
    response = client.get(path)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    tree = HTMLParser(response.content.decode())
    names = []
    for node in tree.css("form[method=post] input, form[method=post] select, form[method=post] textarea"):
        name = node.attributes.get("name")
        if name and name != "csrfmiddlewaretoken" and name not in names:
            names.append(name)
    return names


def _post(client: Client, path: str, **kwargs: Any) -> int:
    with transaction.atomic():
        response = client.post(path, **kwargs)
        transaction.set_rollback(True)
    return int(response.status_code)


@pytest.mark.django_db
def test_no_hostile_value_gives_a_server_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from areasend.datapack import exports

    monkeypatch.setattr(
        exports, "pdf_bytes", lambda pack, lines=(), inspection=None: b"%PDF-1.7 (not rendered here)"
    )
    world = _world()
    admin = world["users"]["demo-admin"]
    client = Client()
    client.force_login(admin)
    headers = api_headers(admin)
    failures: list[str] = []
    sent = 0
    routes = [r for r in all_routes() if r.permission and not r.permission.startswith("none")]
    for route in routes:
        api = route.pattern.startswith("api/")
        values = _api_pk(route.pattern, world["values"], world) if api else world["values"]
        path = _path(route.pattern, values)
        methods = (
            {m for m, _ in _methods(route.permission or "")} if route.permission != "public" else {"GET"}
        )
        if api:
            if "POST" not in methods:
                for value in HOSTILE_TEXT[:4]:
                    status = client.get(path, {"q": value}, headers=headers).status_code
                    sent += 1
                    if status >= 500:
                        failures.append(f"GET {path}?q={value[:20]!r} -> {status}")
                continue
            body = API_BODIES.get(route.name, {})
            for field in body or {"anything": None}:
                for value in HOSTILE_JSON:
                    status = _post(
                        client,
                        path,
                        data={**body, field: value},
                        content_type="application/json",
                        headers=headers,
                    )
                    sent += 1
                    if status >= 500:
                        failures.append(f"POST {path} {field}={value!r:.30} -> {status}")
            for raw in ("{", "[1, 2", '{"a": "\\ud800"}', "null", '"text"'):
                status = _post(client, path, data=raw, content_type="application/json", headers=headers)
                sent += 1
                if status >= 500:
                    failures.append(f"POST {path} raw {raw!r} -> {status}")
            continue
        for value in HOSTILE_TEXT[:4]:
            status = client.get(path, {"q": value, "page": value, "version": value}).status_code
            sent += 1
            if status >= 500:
                failures.append(f"GET {path} with {value[:20]!r} -> {status}")
        if "POST" not in methods:
            continue
        for name in _field_names(client, path) or ["anything"]:
            for value in HOSTILE_TEXT:
                status = _post(client, path, data={name: value})
                sent += 1
                if status >= 500:
                    failures.append(f"POST {path} {name}={value[:20]!r} -> {status}")
            # bytes that are not UTF-8, and an encoded lone surrogate, as a browser could send them
            for raw in (f"{name}=%FF%FE", f"{name}=%ED%A0%80"):
                status = _post(client, path, data=raw, content_type="application/x-www-form-urlencoded")
                sent += 1
                if status >= 500:
                    failures.append(f"POST {path} raw {raw!r} -> {status}")
    assert failures == [], "\n".join(failures)
    assert sent > len(routes) * 4
