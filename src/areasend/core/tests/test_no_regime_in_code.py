"""No regime lives in code: no key of a shipped framework file appears as a string literal in the
Python (or as a quoted value in the templates) outside the framework files, tests, migrations and
demo steps. The keys are read from the files themselves, so a new file version's keys are covered.

Migrations are history (they say what stored data meant when they were written) and demo steps are
data for the real frameworks. The few literals left are listed in ``ALLOWED`` with the reason each
must stay; the test also fails when one of them is no longer there, so the list cannot go stale.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import areasend
from areasend.domain.frameworks import Framework, shipped_frameworks

ROOT = Path(areasend.__file__).parent

# (file, literal) -> why it stays
ALLOWED = {
    ("history/reference_data.py", "wsoa_required"): "a column of Ofsted's 2016-2022 file, read by name",
    ("history/reference_data.py", "local-area-send-2016"): "the framework Ofsted's 2016-2022 file describes",
    ("history/reference_data.py", "area-send-2023"): "the framework Ofsted's scraped 2023 file describes",
    ("history/figure_types.py", "published"): "the value of `stats --count-by published` (by publication "
    "date), not a lifecycle state",
    ("history/backtest.py", "published"): "the real publication date's field in `areasend backtest` rows, "
    "not a lifecycle state",
}

QUOTED = re.compile(r"""["']([A-Za-z0-9_ -]+)["']""")


def regime_keys(framework: Framework) -> dict[str, str]:
    """Every key of a framework file that names part of its regime, with what it is."""
    keys: dict[str, str] = {framework.id: "framework id"}
    for state in framework.lifecycle.states:
        keys[state.key] = "state"
    for outcome in framework.outcomes:
        keys[outcome.key] = "outcome"
    for kind in framework.finding_kinds:
        keys[kind.key] = "finding kind"
    for document in framework.follow_up_documents:
        keys[document.key] = "follow-up document"
        for judgement in document.review_judgements:
            keys[judgement.key] = "review judgement"
        for status in document.action_statuses:
            keys[status.code] = "action status"
    for visit in framework.visits:
        keys[visit.key] = "follow-up visit"
        for scale in visit.judgement_scales:
            for option in scale.options:
                keys[option.key] = "visit judgement"
    for term in framework.vocabulary("plan_status"):
        keys[term.code] = "plan status"
    for organisation in framework.sign_off_organisations:
        keys[organisation] = "sign-off organisation"
    return keys


def all_regime_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for framework in shipped_frameworks().values():
        for key, what in regime_keys(framework).items():
            keys.setdefault(key, f"{framework.id} {what}")
    return keys


def _scanned(suffix: str) -> Iterator[Path]:
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name == "demo_steps.py":
            continue
        if parts[:2] == ("frameworks", "files"):
            continue
        yield path


def literals_in_python(path: Path, keys: dict[str, str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys:
            found.append((node.lineno, node.value))
    return found


def quoted_in_template(path: Path, keys: dict[str, str]) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found += [(number, m.group(1)) for m in QUOTED.finditer(line) if m.group(1) in keys]
    return found


def test_no_key_of_a_shipped_framework_is_written_in_code() -> None:
    keys = all_regime_keys()
    problems, allowed_seen = [], set()
    for suffix, scan in ((".py", literals_in_python), (".html", quoted_in_template)):
        for path in _scanned(suffix):
            relative = str(path.relative_to(ROOT))
            for line, value in scan(path, keys):
                if (relative, value) in ALLOWED:
                    allowed_seen.add((relative, value))
                else:
                    problems.append(f"{relative}:{line}: {value!r} ({keys[value]})")
    assert problems == []
    assert allowed_seen == set(ALLOWED), "an allowed literal is gone: remove it from ALLOWED"


def test_the_scan_reads_the_keys_from_the_files_and_sees_a_literal(tmp_path: Path) -> None:
    keys = all_regime_keys()
    assert {keys[k] for k in ("wsoa", "revisit", "published", "priority_action", "sufficient_in_all")} == {
        "local-area-send-2016 follow-up document",
        "local-area-send-2016 follow-up visit",
        "area-send-2023 state",
        "area-send-2023 finding kind",
        "local-area-send-2016 visit judgement",
    }
    assert keys["escalated"].endswith("plan status") and keys["complete"].endswith("action status")
    bad = tmp_path / "bad.py"
    bad.write_text('if target == "published":\n    kind = "significant_weakness"  # "wsoa" in a comment\n')
    assert literals_in_python(bad, keys) == [(1, "published"), (2, "significant_weakness")]
    page = tmp_path / "bad.html"
    page.write_text("{% if row.framework_id == \"local-area-send-2016\" %}{% if row.kind == 'revisit' %}\n")
    assert quoted_in_template(page, keys) == [(1, "local-area-send-2016"), (1, "revisit")]
