from __future__ import annotations

import datetime as dt

import pytest

from areasend.annexa import synthetic

# A list's reference date: the date the area produced it. Never today.
REFERENCE = dt.date(2026, 9, 1)


@pytest.fixture(scope="session")
def reference() -> dt.date:
    return REFERENCE


@pytest.fixture(scope="session")
def clean_first() -> synthetic.SyntheticList:
    return synthetic.generate(1, 600, seed=11, reference_date=REFERENCE)


@pytest.fixture(scope="session")
def clean_second() -> synthetic.SyntheticList:
    return synthetic.generate(2, 600, seed=11, reference_date=REFERENCE, first_id=601)
