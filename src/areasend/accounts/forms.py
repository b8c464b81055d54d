from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from areasend.areas.models import LocalArea
from areasend.core.forms import GOVUK_CLASSES, choice_field, text_field, too_long

from .models import GRADE_CHOICES
from .roles import ROLE_CHOICES

# Messages: tests import these and assert them exactly.
SIGN_IN_INVALID = "Enter a correct username and password. Both fields may be case-sensitive."
ENTER_USERNAME = "Enter your username"
ENTER_PASSWORD = "Enter your password"  # noqa: S105 - a message, not a password
ENTER_NEW_USERNAME = "Enter a username"
ENTER_FULL_NAME = "Enter the user’s full name"
ENTER_EMAIL = "Enter an email address"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
SELECT_ROLE = "Select a role"
SELECT_AREA = "Select an area from the list"
ENTER_NEW_PASSWORD = "Enter a new password"  # noqa: S105 - a message
ENTER_PASSWORD_AGAIN = "Enter the new password again"  # noqa: S105 - a message
PASSWORDS_DIFFER = "The passwords do not match"
SEARCH_TOO_LONG = too_long("The search", 100)
SELECT_GRADE = "Select the inspector’s grade from the list"
NO_GRADE = "Not an inspector (no grade)"
GRADE_HINT = (
    "Inspectors only. The grade says which inspectorate they work for; each team role of a framework "
    "names the grades that may hold it (an Ofsted HMI leads, the health lead is a CQC inspector)."
)

EVERY_AREA = "Every area"
AREA_HINT = (
    "An area partnership officer acts for one area. Inspectors and viewers act for one area or every "
    "area; administrators act for every area."
)


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": SIGN_IN_INVALID,
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = ENTER_USERNAME
        self.fields["password"].error_messages["required"] = ENTER_PASSWORD
        # the GOV.UK field rendering reads its classes and these attributes from the widget (core.forms)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", GOVUK_CLASSES: "govuk-input--width-20"}
        )
        self.fields["password"].widget.attrs.update(
            {"autocomplete": "current-password", GOVUK_CLASSES: "govuk-input--width-20"}
        )


class UserSearchForm(forms.Form):
    q = text_field(
        "Search by username, name or email address",
        required=False,
        max_length=100,
        too_long_message=SEARCH_TOO_LONG,
        classes="govuk-input--width-20",
        spellcheck=False,
    )


class _RoleAndArea(forms.Form):
    """A role and, where it needs one or may have one, the area it is for."""

    role = choice_field("Role", ROLE_CHOICES, SELECT_ROLE, radios=True)
    area = choice_field("Area", [], SELECT_AREA, required=False, blank=EVERY_AREA, help_text=AREA_HINT)

    def __init__(self, *args: Any, areas: Iterable[LocalArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._areas = {area.ons_code: area for area in areas}
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", EVERY_AREA),
            *[(code, area.name) for code, area in self._areas.items()],
        ]

    def chosen_area(self) -> LocalArea | None:
        """The area chosen (after validation), or None for every area."""
        code = self.cleaned_data.get("area") or ""
        return self._areas.get(code)


class UserCreateForm(_RoleAndArea):
    username = text_field(
        "Username",
        required_message=ENTER_NEW_USERNAME,
        max_length=150,
        help_text="They sign in with it. Letters, numbers and @ . + - _ only.",
        classes="govuk-input--width-20",
        autocomplete="off",
        spellcheck=False,
    )
    full_name = text_field(
        "Full name",
        required_message=ENTER_FULL_NAME,
        max_length=150,
        classes="govuk-input--width-30",
        autocomplete="off",
        spellcheck=False,
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "spellcheck": "false", GOVUK_CLASSES: "govuk-input--width-30"}
        ),
        error_messages={
            "required": ENTER_EMAIL,
            "invalid": EMAIL_INVALID,
            "max_length": too_long("Email address", 254),
        },
    )
    grade = choice_field(
        "Inspector’s grade", GRADE_CHOICES, SELECT_GRADE, required=False, blank=NO_GRADE, help_text=GRADE_HINT
    )
    field_order = ["username", "full_name", "email", "role", "area", "grade"]


class GradeForm(forms.Form):
    grade = choice_field(
        "Inspector’s grade", GRADE_CHOICES, SELECT_GRADE, required=False, blank=NO_GRADE, help_text=GRADE_HINT
    )


class RoleAddForm(_RoleAndArea):
    pass


def _password_field(label: str, message: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", GOVUK_CLASSES: "govuk-input--width-20"}
        ),
        error_messages={"required": message},
    )


class SetPasswordForm(forms.Form):
    new_password = _password_field(
        "New password",
        ENTER_NEW_PASSWORD,
        help_text=" ".join(password_validation.password_validators_help_texts()),
    )
    confirm_password = _password_field("Confirm your new password", ENTER_PASSWORD_AGAIN)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password"), data.get("confirm_password")
        if first and second and first != second:
            self.add_error("confirm_password", PASSWORDS_DIFFER)
        return data
