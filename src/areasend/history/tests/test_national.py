"""The national figures page (/national/) and its API: the numbers `areasend stats` prints, over the
shipped history import, with what each counts, a chart with a text alternative and a table."""

from __future__ import annotations

import json
import re
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from areasend.conftest import api_headers, check_page, make_user, signed_in
from areasend.core.tests.page_checker import Page, text_of
from areasend.history.figures import BASES, DATED_BY, national_figures
from areasend.history.forms import CHOOSE_FRAMEWORK, NOT_A_YEAR, YEAR_OUT_OF_RANGE, YEARS_REVERSED

PAGE = "/national/"
API = "/api/national"
TODAY = date.today()
CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[A-Z][a-z]+_[a-z]+\b")
LINE = re.compile(r"^(?P<label>.*) \((?P<key>\w+)\): (?P<value>.*)$")


def _command(as_of: date) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """What `areasend stats` prints for a date: as JSON, and as text (key -> (label, value))."""
    out = StringIO()
    call_command("stats", "--as-of", as_of.isoformat(), "--format", "json", stdout=out)
    printed = json.loads(out.getvalue())
    out = StringIO()
    call_command("stats", "--as-of", as_of.isoformat(), stdout=out)
    lines = {}
    for line in out.getvalue().splitlines():
        found = LINE.match(line)
        assert found, line
        lines[found["key"]] = (found["label"], found["value"])
    return printed, lines


def _page(client: Any, user: Any, path: str, status: int = 200) -> Page:
    response = signed_in(client, user).get(path)
    assert response.status_code == status, path
    return check_page(response)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _shown(page: Page) -> dict[str, dict[str, int]]:
    """The totals of every figure `areasend stats` prints, read from the page's tables: column
    heading -> number (a figure two frameworks share is added up, as the command adds it)."""
    shown: dict[str, dict[str, int]] = {}
    for table in page.select("table[data-figure]"):
        key = table.attributes["data-figure"]
        assert key is not None
        heads = [text_of(th) for th in table.css("thead th")][1:]
        total = [_number(text_of(td)) for td in table.css("tbody tr")[-1].css("td")]
        mine = shown.setdefault(key, {})
        for head, number in zip(heads, total, strict=True):
            mine[head] = mine.get(head, 0) + number
    return shown


