"""Rule sets from version 3: their settings are data checked on load with clear messages, and each
decision (worsened, fallen behind England, better and improving, data quality, wording) follows the
figures given."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from areasend.analytics.catalogue import default_catalogue
from areasend.analytics.enquiry import (
    MSG_NEEDS_PRIORITY,
    MSG_NEEDS_SETTINGS,
    MSG_NO_MISSING_WORDS,
    MSG_RULES_NAME,
    MSG_RULES_VERSION_MISMATCH,
    MSG_UNKNOWN_RULES_VERSION,
    MSG_UNKNOWN_THRESHOLD,
    RULES_DIR,
    RULES_PATH,
    default_rules,
    load_rule_sets,
    load_rules,
    rules_for,
    shipped_rule_sets,
)
from areasend.analytics.enquiry_settings import MSG_NOT_CONFIGURABLE
from areasend.analytics.errors import CatalogueError
from areasend.analytics.pack import DataPackBuilder
from areasend.analytics.proposals import propose

from .conftest import ESSEX

TIMELINESS = "new_plans_20wk_incl_exc_pct"  # higher is better; its base is the new plans issued
V2 = RULES_DIR / "v2.yaml"


def broken(tmp_path: Path, source: Path, change: Any, name: str | None = None) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / (name or source.name)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def entry(**given: Any) -> dict[str, Any]:
    """An indicator entry as a pack has it: 20-week timeliness, 2024, England 46%, no rank."""
    base: dict[str, Any] = {
        "code": TIMELINESS,
        "period": "2024",
        "year": 2024,
        "value": 40.0,
        "england": 46.0,
        "region": 45.0,
        "neighbours_mean": 44.0,
        "neighbours_n": 10,
        "rank": None,
        "of": None,
        "quartile": None,
        "change_1y": None,
        "change_3y": None,
        "england_change_1y": None,
        "england_change_3y": None,
        "trend": None,
        "missing_reason": None,
        "base": 500.0,
    }
    return base | given


def lines(*entries: dict[str, Any]) -> Any:
    return propose(list(entries), area_name="Testshire", catalogue=default_catalogue(), rules=default_rules())


# --- loading --------------------------------------------------------------------------------------


def test_every_shipped_version_loads_and_the_latest_is_the_default() -> None:
    sets = shipped_rule_sets()
    assert set(sets) >= {2, 3}
    assert default_rules() is sets[max(sets)]
    assert sets[2].settings is None and sets[3].settings is not None
    assert load_rules().rules_version == max(sets) == int(RULES_PATH.stem[1:])


def test_an_unknown_version_names_the_versions_there_are(builder: DataPackBuilder) -> None:
    known = ", ".join(str(v) for v in shipped_rule_sets())
    with pytest.raises(CatalogueError) as caught:
        rules_for(99)
    assert str(caught.value) == MSG_UNKNOWN_RULES_VERSION.format(version=99, known=known)
    with pytest.raises(CatalogueError, match="no version 99"):
        builder.pack(ESSEX, rules_version=99)


def test_a_low_confidence_setting_must_be_configurable(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["settings"]["max_lines"].update(configurable=False))
    with pytest.raises(CatalogueError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert message.startswith(f"{RULES_PATH.name}: settings.max_lines")
    assert MSG_NOT_CONFIGURABLE.format(confidence="low") in message


def test_a_setting_needs_its_source(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["settings"]["score"]["caution_points"].pop("source"))
    with pytest.raises(CatalogueError, match=r"settings\.score\.caution_points\.source: Field required"):
        load_rules(path)


def test_the_cap_is_a_whole_number_of_lines(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["settings"]["max_lines"].update(value=2.5))
    with pytest.raises(CatalogueError, match="max_lines: the value must be a whole number"):
        load_rules(path)


def test_a_threshold_for_an_unknown_indicator_is_refused(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["settings"]["change_thresholds"]["by_indicator"]["nope"] = {
            "absolute": 1,
            "source": "x",
            "confidence": "high",
        }

    with pytest.raises(CatalogueError) as caught:
        load_rules(broken(tmp_path, RULES_PATH, change))
    assert str(caught.value) == MSG_UNKNOWN_THRESHOLD.format(source=RULES_PATH.name, code="nope")


def test_every_missing_reason_needs_words(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["settings"]["missing_reasons"].pop("suppressed"))
    with pytest.raises(CatalogueError) as caught:
        load_rules(path)
    assert str(caught.value) == MSG_NO_MISSING_WORDS.format(source=RULES_PATH.name, reason="suppressed")


def test_a_rule_needs_a_priority_when_the_set_has_settings(tmp_path: Path) -> None:
    path = broken(tmp_path, RULES_PATH, lambda d: d["rules"][1].pop("priority"))
    with pytest.raises(CatalogueError) as caught:
        load_rules(path)
    assert str(caught.value) == MSG_NEEDS_PRIORITY.format(
        where=f"{RULES_PATH.name}: rule 'timeliness-lowest-quartile'"
    )


def test_a_worsened_rule_needs_settings(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        rule = next(r for r in d["rules"] if r["condition"] == "worsening_trend")
        rule["condition"] = "worsened"

    with pytest.raises(CatalogueError) as caught:
        load_rules(broken(tmp_path, V2, change))
    assert str(caught.value) == MSG_NEEDS_SETTINGS.format(
        where="v2.yaml: rule 'worsening-trend'", condition="worsened"
    )


def test_rule_set_files_are_named_by_their_version(tmp_path: Path) -> None:
    shutil.copy(V2, tmp_path / "v2.yaml")
    broken(tmp_path, RULES_PATH, lambda d: None, name="v4.yaml")
    with pytest.raises(CatalogueError) as caught:
        load_rule_sets(tmp_path)
    assert str(caught.value) == MSG_RULES_VERSION_MISMATCH.format(
        name="v4.yaml", declared=default_rules().rules_version, named="4"
    )
    (tmp_path / "v4.yaml").unlink()
    shutil.copy(V2, tmp_path / "rules.yaml")
    with pytest.raises(CatalogueError) as caught:
        load_rule_sets(tmp_path)
    assert str(caught.value) == MSG_RULES_NAME.format(name="rules.yaml")


# --- decisions --------------------------------------------------------------------------------------


def test_worse_than_england_and_falling_faster_has_worsened() -> None:
    found = lines(entry(change_3y=-6.0, england_change_3y=-1.0, change_1y=-2.0))
    [line] = found.lines
    assert line["rule_id"] == "worsened"
    assert "has worsened" in line["text"] and "-6.0 percentage points since 2021" in line["text"]
    assert "against -1.0 percentage points for England" in line["text"]


def test_a_fall_that_england_shares_says_so() -> None:
    [line] = lines(entry(change_3y=-6.0, england_change_3y=-5.0)).lines
    assert line["rule_id"] == "worsened-as-england"
    assert "much as it has across England" in line["text"]


def test_improving_more_slowly_than_england_has_fallen_behind_not_worsened() -> None:
    [line] = lines(entry(change_3y=1.0, england_change_3y=5.0)).lines
    assert line["rule_id"] == "fell-behind-england"
    assert "has worsened" not in line["text"]
    assert "the gap has widened by 4.0 percentage points" in line["text"]


def test_a_change_within_the_threshold_is_no_line() -> None:
    threshold = default_rules().settings.change_thresholds.of(TIMELINESS).absolute  # type: ignore[union-attr]
    assert threshold is not None
    assert lines(entry(change_3y=-threshold, england_change_3y=0.0)).lines == []
    assert lines(entry(change_3y=-threshold - 0.5, england_change_3y=0.0)).lines


def test_better_than_england_and_improving_gets_no_line_even_in_the_worst_quarter() -> None:
    ahead = entry(
        value=60.0, change_1y=1.0, change_3y=-8.0, england_change_3y=0.0, rank=150, of=153, quartile="D"
    )
    assert lines(ahead).lines == []
    # The same figure, not improving last year, worsened over three years: a line.
    assert lines(ahead | {"change_1y": -1.0}).lines


def test_a_rate_from_too_small_a_base_is_withheld_and_a_thin_one_cautioned() -> None:
    worst = {"rank": 150, "of": 153, "quartile": "D"}
    found = lines(entry(base=0.0, **worst))
    assert found.lines == [] and "too few to compare" in found.withheld[0]
    [line] = lines(entry(base=12.0, **worst)).lines
    assert line["cautions"] and "Data caution: Based on only 12 new EHC plans issued" in line["text"]
    assert line["text"].endswith(line["cautions"][0])
    [line] = lines(entry(value=0.0, base=None, **worst)).lines
    assert "Data caution: A rate of 0.0% can come from a very small group" in line["text"]
    cautioned, clean = lines(entry(base=12.0, **worst)).lines[0], lines(entry(**worst)).lines[0]
    assert cautioned["score"] < clean["score"]


def test_a_missing_comparator_uses_the_wording_without_it() -> None:
    [line] = lines(entry(neighbours_mean=None, rank=150, of=153, quartile="D")).lines
    assert "neighbours" not in line["text"] and "England 46.0%" in line["text"]
    # With no England figure no wording of the rule fits: no line, and the pack says why.
    found = lines(entry(england=None, neighbours_mean=None, rank=150, of=153, quartile="D"))
    assert found.lines == [] and "the sentence needs a figure that is not published" in found.withheld[0]


def test_a_suppressed_figure_is_named_in_words() -> None:
    [line] = lines(entry(value=None, missing_reason="suppressed", base=None)).lines
    assert line["rule_id"] == "missing-data"
    assert "the figure is suppressed in the published data" in line["text"]


def test_the_strongest_lines_up_to_the_cap() -> None:
    rules = default_rules()
    assert rules.settings is not None
    catalogue = default_catalogue()
    percentages = [
        i for i in catalogue.indicators if not i.hidden and i.unit == "percent" and i.polarity != "neither"
    ]
    entries = [
        entry(code=ind.code, rank=100 + n, of=153, quartile="D", base=None, value=50.0, england=55.0)
        for n, ind in enumerate(percentages)
    ]
    everything = propose(entries, area_name="Testshire", catalogue=catalogue, rules=rules)
    assert everything.left_out == 0 and len(everything.lines) > 2
    smaller = rules.model_copy(
        update={
            "settings": rules.settings.model_copy(
                update={"max_lines": rules.settings.max_lines.model_copy(update={"value": 2})}
            )
        }
    )
    found = propose(entries, area_name="Testshire", catalogue=catalogue, rules=smaller)
    assert len(found.lines) == 2 and found.left_out == len(everything.lines) - 2
    best = sorted(everything.lines, key=lambda line: -line["score"])[:2]
    assert [line["text"] for line in found.lines] == [line["text"] for line in best]
    assert found.lines[0]["score"] >= found.lines[1]["score"]
    assert "At most 2 lines" in found.score_definition
