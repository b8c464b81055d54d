"""An estimate: a deadline whose value comes from the published record rather than a source.

A deadline is a rule (``value``, ``source``, ``confidence``: what a source states) or, with an
``estimate`` block, an estimate derived from the record of real inspections: then ``value`` is the
estimate and the block says how it was worked out, from how many real reports, over which period
and when (``areasend backtest --write-estimates`` regenerates it; docs/adr/0028-backtest-and-estimates.md).
The value the source states, if any, is kept as ``stated_value``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from .schema_base import Text, _Schema

MSG_ESTIMATE_PERIOD = "the record ends ({record_to}) before it starts ({record_from})"


class Estimate(_Schema):
    method: Text  # in words
    sample_size: int = Field(ge=1)  # the real reports the estimate is worked out from
    percentile: int = Field(ge=1, le=99)  # the share of those reports published within the value
    record_from: dt.date  # the first and last last-day-on-site of the reports in the sample
    record_to: dt.date
    computed_on: dt.date
    stated_value: int | None = Field(default=None, ge=0)  # the value the deadline's source states

    @model_validator(mode="after")
    def _period_in_order(self) -> Estimate:
        if self.record_to < self.record_from:
            raise ValueError(
                MSG_ESTIMATE_PERIOD.format(record_from=self.record_from, record_to=self.record_to)
            )
        return self

    @property
    def period(self) -> str:
        """``"2016-2022"`` (or one year)."""
        first, last = self.record_from.year, self.record_to.year
        return str(first) if first == last else f"{first}-{last}"

    @property
    def percentile_words(self) -> str:
        return "median" if self.percentile == 50 else f"{ordinal(self.percentile)} percentile"

    @property
    def label(self) -> str:
        """``"estimate from 149 real reports, 2016-2022, median"``."""
        return f"estimate from {self.sample_size} real reports, {self.period}, {self.percentile_words}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def estimate_text(deadline: object) -> str:
    """How a page labels an estimated deadline ("" for a rule), e.g. "Estimate from 149 real reports,
    2016-2022, median, not a rule from a source (before it: 33 working days)"."""
    estimate = getattr(deadline, "estimate", None)
    if not isinstance(estimate, Estimate):
        return ""
    text = f"{estimate.label[0].upper()}{estimate.label[1:]}, not a rule from a source"
    if estimate.stated_value is not None:
        unit = str(getattr(deadline, "unit", "")).replace("_", " ")
        text += f" (before it: {estimate.stated_value} {unit})"
    return text
