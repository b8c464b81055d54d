"""Small GOV.UK Design System components, shaped like the official Nunjucks macro parameters."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


def _widget_kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.inclusion_tag("govuk/field.html")
def govuk_field(bound: forms.BoundField, classes: str = "", label_class: str = "") -> dict[str, Any]:
    """A form group with label, hint, error message and the control (input, select, textarea...)."""
    kind = _widget_kind(bound)
    widget = bound.field.widget
    input_type = getattr(widget, "input_type", "text")
    options = []
    if kind in {"select", "radios"}:
        current = "" if bound.value() is None else str(bound.value())
        options = [
            {"value": str(value), "label": label, "selected": str(value) == current}
            for value, label in bound.field.choices  # type: ignore[attr-defined]
            if kind == "select" or str(value) != ""
        ]
    return {
        "field": bound,
        "kind": kind,
        "input_type": input_type,
        "classes": classes,
        "label_class": label_class,
        "options": options,
        "value": "" if bound.value() is None or input_type == "password" else bound.value(),
        "attrs": widget.attrs,
        "errors": bound.errors,
        "describedby": " ".join(
            part
            for part in (
                f"{bound.auto_id}-hint" if bound.help_text else "",
                f"{bound.auto_id}-error" if bound.errors else "",
            )
            if part
        ),
    }


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(form: forms.BaseForm) -> dict[str, Any]:
    items = []
    if form.is_bound:
        for message in form.non_field_errors():
            items.append({"text": message, "href": ""})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            for message in errors:
                items.append({"text": message, "href": f"#{bound.auto_id}"})
    return {"items": items}


@register.simple_tag(takes_context=True)
def nav_active(context: template.Context, prefix: str) -> str:
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return "govuk-service-navigation__item--active"
    return ""
