"""The recorded backtest figures (history/data/backtest_baseline.json, docs/benchmarks.md): a change
to the framework files that makes the deadlines worse against the real record fails here."""

from __future__ import annotations

import json
from typing import Any

from areasend.domain.frameworks import shipped_frameworks
from areasend.history.backtest import Backtest, run_backtest, stated_overrides
from areasend.history.reference_data import DATA_DIR

BASELINE = DATA_DIR / "backtest_baseline.json"


def regressions(backtest: Backtest, baseline: dict[str, Any]) -> list[str]:
    """Per framework and kind: a lower share published on time, a larger |median delta|, or fewer
    reports than recorded."""
    found = []
    summary = backtest.summary()
    for framework_id, kinds in baseline["summary"].items():
        for kind, recorded in kinds.items():
            now = summary.get(framework_id, {}).get(kind)
            where = f"{framework_id} {kind}"
            if now is None or now.n < recorded["n"]:
                found.append(f"{where}: fewer reports than the {recorded['n']} recorded")
                continue
            if now.on_time / now.n < recorded["on_time"] / recorded["n"]:
                found.append(
                    f"{where}: on time {now.on_time}/{now.n}, recorded {recorded['on_time']}/{recorded['n']}"
                )
            if abs(now.median_delta_wd) > abs(recorded["median_delta_wd"]):
                found.append(
                    f"{where}: median delta {now.median_delta_wd}, recorded {recorded['median_delta_wd']}"
                )
    return found


def test_the_shipped_deadlines_are_no_worse_than_the_recorded_backtest() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert set(baseline["summary"]) == set(shipped_frameworks())
    assert regressions(run_backtest(), baseline) == []


def test_the_check_fails_for_the_rules_before_the_estimates() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    before = run_backtest(overrides=stated_overrides())
    found = regressions(before, baseline)
    # every estimated regime is worse, by on-time share or by median, with the stated values
    assert {" ".join(line.split()[:2]).rstrip(":") for line in found} == {
        f"{fw} {kind}" for fw, kinds in baseline["summary"].items() for kind in kinds
    }


def test_a_later_deadline_that_shifts_the_median_is_caught() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    later: dict[str, dict[str, int]] = {}
    for framework in shipped_frameworks().values():
        for deadline in framework.deadlines:
            if deadline.estimate is not None:
                later.setdefault(framework.id, {})[deadline.key] = deadline.value + 15
    assert later
    assert regressions(run_backtest(overrides=later), baseline) != []
