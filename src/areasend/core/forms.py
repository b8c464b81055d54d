"""GOV.UK form fields: Django fields set up for the GOV.UK Design System's components and messages.

Each helper returns a plain Django field. The `govuk_field` template tag renders it as the matching
GOV.UK component (text input, textarea, select, radios, checkboxes) with its label, hint and error
message; `classes` (for example `govuk-input--width-10`) travel with the widget so every page that shows
the field shows it the same way.

Error messages follow the GOV.UK patterns and are module constants or built from the label, so tests can
import and assert them exactly. A required field always says what is missing in the domain's own words:
the helpers ask for that message rather than fall back on Django's "This field is required."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .inputs import date_problem

# Messages: tests import these and assert them exactly.
DATE_HINT = "For example, 23/9/2019"
DATE_INVALID = "Enter a real date, for example 23/9/2019"
TIME_HINT = "For example, 09:30"
TIME_INVALID = "Enter a time using the 24-hour clock, for example 09:30"
TOO_LONG = "{name} must be {max_length:,} characters or less"

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]

# The widget attribute the `govuk_field` tag reads for the component's `classes`.
GOVUK_CLASSES = "govuk_classes"
NARROW = {GOVUK_CLASSES: "govuk-input--width-10"}
SHORT = {GOVUK_CLASSES: "govuk-input--width-5"}


class MissingMessage(ValueError):
    """A required field was defined without the message that says what to enter."""


def date_text(day: dt.date | None) -> str:
    """A date as the forms ask for it (23/9/2019), for filling a field in."""
    return f"{day.day}/{day.month}/{day.year}" if day else ""


def humanise(key: str) -> str:
    """A framework key (`wsoa_required`) as words (`Wsoa required`)."""
    return key.replace("_", " ").capitalize()


def too_long(name: str, max_length: int) -> str:
    """GOV.UK's message for text that is too long: 'Summary must be 5,000 characters or less'."""
    return TOO_LONG.format(name=name, max_length=max_length)


def _attrs(classes: str, **extra: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = {key: value for key, value in extra.items() if value not in ("", None)}
    if classes:
        attrs[GOVUK_CLASSES] = classes
    return attrs


def _required(label: str, required: bool, message: str) -> str:
    if required and not message:
        raise MissingMessage(f"the required field {label!r} needs a message saying what to enter")
    return message


def _sensible_date(value: dt.date) -> None:
    """Refuse a date no record can carry (the range is the input layer's: `core.inputs`)."""
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem)


def date_field(
    label: str, *, required: bool = True, required_message: str = "", help_text: str = DATE_HINT
) -> forms.DateField:
    """A date typed in one box (23/9/2019, 2019-09-23 or 23 September 2019), within the range a record
    can carry."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.TextInput(attrs=dict(NARROW)),
        error_messages={"invalid": DATE_INVALID, "required": required_message or DATE_INVALID},
        validators=[_sensible_date],
    )


def time_field(
    label: str, *, required: bool = True, required_message: str = "", help_text: str = TIME_HINT
) -> forms.TimeField:
    """A time on the 24-hour clock (09:30, 09.30 or 0930)."""
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=TIME_FORMATS,
        help_text=help_text,
        widget=forms.TextInput(attrs=dict(SHORT)),
        error_messages={"required": required_message or TIME_INVALID, "invalid": TIME_INVALID},
    )


def choice_field(
    label: str,
    choices: Iterable[tuple[str, str]],
    message: str,
    *,
    required: bool = True,
    radios: bool = False,
    blank: str = "",
    help_text: str = "",
) -> forms.ChoiceField:
    """A select (or radios); an unknown value gets the same message as a missing one.

    A select starts with a `blank` option ("Choose a framework") when one is given, or "Not applicable"
    when the field is optional; radios have no blank option.
    """
    options = list(choices)
    if not radios and (blank or not required):
        options = [("", blank or "Not applicable"), *options]
    return forms.ChoiceField(
        label=label,
        choices=options,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"required": message, "invalid_choice": message},
    )


def checkboxes_field(
    label: str,
    choices: Iterable[tuple[str, str]],
    message: str,
    *,
    required: bool = True,
    help_text: str = "",
) -> forms.MultipleChoiceField:
    """Checkboxes under one question; an unknown value gets the same message as none chosen."""
    return forms.MultipleChoiceField(
        label=label,
        choices=list(choices),
        required=required,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": message, "invalid_choice": message, "invalid_list": message},
    )


def checkbox_field(label: str, *, help_text: str = "") -> forms.BooleanField:
    """One optional checkbox (a yes/no such as 'Include former areas')."""
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def text_field(
    label: str,
    *,
    required: bool = True,
    required_message: str = "",
    max_length: int | None = None,
    too_long_message: str = "",
    help_text: str = "",
    classes: str = "",
    autocomplete: str = "",
    spellcheck: bool | None = None,
) -> forms.CharField:
    """A text input. Too long text gets GOV.UK's message, naming the field by its label."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(
            attrs=_attrs(
                classes,
                autocomplete=autocomplete,
                spellcheck=None if spellcheck is None else str(spellcheck).lower(),
            )
        ),
        error_messages=_messages(label, required, required_message, max_length, too_long_message),
    )


def textarea_field(
    label: str,
    *,
    rows: int = 5,
    required: bool = True,
    required_message: str = "",
    max_length: int | None = None,
    too_long_message: str = "",
    help_text: str = "",
    classes: str = "",
) -> forms.CharField:
    """A textarea of `rows` lines."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs=_attrs(classes, rows=rows)),
        error_messages=_messages(label, required, required_message, max_length, too_long_message),
    )


def _messages(
    label: str, required: bool, required_message: str, max_length: int | None, too_long_message: str
) -> dict[str, str]:
    messages = {"required": _required(label, required, required_message)} if required else {}
    if max_length is not None:
        messages["max_length"] = too_long_message or too_long(label.removesuffix(" (optional)"), max_length)
    return messages


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in (remove a partner, and the like)."""


class AuditFilterForm(forms.Form):
    """The audit log's filter."""

    action = text_field(
        "Action starts with",
        required=False,
        max_length=100,
        too_long_message=too_long("The action", 100),
        classes="govuk-input--width-20",
    )


_LARGEST_ID = 2**63 - 1


def _plausible_id(value: Any) -> bool:
    text = str(value).strip()
    return text.isdigit() and int(text) <= _LARGEST_ID


class ModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one stored object: an id that no database column could hold is an invalid choice,
    refused before it is looked up (Django's own field would pass it to the database). Choices by
    another field (`to_field_name`) are looked up as Django does."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and self.to_field_name is None and not _plausible_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of several stored objects, refusing implausible ids as `ModelChoiceField` does."""

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None and any(not _plausible_id(v) for v in value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super()._check_values(value)  # type: ignore[misc]  # Django's own check, not in the stubs