def _as_printed(shown: dict[str, dict[str, int]], printed: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The page's totals in the command's terms: a number, or the parts by the names it prints."""
    labels = {
        f.key: {p.label: p.name for p in f.parts}
        for f in national_figures(as_of=as_of, by_year=False)
        if f.in_stats and f.parts
    }
    found: dict[str, Any] = {}
    for key, columns in shown.items():
        if isinstance(printed.get(key), dict):
            found[key] = {labels[key][head]: number for head, number in columns.items()}
        else:
            (found[key],) = columns.values()
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "as_of"),
    [
        ("", TODAY),
        ("?to_year=2022", date(2022, 12, 31)),
        ("?from_year=2018&to_year=2020", date(2020, 12, 31)),
        (f"?from_year=2023&to_year={TODAY.year}", TODAY),
    ],
)
def test_the_page_shows_exactly_the_numbers_areasend_stats_prints(
    page_client: Any, viewer: Any, query: str, as_of: date
) -> None:
    printed, lines = _command(as_of)
    page = _page(page_client, viewer, PAGE + query)
    assert page.text("#as-of").startswith(f"Counted to {as_of:%-d %B %Y}")
    shown = _as_printed(_shown(page), printed, as_of)
    assert shown == {key: value for key, value in printed.items() if key != "as_of"}
    assert printed["reports_published"] > 0 and printed["areas_inspected"] > 0
    headings = page.texts("h3")
    for key, (label, _) in lines.items():
        if key != "as_of":
            assert label in headings, f"{label} ({key}) has no heading of its own"


@pytest.mark.django_db
def test_the_shipped_history_gives_the_figures_the_command_is_known_to_print(
    page_client: Any, viewer: Any
) -> None:
    page = _page(page_client, viewer, PAGE + "?to_year=2022")
    shown = _shown(page)
    # the end of the 2016 framework (see test_history: the official file's 149 areas and 82 WSOAs)
    assert shown["areas_inspected"] == {"Areas": 149}
    assert shown["wsoa_required"] == {"Reports": 82}
    assert shown["revisit_results"] == {
        "Sufficient progress in all areas": 20,
        "Sufficient progress in some areas": 24,
        "Sufficient progress in none of the areas": 2,
    }


@pytest.mark.django_db
def test_each_year_adds_up_to_the_total_and_the_years_follow_their_date() -> None:
    figures = national_figures(as_of=date(2025, 11, 30))
    for figure in figures:
        assert figure.periods, figure.key
        if figure.distinct:
            continue
        if figure.parts:
            for part in figure.parts:
                assert isinstance(figure.total, dict)
                assert (
                    sum(p.value[part.name] for p in figure.periods if isinstance(p.value, dict))
                    == (figure.total[part.name])
                )
        else:
            assert sum(p.value for p in figure.periods if isinstance(p.value, int)) == figure.total
    by_key = {(f.framework_id, f.key): f for f in figures}
    outcomes = next(f for f in figures if f.parts and f.dated_by == "publication" and f.unit == "reports")
    assert [p.label for p in outcomes.periods] == ["2023", "2024", "2025"]  # the 2023 framework's years
    started = by_key[(None, "inspections_started")]
    assert started.periods[0].label == "2016" and started.periods[-1].label == "2025"


@pytest.mark.django_db
def test_each_figure_says_what_it_counts_by_which_date_and_on_what_basis(
    page_client: Any, viewer: Any
) -> None:
    page = _page(page_client, viewer, PAGE)
    blocks = page.select("main h3")
    assert len(blocks) >= 15
    figures = {(f.framework_id, f.key): f for f in national_figures(as_of=TODAY, by_year=False)}
    for figure in figures.values():
        block_id = f"{figure.framework_id or 'all'}-{figure.key}".replace("_", "-")
        facts = dict(
            zip(
                page.texts(f"#{block_id} .govuk-summary-list__key"),
                page.texts(f"#{block_id} .govuk-summary-list__value"),
                strict=True,
            )
        )
        assert facts["What is counted"] == figure.counts
        assert facts["Counted by"] == DATED_BY[figure.dated_by]
        assert facts["Basis"].startswith(BASES[figure.basis])
    # the framework's outcomes are its rule, counted by publication; visits by the date they started
    outcomes = page.select_one("#area-send-2023-outcomes-2023 .govuk-summary-list")
    assert "Rule from a source" in text_of(outcomes) and "The date the report was published" in text_of(
        outcomes
    )
    assert "High" in text_of(outcomes)  # the confidence of the framework's outcomes
    revisits = text_of(page.select_one("#local-area-send-2016-revisits .govuk-summary-list"))
    assert "Estimate from the record" in revisits and DATED_BY["start"] in revisits
    areas = text_of(page.select_one("#all-areas-inspected .govuk-summary-list"))
    assert "mapped to its successor" in areas  # an estimate, and says why
    assert "for an area that split, the successor holding most of it" in areas
    # the framework's own words, never a key
    text = text_of(page.select_one("main"))
    assert CODE.findall(text.replace("areasend stats", "")) == []
    assert "Typically positive experiences and outcomes" in text and "Written statement of action" in text


@pytest.mark.django_db
def test_every_chart_has_a_text_alternative_and_a_table_with_the_same_numbers(
    page_client: Any, viewer: Any
) -> None:
    page = _page(page_client, viewer, PAGE)
    charts = page.select("main svg")
    tables = page.select("main table:not([id^=official-])")  # the official counts have no chart
    assert len(charts) == len(tables) >= 15
    regions = page.select(
        "main .app-table-scroll:not(:has(table[id^=official-]))"
    )  # each table's region is named by its caption, once
    names = [r.attributes["aria-label"] for r in regions]
    assert len(names) == len(tables) == len(set(names))
    for svg in charts:
        assert svg.attributes["role"] == "img"
        label = svg.attributes["aria-label"] or ""
        block = svg.parent.parent if svg.parent is not None else None
        assert block is not None
        table = block.css_first("table")
        assert table is not None
        for row in table.css("tbody tr")[:-1]:  # every period's numbers are said in the alternative
            cells = [text_of(cell) for cell in row.css("th, td")]
            assert f"{cells[0]}: " in label
            for number in cells[1:]:
                assert number in label
        assert label.endswith("The same figures are in the table below.")
    alternative = page.select_one("#chart-area-send-2023-outcomes-2023").attributes["aria-label"] or ""
    assert (
        "2024: Typically positive experiences and outcomes 6, Inconsistent experiences and outcomes 15"
        in alternative
    )


@pytest.mark.django_db
def test_a_framework_and_years_narrow_the_figures(page_client: Any, viewer: Any) -> None:
    page = _page(page_client, viewer, PAGE + "?framework=local-area-send-2016&from_year=2018&to_year=2019")
    assert page.texts("main h2.govuk-heading-l") == ["Local area SEND inspection (2016)"]
    printed, _ = _command(date(2019, 12, 31))
    shown = _as_printed(_shown(page), printed, date(2019, 12, 31))
    assert shown == {k: printed[k] for k in ("wsoa_required", "revisits", "revisit_results")}
    assert "areas_inspected" not in shown  # every framework's figures are not this framework's
    rows = page.rows("#table-local-area-send-2016-revisits")
    assert [r[0] for r in rows] == ["2018", "2019", "All years to 31 December 2019"]
    assert page.exists("a[href='/national/']")  # back to every framework and year


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?from_year=abc", "from_year", NOT_A_YEAR.format(which="first", example=2016)),
        ("?from_year=20%2019", "from_year", NOT_A_YEAR.format(which="first", example=2016)),
        ("?to_year=-2020", "to_year", NOT_A_YEAR.format(which="last", example=TODAY.year)),
        (
            "?from_year=2010",
            "from_year",
            YEAR_OUT_OF_RANGE.format(which="first", earliest=2016, latest=TODAY.year),
        ),
        (
            f"?to_year={TODAY.year + 1}",
            "to_year",
            YEAR_OUT_OF_RANGE.format(which="last", earliest=2016, latest=TODAY.year),
        ),
        ("?from_year=2022&to_year=2019", "to_year", YEARS_REVERSED),
        ("?framework=no-such-framework", "framework", CHOOSE_FRAMEWORK),
    ],
)
def test_bad_filters_get_a_govuk_error_not_a_server_error(
    page_client: Any, viewer: Any, query: str, field: str, message: str
) -> None:
    page = _page(page_client, viewer, PAGE + query, status=400)
    assert page.title.startswith("Error: National figures")
    assert page.texts(".govuk-error-summary__list a") == [message]
    assert page.select_one(".govuk-error-summary__list a").attributes["href"] == f"#id_{field}"
    assert message in page.text(f"#id_{field}-error")
    assert not page.exists("main table")  # no figures for filters that mean nothing

    api = page_client.get(API + query, headers=api_headers(viewer))
    assert api.status_code == 400
    assert api.json() == {"detail": message}


@pytest.mark.django_db
def test_every_signed_in_role_reads_the_page_and_finds_it_in_the_navigation(page_client: Any) -> None:
    users = [
        make_user("national-admin", "administrator"),
        make_user("national-inspector", "inspector"),
        make_user("national-officer", "area_officer", "E10000012"),
        make_user("national-viewer", "viewer"),
    ]
    for user in users:
        client = signed_in(page_client, user)
        response = client.get(PAGE)
        assert response.status_code == 200, user.username
        nav = check_page(client.get("/")).texts(".govuk-service-navigation__link")
        assert "National figures" in nav, user.username
        assert client.post(PAGE).status_code == 405  # nothing to send: the page only reads
        client.logout()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(page_client: Any) -> None:
    response = page_client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/national/")
    assert page_client.get(API).status_code == 401
    assert "National figures" not in page_client.get("/sign-in/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "inspector", "area_officer", "viewer"])
def test_the_api_gives_the_same_figures_to_every_role(client: Any, role: str) -> None:
    user = make_user(f"api-{role}", role, "E10000012" if role == "area_officer" else None)
    response = client.get(API + "?to_year=2024", headers=api_headers(user))
    assert response.status_code == 200
    body = response.json()
    printed, _ = _command(date(2024, 12, 31))
    assert body["stats"] == printed
    assert body["as_of"] == "2024-12-31" and body["framework"] is None
    assert (body["first_year"], body["last_year"]) == (2016, 2024)
    outcomes = next(f for f in body["figures"] if f["key"] == "outcomes_2023")
    assert outcomes["total"] == printed["outcomes_2023"]
    assert outcomes["basis"] == "rule" and outcomes["dated_by"] == "publication"
    assert outcomes["parts"][0] == {"name": "1", "label": "Typically positive experiences and outcomes"}
    assert [p["period"] for p in outcomes["periods"]] == ["2023", "2024"]
    assert outcomes["confidence"] == "high" and outcomes["sources"]
    shares = [f for f in body["figures"] if not f["in_stats"]]
    assert {f["framework"] for f in shares} == {"local-area-send-2016", "area-send-2023"}
    assert sum(f["total"] for f in shares if f["key"] == "reports_published") == printed["reports_published"]


@pytest.mark.django_db
def test_the_api_narrows_to_a_framework(client: Any, viewer: Any) -> None:
    body = client.get(API + "?framework=area-send-2023", headers=api_headers(viewer)).json()
    assert {f["framework"] for f in body["figures"]} == {"area-send-2023"}
    printed, _ = _command(TODAY)
    for key, value in body["stats"].items():
        assert printed[key] == value
    assert "areas_inspected" not in body["stats"]
