from django import forms

from .models import Partner


class PartnerForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Partner
        fields = ["kind", "name", "code", "notes"]
        error_messages = {
            "name": {"required": "Enter the partner's name"},
            "kind": {"required": "Select the kind of partner"},
        }
        help_texts = {
            "code": "For an integrated care board, its ONS code, for example E54000026",
        }


class AreaSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or code", required=False, max_length=100)
    region = forms.ChoiceField(label="Region", required=False, choices=[])
    former = forms.BooleanField(label="Include former areas", required=False)

    def __init__(self, *args: object, regions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = [("", "All regions"), *[(r, r) for r in regions]]  # type: ignore[attr-defined]
