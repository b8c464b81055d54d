"""The check every page test runs on the HTML it gets back, and CSS selection for the tests themselves.

`check_page(response)` parses the page with an HTML5 parser (selectolax, on Lexbor) and fails the test
on any problem: a title that is not a GOV.UK title, not exactly one h1, no `lang="en"`, a repeated id,
a reference (`label for`, `aria-describedby`, `aria-labelledby`, `aria-controls`, a `#fragment` link)
to an id that is not on the page, a post form without its CSRF token, a visible form field without a
label, a group of radios, checkboxes or date parts without a fieldset legend, or an inline script
without the response's CSP nonce. It returns a `Page` to select elements from.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

TITLE_SUFFIX = "– Area SEND inspections – GOV.UK"
UNLABELLED_TYPES = {"hidden", "submit", "button", "image", "reset"}
REFERENCE_ATTRIBUTES = ("aria-describedby", "aria-labelledby", "aria-controls")


# Elements whose content a browser shows apart from what is around it.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "legend",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)


def _parts(node: LexborNode, into: list[str]) -> None:
    child = node.child
    while child is not None:
        if child.is_text_node:
            into.append(child.text_content or "")
        elif child.tag in _BLOCKS:
            into.append(" ")
            _parts(child, into)
            into.append(" ")
        elif child.is_element_node:
            _parts(child, into)
        child = child.next


def text_of(node: LexborNode | None) -> str:
    """The text of an element as a reader sees it: blocks and line breaks apart, white space collapsed."""
    assert node is not None, "no such element"
    parts: list[str] = []
    _parts(node, parts)
    return " ".join("".join(parts).split())


class Page:
    """A parsed page: select elements from it with CSS selectors."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.tree = LexborHTMLParser(html)

    @property
    def title(self) -> str:
        node = self.tree.css_first("title")
        return text_of(node) if node is not None else ""

    def select(self, selector: str) -> list[LexborNode]:
        return self.tree.css(selector)

    def select_one(self, selector: str) -> LexborNode:
        """The one element the selector matches; fails when it matches none or several."""
        found = self.tree.css(selector)
        assert len(found) == 1, f"{len(found)} elements match {selector!r}"
        return found[0]

    def exists(self, selector: str) -> bool:
        return self.tree.css_first(selector) is not None

    def text(self, selector: str) -> str:
        """The text of the one element the selector matches."""
        return text_of(self.select_one(selector))

    def texts(self, selector: str) -> list[str]:
        return [text_of(node) for node in self.tree.css(selector)]

    def rows(self, table: str = "table") -> list[list[str]]:
        """The text of each cell (header or data) of each body row of the one table matched."""
        body = self.select_one(table)
        return [[text_of(cell) for cell in row.css("th, td")] for row in body.css("tbody tr")]


def _ancestor(node: LexborNode, tag: str) -> LexborNode | None:
    parent = node.parent
    while parent is not None:
        if parent.tag == tag:
            return parent
        parent = parent.parent
    return None


def _describe(node: LexborNode) -> str:
    """An element as a short tag naming its type, name and id (what a developer searches for)."""
    attrs = node.attributes
    parts = [f'{key}="{attrs[key]}"' for key in ("type", "name", "id") if attrs.get(key)]
    return f"<{' '.join([node.tag or '', *parts])}>"


def _has_label(node: LexborNode, label_targets: set[str], ids: set[str]) -> bool:
    attrs = node.attributes
    if (attrs.get("aria-label") or "").strip():
        return True
    labelledby = (attrs.get("aria-labelledby") or "").split()
    if labelledby and all(i in ids for i in labelledby):
        return True
    if attrs.get("id") and attrs["id"] in label_targets:
        return True
    wrapping = _ancestor(node, "label")
    return wrapping is not None and bool(text_of(wrapping))


def _legend_of(node: LexborNode) -> str:
    fieldset = _ancestor(node, "fieldset")
    if fieldset is None:
        return ""
    legend = fieldset.css_first("legend")
    return text_of(legend) if legend is not None else ""


