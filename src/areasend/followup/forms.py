"""Forms for follow-up plans and visits: the shape of what was typed; the rules stay in the services.

Choices come from the inspection's framework (documents, review judgements, visits, judgement
scales), so each form is built for one inspection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from areasend.areas.models import Partner
from areasend.core.forms import ModelChoiceField, textarea_field
from areasend.inspections.forms import choice_field, date_field
from areasend.inspections.models import Finding

from .documents import DESCRIPTION_MAX, DESCRIPTION_TOO_LONG
from .models import PlanAction

# Messages: tests import these and assert them exactly.
SELECT_DOCUMENT = "Select the follow-up document"
ENTER_SUBMITTED_ON = "Enter the date the plan was submitted"
ENTER_ACTION_TEXT = "Enter the action"
SELECT_OWNER = "Select the partner who owns the action"
ENTER_DUE_ON = "Enter the date the action is due"
SELECT_FINDING = "Select the finding from the list"
SELECT_ACTION_STATUS = "Select the action's new status"
SELECT_JUDGEMENT = "Select the judgement"
ENTER_REVIEWED_ON = "Enter the date the plan was reviewed"
SELECT_VISIT = "Select the kind of visit"
SELECT_VISIT_JUDGEMENT = "Select a judgement from the list"


class PlanOpenForm(forms.Form):
    def __init__(self, *args: Any, documents: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"] = choice_field("Follow-up document", documents, SELECT_DOCUMENT, radios=True)


class PlanSubmitForm(forms.Form):
    submitted_on = date_field("Date submitted", required_message=ENTER_SUBMITTED_ON)
    summary = forms.CharField(
        label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PlanActionForm(forms.Form):
    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ENTER_ACTION_TEXT},
    )
    due_on = date_field("Due by", required_message=ENTER_DUE_ON)
    milestone = forms.CharField(label="Milestone (optional)", max_length=200, required=False)

    def __init__(
        self, *args: Any, partners: QuerySet[Partner], findings: QuerySet[Finding], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = ModelChoiceField(
            label="Owned by",
            queryset=partners,
            empty_label="Choose a partner",
            error_messages={"required": SELECT_OWNER, "invalid_choice": SELECT_OWNER},
        )
        self.fields["finding"] = ModelChoiceField(
            label="Finding it addresses (optional)",
            queryset=findings,
            required=False,
            empty_label="None",
            error_messages={"invalid_choice": SELECT_FINDING},
        )
        self.order_fields(["text", "owner", "finding", "due_on", "milestone"])


class ActionProgressForm(forms.Form):
    def __init__(
        self, *args: Any, action: PlanAction, statuses: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        """``statuses``: (code, label) of the action's statuses in order; only later ones are offered."""
        super().__init__(*args, **kwargs)
        order = [code for code, _ in statuses]
        later = statuses[order.index(action.status) + 1 :] if action.status in order else statuses
        self.fields["status"] = choice_field("New status", list(later), SELECT_ACTION_STATUS, radios=True)


class PlanReviewForm(forms.Form):
    reviewed_on = date_field("Date reviewed", required_message=ENTER_REVIEWED_ON)
    feedback = forms.CharField(
        label="Feedback (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, judgements: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judgement"] = choice_field("Judgement", judgements, SELECT_JUDGEMENT, radios=True)
        self.order_fields(["judgement", "reviewed_on", "feedback"])


# --- follow-up visits ----------------------------------------------------------------------------


class VisitScheduleForm(forms.Form):
    notified_on = date_field("Date the partnership was notified (optional)", required=False)
    starts_on = date_field("First day (optional)", required=False)
    ends_on = date_field("Last day (optional)", required=False)

    def __init__(self, *args: Any, visits: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit"] = choice_field("Kind of visit", visits, SELECT_VISIT, radios=True)
        self.order_fields(["visit", "notified_on", "starts_on", "ends_on"])


FINDING_FIELD = "finding_{pk}"


REASON_FOR_DIFFERENCE = "reason_for_difference"


class VisitJudgeForm(forms.Form):
    """One set of radios per finding the visit judges (on the scale that judges its kind), one for
    the overall judgement, the reason when the overall judgement differs from what the judgement of
    each finding gives (when the framework relates them: ``overall_rule`` says how), and the
    publication date."""

    def __init__(
        self,
        *args: Any,
        findings: Sequence[tuple[Finding, Sequence[tuple[str, str]], str]],
        overall_options: Sequence[tuple[str, str]],
        overall_scale: str,
        overall_rule: str = "",
        **kwargs: Any,
    ) -> None:
        """``findings``: each finding judged with its scale's options and the scale's label."""
        super().__init__(*args, **kwargs)
        self.finding_fields: dict[str, int] = {}
        for finding, options, scale in findings:
            name = FINDING_FIELD.format(pk=finding.pk)
            self.fields[name] = choice_field(
                f"{finding}: {finding.text}",
                options,
                SELECT_VISIT_JUDGEMENT,
                required=False,
                radios=True,
                help_text=scale,
            )
            self.finding_fields[name] = finding.pk
        if overall_options:
            self.fields["overall"] = choice_field(
                overall_scale, overall_options, SELECT_VISIT_JUDGEMENT, required=False, radios=True
            )
        if overall_options and overall_rule:
            self.fields[REASON_FOR_DIFFERENCE] = textarea_field(
                "Reason the overall judgement differs (only if it does)",
                rows=3,
                required=False,
                max_length=2000,
                help_text=overall_rule,
            )
        self.fields["published_on"] = date_field(
            "Date the letter or report was published (optional)", required=False
        )

    def per_finding(self) -> dict[int, str]:
        return {
            pk: self.cleaned_data[name]
            for name, pk in self.finding_fields.items()
            if self.cleaned_data.get(name)
        }


class VisitDatesForm(forms.Form):
    notified_on = date_field("Date the partnership was notified (optional)", required=False)
    starts_on = date_field("First day (optional)", required=False)
    ends_on = date_field("Last day (optional)", required=False)


class PlanDocumentForm(forms.Form):
    """A document for a plan: the file is checked by content in the service (core.uploads)."""

    file = forms.FileField(
        label="Document",
        help_text="A PDF or a Word document (DOCX), smaller than {limit}.",
        required=False,  # the service says "Select a file", with the other checks of the upload
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
        allow_empty_file=True,  # an empty file is the service's to refuse, with its own message
    )
    description = forms.CharField(
        label="What the document is (optional)",
        help_text="For example, the written statement of action as published, or a progress report",
        max_length=DESCRIPTION_MAX,
        required=False,
        error_messages={"max_length": DESCRIPTION_TOO_LONG},
    )

    def __init__(self, *args: Any, limit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text.format(limit=limit)
