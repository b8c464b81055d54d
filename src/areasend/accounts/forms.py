from django.contrib.auth.forms import AuthenticationForm

from areasend.core.forms import GOVUK_CLASSES

# Messages: tests import these and assert them exactly.
SIGN_IN_INVALID = "Enter a correct username and password. Both fields may be case-sensitive."
ENTER_USERNAME = "Enter your username"
ENTER_PASSWORD = "Enter your password"  # noqa: S105 - a message, not a password


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
