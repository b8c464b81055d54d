"""`areasend backtest`: every real inspection and revisit of the shipped history through its
framework's timeline, the predicted publication against the real one (docs/adr/0028)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from areasend.domain.calendar import default_calendar
from areasend.domain.frameworks import shipped_frameworks
from areasend.history.backtest import KEYS_FILE, recorded_events, run_backtest, stated_overrides
from areasend.history.reference_data import DATA_DIR, OFFICIAL_2016_FILE, SCRAPED_2023_FILE

SUMMARY_KEYS = {"n", "on_time", "median_delta_wd", "p90_delta_wd"}
ROW_KEYS = {"area", "kind", "on_site_end", "published", "predicted", "delta_wd", "held_by"}


def _backtest(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("backtest", "--format", "json", *args, stdout=out)
    loaded: dict[str, Any] = json.loads(out.getvalue())
    return loaded


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def printed() -> dict[str, Any]:
    return _backtest()


def test_every_real_event_of_the_record_is_backtested_or_skipped_with_a_reason(
    printed: dict[str, Any],
) -> None:
    full_2016 = _csv_rows(OFFICIAL_2016_FILE)
    revisits = [r for r in full_2016 if r["revisit_start_date"][:1].isdigit()]
    scraped = _csv_rows(SCRAPED_2023_FILE)
    recorded = len(full_2016) + len(revisits) + len(scraped)
    assert len(printed["rows"]) >= 260
    assert len(printed["rows"]) + len(printed["skipped"]) == recorded == len(recorded_events())
    # the scraped file leaves some start dates blank; the shipped corrections fill them
    blank_start = [r for r in scraped if not r["inspection_start_date"].strip()]
    assert len(printed["skipped"]) <= len(blank_start)


def test_an_event_without_a_date_is_skipped_with_the_reason_never_dropped() -> None:
    real = recorded_events()
    gaps = [
        dataclasses.replace(real[0], started_on=None),
        dataclasses.replace(real[1], published_on=None),
        dataclasses.replace(real[2], framework_id="no-such-framework"),
        real[3],
    ]
    found = run_backtest(events=gaps)
    assert len(found.rows) == 1 and found.rows[0].area == real[3].area_code
    assert [s.reason for s in found.skipped] == [
        "the record has no start date",
        "the record has no publication date",
        "framework no-such-framework is not shipped",
    ]
    assert [s.area for s in found.skipped] == [e.area_code for e in real[:3]]
    printed = found.as_dict()["skipped"]
    assert printed[0]["source"] == f"{real[0].source} line {real[0].line}"


def test_the_json_has_the_summary_and_rows_promised(printed: dict[str, Any]) -> None:
    visits = {
        fw: spec["visit"]
        for fw, spec in yaml.safe_load((DATA_DIR / KEYS_FILE).read_text()).items()
        if spec.get("visit")
    }
    summary = printed["summary"]
    assert set(summary) == set(shipped_frameworks())
    kinds = {(fw, kind) for fw, by_kind in summary.items() for kind in by_kind}
    assert {("local-area-send-2016", "full"), ("area-send-2023", "full")} <= kinds
    assert all((fw, visit) in kinds for fw, visit in visits.items())
    for fw, by_kind in summary.items():
        for kind, figures in by_kind.items():
            assert set(figures) == SUMMARY_KEYS
            mine = [r for r in printed["rows"] if r["framework"] == fw and r["kind"] == kind]
            assert figures["n"] == len(mine)
            assert figures["on_time"] == sum(r["published"] <= r["predicted"] for r in mine)
    for row in printed["rows"]:
        assert set(row) >= ROW_KEYS
        assert (row["delta_wd"] > 0) == (row["published"] > row["predicted"])
        assert (row["delta_wd"] == 0) == (row["published"] == row["predicted"])


def test_the_2016_letters_were_rarely_published_within_the_33_days_the_source_states() -> None:
    rules = _backtest("--rules")["summary"]["local-area-send-2016"]["full"]
    rows = [
        r
        for r in _backtest("--rules")["rows"]
        if r["framework"] == "local-area-send-2016" and r["kind"] == "full"
    ]
    calendar = default_calendar()
    within = sum(
        calendar.working_days_between(
            dt.date.fromisoformat(r["on_site_end"]), dt.date.fromisoformat(r["published"])
        )
        <= 33
        for r in rows
    )
    assert rules["n"] == 149 and within <= 20  # 16 of 149 in the record
    shipped = _backtest()["summary"]["local-area-send-2016"]["full"]
    assert rules["on_time"] < shipped["on_time"]


def test_essex_2019_is_held_by_the_december_2019_general_election() -> None:
    essex_start = next(
        dt.datetime.strptime(r["inspection_start_date"], "%d/%m/%Y").date()
        for r in _csv_rows(OFFICIAL_2016_FILE)
        if r["area_name"] == "Essex"
    )
    assert essex_start.year == 2019
    election = next(
        p for p in default_calendar().pre_election_periods if p.polling_day == dt.date(2019, 12, 12)
    )
    rows = _backtest("--rules", "--framework", "local-area-send-2016")["rows"]
    essex = next(r for r in rows if r["area"] == "E10000012" and r["kind"] == "full")
    assert essex["held_by"] == [election.name]
    assert essex["predicted"] > election.polling_day.isoformat()
    # an event whose prediction falls outside every period is held by none
    assert any(r["held_by"] == [] for r in rows)


def test_held_by_is_what_the_calendar_says_of_the_date_the_rule_gives_before_any_hold() -> None:
    calendar = default_calendar()
    for row in run_backtest().rows:
        if row.held_by:
            elections = [p for p in calendar.pre_election_periods if p.name in row.held_by]
            assert all(row.predicted > p.polling_day for p in elections)
        else:
            assert not calendar.publication_hold(row.predicted, row.area).held


def test_one_framework_only(printed: dict[str, Any]) -> None:
    only = _backtest("--framework", "area-send-2023")
    assert set(only["summary"]) == {"area-send-2023"}
    assert only["summary"]["area-send-2023"] == printed["summary"]["area-send-2023"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--framework", "no-such-framework"], "--framework 'no-such-framework' is not a shipped framework"),
        (["--dry-run"], "--dry-run only goes with --write-estimates"),
    ],
)
def test_bad_input_is_a_clear_message_with_exit_code_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("backtest", *args, stdout=StringIO())
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    if args[0] == "--framework":
        assert all(fw in str(caught.value) for fw in shipped_frameworks())


def test_the_text_format_is_a_table_with_every_row_and_the_skipped(printed: dict[str, Any]) -> None:
    out = StringIO()
    call_command("backtest", "--format", "text", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[1].split() == [
        "Framework",
        "Kind",
        "n",
        "On",
        "time",
        "Median",
        "delta",
        "P90",
        "delta",
    ]
    assert f"Skipped: {len(printed['skipped'])}" in text
    assert "Essex (E10000012)" in text
    assert len([line for line in text.splitlines() if "(E" in line]) >= len(printed["rows"])


def test_stated_rules_are_the_values_before_the_estimates() -> None:
    stated = stated_overrides()
    frameworks = shipped_frameworks()
    for framework_id, values in stated.items():
        for key, value in values.items():
            deadline = frameworks[framework_id].deadline(key)
            assert deadline is not None and deadline.estimate is not None and deadline.configurable
            assert deadline.estimate.stated_value == value
