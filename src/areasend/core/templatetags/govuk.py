"""GOV.UK Design System components as template tags, shaped like the official Nunjucks macros.

Loaded on every template (a builtin in the settings). See `areasend.core.components` for the parameters.

    {% govuk_tag text="Overdue" classes="govuk-tag--red" %}
    {% govuk_summary_list rows=summary_rows attributes=summary_attributes %}
    {% govuk_table partners_table %}
    {% govuk_call "details" summary_text="Earlier model" %}<p class="govuk-body">...</p>{% endgovuk_call %}

Form fields: `{% govuk_field form.name %}` renders one bound field as its GOV.UK component (input,
textarea, select, radios, checkboxes), `{% govuk_fields form %}` every field of a form, and
`{% govuk_error_summary form %}` the error summary of one or more forms (nothing when they have no errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms, template
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from areasend.core import components
from areasend.core.forms import GOVUK_CLASSES

register = template.Library()


@register.filter
def govuk_attributes(attributes: Any) -> SafeString:
    """`{{ attributes|govuk_attributes }}`: a mapping of extra attributes as HTML (see `attributes_html`)."""
    return components.attributes_html(attributes)


def _render(context: template.Context, name: str, values: Mapping[str, Any]) -> SafeString:
    assert context.template is not None, "components render inside a template"
    found = context.template.engine.get_template(f"govuk/components/{name}.html")
    return mark_safe(found.render(context.new(dict(values))))  # noqa: S308 - the output of a template


def _component_tag(name: str) -> None:
    def tag(context: template.Context, params: Mapping[str, Any] | None = None, **kwargs: Any) -> SafeString:
        return _render(context, name, components.component_params(name, params, kwargs))

    tag.__name__ = f"govuk_{name}"
    tag.__doc__ = f"The GOV.UK {name.replace('_', ' ')} component."
    register.simple_tag(tag, takes_context=True, name=f"govuk_{name}")


for _name in components.COMPONENTS:
    if _name != "error_summary":
        _component_tag(_name)


@register.simple_tag(takes_context=True)
def govuk_error_summary(
    context: template.Context, *forms_: Any, params: Mapping[str, Any] | None = None, **kwargs: Any
) -> SafeString:
    """The error summary of the forms given (nothing when none has an error), or of `error_list`."""
    values = components.component_params("error_summary", params, kwargs)
    if forms_ and not values["error_list"]:
        values["error_list"] = components.error_list(*forms_)
    if not values["error_list"] and not (values["description_text"] or values["description_html"]):
        return SafeString("")
    values["title_text"] = values["title_text"] or "There is a problem"
    return _render(context, "error_summary", values)


class CallNode(template.Node):
    """`{% govuk_call "details" summary_text="..." %}body{% endgovuk_call %}`: the body is the `html`."""

    def __init__(self, name: str, kwargs: dict[str, FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.kwargs = kwargs
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        values[components.CALL_PARAMETER.get(self.name, "html")] = mark_safe(  # noqa: S308 - rendered template
            self.nodelist.render(context).strip()
        )
        if self.name == "error_summary":
            values.setdefault("title_text", "There is a problem")
        return _render(context, self.name, components.component_params(self.name, None, values))


@register.tag
def govuk_call(parser: Parser, token: Token) -> CallNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(
            'govuk_call needs a component name in quotes: {% govuk_call "details" %}'
        )
    name = bits[1][1:-1]
    if name not in components.COMPONENTS:
        raise template.TemplateSyntaxError(f"govuk_call: there is no GOV.UK component {name!r}")
    remaining = bits[2:]
    kwargs = token_kwargs(remaining, parser)
    if remaining:
        raise template.TemplateSyntaxError(
            f"govuk_call takes only name=value parameters, not {remaining[0]!r}"
        )
    nodelist = parser.parse(("endgovuk_call",))
    parser.delete_first_token()
    return CallNode(name, kwargs, nodelist)


# --- form fields ---------------------------------------------------------------------------------


def _widget_kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def field_params(bound: forms.BoundField, classes: str = "", label_class: str = "") -> dict[str, Any]:
    """The GOV.UK component parameters for a bound Django field (`kind` names the component)."""
    kind = _widget_kind(bound)
    widget = bound.field.widget
    field_id = bound.auto_id or bound.html_name
    errors = list(bound.errors)
    hint: dict[str, Any] | None = (
        {"text": bound.help_text, "id": f"{field_id}-hint"} if bound.help_text else None
    )
    error_message: dict[str, Any] | None = {"messages": errors, "id": f"{field_id}-error"} if errors else None
    described_by = " ".join(part["id"] for part in (hint, error_message) if part)
    params: dict[str, Any] = {
        "kind": kind,
        "id": field_id,
        "name": bound.html_name,
        "label": {"text": bound.label, "classes": label_class},
        "hint": hint,
        "error_message": error_message,
        "described_by": described_by,
        "classes": classes or widget.attrs.get(GOVUK_CLASSES, ""),
        "attrs": widget.attrs,
    }
    if kind in {"radios", "checkboxes", "select"}:
        options = [o.data for o in bound.subwidgets if kind == "select" or str(o.data["value"]) != ""]
        params["items"] = [
            {
                "value": str(option["value"]),
                "text": option["label"],
                "selected": bool(option["selected"]),
                "id": field_id if number == 1 else f"{field_id}-{number}",
            }
            for number, option in enumerate(options, 1)
        ]
        params["fieldset"] = {
            "legend": {"text": bound.label, "classes": label_class or "govuk-fieldset__legend--s"}
        }
    elif kind == "checkbox":
        params["items"] = [
            {"value": "on", "text": bound.label, "selected": bool(bound.value()), "id": field_id}
        ]
    elif kind == "file":
        params["accept"] = widget.attrs.get("accept", "")
    else:
        value = bound.value()
        hide = getattr(widget, "input_type", "") == "password"
        params["type"] = getattr(widget, "input_type", "text")
        shown = None if value is None or hide else widget.format_value(value)
        params["value"] = "" if shown is None else shown  # an empty post is shown empty, not as "None"
    return params


@register.simple_tag(takes_context=True)
def govuk_field(
    context: template.Context, bound: forms.BoundField, classes: str = "", label_class: str = ""
) -> SafeString:
    """A form group with label (or legend), hint, error message and the control.

    `classes` go on the control (for example `govuk-input--width-10`); without them, those the field
    was defined with (`core.forms`) are used. `label_class` sizes the label or legend.
    """
    params = field_params(bound, classes, label_class)
    return _render(context, f"field_{params['kind']}", params)


@register.simple_tag(takes_context=True)
def govuk_fields(context: template.Context, form: forms.BaseForm) -> SafeString:
    """Every field of a form, in order: hidden ones as hidden inputs, the rest as GOV.UK components."""
    return SafeString("\n".join(govuk_field(context, bound) for bound in form))


@register.simple_tag(takes_context=True)
def nav_active(context: template.Context, prefix: str) -> str:
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return "govuk-service-navigation__item--active"
    return ""


# --- wide tables ---------------------------------------------------------------------------------


class TableScrollNode(template.Node):
    """`{% table_scroll label="Deadlines" %}<table>…</table>{% endtable_scroll %}`: a table that may be
    wider than a phone's screen scrolls inside its own region instead of widening the page. The region
    is named and focusable, so a keyboard user can scroll it too (the GOV.UK advice for wide tables)."""

    def __init__(self, label: FilterExpression, nodelist: NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        return format_html(
            '<div class="app-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            mark_safe(self.nodelist.render(context).strip()),  # noqa: S308 - rendered template
        )


@register.tag
def table_scroll(parser: Parser, token: Token) -> TableScrollNode:
    bits = token.split_contents()[1:]
    kwargs = token_kwargs(bits, parser)
    if bits or set(kwargs) != {"label"}:
        raise template.TemplateSyntaxError('table_scroll takes one parameter: {% table_scroll label="…" %}')
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(kwargs["label"], nodelist)
