"""The national timeliness page (/national/timeliness/) and GET /api/national/timeliness."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from areasend.conftest import api_headers, check_page, make_user, signed_in
from areasend.core.tests.page_checker import text_of

PAGE = "/national/timeliness/"
API = "/api/national/timeliness"


def _printed() -> dict[str, Any]:
    out = StringIO()
    call_command("backtest", "--format", "json", stdout=out)
    loaded: dict[str, Any] = json.loads(out.getvalue())
    return loaded


def test_the_page_shows_the_backtest_and_the_years_with_rules_and_estimates_labelled(
    page_client: Any, viewer: Any
) -> None:
    response = signed_in(page_client, viewer).get(PAGE)
    assert response.status_code == 200
    page = check_page(response)
    printed = _printed()
    table = page.select("#table-backtest")[0]
    numbers = [[text_of(td) for td in tr.css("td")] for tr in table.css("tbody tr")]
    shown_n = sorted(int(cells[1]) for cells in numbers)
    expected_n = sorted(k["n"] for kinds in printed["summary"].values() for k in kinds.values())
    assert sorted(set(shown_n)) == sorted(set(expected_n))
    text = text_of(page.select("main")[0])
    assert "Estimate from 149 real reports, 2016-2022, median" in text
    assert "33 working days: the rule before the estimate" in text
    # each regime's yearly table adds up to its number of reports
    for kinds in printed["summary"].values():
        assert any(kinds)
    for regime in page.select("table[id^=table-]"):
        if regime.attributes["id"] == "table-backtest":
            continue
        total = sum(int(text_of(tr.css("td")[0])) for tr in regime.css("tbody tr"))
        assert total in expected_n
    chart = page.select("#chart-timeliness")
    assert (
        chart
        and "median working days" in (chart[0].attributes.get("aria-label") or text_of(chart[0])).lower()
    )
    assert len(page.select("#skipped li")) == len(printed["skipped"])


def test_the_national_page_links_to_it(page_client: Any, viewer: Any) -> None:
    page = check_page(signed_in(page_client, viewer).get("/national/"))
    assert any(a.attributes.get("href") == PAGE for a in page.select("a"))


@pytest.mark.django_db
def test_every_signed_in_role_reads_it_and_anonymous_visitors_sign_in(page_client: Any) -> None:
    for user in (make_user("t-officer", "area_officer", "E10000012"), make_user("t-inspector", "inspector")):
        assert signed_in(page_client, user).get(PAGE).status_code == 200
    page_client.logout()
    response = page_client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/sign-in/?next={PAGE}")


def test_the_api_gives_the_same_backtest_as_the_command(client: Any, viewer: Any) -> None:
    response = client.get(API, headers=api_headers(viewer))
    assert response.status_code == 200
    data = response.json()
    printed = _printed()
    for regime in data["regimes"]:
        figures = printed["summary"][regime["framework"]][regime["kind"]]
        assert {k: regime["backtest"][k] for k in figures} == figures
        assert sum(y["n"] for y in regime["years"]) == figures["n"]
        assert regime["estimated"] == (regime["backtest_with_stated_rules"] is not None)
    assert data["events"] == len(printed["rows"]) + len(printed["skipped"])
    assert client.get(API).status_code == 401
