"""The page checker catches each problem it is there to catch, and passes a good page."""

from __future__ import annotations

import pytest

from .page_checker import Page, check_html, page_problems

GOOD_BODY = """
<a href="#main-content">Skip to main content</a>
<main id="main-content">
<h1>Add a partner</h1>
<form method="post" action="/areas/E10000012/partners/add/">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc123">
  <label for="id_name">Name</label>
  <input id="id_name" name="name" type="text" aria-describedby="id_name-hint">
  <div id="id_name-hint">The partner's full name</div>
  <label>Notes <textarea name="notes"></textarea></label>
  <input name="search" aria-label="Search">
  <span id="code-label">Code</span><input name="code" aria-labelledby="code-label">
  <fieldset><legend>Kind</legend>
    <input id="kind" name="kind" type="radio" value="a"><label for="kind">A</label>
    <input id="kind-2" name="kind" type="radio" value="b"><label for="kind-2">B</label>
  </fieldset>
  <fieldset role="group"><legend>Date</legend>
    <div class="govuk-date-input" id="on">
      <label for="on-day">Day</label><input id="on-day" name="on-day">
      <label for="on-month">Month</label><input id="on-month" name="on-month">
      <label for="on-year">Year</label><input id="on-year" name="on-year">
    </div>
  </fieldset>
  <input id="former" name="former" type="checkbox"><label for="former">Include former areas</label>
  <button type="submit">Save</button>
</form>
<form method="get"><label for="q">Search</label><input id="q" name="q"></form>
</main>
"""


def page(
    body: str, *, title: str = "Add a partner – Area SEND inspections – GOV.UK", lang: str = "en"
) -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title></head><body>{body}</body></html>'


def test_a_good_page_passes_and_can_be_selected_from() -> None:
    checked = check_html(page(GOOD_BODY))
    assert checked.title == "Add a partner – Area SEND inspections – GOV.UK"
    assert checked.text("h1") == "Add a partner"
    assert checked.texts("fieldset legend") == ["Kind", "Date"]
    assert [n.attributes["value"] for n in checked.select("input[type=radio]")] == ["a", "b"]
    assert checked.exists("#id_name") and not checked.exists("#id_missing")


def test_select_one_fails_unless_exactly_one_element_matches() -> None:
    checked = Page(page(GOOD_BODY))
    with pytest.raises(AssertionError, match="2 elements match"):
        checked.select_one("input[type=radio]")
    with pytest.raises(AssertionError, match="0 elements match"):
        checked.select_one("table")


def test_a_post_form_without_a_csrf_token_is_caught() -> None:
    body = GOOD_BODY.replace('<input type="hidden" name="csrfmiddlewaretoken" value="abc123">', "")
    assert page_problems(page(body)) == ["a post form to /areas/E10000012/partners/add/ without a CSRF token"]
    empty = GOOD_BODY.replace('value="abc123"', 'value=""')
    assert page_problems(page(empty)) == [
        "a post form to /areas/E10000012/partners/add/ without a CSRF token"
    ]


def test_a_get_form_needs_no_csrf_token() -> None:
    body = '<h1>Areas</h1><form method="GET"><label for="q">Search</label><input id="q" name="q"></form>'
    assert page_problems(page(body)) == []


@pytest.mark.parametrize(
    ("field", "described"),
    [
        ('<input name="code" type="text">', '<input type="text" name="code">'),
        ('<input name="code">', '<input name="code">'),
        ('<select name="region"><option>East</option></select>', '<select name="region">'),
        ('<textarea name="notes"></textarea>', '<textarea name="notes">'),
        ('<input name="code" aria-label="  ">', '<input name="code">'),
        ('<input name="code" aria-labelledby="nowhere">', '<input name="code">'),
        ('<label></label><input id="x" name="code">', '<input name="code" id="x">'),
    ],
)
def test_a_field_without_a_label_is_caught(field: str, described: str) -> None:
    problems = page_problems(page(f"<h1>Form</h1><form>{field}</form>"))
    assert f"{described} has no label" in problems


def test_a_label_for_a_missing_field_is_caught() -> None:
    body = '<h1>Form</h1><label for="id_gone">Name</label><input id="id_name" name="name">'
    problems = page_problems(page(body))
    assert "a label for 'id_gone', which is not on the page" in problems
    assert '<input name="name" id="id_name"> has no label' in problems


def test_each_radio_needs_its_own_label_even_inside_a_fieldset() -> None:
    body = GOOD_BODY.replace('<label for="kind-2">B</label>', "")
    assert page_problems(page(body)) == ['<input type="radio" name="kind" id="kind-2"> has no label']


def test_radios_checkboxes_and_date_parts_need_a_fieldset_legend() -> None:
    body = """<h1>Form</h1>
    <input id="a" name="kind" type="radio"><label for="a">A</label>
    <input id="b" name="kind" type="radio"><label for="b">B</label>
    <fieldset><input id="c1" name="team" type="checkbox"><label for="c1">One</label>
    <input id="c2" name="team" type="checkbox"><label for="c2">Two</label></fieldset>
    <div class="govuk-date-input" id="on"><label for="on-day">Day</label><input id="on-day" name="on-day"></div>
    <input id="alone" name="alone" type="checkbox"><label for="alone">A single checkbox</label>"""
    assert page_problems(page(body)) == [
        "the radio group 'kind' is not in a fieldset with a legend",
        "the checkbox group 'team' is not in a fieldset with a legend",
        'the date input <div id="on"> is not in a fieldset with a legend',
    ]


def test_hidden_and_button_inputs_need_no_label() -> None:
    body = '<h1>Form</h1><input type="hidden" name="next"><input type="submit" value="Go"><input type="button" value="B">'
    assert page_problems(page(body)) == []


def test_duplicate_ids_are_caught() -> None:
    body = GOOD_BODY.replace('<div id="id_name-hint">', '<div id="id_name">')
    problems = page_problems(page(body))
    assert "duplicate ids ['id_name']" in problems


def test_references_to_missing_ids_are_caught() -> None:
    body = GOOD_BODY.replace('<div id="id_name-hint">', "<div>").replace(
        'href="#main-content"', 'href="#id_nowhere"'
    )
    assert page_problems(page(body)) == [
        'aria-describedby on <input type="text" name="name" id="id_name"> names \'id_name-hint\', '
        "which is not on the page",
        "a link to #id_nowhere, which is not on the page",
    ]


def test_title_heading_and_language_are_checked() -> None:
    assert page_problems(page("<h1>One</h1>", title="Areas")) == [
        "the title 'Areas' does not end with '– Area SEND inspections – GOV.UK'"
    ]
    assert page_problems(page("<h1>One</h1><h1>Two</h1>")) == ["2 h1 elements"]
    assert page_problems(page("<p>No heading</p>")) == ["0 h1 elements"]
    assert page_problems(page("<h1>One</h1>", lang="cy")) == ['the html element has no lang="en"']


def test_inline_scripts_need_the_csp_nonce() -> None:
    body = '<h1>One</h1><script nonce="n1">1</script><script src="/static/app.js"></script>'
    assert page_problems(page(body), csp_nonce="n1") == []
    assert page_problems(page(body), csp_nonce="n2") == ["an inline script without the page's CSP nonce"]


def test_check_html_fails_with_every_problem() -> None:
    body = "<h1>A</h1><h1>B</h1><p id='x'></p><p id='x'></p>"
    with pytest.raises(AssertionError) as caught:
        check_html(page(body))
    assert "2 h1 elements" in str(caught.value) and "duplicate ids ['x']" in str(caught.value)
