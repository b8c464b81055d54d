"""The profile counts what the list holds, by band, need, setting, social care and the rest."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from areasend.annexa import synthetic
from areasend.annexa.profile import profile
from areasend.annexa.reading import AnnexAList

from .conftest import REFERENCE


def _age(born: str) -> int:
    day = dt.date.fromisoformat(born)
    return REFERENCE.year - day.year - ((REFERENCE.month, REFERENCE.day) < (day.month, day.day))


def test_counts_and_percentages_add_up(clean_first: synthetic.SyntheticList) -> None:
    result = profile(clean_first.as_list(), reference_date=REFERENCE)
    records = clean_first.records
    assert result.rows == len(records)
    for key in ("age_band", "need", "phase", "setting", "social_care", "suspensions", "absence"):
        dimension = result.dimension(key)
        assert sum(c.count for c in dimension.categories) == len(records), key
        assert abs(sum(c.percent for c in dimension.categories) - 100) < 1, key
    ages = Counter(_age(r["date_of_birth"]) for r in records)
    assert result.dimension("age_band").count("11-15") == sum(n for a, n in ages.items() if 11 <= a <= 15)
    assert result.dimension("need").count("ASD") == sum(r["primary_need"] == "ASD" for r in records)
    assert result.dimension("social_care").count("yes") == sum(r["social_care"] == "Yes" for r in records)
    suspended = sum(int(r["suspensions"]) > 0 for r in records)
    assert result.dimension("suspensions").count("at_least_one") == suspended
    ap = sum(r["main_phase"] == "Alternative provision" for r in records)
    assert result.dimension("setting").count("alternative_provision") == ap


def test_values_it_cannot_place_are_counted_as_not_known() -> None:
    rows = [
        {"date_of_birth": "2015-01-01", "primary_need": "autism", "main_phase": "Primary", "absence": "55"},
        {
            "date_of_birth": "",
            "primary_need": "Moderate Learning Difficulty",
            "main_phase": "PRU",
            "absence": "3",
        },
        {"date_of_birth": "2000-01-01", "primary_need": "MLD", "main_phase": "", "absence": ""},
    ]
    result = profile(AnnexAList.from_records(2, rows), reference_date=REFERENCE)  # type: ignore[arg-type]
    assert result.dimension("age_band").count("not_known") == 2  # no date, and 26
    assert result.dimension("age_band").count("11-15") == 1
    assert result.dimension("need").count("MLD") == 2 and result.dimension("need").count("not_known") == 1
    assert result.dimension("setting").count("alternative_provision") == 1
    assert result.dimension("absence").count("severe") == 1
    labels = {c.key: c.label for c in result.dimension("need").categories}
    assert labels["MLD"] == "Moderate learning difficulty"
    shape = result.as_dict()
    assert shape["dimensions"][0]["categories"][0].keys() == {"key", "label", "count", "percent"}
