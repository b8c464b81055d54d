"""Forms that correct or withdraw what an inspection records: the shape of what was typed (a real
date, one of the options shown, a reason); whether the change is allowed stays in `corrections`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from areasend.areas.models import Partner
from areasend.core.forms import ModelMultipleChoiceField, choice_field, date_field, textarea_field
from areasend.domain.frameworks import Framework

from .corrections import REASON_MAX
from .presentation import label_of

# Messages: tests import these and assert them exactly.
ENTER_CORRECTION_REASON = "Enter why you are making this correction"
ENTER_WITHDRAWAL_REASON = "Enter why you are withdrawing it"
ENTER_CORRECTED_DATE = "Enter the corrected date"
SELECT_CORRECTED_DECISION = "Select the corrected decision"
SELECT_CORRECTED_OUTCOME = "Select the corrected outcome"
ENTER_CORRECTED_FINDING = "Enter the finding"
SELECT_CORRECTED_PARTNERS = "Select the partners responsible"

REASON_HINT = "Everyone who can see the inspection sees this reason in the record's history."


def reason_field(*, withdrawal: bool = False) -> forms.CharField:
    return textarea_field(
        "Why are you withdrawing it?" if withdrawal else "Why are you making this correction?",
        rows=3,
        required_message=ENTER_WITHDRAWAL_REASON if withdrawal else ENTER_CORRECTION_REASON,
        max_length=REASON_MAX,
        help_text=REASON_HINT,
    )


class WithdrawForm(forms.Form):
    """A withdrawal: only its reason."""

    reason = reason_field(withdrawal=True)


class EventCorrectForm(forms.Form):
    """The corrected date (or, for a decision, the corrected choice), and why."""

    def __init__(self, *args: Any, framework: Framework, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = framework.event(name)
        if event is not None and event.choices:
            self.fields["choice"] = choice_field(
                "Corrected decision",
                [(key, label_of(framework, key)) for key in event.choices],
                SELECT_CORRECTED_DECISION,
                radios=True,
            )
        else:
            self.fields["on"] = date_field("Corrected date", required_message=ENTER_CORRECTED_DATE)
        self.fields["reason"] = reason_field()


class OutcomeCorrectForm(forms.Form):
    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"] = choice_field(
            "Corrected outcome",
            [(o.key, f"{o.number}. {o.label}") for o in framework.outcomes],
            SELECT_CORRECTED_OUTCOME,
            radios=True,
        )
        self.fields["reason"] = reason_field()


class FindingCorrectForm(forms.Form):
    text = textarea_field("Finding", rows=4, required_message=ENTER_CORRECTED_FINDING)

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = ModelMultipleChoiceField(
            label="Partners responsible",
            queryset=partners,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": SELECT_CORRECTED_PARTNERS,
                "invalid_choice": SELECT_CORRECTED_PARTNERS,
                "invalid_pk_value": SELECT_CORRECTED_PARTNERS,
            },
        )
        self.fields["reason"] = reason_field()
