"""GOV.UK Design System components: their parameters, and helpers that build them in Python.

Each component is a template in `core/templates/govuk/components/` written from the markup of the
installed GOV.UK Frontend (`node_modules/govuk-frontend/dist/govuk/components/*/template.njk`), and a
template tag, `{% govuk_<name> %}`, in `core/templatetags/govuk.py`. The tags take the Nunjucks macro's
parameters with their names in snake case (`captionClasses` is `caption_classes`, `titleText` is
`title_text`), either one by one or as one mapping built in Python, as a macro takes its `params`:

    {% govuk_table caption="Partners" caption_classes="govuk-visually-hidden" head=head rows=rows %}
    {% govuk_table partners_table %}

Text parameters (`text`, `title_text`...) are escaped. HTML parameters (`html`, `summary_html`...) are
shown as they are only when they are safe strings (`format_html`, `render_to_string`, or the body of a
`{% govuk_call %}` block); a plain string there is escaped, never trusted.

The helpers below build the nested parameters (rows, cells, links) that templates cannot write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.paginator import Page
from django.template import TemplateSyntaxError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_COMMON = frozenset({"classes", "attributes"})

# The parameters each component takes: the Nunjucks macro's, in snake case.
COMPONENTS: dict[str, frozenset[str]] = {
    "breadcrumbs": _COMMON | {"items", "collapse_on_mobile", "label_text"},
    "button": _COMMON
    | {
        "text",
        "html",
        "id",
        "name",
        "type",
        "value",
        "disabled",
        "href",
        "prevent_double_click",
        "is_start_button",
    },
    "details": _COMMON | {"id", "summary_text", "summary_html", "text", "html", "open"},
    "error_summary": _COMMON
    | {
        "title_text",
        "title_html",
        "description_text",
        "description_html",
        "error_list",
        "disable_auto_focus",
    },
    "inset_text": _COMMON | {"id", "text", "html"},
    "notification_banner": _COMMON
    | {
        "text",
        "html",
        "title_text",
        "title_html",
        "title_heading_level",
        "type",
        "role",
        "title_id",
        "disable_auto_focus",
    },
    "pagination": _COMMON | {"items", "previous", "next", "landmark_label"},
    "summary_list": _COMMON | {"rows", "card"},
    "table": _COMMON | {"rows", "head", "caption", "caption_classes", "first_cell_is_header"},
    "tag": _COMMON | {"text", "html"},
    "task_list": _COMMON | {"items", "id_prefix"},
    "warning_text": _COMMON | {"text", "html", "icon_fallback_text"},
}

# What the body of a `{% govuk_call %}` block becomes, as Nunjucks passes `caller()`.
CALL_PARAMETER = {"error_summary": "description_html"}


def component_params(
    name: str, params: Mapping[str, Any] | None, overrides: Mapping[str, Any]
) -> dict[str, Any]:
    """The parameters of one use of a component: `params`, then the keyword arguments over them."""
    allowed = COMPONENTS[name]
    merged = {**(params or {}), **overrides}
    unknown = sorted(set(merged) - allowed)
    if unknown:
        raise TemplateSyntaxError(f"govuk_{name} has no parameter {', '.join(unknown)}")
    values = {key: merged.get(key) for key in allowed}
    if name == "summary_list":
        # a row without actions in a list where some rows have them keeps the columns lined up
        values["any_actions"] = any(r and (r.get("actions") or {}).get("items") for r in values["rows"] or ())
    if name == "table":
        values["head"] = [
            _table_cell(item, "govuk-table__header", header=True) for item in values["head"] or ()
        ]
        values["rows"] = [
            [
                _table_cell(cell, "govuk-table__cell", header=n == 0 and bool(values["first_cell_is_header"]))
                for n, cell in enumerate(row)
            ]
            for row in values["rows"] or ()
            if row
        ]
    if name == "pagination":
        values["block_level"] = not values["items"] and bool(values["previous"] or values["next"])
    return values


def _table_cell(cell: Mapping[str, Any], base: str, *, header: bool) -> dict[str, Any]:
    """A table cell ready to draw: its classes, its attributes and its content worked out once."""
    css = "govuk-table__header" if header else base
    if cell.get("format") and not (header and base == "govuk-table__cell"):
        css += f" {css}--{cell['format']}"
    if cell.get("classes"):
        css += f" {cell['classes']}"
    attrs = SafeString("")
    if "colspan" in cell or "rowspan" in cell or cell.get("attributes"):
        spans = {"colspan": cell.get("colspan"), "rowspan": cell.get("rowspan")}
        attrs = attributes_html({**{k: v for k, v in spans.items() if v}, **(cell.get("attributes") or {})})
    html = cell.get("html")
    return {"header": header, "css": css, "attrs": attrs, "content": html if html else cell.get("text", "")}


def content(value: Any) -> dict[str, Any]:
    """`{"html": value}` for a safe string, `{"text": value}` for anything else (escaped when shown)."""
    if isinstance(value, SafeString):
        return {"html": value}
    return {"text": "" if value is None else value}


def link(href: str, text: Any, *, visually_hidden_text: str = "", classes: str = "") -> SafeString:
    """A GOV.UK link, with words only screen readers hear when the visible text needs them."""
    css = f"govuk-link {classes}".strip()
    if visually_hidden_text:
        return format_html(
            '<a class="{}" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            css,
            href,
            text,
            visually_hidden_text,
        )
    return format_html('<a class="{}" href="{}">{}</a>', css, href, text)


def tag(text: Any, classes: str = "") -> SafeString:
    """The markup of a GOV.UK tag, for use inside another component's cell or value."""
    css = f"govuk-tag {classes}".strip()
    return format_html('<strong class="{}">{}</strong>', css, text)


