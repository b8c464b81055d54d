"""The national figures' filters (a framework, a range of years), for the page and the API alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from areasend.core.forms import choice_field, text_field

from .figures import INSPECTED, PUBLISHED, framework_choices

# Messages: tests import these and assert them exactly.
CHOOSE_FRAMEWORK = "Choose a framework from the list"
NOT_A_YEAR = "Enter the {which} year as 4 digits, for example {example}"
YEAR_OUT_OF_RANGE = "The {which} year must be between {earliest} and {latest}"
YEARS_REVERSED = "The first year must be the same as or before the last year"
CHOOSE_COUNT_BY = "Choose whether to count by the date of publication or the date of inspection"
COUNT_BY_CHOICES = [
    (PUBLISHED, "Date of publication (each figure by its own date)"),
    (INSPECTED, "Date of inspection (as Ofsted's official statistics count)"),
]

FIELDS = {"from_year": "first", "to_year": "last"}


@dataclass(frozen=True)
class FigureFilters:
    """What the figures are counted for: every framework or one, over a range of years."""

    framework_id: str | None
    first_year: int
    last_year: int
    count_by: str
    earliest: int  # the first year any framework was in force
    today: date

    @property
    def as_of(self) -> date:
        """The last day counted: the end of the last year, or today in the current year."""
        return min(date(self.last_year, 12, 31), self.today)

    @property
    def narrowed(self) -> bool:
        """Fewer figures or years than the page shows by default."""
        return (
            self.framework_id is not None
            or self.first_year != self.earliest
            or self.as_of != self.today
            or self.count_by != PUBLISHED
        )


class FigureFilterForm(forms.Form):
    framework = choice_field("Framework", (), CHOOSE_FRAMEWORK, required=False, blank="All frameworks")
    from_year = text_field("First year", required=False, classes="govuk-input--width-4")
    to_year = text_field("Last year", required=False, classes="govuk-input--width-4")
    count_by = choice_field("Count by", COUNT_BY_CHOICES, CHOOSE_COUNT_BY, required=False, radios=True)

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        frameworks: Sequence[tuple[str, str]],
        earliest: int,
        today: date,
    ) -> None:
        super().__init__(data)
        self.earliest, self.today = earliest, today
        self.fields["framework"].choices = [("", "All frameworks"), *frameworks]  # type: ignore[attr-defined]
        for name in FIELDS:
            self.fields[name].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["count_by"].initial = PUBLISHED
        self.fields["from_year"].help_text = f"For example, {earliest}"
        self.fields["to_year"].help_text = f"For example, {today.year}"

    def _year(self, name: str) -> int | None:
        value = str(self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        which = FIELDS[name]
        example = self.earliest if name == "from_year" else self.today.year
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            raise forms.ValidationError(NOT_A_YEAR.format(which=which, example=example))
        year = int(value)
        if not self.earliest <= year <= self.today.year:
            raise forms.ValidationError(
                YEAR_OUT_OF_RANGE.format(which=which, earliest=self.earliest, latest=self.today.year)
            )
        return year

    def clean_from_year(self) -> int | None:
        return self._year("from_year")

    def clean_to_year(self) -> int | None:
        return self._year("to_year")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("from_year"), cleaned.get("to_year")
        if first is not None and last is not None and first > last:
            self.add_error("to_year", YEARS_REVERSED)
        return cleaned

    def filters(self) -> FigureFilters:
        """The filters asked for (every framework and year when none were): after `is_valid()`."""
        cleaned = self.cleaned_data if self.is_bound else {}
        return FigureFilters(
            framework_id=cleaned.get("framework") or None,
            first_year=cleaned.get("from_year") or self.earliest,
            last_year=cleaned.get("to_year") or self.today.year,
            count_by=cleaned.get("count_by") or PUBLISHED,
            earliest=self.earliest,
            today=self.today,
        )

    def first_problem(self) -> str:
        """The first error, for an answer that has room for one message (the API's)."""
        for errors in self.errors.values():
            return str(errors[0])
        return ""


def filter_form(data: Mapping[str, Any] | None, *, today: date | None = None) -> FigureFilterForm:
    """The filters form over the frameworks with national figures, years from the first in force."""
    choices, earliest = framework_choices()
    return FigureFilterForm(data, frameworks=choices, earliest=earliest, today=today or date.today())
