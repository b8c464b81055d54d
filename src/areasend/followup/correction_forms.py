"""Forms that correct what a follow-up records: the shape of what was typed; whether the change is
allowed stays in `followup.corrections`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from areasend.areas.models import Partner
from areasend.core.forms import ModelChoiceField, choice_field, date_field, text_field, textarea_field
from areasend.inspections.correction_forms import WithdrawForm as WithdrawForm
from areasend.inspections.correction_forms import reason_field

# Messages: tests import these and assert them exactly.
ENTER_CORRECTED_SUBMITTED_ON = "Enter the date the plan was submitted"
ENTER_CORRECTED_REVIEWED_ON = "Enter the date the plan was reviewed"
SELECT_CORRECTED_JUDGEMENT = "Select the judgement"
ENTER_CORRECTED_ACTION = "Enter the action"
SELECT_CORRECTED_OWNER = "Select the partner who owns the action"
ENTER_CORRECTED_DUE_ON = "Enter the date the action is due"
SELECT_CORRECTED_STATUS = "Select the action's progress"


class SubmissionCorrectForm(forms.Form):
    submitted_on = date_field("Date submitted", required_message=ENTER_CORRECTED_SUBMITTED_ON)
    summary = textarea_field("Summary (optional)", rows=4, required=False)
    reason = reason_field()


class ReviewCorrectForm(forms.Form):
    reviewed_on = date_field("Date reviewed", required_message=ENTER_CORRECTED_REVIEWED_ON)
    feedback = textarea_field("Feedback (optional)", rows=4, required=False)

    def __init__(
        self, *args: Any, judgements: Iterable[tuple[str, str]], judgement_fixed: bool, **kwargs: Any
    ) -> None:
        """``judgement_fixed``: a later submission was made, so only the date and feedback can change."""
        super().__init__(*args, **kwargs)
        if not judgement_fixed:
            self.fields["judgement"] = choice_field(
                "Judgement", judgements, SELECT_CORRECTED_JUDGEMENT, radios=True
            )
        self.fields["reason"] = reason_field()
        self.order_fields(["judgement", "reviewed_on", "feedback", "reason"])


class ActionCorrectForm(forms.Form):
    text = textarea_field("Action", rows=3, required_message=ENTER_CORRECTED_ACTION)
    due_on = date_field("Due by", required_message=ENTER_CORRECTED_DUE_ON)
    milestone = text_field("Milestone (optional)", required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        partners: QuerySet[Partner],
        statuses: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = ModelChoiceField(
            label="Owned by",
            queryset=partners,
            empty_label="Choose a partner",
            error_messages={"required": SELECT_CORRECTED_OWNER, "invalid_choice": SELECT_CORRECTED_OWNER},
        )
        self.fields["status"] = choice_field("Progress", list(statuses), SELECT_CORRECTED_STATUS, radios=True)
        self.fields["reason"] = reason_field()
        self.order_fields(["text", "owner", "due_on", "milestone", "status", "reason"])


class JudgementCorrectForm(forms.Form):
    def __init__(self, *args: Any, label: str, options: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judgement"] = choice_field(label, options, SELECT_CORRECTED_JUDGEMENT, radios=True)
        self.fields["reason"] = reason_field()