def visually_hidden(text: Any) -> SafeString:
    """Words only screen readers hear (an empty-looking header, the name after 'Change')."""
    return format_html('<span class="govuk-visually-hidden">{}</span>', text)


def hint(text: Any) -> SafeString:
    """Smaller grey text under a cell's or a value's main text."""
    return format_html('<span class="govuk-hint govuk-!-font-size-16">{}</span>', text)


def lines(*parts: Any) -> SafeString:
    """Parts on lines of their own (joined by `<br>`), each escaped unless it is a safe string."""
    return format_html_join(SafeString("<br>"), "{}", ((part,) for part in parts if part not in ("", None)))


def cell(
    value: Any,
    *,
    format: str = "",
    classes: str = "",
    colspan: int | None = None,
    rowspan: int | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A table cell (or a `head` cell): text, or HTML when `value` is a safe string.

    `format="numeric"` right-aligns a number, as `govuk-table__cell--numeric`.
    """
    found: dict[str, Any] = content(value)
    for key, given in (
        ("format", format),
        ("classes", classes),
        ("colspan", colspan),
        ("rowspan", rowspan),
        ("attributes", attributes),
    ):
        if given:
            found[key] = given
    return found


def head(*cells: Any) -> list[dict[str, Any]]:
    """A table's `head`: each item a cell, or a plain value made into one."""
    return [c if isinstance(c, dict) else cell(c) for c in cells]


def row(*cells: Any) -> list[dict[str, Any]]:
    """A table row: each item a cell, or a plain value made into one."""
    return [c if isinstance(c, dict) else cell(c) for c in cells]


def summary_row(
    key: Any,
    value: Any,
    *,
    actions: Sequence[Mapping[str, Any]] = (),
    classes: str = "",
    key_classes: str = "",
    value_classes: str = "",
) -> dict[str, Any]:
    """A summary list row; `actions` are `summary_action(...)` links."""
    found: dict[str, Any] = {
        "key": {**content(key), "classes": key_classes},
        "value": {**content(value), "classes": value_classes},
        "classes": classes,
    }
    if actions:
        found["actions"] = {"items": list(actions)}
    return found


def summary_action(href: str, text: str, *, visually_hidden_text: str = "") -> dict[str, Any]:
    return {"href": href, "text": text, "visually_hidden_text": visually_hidden_text}


def breadcrumbs(*items: tuple[str, str] | str) -> dict[str, Any]:
    """Breadcrumbs from (text, href) pairs; a plain string is the current page, not linked."""
    return {
        "items": [
            {"text": item} if isinstance(item, str) else {"text": item[0], "href": item[1]} for item in items
        ]
    }


def error_list(*forms: Any) -> list[dict[str, Any]]:
    """The error summary's items for bound forms: errors about the form first, then each field's.

    A field's item links to the field's id (the first radio or checkbox of a group has that id).
    """
    items: list[dict[str, Any]] = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            items.append({"text": message})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            for message in errors:
                items.append({"text": message, "href": f"#{form[name].auto_id}"})
    return items


def pagination(page: Page[Any], href: Callable[[int], str], *, around: int = 1) -> dict[str, Any]:
    """The pagination parameters for a Django paginator page: previous, next and numbered pages.

    Shows the first and last pages, the current one and `around` on each side, and an ellipsis for the
    rest, as the GOV.UK pattern advises.
    """
    if not page.has_other_pages():
        return {}
    current, last = page.number, page.paginator.num_pages
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    items: list[dict[str, Any]] = []
    previous_number = 0
    for number in shown:
        if number - previous_number > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == current})
        previous_number = number
    params: dict[str, Any] = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number())}
    return params


def attributes_html(attributes: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> SafeString:
    """Extra HTML attributes as ` name="value"` pairs: True gives a bare attribute, False or None none."""
    if not attributes:
        return SafeString("")
    pairs = attributes.items() if isinstance(attributes, Mapping) else attributes
    parts = []
    for name, value in pairs:
        if value is None or value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, value))
    return SafeString("".join(parts))
