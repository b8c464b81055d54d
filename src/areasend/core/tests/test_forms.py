"""GOV.UK form fields: their messages, how they render, and the form page that shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from areasend.core import forms as govuk
from areasend.core.pages import form_page

from .page_checker import Page


class ExampleForm(forms.Form):
    on = govuk.date_field("Date of the meeting", required_message="Enter the date of the meeting")
    starts_at = govuk.time_field("Starts at", required=False)
    kind = govuk.choice_field(
        "Kind", [("la", "Local authority"), ("icb", "ICB")], "Select the kind", radios=True
    )
    region = govuk.choice_field(
        "Region", [("east", "East of England")], "Select a region", blank="All regions"
    )
    team = govuk.checkboxes_field(
        "Team", [("a", "Ann"), ("b", "Bea")], "Select the team", help_text="Everyone who went"
    )
    name = govuk.text_field(
        "Name", required_message="Enter the name", max_length=10, classes="govuk-input--width-10"
    )
    notes = govuk.textarea_field("Notes (optional)", required=False, rows=3, max_length=20)
    former = govuk.checkbox_field("Include former areas")
    period = forms.CharField(required=False, widget=forms.HiddenInput)


def rendered(form: forms.Form) -> Page:
    html = Template("{% govuk_fields form %}").render(Context({"form": form}))
    return Page(f'<html lang="en"><body>{html}</body></html>')


def test_messages_follow_the_govuk_patterns() -> None:
    form = ExampleForm(
        {
            "on": "31/2/2024",
            "starts_at": "25:99",
            "kind": "nope",
            "region": "west",
            "team": ["z"],
            "name": "x" * 11,
            "notes": "y" * 21,
        }
    )
    assert not form.is_valid()
    assert form.errors == {
        "on": [govuk.DATE_INVALID],
        "starts_at": [govuk.TIME_INVALID],
        "kind": ["Select the kind"],
        "region": ["Select a region"],
        "team": ["Select the team"],
        "name": ["Name must be 10 characters or less"],
        "notes": ["Notes must be 20 characters or less"],
    }
    assert ExampleForm({}).errors["on"] == ["Enter the date of the meeting"]


def test_dates_and_times_are_read_in_the_ways_people_type_them() -> None:
    for typed in ("23/9/2019", "2019-09-23", "23 September 2019", "23 Sep 2019", "23.9.2019"):
        assert govuk.date_field("On").clean(typed) == dt.date(2019, 9, 23)
    for typed in ("09:30", "09.30", "0930"):
        assert govuk.time_field("At").clean(typed) == dt.time(9, 30)
    assert govuk.date_text(dt.date(2019, 9, 3)) == "3/9/2019" and govuk.date_text(None) == ""


def test_a_required_field_must_say_what_to_enter() -> None:
    with pytest.raises(govuk.MissingMessage, match="'Name' needs a message"):
        govuk.text_field("Name")
    assert govuk.text_field("Name", required=False).required is False


def test_choice_fields_blank_options() -> None:
    def options(field: forms.ChoiceField) -> list[Any]:
        return list(field.widget.choices)

    assert options(govuk.choice_field("A", [("x", "X")], "m")) == [("x", "X")]
    assert options(govuk.choice_field("A", [("x", "X")], "m", required=False))[0] == ("", "Not applicable")
    assert options(govuk.choice_field("A", [("x", "X")], "m", blank="Choose one"))[0] == ("", "Choose one")
    assert options(govuk.choice_field("A", [("x", "X")], "m", radios=True, required=False)) == [("x", "X")]
    assert govuk.humanise("wsoa_required") == "Wsoa required"


def test_fields_render_as_govuk_components_with_labels_hints_and_errors() -> None:
    form = ExampleForm({"kind": "icb", "team": ["b"], "region": "east", "name": "Essex", "former": "on"})
    form.is_valid()
    page = rendered(form)
    # text input: width class from the field, its error linked from aria-describedby
    date_input = page.select_one("input#id_on.govuk-input.govuk-input--width-10.govuk-input--error")
    assert date_input.attributes["aria-describedby"] == "id_on-hint id_on-error"
    assert page.text("#id_on-hint") == govuk.DATE_HINT
    assert page.text("p#id_on-error.govuk-error-message") == "Error: Enter the date of the meeting"
    assert page.exists(".govuk-form-group--error #id_on")
    assert page.select_one("input#id_name").attributes["value"] == "Essex"
    # radios: a fieldset legend for the group, the first radio has the field's id, the rest numbered
    assert page.texts("fieldset legend.govuk-fieldset__legend") == ["Kind", "Team"]
    assert [r.attributes["id"] for r in page.select("input[type=radio]")] == ["id_kind", "id_kind-2"]
    assert "checked" in page.select_one("#id_kind-2").attributes
    assert page.texts("label[for=id_kind], label[for=id_kind-2]") == ["Local authority", "ICB"]
    # select: the blank option first, the chosen one selected
    assert page.texts("select#id_region option") == ["All regions", "East of England"]
    assert "selected" in page.select_one("option[value=east]").attributes
    # checkboxes under one legend, with a hint
    assert [b.attributes["id"] for b in page.select("input[name=team]")] == ["id_team", "id_team-2"]
    assert (
        "checked" in page.select_one("#id_team-2").attributes
        and "checked" not in page.select_one("#id_team").attributes
    )
    assert page.select_one("fieldset:has(#id_team)").attributes["aria-describedby"] == "id_team-hint"
    # a single checkbox needs no fieldset
    assert "checked" in page.select_one("input#id_former[type=checkbox]").attributes
    assert page.text("label[for=id_former]") == "Include former areas"
    # textarea rows, hidden field kept hidden
    assert page.select_one("textarea#id_notes.govuk-textarea").attributes["rows"] == "3"
    assert page.select_one("input[type=hidden][name=period]") is not None


def test_fields_posted_empty_are_shown_empty() -> None:
    form = ExampleForm({"on": "", "name": "", "notes": "", "kind": "icb"})
    form.is_valid()
    page = rendered(form)
    assert page.select_one("input#id_on").attributes["value"] == ""
    assert page.select_one("input#id_name").attributes["value"] == ""
    assert page.text("textarea#id_notes") == ""


def test_checkboxes_with_nothing_to_choose_say_so() -> None:
    class Empty(forms.Form):
        team = govuk.checkboxes_field("Team", [], "Select the team", required=False)

    assert rendered(Empty()).text(".govuk-checkboxes p.govuk-body") == "There is nothing to choose from yet."


def test_classes_given_in_the_template_win() -> None:
    html = Template('{% govuk_field form.name "govuk-input--width-20" %}').render(
        Context({"form": ExampleForm()})
    )
    assert 'class="govuk-input govuk-input--width-20"' in html


# --- the form page -------------------------------------------------------------------------------


def _request(method: str, data: dict[str, Any] | None = None) -> Any:
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "POST" else factory.get("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


class NameForm(forms.Form):
    name = govuk.text_field("Name", required_message="Enter the name")


def _page(request: Any, perform: Any, **kwargs: Any) -> Any:
    data = request.POST if request.method == "POST" else None
    return form_page(
        request,
        form=NameForm(data),
        heading="Add a partner",
        button="Save partner",
        perform=perform,
        success_url="/done/",
        cancel_url="/back/",
        caption="Essex",
        **kwargs,
    )


def never(data: dict[str, Any]) -> str:
    raise AssertionError("perform must not run")


def test_form_page_shows_the_form() -> None:
    response = _page(_request("GET"), never)
    page = Page(response.content.decode())
    assert response.status_code == 200
    assert page.title.startswith("Add a partner – ")
    assert page.text("h1") == "Add a partner" and page.text(".govuk-caption-l") == "Essex"
    assert page.exists("form[method=post] input#id_name")
    assert page.text("form button.govuk-button") == "Save partner"
    assert page.select_one(".govuk-button-group a.govuk-link").attributes["href"] == "/back/"
    assert not page.exists(".govuk-error-summary")


def test_form_page_shows_errors_without_calling_the_service() -> None:
    page = Page(_page(_request("POST"), never).content.decode())
    assert page.title.startswith("Error: Add a partner")
    assert page.text(".govuk-error-summary__list a[href='#id_name']") == "Enter the name"


def test_form_page_calls_the_service_and_redirects_with_its_message() -> None:
    request = _request("POST", {"name": "Essex Parent Carer Forum"})
    done: list[str] = []

    def perform(data: dict[str, Any]) -> str:
        done.append(data["name"])
        return "Essex Parent Carer Forum saved"

    response = _page(request, perform)
    assert response.status_code == 302 and response["Location"] == "/done/"
    assert done == ["Essex Parent Carer Forum"]
    assert [str(m) for m in get_messages(request)] == ["Essex Parent Carer Forum saved"]


class Refused(Exception):
    pass


@pytest.mark.parametrize(
    ("error", "summary", "beside_field"),
    [
        (
            ValidationError("An area must keep its local authority partner."),
            ["An area must keep its local authority partner."],
            False,
        ),
        (
            ValidationError({"name": "A partner with this name exists", "kind": "Wrong kind"}),
            ["Wrong kind", "A partner with this name exists"],
            True,
        ),
        (
            Refused("Only the inspection's team can do this."),
            ["Only the inspection's team can do this."],
            False,
        ),
    ],
)
def test_form_page_shows_a_refusal_and_stays(
    error: Exception, summary: list[str], beside_field: bool
) -> None:
    def perform(data: dict[str, Any]) -> str:
        raise error

    response = _page(_request("POST", {"name": "Essex"}), perform, refused=(Refused,))
    page = Page(response.content.decode())
    assert response.status_code == 200
    assert sorted(page.texts(".govuk-error-summary__list li")) == sorted(summary)
    assert page.exists("#id_name-error") is beside_field


def test_form_page_lets_other_errors_through() -> None:
    def perform(data: dict[str, Any]) -> str:
        raise Refused("not handled here")

    with pytest.raises(Refused):
        _page(_request("POST", {"name": "Essex"}), perform)
