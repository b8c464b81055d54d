"""The settings of a rule set (from rules_version 3): how big a change must be to count, when a
figure is too thin to trust, how many lines an area gets and how they are scored. Each setting is
data with its source and confidence; a low- or medium-confidence setting must be `configurable`.

Validated strictly with the rule set (areasend.analytics.enquiry.load_rules).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Confidence = Literal["high", "medium", "low"]
AREASEND_CHOICE = "areasend's choice"
MSG_NOT_CONFIGURABLE = "a {confidence}-confidence setting must be configurable: true"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    source: str = Field(min_length=1)
    confidence: Confidence
    configurable: bool = False

    @model_validator(mode="after")
    def _configurable_unless_high(self) -> _Sourced:
        if self.confidence != "high" and not self.configurable:
            raise ValueError(MSG_NOT_CONFIGURABLE.format(confidence=self.confidence))
        return self


class Setting(_Sourced):
    value: float = Field(ge=0)


class Threshold(_Sourced):
    """A change no bigger than this does not count: `absolute` in the indicator's unit (percentage
    points for a percentage), or `relative` to the earlier figure."""

    absolute: float | None = Field(default=None, gt=0)
    relative: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Threshold:
        if (self.absolute is None) == (self.relative is None):
            raise ValueError("give exactly one of 'absolute' or 'relative'")
        return self

    def size(self, earlier: float | None) -> float:
        if self.absolute is not None:
            return self.absolute
        return (self.relative or 0.0) * abs(earlier or 0.0)


class ChangeThresholds(_Strict):
    default: Threshold
    by_indicator: dict[str, Threshold] = Field(default_factory=dict)

    def of(self, code: str) -> Threshold:
        return self.by_indicator.get(code, self.default)


class DataQuality(_Strict):
    # A percentage from fewer than this many (its base) is not trusted: no line is proposed on it.
    not_proposed_below: Setting
    # A percentage from fewer than this many carries a caution in words.
    caution_below: Setting


class Score(_Strict):
    """A line's score: its rule's priority, plus up to `distance_points` for how far the figure is
    from the comparator (for a ranked indicator: the share of areas with a better figure), plus
    `change_points_per_threshold` for each threshold's worth the area has moved the wrong way
    against England (at most `change_points_max`), less `caution_points` when it carries a caution."""

    distance_points: Setting
    change_points_per_threshold: Setting
    change_points_max: Setting
    caution_points: Setting


class Settings(_Strict):
    max_lines: Setting
    change_thresholds: ChangeThresholds
    data_quality: DataQuality
    score: Score
    # Words for why a figure is missing, used in sentences instead of the bare reason.
    missing_reasons: dict[str, str] = Field(min_length=1)

    @model_validator(mode="after")
    def _whole_number_of_lines(self) -> Settings:
        if self.max_lines.value < 1 or self.max_lines.value != int(self.max_lines.value):
            raise ValueError("max_lines: the value must be a whole number of at least 1")
        return self
