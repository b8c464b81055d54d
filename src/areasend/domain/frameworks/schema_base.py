"""What every part of a framework file's schema shares: keys, texts and sources, and the base models
(``extra="forbid"``: a key the schema does not know is an error)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

Confidence = Literal["high", "medium", "low"]
Unit = Literal["working_days", "calendar_days", "weeks", "months", "years"]
NodeKind = Literal["heading", "question", "criterion", "aspect"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _one_or_many(value: object) -> object:
    """A single source may be written as text; several as a list."""
    if isinstance(value, str):
        return (value,)
    return value


Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
Ref = Annotated[str, StringConstraints(pattern=REF_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Sources = Annotated[tuple[Text, ...], BeforeValidator(_one_or_many), Field(min_length=1)]
Conditions = dict[Key, tuple[Text, ...]]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Sourced(_Schema):
    """Every rule says where it comes from and how sure we are of it (see rules/area-send-rules.md)."""

    source: Sources
    confidence: Confidence

    @property
    def source_text(self) -> str:
        return "; ".join(self.source)
