"""Case sampling: up to six children covering ages, needs, settings and social care, reproducible."""

from __future__ import annotations

import pytest

from areasend.annexa import synthetic
from areasend.annexa.derived import children
from areasend.annexa.sampling import suggest_sample, swap, thematic_sample, themes

from .conftest import REFERENCE


def test_the_same_seed_gives_the_same_sample(clean_first: synthetic.SyntheticList) -> None:
    annex_list = clean_first.as_list()
    first = suggest_sample(annex_list, reference_date=REFERENCE, seed=7)
    assert first == suggest_sample(annex_list, reference_date=REFERENCE, seed=7)
    others = {tuple(suggest_sample(annex_list, reference_date=REFERENCE, seed=s).rows) for s in range(5)}
    assert len(others) > 1


def test_the_sample_covers_ap_fe_post_16_and_social_care(clean_first: synthetic.SyntheticList) -> None:
    annex_list = clean_first.as_list()
    by_row = {c.row: c for c in children(annex_list, REFERENCE)}
    for seed in range(5):
        sample = suggest_sample(annex_list, reference_date=REFERENCE, seed=seed)
        picked = [by_row[row] for row in sample.rows]
        assert len(picked) == 6 == len(set(sample.rows))
        settings = {c.setting for c in picked}
        assert {"alternative_provision", "further_education", "post_16"} <= settings
        assert any(c.social_care == "yes" for c in picked)
        assert len({c.age_band for c in picked}) == 5  # every band the list has
        for pick in sample.picks:
            assert "Picked to include" in pick.rationale
            assert "SYN" not in pick.rationale  # no identifier in the words


def test_rows_with_errors_can_be_left_out(clean_first: synthetic.SyntheticList) -> None:
    annex_list = clean_first.as_list()
    first = suggest_sample(annex_list, reference_date=REFERENCE, seed=1)
    again = suggest_sample(annex_list, reference_date=REFERENCE, seed=1, exclude_rows=set(first.rows))
    assert not set(first.rows) & set(again.rows)


def test_a_small_list_gives_what_it_has() -> None:
    tiny = synthetic.generate(2, 3, seed=1, reference_date=REFERENCE).as_list()
    sample = suggest_sample(tiny, reference_date=REFERENCE, seed=1)
    assert sorted(sample.rows) == [1, 2, 3]


def test_thematic_samples_draw_from_the_theme_only(clean_first: synthetic.SyntheticList) -> None:
    annex_list = clean_first.as_list()
    by_row = {c.row: c for c in children(annex_list, REFERENCE)}
    sample = thematic_sample(annex_list, "social_care", reference_date=REFERENCE, seed=2)
    assert sample.candidates == sum(c.social_care == "yes" for c in by_row.values())
    assert all(by_row[r].social_care == "yes" for r in sample.rows) and len(sample.rows) == 6
    recent = thematic_sample(annex_list, "recent_plans", reference_date=REFERENCE, seed=2)
    for row in recent.rows:
        issued = by_row[row].plan_issued
        assert issued is not None and (REFERENCE - issued).days <= 365
    assert set(themes()) >= {"recent_plans", "post_16", "social_care", "alternative_provision"}
    with pytest.raises(ValueError, match="does not apply to List 2"):
        thematic_sample(synthetic.generate(2, 5, seed=1, reference_date=REFERENCE).as_list(), "recent_plans",
                        reference_date=REFERENCE, seed=1)  # fmt: skip


def test_an_inspector_swaps_a_child_with_a_reason(clean_first: synthetic.SyntheticList) -> None:
    sample = suggest_sample(clean_first.as_list(), reference_date=REFERENCE, seed=3)
    out, new = sample.rows[0], next(r for r in range(1, 600) if r not in sample.rows)
    swapped = swap(sample, out, new, "Known to the youth offending team")
    assert swapped.rows == [new, *sample.rows[1:]]
    assert "Known to the youth offending team" in swapped.picks[0].rationale
    with pytest.raises(ValueError, match="reason"):
        swap(sample, out, new, " ")
