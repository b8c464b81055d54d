"""Forms for the inspection pages. They check the shape of what was typed (a real date, one of the
options shown); every rule about whether the move is allowed stays in the services.

Choices come from the inspection's framework (events, outcomes, team roles, documents, visits,
judgement scales), so each form is built for one inspection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from areasend.accounts.roles import INSPECTOR
from areasend.areas.models import LocalArea, Partner
from areasend.core.forms import DATE_FORMATS as DATE_FORMATS
from areasend.core.forms import DATE_HINT as DATE_HINT
from areasend.core.forms import DATE_INVALID as DATE_INVALID
from areasend.core.forms import NARROW as NARROW
from areasend.core.forms import SHORT as SHORT
from areasend.core.forms import TIME_FORMATS as TIME_FORMATS
from areasend.core.forms import TIME_INVALID as TIME_INVALID

# The generic GOV.UK field helpers and their messages live in core; re-exported for the inspection pages.
from areasend.core.forms import ModelChoiceField, ModelMultipleChoiceField, textarea_field
from areasend.core.forms import choice_field as choice_field
from areasend.core.forms import date_field as date_field
from areasend.core.forms import date_text as date_text
from areasend.core.forms import humanise as humanise
from areasend.domain.frameworks import Framework
from areasend.domain.inspectorates import grade_text
from areasend.frameworks.selectors import term_choices, term_labels

from .models import Inspection

# Messages: tests import these and assert them exactly.
SELECT_AREA = "Select the local area"
SELECT_FRAMEWORK = "Select the framework"
SELECT_EVENT = "Select what happened"
SELECT_DECISION = "Select the decision from the list"
SELECT_OUTCOME = "Select the outcome"
SELECT_INSPECTOR = "Select an inspector"
SELECT_ROLE = "Select the role in the team"
ENTER_REASON = "Say what links the inspector to the area"
ENTER_ACTIVITY_DATE = "Enter the date of the activity"
ENTER_START = "Enter the time the activity starts"
ENTER_END = "Enter the time the activity ends"
SELECT_ACTIVITY_TYPE = "Select the kind of activity"
ENTER_ACTIVITY_TITLE = "Enter a title for the activity"
SELECT_SECTOR = "Select the sector from the list"
SELECT_PHASE = "Select the phase from the list"
SELECT_TEAM_INSPECTORS = "Select inspectors from the team"
SELECT_FINDING_KIND = "Select the kind of finding"
ENTER_FINDING_TEXT = "Enter the finding"
SELECT_RESPONSIBLE = "Select the partners responsible"
SELECT_INSPECTORATE = "Select the inspectorate you are signing off for"
ENTER_NOTE = "Enter the note"
ENTER_MOVE_DATE = "Enter the date: {label}"
ENTER_POSTPONE_REASON = "Say why the inspection is postponed"
ENTER_PLANNED_DATE = "Enter the new date: {label}"


def inspectors() -> QuerySet[Any]:
    """Users holding the inspector role, by name."""
    return (
        get_user_model()
        .objects.filter(role_assignments__role=INSPECTOR, is_active=True)
        .select_related("inspector_profile")
        .distinct()
        .order_by("username")
    )


def user_label(user: Any) -> str:
    """'Jo Bloggs (jbloggs)', or the username alone when no name is given."""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


class UserChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


class InspectorChoiceField(UserChoiceField):
    """An inspector, named with their grade (the team roles are checked against it)."""

    def label_from_instance(self, obj: Any) -> str:
        name = super().label_from_instance(obj)
        profile = getattr(obj, "inspector_profile", None)
        return f"{name}, {grade_text(profile.grade)}" if profile is not None else f"{name}, no grade recorded"


class UserMultipleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


# --- creating ------------------------------------------------------------------------------------


class InspectionCreateForm(forms.Form):
    area = ModelChoiceField(
        label="Local area",
        queryset=LocalArea.objects.none(),
        to_field_name="ons_code",
        empty_label="Choose a local area",
        error_messages={"required": SELECT_AREA, "invalid_choice": SELECT_AREA},
    )
    framework = forms.ChoiceField(
        label="Framework", error_messages={"required": SELECT_FRAMEWORK, "invalid_choice": SELECT_FRAMEWORK}
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="For example, Essex 2019. Leave blank to use the area's name.",
    )

    def __init__(
        self, *args: Any, areas: QuerySet[LocalArea], frameworks: Sequence[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["framework"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a framework"),
            *[(f.framework_id, f"{f.title} (version {f.version})") for f in frameworks],
        ]


# --- moves, events and the outcome ----------------------------------------------------------------


class MoveForm(forms.Form):
    """Confirms a move; carries the date the target state needs (notified, on site...) when it needs one."""

    def __init__(self, *args: Any, date_label: str = "", date_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if date_label:
            self.fields["on"] = date_field(
                date_label,
                required=date_required,
                required_message=ENTER_MOVE_DATE.format(label=date_label.lower()),
                help_text=DATE_HINT
                if date_required
                else f"{DATE_HINT}. Leave blank to keep the date already recorded.",
            )


class PostponeForm(forms.Form):
    """Postponing: why, and the new date (the framework's planned notification date)."""

    reason = textarea_field(
        "Why is the inspection postponed?",
        rows=4,
        required_message=ENTER_POSTPONE_REASON,
        max_length=2000,
    )

    def __init__(self, *args: Any, date_label: str, weekday: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_for"] = date_field(
            date_label,
            required_message=ENTER_PLANNED_DATE.format(label=date_label.lower()),
            help_text=f"Today or later; notification is on a {weekday.capitalize()} under this framework. "
            f"{DATE_HINT}",
        )


class EventForm(forms.Form):
    on = date_field("Date", required=False, help_text=f"For something that happened on a date. {DATE_HINT}")

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"] = choice_field(
            "What happened",
            [(e.name, e.label) for e in framework.events],
            SELECT_EVENT,
            blank="Choose an event",
        )
        decisions: dict[str, str] = {}
        for event in framework.events:
            for value in event.choices or ():
                decisions.setdefault(value, f"{humanise(value)} ({event.label.lower()})")
        self.fields["choice"] = choice_field(
            "Decision",
            decisions.items(),
            SELECT_DECISION,
            required=False,
            blank="Not a decision",
            help_text="For a decision, such as a review judgement; leave the date blank",
        )
        self.order_fields(["name", "on", "choice"])


