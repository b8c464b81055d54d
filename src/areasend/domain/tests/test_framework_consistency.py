"""Two rules as framework data: a visit's overall judgement follows the judgement of each finding
(``implied_by``), and a move back to the initial state postpones the inspection to a new date that
every deadline then runs from (``postpone``, ``lifecycle.postponement``). Each is checked strictly,
required of a new version, and lent to versions written before it."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from areasend.domain.calendar import default_calendar
from areasend.domain.frameworks import (
    MSG_DUPLICATE,
    MSG_NOT_A_DATE_EVENT,
    MSG_UNKNOWN_EVENT,
    Framework,
    JudgementScale,
    Problem,
    load_framework_file,
    load_framework_text,
    shipped_frameworks,
    undeclared_rule_problems,
    undeclared_rules,
    validate_framework_text,
    with_rules_from,
)
from areasend.domain.frameworks.messages import (
    MSG_IMPLIED_BY_NOT_OVERALL,
    MSG_IMPLIED_WHEN_MISSING,
    MSG_IMPLIED_WHEN_WITHOUT_RULE,
    MSG_NOT_A_FINDING_SCALE,
    MSG_POSTPONE_NOT_TO_INITIAL,
    MSG_POSTPONE_WITHOUT_RULE,
    MSG_POSTPONED_DATE_NOT_ESTIMATED,
    MSG_RULE_NO_IMPLIED_BY,
    MSG_RULE_NO_POSTPONE,
    MSG_SHARE_NOT_IMPLIED,
    MSG_UNKNOWN_OPTION,
)
from areasend.domain.frameworks.schema_visits import shares_possible
from areasend.domain.timeline import WARN_NOT_NOTIFICATION_DAY, WARN_OUTSIDE_FRAMEWORK, build_timeline

SRC = Path(__file__).resolve().parents[2]
SHIPPED = SRC / "frameworks" / "files"
LEGACY = SRC / "frameworks" / "tests" / "fixtures"
OFSTED_2016 = SRC / "history" / "data" / "ofsted_area_send_inspections_2016_2022.csv"
FILE_2016 = (SHIPPED / "local-area-send-2016.yaml").read_text(encoding="utf-8")
FILE = "broken.yaml"
D = dt.date
CAL = default_calendar()
ALL, SOME, NONE = "sufficient_in_all", "sufficient_in_some", "sufficient_in_none"
YES, NO = "sufficient_progress", "insufficient_progress"


def _2016() -> Framework:
    return shipped_frameworks()["local-area-send-2016"]


def broken(old: str, new: str) -> tuple[str, list[Problem]]:
    assert FILE_2016.count(old) == 1, old
    text = FILE_2016.replace(old, new, 1)
    return text, validate_framework_text(text, FILE)


def line(text: str, fragment: str) -> int:
    return next(i for i, content in enumerate(text.splitlines(), start=1) if fragment in content)


# -- the overall judgement of a revisit follows the judgement of each area ---------------------------


def _overall_scale() -> JudgementScale:
    revisit = _2016().visit("revisit")
    assert revisit is not None and revisit.overall_scale is not None
    return revisit.overall_scale


def test_a_revisit_is_sufficient_in_all_areas_only_when_every_area_is() -> None:
    scale = _overall_scale()
    assert scale.agreeing([YES, YES, YES]) == (ALL,)
    assert scale.agreeing([YES, NO, YES]) == (SOME,)
    assert scale.agreeing([NO, NO, NO]) == (NONE,)  # the defect: this was saved as "all"
    assert scale.agreeing([YES]) == (ALL,) and scale.agreeing([NO]) == (NONE,)


def test_areas_not_yet_judged_may_still_go_either_way() -> None:
    scale = _overall_scale()
    assert scale.agreeing([], unjudged=3) == (ALL, SOME, NONE)
    assert scale.agreeing([NO], unjudged=2) == (SOME, NONE)
    assert scale.agreeing([YES, YES], unjudged=1) == (ALL, SOME)
    assert scale.agreeing([YES, NO], unjudged=1) == (SOME,)
    assert shares_possible(0, 1, 1) == {"all", "none"}  # one area: never "some"
    assert shares_possible(0, 0, 0) == {"all", "some", "none"}  # nothing to judge: anything goes


def test_the_rule_agrees_with_every_revisit_ofsted_published() -> None:
    """Ofsted's 2016-2022 figures: each revisit's result against its counts of areas judged with and
    without sufficient progress (Yes = all, Some, No = none)."""
    scale = _overall_scale()
    result = {"Yes": ALL, "Some": SOME, "No": NONE}
    with OFSTED_2016.open(encoding="utf-8-sig") as rows:
        revisits = [row for row in csv.DictReader(rows) if row["revisit_sufficient_progress_all"]]
    assert len(revisits) == 46
    for row in revisits:
        judged = [YES] * int(row["num_sw_sufficient_progress"]) + [NO] * int(
            row["num_sw_insufficient_progress"]
        )
        assert scale.agreeing(judged) == (result[row["revisit_sufficient_progress_all"]],), row["area_name"]


def test_a_2023_monitoring_inspection_has_one_overall_judgement_and_nothing_to_follow() -> None:
    monitoring = shipped_frameworks()["area-send-2023"].visit("monitoring_inspection")
    assert monitoring is not None and monitoring.judged_kinds == ()
    assert monitoring.overall_scale is not None and monitoring.overall_scale.implied_by is None
    assert monitoring.overall_scale.agreeing([]) == ("effective_action", "ineffective_action")


SCALES = """        implied_by:
          scale: progress_per_weakness
          counting: [sufficient_progress]"""


@pytest.mark.parametrize(
    ("old", "new", "path", "fragment", "message"),
    [
        (
            "          scale: progress_per_weakness\n",
            "          scale: overall_progress\n",
            "visits[0].judgement_scales[1].implied_by.scale",
            "scale: overall_progress",
            MSG_NOT_A_FINDING_SCALE.format(name="overall_progress"),
        ),
        (
            "          counting: [sufficient_progress]\n",
            "          counting: [good_progress]\n",
            "visits[0].judgement_scales[1].implied_by.counting[0]",
            "counting: [good_progress]",
            MSG_UNKNOWN_OPTION.format(name="good_progress", scale="progress_per_weakness"),
        ),
        (
            "Sufficient progress in some areas, implied_when: [some]}",
            "Sufficient progress in some areas}",
            "visits[0].judgement_scales[1].options[1].key",
            "{key: sufficient_in_some",
            MSG_IMPLIED_WHEN_MISSING,
        ),
        (
            "Sufficient progress in some areas, implied_when: [some]}",
            "Sufficient progress in some areas, implied_when: [none]}",
            "visits[0].judgement_scales[1].options[2].implied_when[0]",
            "{key: sufficient_in_none",
            MSG_DUPLICATE.format(
                what="share", value="none", other="visits[0].judgement_scales[1].options[1].implied_when[0]"
            ),
        ),
        (
            "          - {key: insufficient_progress, label: Insufficient progress}\n",
            "          - {key: insufficient_progress, label: Insufficient progress, implied_when: [none]}\n",
            "visits[0].judgement_scales[0].options[1].implied_when",
            "{key: insufficient_progress",
            MSG_IMPLIED_WHEN_WITHOUT_RULE,
        ),
    ],
)
def test_a_broken_consistency_rule_is_named(
    old: str, new: str, path: str, fragment: str, message: str
) -> None:
    text, problems = broken(old, new)
    assert Problem(FILE, path, message, line(text, fragment)) in problems


def test_every_share_is_given_by_an_option_and_only_an_overall_scale_follows() -> None:
    text, problems = broken(
        "Sufficient progress in some areas, implied_when: [some]}",
        "Sufficient progress in some areas, implied_when: [all]}",
    )
    assert (
        Problem(
            FILE,
            "visits[0].judgement_scales[1].options",
            MSG_SHARE_NOT_IMPLIED.format(share="some", counting="sufficient_progress"),
            line(text, "key: overall_progress") + 11,  # its options:
        )
        in problems
    )
    text, problems = broken(
        "        judges: significant_weakness   # one judgement for each finding of this kind\n",
        "        judges: significant_weakness\n"
        + SCALES.replace("progress_per_weakness", "overall_progress")
        + "\n"
        "          source: areasend\n          confidence: high\n",
    )
    assert (
        Problem(
            FILE,
            "visits[0].judgement_scales[0].implied_by",
            MSG_IMPLIED_BY_NOT_OVERALL,
            line(text, "implied_by:"),
        )
        in problems
    )


# -- postponing --------------------------------------------------------------------------------------


def test_the_shipped_lifecycles_postpone_back_to_planned_and_plan_the_notification() -> None:
    for framework in shipped_frameworks().values():
        move = framework.lifecycle.postpone_from("notified")
        assert move is not None and move.to == framework.lifecycle.initial == "planned"
        assert framework.lifecycle.postpone_from("planned") is None
        rule = framework.lifecycle.postponement
        assert rule is not None and rule.event == "planned_notification"
        notified = framework.event(framework.timetable.notification_event)
        assert notified is not None and notified.estimated_by == "planned_notification"


def test_every_deadline_runs_from_the_planned_date_until_the_notification_is_recorded() -> None:
    framework = shipped_frameworks()["area-send-2023"]
    planned = D(2027, 1, 11)  # a Monday
    timeline = build_timeline(framework, {"planned_notification": planned})
    start = timeline["on_site_week_start"]
    assert (start.due, start.status) == (CAL.add_working_days(planned, 10), "projected")
    assert "projected from planned_notification" in start.rule
    assert timeline["offsite_fieldwork"].due == CAL.add_working_days(planned, 8)
    assert timeline.warnings == ()
    notified = D(2027, 1, 18)  # the real date wins once it is recorded
    timeline = build_timeline(framework, {"planned_notification": planned, "notified": notified})
    assert timeline["on_site_week_start"].due == CAL.add_working_days(notified, 10)
    assert timeline["on_site_week_start"].status == "due"


def test_a_planned_date_off_the_notification_weekday_is_a_warning_only() -> None:
    tuesday = D(2027, 1, 12)
    timeline = build_timeline(_2016(), {"planned_notification": tuesday})
    assert timeline["on_site_week_start"].due == CAL.add_working_days(tuesday, 5)
    assert timeline.warnings[:2] == (
        WARN_NOT_NOTIFICATION_DAY.format(
            event="planned_notification", date="2027-01-12", weekday="Tuesday", expected="Monday"
        ),
        WARN_OUTSIDE_FRAMEWORK.format(
            event="planned_notification",
            date="2027-01-12",
            framework="local-area-send-2016",
            period="2016-05-01 to 2022-12-31",
        ),
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "fragment", "message"),
    [
        (
            "{from: notified, to: planned, label: Postpone, postpone: true}",
            "{from: notified, to: planned, label: Postpone, postpone: true}\n"
            "    - {from: on_site, to: notified, label: Back, postpone: true}",
            "lifecycle.transitions[2].to",
            "label: Back",
            MSG_POSTPONE_NOT_TO_INITIAL.format(initial="planned", state="notified"),
        ),
        (
            "  postponement:\n    event: planned_notification\n",
            "  postponement:\n    event: planned_notice\n",
            "lifecycle.postponement.event",
            "event: planned_notice",
            MSG_UNKNOWN_EVENT.format(name="planned_notice"),
        ),
        (
            "  postponement:\n    event: planned_notification\n",
            "  postponement:\n    event: wsoa_judgement\n",
            "lifecycle.postponement.event",
            "event: wsoa_judgement",
            MSG_NOT_A_DATE_EVENT.format(name="wsoa_judgement"),
        ),
        (
            "of the inspection, estimated_by: planned_notification}",
            "of the inspection}",
            "lifecycle.postponement.event",
            "event: planned_notification",
            MSG_POSTPONED_DATE_NOT_ESTIMATED.format(
                event="notified", state="notified", planned="planned_notification"
            ),
        ),
    ],
)
def test_a_broken_postponement_is_named(old: str, new: str, path: str, fragment: str, message: str) -> None:
    text, problems = broken(old, new)
    assert Problem(FILE, path, message, line(text, fragment)) in problems


def test_a_move_that_postpones_needs_the_postponement_rule() -> None:
    start = FILE_2016.index("  # Postponing (the move marked")
    end = FILE_2016.index("\n\n", FILE_2016.index("  postponement:\n"))
    text = FILE_2016[:start].rstrip("\n") + FILE_2016[end:]
    problems = validate_framework_text(text, FILE)
    assert problems == [
        Problem(
            FILE, "lifecycle.transitions[1].postpone", MSG_POSTPONE_WITHOUT_RULE, line(text, "postpone: true")
        )
    ]


# -- a new version declares both; older versions borrow them ----------------------------------------


def test_a_new_version_says_whether_a_move_back_postpones_and_how_the_overall_judgement_follows() -> None:
    text = FILE_2016.replace(", postpone: true}", "}", 1)
    start = text.index("        implied_by:\n")
    text = text[:start] + text[text.index("        options:\n", start) :]
    text = text.replace(", implied_when: [all]}", "}").replace(", implied_when: [some]}", "}")
    text = text.replace(", implied_when: [none]}", "}")
    assert validate_framework_text(text, FILE) == []  # a file written before the rules still loads
    framework = load_framework_text(text, FILE)
    assert [(p.path, p.message) for p in undeclared_rule_problems(framework, text, FILE)] == [
        ("lifecycle.transitions[1].postpone", MSG_RULE_NO_POSTPONE),
        ("visits[0].judgement_scales[1].implied_by", MSG_RULE_NO_IMPLIED_BY),
    ]
    assert load_framework_text(FILE_2016, FILE).lifecycle.postpone_from("notified") is not None


@pytest.mark.parametrize(
    ("name", "framework_id"),
    [
        ("local-area-send-2016-v4.yaml", "local-area-send-2016"),
        ("local-area-send-2016-v5.yaml", "local-area-send-2016"),
        ("local-area-send-2016-v6.yaml", "local-area-send-2016"),
        ("area-send-2023-v6.yaml", "area-send-2023"),
        ("area-send-2023-v7.yaml", "area-send-2023"),
        ("area-send-2023-v8.yaml", "area-send-2023"),
    ],
)
def test_older_versions_borrow_postponing_and_the_revisit_rule(name: str, framework_id: str) -> None:
    current = shipped_frameworks()[framework_id]
    later = current.model_copy(update={"version": 99})  # the next version the shipped file becomes
    old = load_framework_file(LEGACY / name)
    assert old.lifecycle.postpone_from("notified") is None and undeclared_rules(old)
    lent = with_rules_from(old, later)
    assert undeclared_rules(lent) == []
    assert lent.lifecycle.postponement == current.lifecycle.postponement
    move = lent.lifecycle.postpone_from("notified")
    assert move is not None and move.to == "planned"
    assert lent.event("planned_notification") == current.event("planned_notification")
    planned = D(2021, 3, 1)
    timeline = build_timeline(lent, {"planned_notification": planned})
    assert timeline["on_site_week_start"].status == "projected"
    # only the rules are borrowed: the older version's own deadlines and outcomes stay
    assert (lent.version, lent.deadlines, lent.outcomes) == (old.version, old.deadlines, old.outcomes)
    revisit = lent.visit("revisit")
    if revisit is not None:
        assert revisit.overall_scale is not None
        assert revisit.overall_scale.agreeing([NO, NO]) == (NONE,)