def page_problems(html: str, *, csp_nonce: str | None = None) -> list[str]:
    """Everything wrong with a page, one message per problem (an empty list for a good page)."""
    return _problems(Page(html), csp_nonce)


def _problems(page: Page, csp_nonce: str | None) -> list[str]:
    problems: list[str] = []

    title = page.title
    if not title.endswith(TITLE_SUFFIX):
        problems.append(f"the title {title!r} does not end with {TITLE_SUFFIX!r}")
    h1_count = len(page.select("h1"))
    if h1_count != 1:
        problems.append(f"{h1_count} h1 elements")
    html_node = page.tree.css_first("html")
    if html_node is None or html_node.attributes.get("lang") != "en":
        problems.append('the html element has no lang="en"')

    all_ids = [node.attributes.get("id") or "" for node in page.select("[id]")]
    ids = set(all_ids)
    duplicates = sorted(i for i, n in Counter(all_ids).items() if n > 1)
    if duplicates:
        problems.append(f"duplicate ids {duplicates}")
    if "" in ids:
        problems.append("an empty id attribute")

    label_targets = {node.attributes.get("for") or "" for node in page.select("label[for]")}
    for target in sorted(label_targets - ids):
        problems.append(f"a label for {target!r}, which is not on the page")
    for attribute in REFERENCE_ATTRIBUTES:
        for node in page.select(f"[{attribute}]"):
            for target in (node.attributes.get(attribute) or "").split():
                if target not in ids:
                    problems.append(
                        f"{attribute} on {_describe(node)} names {target!r}, which is not on the page"
                    )
    for node in page.select('a[href^="#"]'):
        target = (node.attributes.get("href") or "")[1:]
        if target and target not in ids:
            problems.append(f"a link to #{target}, which is not on the page")

    for form in page.select("form"):
        if (form.attributes.get("method") or "get").lower() != "post":
            continue
        tokens = form.css('input[type="hidden"][name="csrfmiddlewaretoken"]')
        if not any(t.attributes.get("value") for t in tokens):
            action = form.attributes.get("action") or "(this page)"
            problems.append(f"a post form to {action} without a CSRF token")

    groups: dict[tuple[str, str], list[LexborNode]] = {}
    for node in page.select("input, select, textarea"):
        kind = (node.attributes.get("type") or "text").lower() if node.tag == "input" else node.tag
        if kind in UNLABELLED_TYPES:
            continue
        if not _has_label(node, label_targets, ids):
            problems.append(f"{_describe(node)} has no label")
        if kind in {"radio", "checkbox"}:
            groups.setdefault((kind, node.attributes.get("name") or ""), []).append(node)
    for (kind, name), members in groups.items():
        if (kind == "radio" or len(members) > 1) and not _legend_of(members[0]):
            problems.append(f"the {kind} group {name!r} is not in a fieldset with a legend")
    for date_input in page.select(".govuk-date-input"):
        if not _legend_of(date_input):
            problems.append(f"the date input {_describe(date_input)} is not in a fieldset with a legend")

    if csp_nonce is not None:
        for script in page.select("script:not([src])"):
            if script.attributes.get("nonce") != csp_nonce:
                problems.append("an inline script without the page's CSP nonce")
    return problems


def check_html(html: str, *, csp_nonce: str | None = None) -> Page:
    page = Page(html)
    problems = _problems(page, csp_nonce)
    assert not problems, f"{page.title}: " + "; ".join(problems)
    return page


def _nonce(response: Any) -> str | None:
    policy = response.get("Content-Security-Policy", "")
    if "'nonce-" not in policy:
        return None
    return str(policy.split("'nonce-")[1].split("'")[0])


def check_page(response: Any) -> Page:
    """Every HTML page: see the module's docstring. The page is parsed once per response."""
    cached = getattr(response, "page", None)
    if isinstance(cached, Page):
        return cached
    assert response["Content-Type"].startswith("text/html")
    page = check_html(response.content.decode(), csp_nonce=_nonce(response))
    response.page = page
    return page
