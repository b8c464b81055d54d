"""The API's input field types: the input layer's checks (`core.inputs`) as pydantic types, so a
request body with text that cannot be stored, text too long for its field or an impossible date is
refused by the schema with a message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator

from .inputs import date_problem, text_problem


def _checked_text(limit: int | None) -> Callable[[str], str]:
    def check(value: str) -> str:
        problem = text_problem(value, "The text", limit)
        if problem:
            raise ValueError(problem)
        return value

    return check


def _checked_date(value: dt.date) -> dt.date:
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Key = Annotated[str, AfterValidator(_checked_text(100))]  # a code, a username or a reference
Title = Annotated[str, AfterValidator(_checked_text(200))]
LongText = Annotated[str, AfterValidator(_checked_text(20_000))]  # findings, summaries, feedback
SensibleDate = Annotated[dt.date, AfterValidator(_checked_date)]
