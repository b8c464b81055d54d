"""Each GOV.UK component renders the markup of GOV.UK Frontend for typical and edge parameters."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.utils.html import format_html

from areasend.core import components as c

from .page_checker import Page, text_of


def render(source: str, **context: Any) -> Page:
    return Page(Template(source).render(Context(context)))


# --- tag -----------------------------------------------------------------------------------------


def test_tag_with_text_and_classes() -> None:
    page = render('{% govuk_tag text="Overdue" classes="govuk-tag--red" %}')
    tag = page.select_one("strong.govuk-tag.govuk-tag--red")
    assert text_of(tag) == "Overdue"


def test_tag_escapes_text_and_plain_html_but_keeps_safe_html() -> None:
    page = render(
        "{% govuk_tag text=t %}{% govuk_tag html=h %}{% govuk_tag html=safe %}",
        t="<b>x</b>",
        h="<i>y</i>",
        safe=format_html("<em>{}</em>", "z"),
    )
    tags = page.select("strong.govuk-tag")
    assert [text_of(t) for t in tags] == ["<b>x</b>", "<i>y</i>", "z"]
    assert not page.exists("strong b, strong i") and page.exists("strong em")


def test_tag_takes_its_parameters_as_one_mapping_with_overrides() -> None:
    page = render("{% govuk_tag params classes='govuk-tag--green' %}", params={"text": "Met", "classes": "x"})
    assert page.select_one("strong").attributes["class"] == "govuk-tag govuk-tag--green"


def test_unknown_parameters_are_refused() -> None:
    with pytest.raises(TemplateSyntaxError, match="govuk_tag has no parameter colour"):
        render('{% govuk_tag text="x" colour="red" %}')


# --- table ---------------------------------------------------------------------------------------


def test_table_with_caption_head_numeric_cells_and_row_headers() -> None:
    params = {
        "caption": "Statistical neighbours",
        "caption_classes": "govuk-table__caption--m",
        "head": c.head("Area", c.cell("Rank", format="numeric")),
        "rows": [
            c.row("Kent", c.cell(1, format="numeric")),
            c.row(c.link("/areas/E1/", "Essex"), c.cell(2, format="numeric")),
        ],
        "first_cell_is_header": True,
        "attributes": {"id": "neighbours"},
        "classes": "app-table",
    }
    page = render("{% govuk_table params %}", params=params)
    table = page.select_one("table#neighbours.govuk-table.app-table")
    assert (
        text_of(table.css_first("caption.govuk-table__caption.govuk-table__caption--m"))
        == "Statistical neighbours"
    )
    assert page.texts("thead th[scope=col].govuk-table__header") == ["Area", "Rank"]
    assert page.exists("thead th.govuk-table__header--numeric")
    assert page.texts("tbody th[scope=row].govuk-table__header") == ["Kent", "Essex"]
    assert page.texts("tbody td.govuk-table__cell.govuk-table__cell--numeric") == ["1", "2"]
    assert page.select_one("tbody th a.govuk-link").attributes["href"] == "/areas/E1/"


def test_table_without_caption_or_head_and_with_spanning_and_empty_rows() -> None:
    rows = [c.row(c.cell("No areas match.", colspan=3)), [], None]
    page = render("{% govuk_table rows=rows %}", rows=rows)
    assert not page.exists("caption") and not page.exists("thead")
    assert len(page.select("tbody tr")) == 1
    assert page.select_one("td.govuk-table__cell").attributes["colspan"] == "3"


# --- summary list --------------------------------------------------------------------------------


def test_summary_list_rows_with_and_without_actions() -> None:
    rows = [
        c.summary_row(
            "Name",
            "Essex County Council",
            actions=[c.summary_action("/edit/", "Change", visually_hidden_text="name")],
        ),
        c.summary_row("Code", format_html("<code>{}</code>", "E10000012")),
        None,
    ]
    page = render("{% govuk_summary_list rows=rows attributes=attrs %}", rows=rows, attrs={"id": "facts"})
    assert page.texts("dl#facts.govuk-summary-list dt.govuk-summary-list__key") == ["Name", "Code"]
    assert page.text("dd.govuk-summary-list__value code") == "E10000012"
    action = page.select_one("dd.govuk-summary-list__actions a.govuk-link")
    assert action.attributes["href"] == "/edit/" and text_of(action) == "Change name"
    assert page.text("dd.govuk-summary-list__actions .govuk-visually-hidden") == "name"
    # the row without actions keeps the columns lined up
    assert len(page.select(".govuk-summary-list__row--no-actions")) == 1


def test_summary_list_without_any_actions_has_no_actions_column() -> None:
    page = render("{% govuk_summary_list rows=rows %}", rows=[c.summary_row("Type", "County")])
    assert not page.exists(".govuk-summary-list__actions, .govuk-summary-list__row--no-actions")


def test_summary_list_with_several_actions_and_a_card() -> None:
    actions = [c.summary_action("/a/", "Change"), c.summary_action("/b/", "Remove")]
    card = {"title": {"text": "Essex"}, "actions": {"items": [c.summary_action("/c/", "Delete")]}}
    page = render(
        "{% govuk_summary_list rows=rows card=card %}",
        rows=[c.summary_row("Kind", "LA", actions=actions)],
        card=card,
    )
    assert page.text(".govuk-summary-card h2.govuk-summary-card__title") == "Essex"
    assert page.text(".govuk-summary-card__actions a") == "Delete (Essex)"
    assert page.texts(".govuk-summary-list__actions-list-item a") == ["Change (Essex)", "Remove (Essex)"]


# --- task list -----------------------------------------------------------------------------------


def test_task_list_items_with_links_hints_and_status_tags() -> None:
    items = [
        {
            "title": {"text": "Submit the WSOA"},
            "href": "/plans/1/",
            "hint": {"text": "Due 5 May"},
            "status": {"tag": {"text": "Overdue", "classes": "govuk-tag--red"}},
        },
        {
            "title": {"text": "Revisit"},
            "status": {"text": "Cannot start yet", "classes": "govuk-task-list__status--cannot-start-yet"},
        },
    ]
    page = render("{% govuk_task_list items=items id_prefix='plans' %}", items=items)
    first, second = page.select("li.govuk-task-list__item")
    assert first.css_matches(".govuk-task-list__item--with-link")
    assert not second.css_matches(".govuk-task-list__item--with-link")
    link = page.select_one("a.govuk-task-list__link")
    assert link.attributes["aria-describedby"] == "plans-1-hint plans-1-status"
    assert text_of(first.css_first("#plans-1-status strong.govuk-tag.govuk-tag--red")) == "Overdue"
    assert text_of(first.css_first("#plans-1-hint")) == "Due 5 May"
    assert (
        second.css_first("a") is None and text_of(second.css_first("#plans-2-status")) == "Cannot start yet"
    )


def test_task_list_default_id_prefix() -> None:
    page = render(
        "{% govuk_task_list items=items %}",
        items=[{"title": {"text": "A"}, "href": "/a/", "status": {"text": "Done"}}],
    )
    assert page.select_one("a").attributes["aria-describedby"] == "task-list-1-status"


# --- notification banner -------------------------------------------------------------------------


def test_success_banner_is_an_alert_titled_success() -> None:
    page = render('{% govuk_notification_banner type="success" text="Partner saved" title_id="n-1" %}')
    banner = page.select_one("div.govuk-notification-banner.govuk-notification-banner--success")
    assert banner.attributes["role"] == "alert" and banner.attributes["aria-labelledby"] == "n-1"
    assert page.text("h2#n-1.govuk-notification-banner__title") == "Success"
    assert page.text("p.govuk-notification-banner__heading") == "Partner saved"


def test_important_banner_is_a_region_with_html_content_and_heading_level() -> None:
    page = render(
        '{% govuk_call "notification_banner" title_heading_level=3 %}<p class="govuk-body">Read <a href="/x">this</a></p>{% endgovuk_call %}'
    )
    banner = page.select_one("div.govuk-notification-banner")
    assert banner.attributes["role"] == "region" and not banner.css_matches(
        ".govuk-notification-banner--success"
    )
    assert page.text("h3#govuk-notification-banner-title") == "Important"
    assert page.exists(".govuk-notification-banner__content p.govuk-body a[href='/x']")


# --- error summary -------------------------------------------------------------------------------


def test_error_summary_from_an_error_list() -> None:
    errors = [
        {"text": "Enter the partner's name", "href": "#id_name"},
        {"text": "An area must keep its local authority partner."},
    ]
    page = render("{% govuk_error_summary error_list=errors %}", errors=errors)
    assert page.text("h2.govuk-error-summary__title") == "There is a problem"
    assert page.select_one(".govuk-error-summary [role=alert]") is not None
    assert (
        page.text("ul.govuk-list.govuk-error-summary__list a[href='#id_name']") == "Enter the partner's name"
    )
    assert page.texts(".govuk-error-summary__list li") == [
        "Enter the partner's name",
        "An area must keep its local authority partner.",
    ]


def test_error_summary_of_forms_links_each_field_and_is_empty_without_errors() -> None:
    from django import forms

    from areasend.core.forms import choice_field, text_field

    class PartnerForm(forms.Form):
        kind = choice_field("Kind", [("la", "Local authority")], "Select the kind of partner", radios=True)
        name = text_field("Name", required_message="Enter the partner's name")

    assert render("{% govuk_error_summary form %}", form=PartnerForm()).html.strip() == ""
    assert (
        render("{% govuk_error_summary form %}", form=PartnerForm({"kind": "la", "name": "x"})).html.strip()
        == ""
    )
    bad = PartnerForm({})
    bad.add_error(None, "Refused by the rules")
    page = render("{% govuk_error_summary form other %}", form=bad, other=None)
    assert page.texts(".govuk-error-summary__list li") == [
        "Refused by the rules",
        "Select the kind of partner",
        "Enter the partner's name",
    ]
    assert [a.attributes["href"] for a in page.select(".govuk-error-summary__list a")] == [
        "#id_kind",
        "#id_name",
    ]


def test_error_summary_description_and_title() -> None:
    page = render(
        '{% govuk_call "error_summary" title_text="Check the file" %}Fix these lines{% endgovuk_call %}'
    )
    assert page.text(".govuk-error-summary__title") == "Check the file"
    assert page.text(".govuk-error-summary__body p") == "Fix these lines"
    assert not page.exists(".govuk-error-summary__list")


# --- pagination ----------------------------------------------------------------------------------


def test_pagination_from_a_middle_page_shows_numbers_and_ellipses() -> None:
    page_obj = Paginator(range(500), 50).get_page(5)
    params = c.pagination(page_obj, lambda n: f"?page={n}&action=partner")
    page = render("{% govuk_pagination params %}", params=params)
    nav = page.select_one("nav.govuk-pagination[aria-label=Pagination]")
    assert not nav.css_matches(".govuk-pagination--block")
    assert page.texts(".govuk-pagination__item") == ["1", "⋯", "4", "5", "6", "⋯", "10"]
    current = page.select_one(".govuk-pagination__item--current a")
    assert current.attributes["aria-current"] == "page" and current.attributes["aria-label"] == "Page 5"
    assert page.select_one("a[rel=prev]").attributes["href"] == "?page=4&action=partner"
    assert page.select_one("a[rel=next]").attributes["href"] == "?page=6&action=partner"
    assert page.text("a[rel=prev] .govuk-pagination__link-title") == "Previous page"


def test_pagination_edges() -> None:
    first = c.pagination(Paginator(range(120), 50).get_page(1), lambda n: f"?page={n}")
    page = render("{% govuk_pagination params %}", params=first)
    assert not page.exists("a[rel=prev]") and page.exists("a[rel=next]")
    assert page.texts(".govuk-pagination__item") == ["1", "2", "3"]
    assert c.pagination(Paginator(range(10), 50).get_page(1), lambda n: "") == {}


def test_block_pagination_with_labels() -> None:
    params = {
        "previous": {"href": "/a/", "label_text": "Applying for a licence"},
        "next": {"href": "/c/", "text": "Next section"},
    }
    page = render("{% govuk_pagination params landmark_label='Guide' %}", params=params)
    nav = page.select_one("nav.govuk-pagination.govuk-pagination--block[aria-label=Guide]")
    assert nav is not None
    assert page.text(".govuk-pagination__prev .govuk-pagination__link-label") == "Applying for a licence"
    assert page.exists(".govuk-pagination__next .govuk-pagination__link-title--decorated")
    assert not page.exists(".govuk-pagination__prev .govuk-pagination__link-title--decorated")
    assert not page.exists(".govuk-pagination__list")


# --- inset text, warning text, details, breadcrumbs ----------------------------------------------


def test_inset_text_with_text_and_with_a_body() -> None:
    page = render(
        '{% govuk_inset_text text="This area no longer exists." id="former" %}{% govuk_call "inset_text" %}No <code>frameworks</code> yet{% endgovuk_call %}'
    )
    first, second = page.select("div.govuk-inset-text")
    assert first.attributes["id"] == "former" and text_of(first) == "This area no longer exists."
    assert "id" not in second.attributes and text_of(second.css_first("code")) == "frameworks"


def test_warning_text_with_fallback_text() -> None:
    page = render(
        '{% govuk_warning_text text="Figures are not judgements." %}{% govuk_warning_text text="x" icon_fallback_text="Caution" %}'
    )
    first, second = page.select(".govuk-warning-text")
    assert text_of(first.css_first(".govuk-warning-text__icon[aria-hidden=true]")) == "!"
    assert (
        text_of(first.css_first("strong.govuk-warning-text__text")) == "Warning Figures are not judgements."
    )
    assert text_of(second.css_first(".govuk-visually-hidden")) == "Caution"


def test_details_closed_and_open() -> None:
    page = render(
        '{% govuk_details summary_text="Wording the rule proposed" text="EHC plans are late." %}{% govuk_call "details" summary_text="Earlier model" open=True id="earlier" %}<ol class="govuk-list"><li>Kent</li></ol>{% endgovuk_call %}'
    )
    closed, opened = page.select("details.govuk-details")
    assert "open" not in closed.attributes and "open" in opened.attributes
    assert (
        text_of(closed.css_first("summary.govuk-details__summary .govuk-details__summary-text"))
        == "Wording the rule proposed"
    )
    assert text_of(closed.css_first(".govuk-details__text")) == "EHC plans are late."
    assert (
        opened.attributes["id"] == "earlier"
        and text_of(opened.css_first(".govuk-details__text ol li")) == "Kent"
    )


def test_breadcrumbs_with_links_and_the_current_page() -> None:
    params = c.breadcrumbs(("Home", "/"), ("Local areas", "/areas/"), "Essex")
    page = render("{% govuk_breadcrumbs params collapse_on_mobile=True %}", params=params)
    nav = page.select_one(
        "nav.govuk-breadcrumbs.govuk-breadcrumbs--collapse-on-mobile[aria-label=Breadcrumb]"
    )
    assert nav is not None
    assert [(text_of(a), a.attributes["href"]) for a in page.select("a.govuk-breadcrumbs__link")] == [
        ("Home", "/"),
        ("Local areas", "/areas/"),
    ]
    assert page.text("li[aria-current=page]") == "Essex"


def test_button_submits_by_default_and_can_be_a_link() -> None:
    page = render(
        '{% govuk_button text="Save partner" %}'
        '{% govuk_button text="Remove" classes="govuk-button--warning" name="decision" value="remove" prevent_double_click=True %}'
        '{% govuk_button text="Start now" href="/start/" is_start_button=True %}'
    )
    save, remove = page.select("button.govuk-button[data-module=govuk-button]")
    assert save.attributes["type"] == "submit" and text_of(save) == "Save partner"
    assert "name" not in save.attributes and "data-prevent-double-click" not in save.attributes
    assert remove.css_matches(".govuk-button--warning")
    assert (remove.attributes["name"], remove.attributes["value"]) == ("decision", "remove")
    assert remove.attributes["data-prevent-double-click"] == "true"
    start = page.select_one("a.govuk-button.govuk-button--start[role=button][href='/start/']")
    assert text_of(start) == "Start now" and start.css_first("svg.govuk-button__start-icon[aria-hidden=true]")


def test_call_needs_a_quoted_known_component() -> None:
    with pytest.raises(TemplateSyntaxError, match="needs a component name in quotes"):
        Template("{% govuk_call details %}x{% endgovuk_call %}")
    with pytest.raises(TemplateSyntaxError, match=r"no GOV\.UK component 'accordion'"):
        Template('{% govuk_call "accordion" %}x{% endgovuk_call %}')


def test_attributes_render_safely() -> None:
    html = str(c.attributes_html({"data-x": 'a"b', "hidden": True, "open": False, "lang": None}))
    assert html == ' data-x="a&quot;b" hidden'


def test_a_table_scrolls_in_a_named_focusable_region() -> None:

    html = Template(
        '{% table_scroll label=title %}<table class="govuk-table"></table>{% endtable_scroll %}'
    ).render(Context({"title": "Deadlines <due>"}))
    assert html == (
        '<div class="app-table-scroll" role="region" aria-label="Deadlines &lt;due&gt;" tabindex="0">'
        '<table class="govuk-table"></table></div>'
    )


def test_table_scroll_takes_only_its_label() -> None:

    with pytest.raises(TemplateSyntaxError, match="one parameter"):
        Template('{% table_scroll "Deadlines" %}{% endtable_scroll %}')
