from __future__ import annotations

from django import forms

from areasend.analytics.errors import PeriodError
from areasend.analytics.formatting import parse_period
from areasend.core.forms import choice_field, text_field, textarea_field, too_long

CHOOSE_INSPECTION = "Choose the inspection the lines of enquiry are for"

DECISION_CHOICES = [
    ("accept", "Accept (with any changes made to the wording)"),
    ("reject", "Reject"),
    ("reopen", "Leave as proposed"),
]

# Messages: tests import these and assert them exactly.
ENTER_PERIOD = "Enter a year, for example 2023 or 2022/23"
WEAKNESSES_TOO_LONG = too_long("Weaknesses", 5000)
ENTER_LINE = "Enter the line of enquiry"
LINE_TOO_LONG = too_long("The line of enquiry", 5000)
SELECT_DECISION = "Choose whether to accept or reject the line of enquiry"


class PeriodForm(forms.Form):
    period = text_field(
        "Period",
        required=False,
        max_length=10,
        too_long_message=ENTER_PERIOD,
        help_text="A year, for example 2023 or 2022/23. Leave blank for the latest published figures.",
        classes="govuk-input--width-5",
    )

    def clean_period(self) -> str:
        value = str(self.cleaned_data["period"]).strip()
        if value:
            try:
                parse_period(value)
            except PeriodError as exc:
                raise forms.ValidationError(ENTER_PERIOD) from exc
        return value


class ProposeForm(forms.Form):
    prefix = "propose"
    period = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    inspection = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": CHOOSE_INSPECTION, "invalid": CHOOSE_INSPECTION},
    )
    previous_weaknesses = textarea_field(
        "Weaknesses found at the previous inspection (optional)",
        rows=4,
        required=False,
        max_length=5000,
        too_long_message=WEAKNESSES_TOO_LONG,
        help_text="One weakness on each line. Each becomes a line of enquiry linked to its criterion.",
    )

    def weaknesses(self) -> list[str]:
        return [w.strip() for w in self.cleaned_data["previous_weaknesses"].splitlines() if w.strip()]


class LineReviewForm(forms.Form):
    text = textarea_field(
        "Line of enquiry",
        rows=6,
        required_message=ENTER_LINE,
        max_length=5000,
        too_long_message=LINE_TOO_LONG,
    )
    decision = choice_field("Decision", DECISION_CHOICES, SELECT_DECISION, radios=True)
