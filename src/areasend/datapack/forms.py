from __future__ import annotations

from django import forms

from areasend.analytics.errors import PeriodError
from areasend.analytics.formatting import parse_period

CHOOSE_INSPECTION = "Choose the inspection the lines of enquiry are for"

DECISION_CHOICES = [
    ("accept", "Accept (with any changes made to the wording)"),
    ("reject", "Reject"),
    ("reopen", "Leave as proposed"),
]


class PeriodForm(forms.Form):
    period = forms.CharField(
        label="Period",
        required=False,
        max_length=10,
        help_text="A year, for example 2023 or 2022/23. Leave blank for the latest published figures.",
    )

    def clean_period(self) -> str:
        value = str(self.cleaned_data["period"]).strip()
        if value:
            try:
                parse_period(value)
            except PeriodError as exc:
                raise forms.ValidationError("Enter a year, for example 2023 or 2022/23") from exc
        return value


class ProposeForm(forms.Form):
    prefix = "propose"
    period = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    inspection = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": CHOOSE_INSPECTION, "invalid": CHOOSE_INSPECTION},
    )
    previous_weaknesses = forms.CharField(
        label="Weaknesses found at the previous inspection (optional)",
        required=False,
        max_length=5000,
        error_messages={"max_length": "Weaknesses must be 5,000 characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One weakness on each line. Each becomes a line of enquiry linked to its criterion.",
    )

    def weaknesses(self) -> list[str]:
        return [w.strip() for w in self.cleaned_data["previous_weaknesses"].splitlines() if w.strip()]


class LineReviewForm(forms.Form):
    text = forms.CharField(
        label="Line of enquiry",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter the line of enquiry"},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=DECISION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or reject the line of enquiry"},
    )
