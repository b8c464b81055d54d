"""Loading a framework's editions (ADR 26): versions whose in-force dates overlap or leave a gap are
refused in words and nothing is written; the framework page shows each version's dates in force and
what changed from the version in force before it, in labels."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from areasend.conftest import check_page, signed_in
from areasend.core.models import AuditEvent
from areasend.domain.frameworks import FrameworkFileError, shipped_editions, shipped_framework_files
from areasend.domain.frameworks.editions import MSG_EDITIONS_GAP, MSG_EDITIONS_OVERLAP
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import framework_load, load_shipped_frameworks

pytestmark = pytest.mark.django_db

F2023 = "area-send-2023"
CHAIN = shipped_editions()[F2023]
FIRST, LATEST = CHAIN[0], CHAIN[-1]
NEXT = max(f.version for f in CHAIN) + 1


def first_edition_text(*, version: int, in_force_to: str | None) -> str:
    """The first 2023 edition's file as a new version of that edition, ending on ``in_force_to``."""
    path = next(p for p in shipped_framework_files() if f"version: {FIRST.version}\n" in p.read_text())
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"version: {FIRST.version}\ntitle", f"version: {version}\ntitle", 1)
    text = re.sub(
        r"(?m)^in_force_to: .*\n", "" if in_force_to is None else f"in_force_to: {in_force_to}\n", text
    )
    note = (
        f"  - version: {version}\n    date: 2026-01-05\n    changes: [A test revision]\n"
        "    source: test\n    confidence: high\n"
    )
    return text.replace("\n# ---- Evaluation", "\n" + note + "\n# ---- Evaluation", 1)


def test_every_shipped_edition_loads_in_order() -> None:
    results = load_shipped_frameworks()
    loaded = [r.version for r in results if r.framework_id == F2023]
    assert loaded == [f.version for f in CHAIN]
    stored = {
        r.version: (r.in_force_from, r.in_force_to)
        for r in FrameworkVersion.objects.filter(framework_id=F2023)
    }
    assert stored == {f.version: (f.in_force_from, f.in_force_to) for f in CHAIN}


def test_an_edition_left_open_that_overlaps_the_next_is_refused_and_nothing_is_written() -> None:
    load_shipped_frameworks()
    before = (FrameworkVersion.objects.count(), AuditEvent.objects.count())
    with pytest.raises(FrameworkFileError) as caught:
        framework_load(path_or_text=first_edition_text(version=NEXT, in_force_to=None), actor=None)
    second = CHAIN[1]
    expected = MSG_EDITIONS_OVERLAP.format(
        framework_id=F2023,
        version=second.version,
        from_=second.in_force_from,
        other=NEXT,
        other_from=FIRST.in_force_from,
        until="with no end date",
        day_before=second.in_force_from - dt.timedelta(days=1),
    )
    assert [p.message for p in caught.value.problems] == [expected]
    assert (FrameworkVersion.objects.count(), AuditEvent.objects.count()) == before


def test_an_edition_ended_too_early_leaves_a_gap_and_is_refused() -> None:
    load_shipped_frameworks()
    end = CHAIN[1].in_force_from - dt.timedelta(days=10)
    with pytest.raises(FrameworkFileError) as caught:
        framework_load(path_or_text=first_edition_text(version=NEXT, in_force_to=end.isoformat()), actor=None)
    assert [p.message for p in caught.value.problems] == [
        MSG_EDITIONS_GAP.format(
            framework_id=F2023,
            start=end + dt.timedelta(days=1),
            end=CHAIN[1].in_force_from - dt.timedelta(days=1),
            version=NEXT,
            to=end,
            other=CHAIN[1].version,
            from_=CHAIN[1].in_force_from,
        )
    ]
    assert "no version in force from" in caught.value.problems[0].message
    assert not FrameworkVersion.objects.filter(framework_id=F2023, version=NEXT).exists()


def test_loading_the_next_edition_before_the_one_that_ends_is_refused() -> None:
    """An edition from June 2025 loaded while the edition before is still open-ended overlaps it."""
    framework_load(path_or_text=first_edition_text(version=NEXT, in_force_to=None), actor=None)
    second = CHAIN[1]
    path = next(p for p in shipped_framework_files() if f"version: {second.version}\n" in p.read_text())
    with pytest.raises(FrameworkFileError, match="overlap"):
        framework_load(path_or_text=path, actor=None)


def test_a_file_revision_of_the_latest_edition_still_loads() -> None:
    load_shipped_frameworks()
    path = next(p for p in shipped_framework_files() if f"version: {LATEST.version}\n" in p.read_text())
    text = path.read_text(encoding="utf-8").replace(
        f"version: {LATEST.version}\ntitle", f"version: {NEXT}\ntitle", 1
    )
    note = f"  - version: {NEXT}\n    date: 2026-01-05\n    changes: [A test revision]\n    source: test\n    confidence: high\n"
    text = text.replace("\n# ---- Evaluation", "\n" + note + "\n# ---- Evaluation", 1)
    assert framework_load(path_or_text=text, actor=None).action == "loaded"


def _facts(page: Any) -> dict[str, str]:
    return dict(zip(page.texts("#framework-facts dt"), page.texts("#framework-facts dd"), strict=True))


def test_the_framework_page_shows_dates_in_force_and_the_changes_from_the_version_before(
    page_client: Any, viewer: Any
) -> None:
    load_shipped_frameworks()
    client = signed_in(page_client, viewer)
    latest = check_page(client.get(f"/frameworks/{F2023}/"))
    assert _facts(latest)["In force"] == f"From {LATEST.in_force_from:%-d %B %Y}"
    changes = latest.texts("#changes li")
    before = CHAIN[-2]
    assert any(f"version {before.version}" in t for t in latest.texts("#changes p"))
    visit = next(v for v in LATEST.visits if v.afterwards)
    # the July 2025 change to a visit's afterwards, named by the visit's title, in its words
    assert any(
        t.startswith(f"{visit.title}: afterwards changed") and visit.afterwards[0] in t for t in changes
    )
    assert all(not re.search(r"\b[a-z]+_[a-z_]+\b", t) for t in changes), changes

    second = check_page(client.get(f"/frameworks/{F2023}/?version={before.version}"))
    assert (
        _facts(second)["In force"]
        == f"From {before.in_force_from:%-d %B %Y} to {before.in_force_to:%-d %B %Y}"
    )
    rule = next(d for d in FIRST.deadlines if d.key == "monitoring_inspection_due")
    later = next(d for d in before.deadlines if d.key == rule.key)
    texts = second.texts("#changes li")
    assert (
        f"{later.label}: label changed from \u201c{rule.label}\u201d to \u201c{later.label}\u201d." in texts
    )
    assert (
        f"{later.label}: confidence changed from \u201c{rule.confidence}\u201d to \u201c{later.confidence}\u201d."
        in texts
    )
    scale_before = next(v for v in FIRST.visits if v.judgement_scales).judgement_scales[0].label
    assert any(scale_before in t for t in texts)

    first = check_page(client.get(f"/frameworks/{F2023}/?version={FIRST.version}"))
    assert (
        _facts(first)["In force"] == f"From {FIRST.in_force_from:%-d %B %Y} to {FIRST.in_force_to:%-d %B %Y}"
    )
    assert not first.exists("#changes")  # no version was in force before it
