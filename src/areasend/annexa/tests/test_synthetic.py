"""Synthetic lists: labelled, reproducible, of the area's size and England's shares."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from python_calamine import CalamineWorkbook

from areasend.annexa import synthetic
from areasend.annexa.reading import read_list

from .conftest import REFERENCE


def test_the_same_seed_gives_the_same_list() -> None:
    a = synthetic.generate(1, 50, seed=3, reference_date=REFERENCE, errors={"missing_gender": 2})
    b = synthetic.generate(1, 50, seed=3, reference_date=REFERENCE, errors={"missing_gender": 2})
    assert a.records == b.records and a.planted == b.planted
    assert a.records != synthetic.generate(1, 50, seed=4, reference_date=REFERENCE).records


def test_every_row_and_file_says_it_is_synthetic(tmp_path: Path) -> None:
    made = synthetic.generate(1, 20, seed=3, reference_date=REFERENCE)
    assert all(r["unique_id"].startswith(synthetic.SYNTHETIC_ID) for r in made.records)
    assert all(r["upn"].startswith("SYN") for r in made.records if r["upn"])
    path = synthetic.write_xlsx(tmp_path / "s.xlsx", [made])
    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names == ["List 1", "Synthetic data"]
    assert workbook.get_sheet_by_name("Synthetic data").to_python()[0][0] == synthetic.SYNTHETIC_NOTE
    assert len(read_list(path)) == 20


def test_needs_follow_englands_shares() -> None:
    made = synthetic.generate(1, 20_000, seed=1, reference_date=REFERENCE)
    counts = Counter(r["primary_need"] for r in made.records)
    shares = synthetic.need_shares()
    total = sum(shares.values())
    for need, percent in shares.items():
        assert abs(100 * counts[need] / len(made.records) - 100 * percent / total) < 1.0, need


def test_areas_have_their_published_size() -> None:
    sizes = synthetic.area_sizes()
    assert len(sizes) == 153
    assert sum(a.ehc_plans for a in sizes) == 638_745  # England, January 2025
    lists = synthetic.generate_area("E06000017", seed=1, reference_date=REFERENCE)
    rutland = next(a for a in sizes if a.code == "E06000017")
    assert len(lists[1].records) == rutland.ehc_plans and len(lists[2].records) == rutland.sen_support
    ids = [r["unique_id"] for s in lists.values() for r in s.records]
    assert len(ids) == len(set(ids))
