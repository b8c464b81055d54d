"""Estimates from the record in the framework files: `areasend backtest --write-estimates`."""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from areasend.domain.calendar import default_calendar
from areasend.domain.frameworks import (
    SHIPPED_FRAMEWORKS_DIR,
    FrameworkFileError,
    load_framework_text,
    shipped_framework_files,
    shipped_frameworks,
)
from areasend.domain.frameworks.schema_estimates import Estimate
from areasend.history.backtest import run_backtest
from areasend.history.estimates import PERCENTILE, EstimateWriteError, rewrite_deadline, write_estimates

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for path in shipped_framework_files():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _nearest_rank(values: list[int], percent: int) -> int:
    ordered = sorted(values)
    return ordered[-(-percent * len(ordered) // 100) - 1]


def test_each_estimated_deadline_is_the_percentile_of_the_real_lags() -> None:
    calendar = default_calendar()
    rows = run_backtest().rows
    estimated = 0
    for framework in shipped_frameworks().values():
        for deadline in framework.deadlines:
            if deadline.estimate is None:
                continue
            estimated += 1
            mine = [r for r in rows if r.framework_id == framework.id and r.deadline_key == deadline.key]
            lags = [calendar.working_days_between(r.on_site_end, r.published) for r in mine]
            assert deadline.estimate.sample_size == len(lags) > 0
            assert deadline.estimate.percentile == PERCENTILE
            assert deadline.value == _nearest_rank(lags, PERCENTILE)
            assert deadline.estimate.record_from == min(r.on_site_end for r in mine)
            assert deadline.configurable and deadline.confidence != "high"
    assert estimated >= 3


def test_the_shipped_files_are_up_to_date_so_writing_changes_nothing(files: Path) -> None:
    before = {p.name: p.read_text() for p in files.iterdir()}
    changes = write_estimates(directory=files, computed_on=TODAY)
    assert changes and not any(c.changed for c in changes)
    assert {p.name: p.read_text() for p in files.iterdir()} == before


def test_writing_changes_only_the_value_and_the_estimate_block(files: Path) -> None:
    path = files / "local-area-send-2016.yaml"
    text = path.read_text()
    framework = load_framework_text(text)
    deadline = framework.deadline("publication")
    assert deadline is not None and deadline.estimate is not None
    stale = deadline.estimate.model_copy(update={"sample_size": 3, "percentile": 50})
    path.write_text(rewrite_deadline(text, "publication", 99, stale, path.name))
    assert load_framework_text(path.read_text()).deadline("publication").value == 99  # type: ignore[union-attr]
    changes = write_estimates(directory=files, computed_on=TODAY)
    assert any(c.changed and c.deadline_key == "publication" and c.old_value == 99 for c in changes)
    assert path.read_text().replace(deadline.estimate.computed_on.isoformat(), "X") == text.replace(
        deadline.estimate.computed_on.isoformat(), "X"
    ).replace(TODAY.isoformat(), "X")


def test_a_first_estimate_keeps_every_comment_and_records_the_stated_value(files: Path) -> None:
    path = files / "area-send-2023.yaml"
    text = path.read_text()
    deadline = load_framework_text(text).deadline("publication")
    assert deadline is not None and deadline.estimate is not None
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == "- key: publication")
    block_end = next(n for n in range(start + 1, len(lines)) if lines[n].startswith("  - "))
    bare = [
        line.replace(f"value: {deadline.value}", f"value: {deadline.estimate.stated_value}")
        for line in lines[start:block_end]
    ]
    cut = next(n for n, line in enumerate(bare) if line.strip().startswith("estimate:"))
    bare = bare[:cut] + [
        line for line in bare[cut:] if not line.startswith("      ") and "estimate:" not in line
    ]
    original = "\n".join(lines[:start] + bare + lines[block_end:]) + "\n"
    original_framework = load_framework_text(original)
    assert original_framework.deadline("publication").estimate is None  # type: ignore[union-attr]
    path.write_text(original)
    write_estimates(directory=files, computed_on=TODAY)
    written = path.read_text()
    assert [line for line in original.splitlines() if "#" in line] == [
        line
        for line in written.splitlines()
        if "#" in line and "worked out from the record" not in line and "before the estimate" not in line
    ]
    again = load_framework_text(written).deadline("publication")
    assert again is not None and again.estimate is not None
    assert again.value == deadline.value and again.estimate.stated_value == deadline.estimate.stated_value


def test_a_deadline_written_on_one_line_is_refused_with_the_file_and_key() -> None:
    estimate = Estimate(
        method="m", sample_size=1, percentile=75, record_from=TODAY, record_to=TODAY, computed_on=TODAY
    )
    text = "deadlines:\n  - {key: publication, value: 3}\n"
    with pytest.raises(EstimateWriteError, match="'publication' is written on one line"):
        rewrite_deadline(text, "publication", 4, estimate, "x.yaml")
    with pytest.raises(EstimateWriteError, match="'other' not found"):
        rewrite_deadline(text, "other", 4, estimate, "x.yaml")


def test_an_estimate_whose_record_ends_before_it_starts_is_not_valid() -> None:
    text = (SHIPPED_FRAMEWORKS_DIR / "area-send-2023.yaml").read_text()
    broken = text.replace("      record_to: 2025-", "      record_to: 2015-", 1)
    assert broken != text
    with pytest.raises(FrameworkFileError, match="before it starts"):
        load_framework_text(broken)


def test_the_command_writes_and_says_a_new_version_is_needed(files: Path) -> None:
    path = files / "local-area-send-2016.yaml"
    text = path.read_text()
    deadline = load_framework_text(text).deadline("revisit_publication")
    assert deadline is not None and deadline.estimate is not None
    path.write_text(rewrite_deadline(text, deadline.key, 1, deadline.estimate, path.name))
    out = StringIO()
    call_command("backtest", "--write-estimates", "--dry-run", "--directory", str(files), stdout=out)
    assert f"revisit_publication 1 -> {deadline.value}" in out.getvalue() and "Dry run" in out.getvalue()
    assert "value: 1\n" in path.read_text()
    out = StringIO()
    call_command("backtest", "--write-estimates", "--directory", str(files), stdout=out)
    assert "needs a new version number" in out.getvalue()
    assert load_framework_text(path.read_text()).deadline(deadline.key).value == deadline.value  # type: ignore[union-attr]
