from django import forms

from areasend.core.forms import checkbox_field, choice_field, text_field, textarea_field

from .models import Partner

ENTER_PARTNER_NAME = "Enter the partner's name"
SELECT_PARTNER_KIND = "Select the kind of partner"
SELECT_REGION = "Select a region from the list"


class PartnerForm(forms.ModelForm):  # type: ignore[type-arg]
    kind = choice_field("Kind", Partner.KIND_CHOICES, SELECT_PARTNER_KIND, blank="Choose a kind of partner")
    name = text_field("Name", required_message=ENTER_PARTNER_NAME, max_length=200)
    code = text_field(
        "Code (optional)",
        required=False,
        max_length=12,
        help_text="For an integrated care board, its ONS code, for example E54000026",
        classes="govuk-input--width-10",
    )
    notes = textarea_field("Notes (optional)", required=False)

    class Meta:
        model = Partner
        fields = ["kind", "name", "code", "notes"]


class AreaSearchForm(forms.Form):
    q = text_field("Search by name or code", required=False, max_length=100)
    region = choice_field("Region", [], SELECT_REGION, required=False, blank="All regions")
    former = checkbox_field("Include former areas")

    def __init__(self, *args: object, regions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = [("", "All regions"), *[(r, r) for r in regions]]  # type: ignore[attr-defined]
