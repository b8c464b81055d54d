from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from areasend.core.forms import GOVUK_CLASSES, too_long

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