class OutcomeForm(forms.Form):
    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"] = choice_field(
            "Outcome",
            [(o.key, f"{o.number}. {o.label}") for o in framework.outcomes],
            SELECT_OUTCOME,
            radios=True,
        )


# --- the team ------------------------------------------------------------------------------------


class TeamForm(forms.Form):
    def __init__(self, *args: Any, framework: Framework, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"] = InspectorChoiceField(
            label="Inspector",
            queryset=inspectors().exclude(team_places__inspection=inspection),
            to_field_name="username",
            empty_label="Choose an inspector",
            error_messages={"required": SELECT_INSPECTOR, "invalid_choice": SELECT_INSPECTOR},
        )
        self.fields["role"] = choice_field(
            "Role in the team",
            [(r.key, f"{r.title} ({r.organisation})") for r in framework.team_roles],
            SELECT_ROLE,
            radios=True,
        )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label="What links the inspector to the area",
        max_length=300,
        help_text="For example, worked in the area's SEND team until 2018",
        error_messages={"required": ENTER_REASON},
    )

    def __init__(self, *args: Any, choose_inspector: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_inspector:
            self.fields["inspector"] = UserChoiceField(
                label="Inspector",
                queryset=inspectors(),
                to_field_name="username",
                empty_label="Choose an inspector",
                error_messages={"required": SELECT_INSPECTOR, "invalid_choice": SELECT_INSPECTOR},
            )
            self.order_fields(["inspector", "reason"])


class ActivityForm(forms.Form):
    on = date_field("Date", required_message=ENTER_ACTIVITY_DATE)
    starts_at = forms.TimeField(
        label="Starts at",
        input_formats=TIME_FORMATS,
        help_text="For example, 09:30",
        widget=forms.TextInput(attrs=SHORT),
        error_messages={"required": ENTER_START, "invalid": TIME_INVALID},
    )
    ends_at = forms.TimeField(
        label="Ends at",
        input_formats=TIME_FORMATS,
        help_text="For example, 11:00",
        widget=forms.TextInput(attrs=SHORT),
        error_messages={"required": ENTER_END, "invalid": TIME_INVALID},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": ENTER_ACTIVITY_TITLE})
    participants = forms.CharField(label="Participants (optional)", max_length=300, required=False)
    location = forms.CharField(label="Location (optional)", max_length=200, required=False)

    def __init__(self, *args: Any, team_users: QuerySet[Any], version: Any, **kwargs: Any) -> None:
        """``version``: the inspection's framework version, whose vocabularies give the options."""
        super().__init__(*args, **kwargs)
        self.fields["activity_type"] = choice_field(
            "Kind of activity",
            term_choices(version, "activity_type"),
            SELECT_ACTIVITY_TYPE,
            blank="Choose a kind of activity",
        )
        self.fields["sector"] = choice_field(
            "Sector",
            term_choices(version, "sector"),
            SELECT_SECTOR,
            required=False,
            blank="Not a provider visit",
        )
        self.fields["phase"] = choice_field(
            "Phase", term_choices(version, "age_phase"), SELECT_PHASE, required=False, blank="Not applicable"
        )
        self.order_fields(["on", "starts_at", "ends_at", "activity_type", "title", "sector", "phase"])
        self.fields["inspectors"] = UserMultipleChoiceField(
            label="Inspectors taking part",
            queryset=team_users,
            to_field_name="username",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": SELECT_TEAM_INSPECTORS,
                "invalid_pk_value": SELECT_TEAM_INSPECTORS,
            },
        )


# --- findings, sign-off, notes -------------------------------------------------------------------


class FindingForm(forms.Form):
    def __init__(
        self, *args: Any, kinds: Iterable[str], partners: QuerySet[Partner], version: Any, **kwargs: Any
    ) -> None:
        """``kinds``: the finding kinds allowed now; their labels come from ``version``'s vocabulary."""
        super().__init__(*args, **kwargs)
        labels = term_labels(version, "finding_kind")
        self.fields["kind"] = choice_field(
            "Kind of finding",
            [(k, labels.get(k, humanise(k))) for k in kinds],
            SELECT_FINDING_KIND,
            radios=True,
        )
        self.fields["text"] = forms.CharField(
            label="Finding",
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": ENTER_FINDING_TEXT},
        )
        self.fields["responsible"] = ModelMultipleChoiceField(
            label="Partners responsible",
            queryset=partners,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": SELECT_RESPONSIBLE,
                "invalid_choice": SELECT_RESPONSIBLE,
                "invalid_pk_value": SELECT_RESPONSIBLE,
            },
        )


class SignOffForm(forms.Form):
    def __init__(self, *args: Any, organisations: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectorate"] = choice_field(
            "Signing off for", [(name, name) for name in organisations], SELECT_INSPECTORATE, radios=True
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Only inspectors in the team and programme administrators can read private notes.",
        error_messages={"required": ENTER_NOTE},
    )


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in."""
