"""The regime rules a framework file declares: checked strictly, required of a new version, and lent
to versions written before they were declared."""

from __future__ import annotations

from pathlib import Path

import pytest

from areasend.domain.frameworks import (
    MSG_AT_LEAST,
    MSG_DUPLICATE,
    MSG_UNKNOWN_EVENT,
    MSG_UNKNOWN_FIELD,
    MSG_UNKNOWN_ORGANISATION,
    MSG_UNKNOWN_STATE,
    MSG_UNKNOWN_TERM,
    Framework,
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
    MSG_ESCALATION_WITHOUT_REVIEW,
    MSG_NO_ACCEPTING_JUDGEMENT,
    MSG_NOT_A_DATE_EVENT,
    MSG_NOT_A_FINDING_SCALE,
    MSG_NOT_A_SIGN_OFF_ORGANISATION,
    MSG_NOT_AFTER_PUBLICATION,
    MSG_NOT_AN_OVERALL_SCALE,
    MSG_ONE_OVERALL_SCALE,
    MSG_PUBLICATION_EVENT_NOT_REQUIRED,
    MSG_PUBLICATION_STATE_NOT_PUBLISHED,
    MSG_RESERVED_FIGURE,
    MSG_RESULTS_WITHOUT_SCALE,
    MSG_RULE_APPLIES_TO,
    MSG_RULE_NO_ACTION_STATUSES,
    MSG_RULE_NO_JUDGEMENT_STATUS,
    MSG_RULE_NO_PLAN_STATUSES,
    MSG_RULE_NO_PUBLICATION,
    MSG_RULE_NO_SIGN_OFF,
    MSG_STATUS_TWO_MEANINGS,
    MSG_UNKNOWN_DOCUMENT,
    MSG_UNKNOWN_FINDING_KIND,
    MSG_UNKNOWN_OPTION,
    MSG_UNKNOWN_VISIT,
)

SOURCE = Path(__file__).resolve().parents[2] / "frameworks" / "tests" / "data" / "made-up-regime.yaml"
MADE_UP = SOURCE.read_text(encoding="utf-8")
LEGACY = Path(__file__).resolve().parents[2] / "frameworks" / "tests" / "fixtures"
FILE = "broken.yaml"
PLAN_STATUSES = "being_written, with_reviewers, needs_rework, approved, sent_to_minister"


def broken(old: str, new: str) -> tuple[str, list[Problem]]:
    assert MADE_UP.count(old) == 1, old
    text = MADE_UP.replace(old, new, 1)
    return text, validate_framework_text(text, FILE)


def line(text: str, fragment: str) -> int:
    """The number of the first line of ``text`` containing ``fragment`` (or, ending in ``$``, that is
    exactly ``fragment``, leading spaces aside)."""
    if fragment.endswith("$"):
        return next(i for i, c in enumerate(text.splitlines(), start=1) if c.strip() == fragment[:-1])
    return next(i for i, content in enumerate(text.splitlines(), start=1) if fragment in content)


def test_the_made_up_regime_is_valid_and_declares_every_rule() -> None:
    framework = load_framework_text(MADE_UP, FILE)
    assert undeclared_rules(framework) == []
    assert framework.publication is not None and framework.publication.state == "released"
    assert framework.is_published("aftercare") and not framework.is_published("writing_up")
    assert framework.sign_off_organisations == ("Learning Inspectorate", "Health Watchdog")
    plan = framework.document("recovery_plan")
    assert plan is not None and plan.escalation is not None
    assert plan.accepting_statuses == frozenset({"approved"})
    assert plan.submittable_statuses == frozenset({"being_written", "needs_rework"})
    visit = framework.visit("check_in")
    assert visit is not None and visit.judged_kinds == ("urgent_concern",)
    assert visit.overall_scale is not None and visit.overall_scale.key == "check_in_result"


def test_both_shipped_files_declare_every_rule() -> None:
    for framework in shipped_frameworks().values():
        assert undeclared_rules(framework) == [], framework.id
        assert framework.sign_off_organisations == ("Ofsted", "CQC")
        assert framework.national_history is not None


# -- publication -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    state: released\n    event: letter_released",
            "    state: published\n    event: letter_released",
            [
                (
                    "lifecycle.publication.state",
                    "state: published",
                    MSG_UNKNOWN_STATE.format(name="published"),
                ),
                (
                    "lifecycle.publication.published_states",
                    "published_states:",
                    MSG_PUBLICATION_STATE_NOT_PUBLISHED.format(state="published"),
                ),
            ],
        ),
        (
            "    event: letter_released\n",
            "    event: letter_out\n",
            [
                (
                    "lifecycle.publication.event",
                    "event: letter_out",
                    MSG_UNKNOWN_EVENT.format(name="letter_out"),
                )
            ],
        ),
        (
            "    event: letter_released\n",
            "    event: check_in_result\n",
            [
                (
                    "lifecycle.publication.event",
                    "event: check_in_result",
                    MSG_NOT_A_DATE_EVENT.format(name="check_in_result"),
                )
            ],
        ),
        (
            "    event: letter_released\n",
            "    event: letter_received\n",
            [
                (
                    "lifecycle.publication.event",
                    "event: letter_received",
                    MSG_PUBLICATION_EVENT_NOT_REQUIRED.format(state="released", event="letter_received"),
                )
            ],
        ),
        (
            "published_states: [released, aftercare, archived]",
            "published_states: [aftercare, archived]",
            [
                (
                    "lifecycle.publication.published_states",
                    "published_states:",
                    MSG_PUBLICATION_STATE_NOT_PUBLISHED.format(state="released"),
                )
            ],
        ),
        (
            "published_states: [released, aftercare, archived]",
            "published_states: [writing_up, released, aftercare, archived, closed]",
            [
                (
                    "lifecycle.publication.published_states[0]",
                    "published_states:",
                    MSG_NOT_AFTER_PUBLICATION.format(state="writing_up", publication="released"),
                ),
                (
                    "lifecycle.publication.published_states[4]",
                    "published_states:",
                    MSG_UNKNOWN_STATE.format(name="closed"),
                ),
            ],
        ),
    ],
)
def test_publication_names_a_state_that_requires_its_date_and_states_after_it(old, new, expected) -> None:  # type: ignore[no-untyped-def]
    text, problems = broken(old, new)
    assert problems == [Problem(FILE, path, message, line(text, at)) for path, at, message in expected]


def test_publication_is_strictly_shaped() -> None:
    text, problems = broken(
        "    event: letter_released\n", "    event: letter_released\n    when_done: true\n"
    )
    assert problems == [
        Problem(FILE, "lifecycle.publication.when_done", MSG_UNKNOWN_FIELD, line(text, "when_done"))
    ]


# -- sign-off ----------------------------------------------------------------------------------------


def test_sign_off_names_team_organisations_and_states_require_only_those() -> None:
    text, problems = broken(
        "organisations: [Learning Inspectorate, Health Watchdog]",
        "organisations: [Learning Inspectorate, Ofsted]",
    )
    requires = "requires_sign_off: [Learning Inspectorate, Health Watchdog]"
    assert problems == [
        Problem(
            FILE,
            "sign_off.organisations[1]",
            MSG_UNKNOWN_ORGANISATION.format(name="Ofsted"),
            line(text, "organisations:"),
        ),
        Problem(
            FILE,
            "lifecycle.states[4].requires_sign_off[1]",
            MSG_NOT_A_SIGN_OFF_ORGANISATION.format(
                name="Health Watchdog", organisations="Learning Inspectorate, Ofsted"
            ),
            line(text, requires),
        ),
    ]
    text, problems = broken(
        "organisations: [Learning Inspectorate, Health Watchdog]",
        "organisations: [Health Watchdog, Learning Inspectorate, Health Watchdog]",
    )
    assert problems == [
        Problem(
            FILE,
            "sign_off.organisations[2]",
            MSG_DUPLICATE.format(
                what="organisation", value="Health Watchdog", other="sign_off.organisations[0]"
            ),
            line(text, "organisations: [Health"),
        )
    ]


# -- plans -------------------------------------------------------------------------------------------


def test_plan_statuses_are_terms_of_the_vocabulary() -> None:
    text, problems = broken("statuses: {opened: being_written,", "statuses: {opened: drafting,")
    assert problems == [
        Problem(
            FILE,
            "follow_up_documents[0].statuses.opened",
            MSG_UNKNOWN_TERM.format(code="drafting", vocabulary="plan statuses", codes=PLAN_STATUSES),
            line(text, "statuses: {opened: drafting"),
        )
    ]
    text, problems = broken("status: needs_rework,", "status: not_fit_for_purpose,")
    assert problems == [
        Problem(
            FILE,
            "follow_up_documents[0].review_judgements[1].status",
            MSG_UNKNOWN_TERM.format(
                code="not_fit_for_purpose", vocabulary="plan statuses", codes=PLAN_STATUSES
            ),
            line(text, "status: not_fit_for_purpose"),
        )
    ]


def test_each_plan_status_has_one_meaning() -> None:
    text, problems = broken("status: sent_to_minister,", "status: approved,")
    assert problems == [
        Problem(
            FILE,
            "follow_up_documents[0].escalation.status",
            MSG_STATUS_TWO_MEANINGS.format(status="approved", first="acceptance", second="escalation"),
            line(text, "escalation:"),
        )
    ]
    text, problems = broken(
        "statuses: {opened: being_written, on_submission: with_reviewers}",
        "statuses: {opened: being_written, on_submission: being_written}",
    )
    assert problems == [
        Problem(
            FILE,
            "follow_up_documents[0].statuses.on_submission",
            MSG_STATUS_TWO_MEANINGS.format(
                status="being_written", first="the opening status", second="the status on submission"
            ),
            line(text, "statuses: {opened"),
        )
    ]


def test_a_review_can_accept_the_plan_and_only_a_reviewed_plan_is_escalated() -> None:
    text, problems = broken("status: approved, accepts: true,", "status: approved,")
    assert problems == [
        Problem(
            FILE,
            "follow_up_documents[0].review_judgements",
            MSG_NO_ACCEPTING_JUDGEMENT,
            line(text, "    review_judgements:"),
        )
    ]
    start = MADE_UP.index("    review_judgements:\n      - {key: sound")
    end = MADE_UP.index("    escalation: {after")
    text, problems = broken(MADE_UP[start:end], "    review_judgements: []\n")
    assert problems == [
        Problem(
            FILE,
            "follow_up_documents[0].escalation",
            MSG_ESCALATION_WITHOUT_REVIEW,
            line(text, "escalation:"),
        )
    ]
    text, problems = broken("after_failed_submissions: 3,", "after_failed_submissions: 0,")
    assert problems == [
        Problem(
            FILE,
            "follow_up_documents[0].escalation.after_failed_submissions",
            MSG_AT_LEAST.format(limit=1, got=0),
            line(text, "escalation:"),
        )
    ]


def test_action_statuses_are_unique() -> None:
    text, problems = broken("{code: checked, label: Checked,", "{code: doing, label: Checked,")
    assert problems == [
        Problem(
            FILE,
            "follow_up_documents[0].action_statuses[2].code",
            MSG_DUPLICATE.format(
                what="action status", value="doing", other="follow_up_documents[0].action_statuses[1].code"
            ),
            line(text, "label: Checked"),
        )
    ]


# -- visits ------------------------------------------------------------------------------------------


def test_a_scale_judges_a_finding_kind_and_a_visit_has_one_overall_scale() -> None:
    text, problems = broken("judges: urgent_concern", "judges: significant_weakness")
    assert problems == [
        Problem(
            FILE,
            "visits[0].judgement_scales[0].judges",
            MSG_UNKNOWN_FINDING_KIND.format(name="significant_weakness", kinds="next_step, urgent_concern"),
            line(text, "judges: significant_weakness"),
        )
    ]
    text, problems = broken("        judges: urgent_concern\n", "")
    assert problems == [
        Problem(
            FILE,
            "visits[0].judgement_scales[1].key",
            MSG_ONE_OVERALL_SCALE,
            line(text, "key: check_in_result"),
        ),
        # and the overall result can no longer follow a scale that judges no finding
        Problem(
            FILE,
            "visits[0].judgement_scales[1].implied_by.scale",
            MSG_NOT_A_FINDING_SCALE.format(name="concern_progress"),
            line(text, "implied_by:"),
        ),
    ]


# -- the national history ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path", "at", "message"),
    [
        (
            "{document: recovery_plan, figure:",
            "{document: wsoa, figure:",
            "national_history.documents[0].document",
            "{document: wsoa",
            MSG_UNKNOWN_DOCUMENT.format(name="wsoa"),
        ),
        (
            "    - visit: check_in\n",
            "    - visit: revisit\n",
            "national_history.visits[0].visit",
            "- visit: revisit",
            MSG_UNKNOWN_VISIT.format(name="revisit"),
        ),
        (
            "result_scale: check_in_result",
            "result_scale: concern_progress",
            "national_history.visits[0].result_scale",
            "result_scale: concern_progress",
            MSG_NOT_AN_OVERALL_SCALE.format(name="concern_progress", visit="check_in"),
        ),
        (
            "result_names: {on_track: good, off_track: poor}",
            "result_names: {on_track: good, derailed: poor}",
            "national_history.visits[0].result_names.derailed",
            "result_names:",
            MSG_UNKNOWN_OPTION.format(name="derailed", scale="check_in_result"),
        ),
        (
            "      result_scale: check_in_result\n",
            "",
            "national_history.visits[0].result_scale",
            "- visit: check_in",
            MSG_RESULTS_WITHOUT_SCALE,
        ),
        (
            "figure: check_ins",
            "figure: areas_inspected",
            "national_history.visits[0].figure",
            "figure: areas_inspected",
            MSG_RESERVED_FIGURE.format(name="areas_inspected"),
        ),
        (
            "figure: check_ins",
            "figure: recovery_plans_required",
            "national_history.visits[0].figure",
            "      figure: recovery_plans_required",
            MSG_DUPLICATE.format(
                what="figure", value="recovery_plans_required", other="national_history.documents[0].figure"
            ),
        ),
    ],
)
def test_national_history_names_what_exists_once(old, new, path, at, message) -> None:  # type: ignore[no-untyped-def]
    text, problems = broken(old, new)
    assert problems == [Problem(FILE, path, message, line(text, at))]


# -- rules a new version must declare ----------------------------------------------------------------


def _without(*cuts: tuple[str, str]) -> tuple[str, Framework]:
    text = MADE_UP
    for old, new in cuts:
        assert text.count(old) == 1, old
        text = text.replace(old, new, 1)
    return text, load_framework_text(text, FILE)


def test_a_file_that_leaves_rules_out_is_valid_but_each_missing_rule_is_named() -> None:
    start = MADE_UP.index("  publication:\n")
    end = MADE_UP.index("\nevents:")
    sign_off = MADE_UP[MADE_UP.index("sign_off:\n") : MADE_UP.index("\ntimetable:")]
    actions = MADE_UP[
        MADE_UP.index("    action_statuses:\n") : MADE_UP.index(
            "    source: *src\n    confidence: high\n\nvisits:"
        )
    ]
    text, framework = _without(
        (MADE_UP[start:end], ""),
        (sign_off, ""),
        ("    statuses: {opened: being_written, on_submission: with_reviewers}\n", ""),
        ("status: needs_rework, ", ""),
        (actions, ""),
        ("        judges: urgent_concern\n", "        applies_to: each_concern\n"),
    )
    assert validate_framework_text(text, FILE) == []  # a file written before the rules still loads
    assert undeclared_rule_problems(framework, text, FILE) == [
        Problem(FILE, "lifecycle.publication", MSG_RULE_NO_PUBLICATION, line(text, "lifecycle:")),
        Problem(FILE, "sign_off", MSG_RULE_NO_SIGN_OFF, line(text, "id: made-up-regime")),
        Problem(
            FILE,
            "follow_up_documents[0].statuses",
            MSG_RULE_NO_PLAN_STATUSES,
            line(text, "- key: recovery_plan$"),
        ),
        Problem(
            FILE,
            "follow_up_documents[0].action_statuses",
            MSG_RULE_NO_ACTION_STATUSES,
            line(text, "- key: recovery_plan$"),
        ),
        Problem(
            FILE,
            "follow_up_documents[0].review_judgements[1].status",
            MSG_RULE_NO_JUDGEMENT_STATUS,
            line(text, "{key: unsound"),
        ),
        Problem(
            FILE, "visits[0].judgement_scales[0].applies_to", MSG_RULE_APPLIES_TO, line(text, "applies_to:")
        ),
    ]


# -- versions written before the rules borrow them ---------------------------------------------------


def test_older_versions_of_the_shipped_frameworks_borrow_the_rules_of_the_current_one() -> None:
    current = shipped_frameworks()
    for name, framework_id in (
        ("local-area-send-2016-v4.yaml", "local-area-send-2016"),
        ("local-area-send-2016-v5.yaml", "local-area-send-2016"),
        ("area-send-2023-v6.yaml", "area-send-2023"),
        ("area-send-2023-v7.yaml", "area-send-2023"),
    ):
        old = load_framework_file(LEGACY / name)
        assert undeclared_rules(old), name
        lent = with_rules_from(old, current[framework_id])
        assert undeclared_rules(lent) == [], name
        # only the rules are borrowed: the older version's own deadlines, outcomes and version stay
        assert (lent.version, lent.deadlines, lent.outcomes) == (old.version, old.deadlines, old.outcomes)
        assert lent.lifecycle.publication == current[framework_id].lifecycle.publication
    wsoa_2016 = with_rules_from(
        load_framework_file(LEGACY / "local-area-send-2016-v4.yaml"), current["local-area-send-2016"]
    )
    revisit = wsoa_2016.visit("revisit")
    assert revisit is not None and revisit.judged_kinds == ("significant_weakness",)
    document = wsoa_2016.document("wsoa")
    assert document is not None and document.escalation is not None
    assert document.escalation.after_failed_submissions == 2


def test_rules_are_not_borrowed_from_another_framework_an_older_version_or_where_they_do_not_fit() -> None:
    current = shipped_frameworks()
    old = load_framework_file(LEGACY / "area-send-2023-v7.yaml")
    assert with_rules_from(old, current["local-area-send-2016"]) is old
    assert with_rules_from(old, old) is old
    misfit = current["area-send-2023"].model_copy(
        update={
            "lifecycle": current["area-send-2023"].lifecycle.model_copy(
                update={
                    "publication": current["area-send-2023"].lifecycle.publication.model_copy(  # type: ignore[union-attr]
                        update={"state": "no_such_state"}
                    )
                }
            )
        }
    )
    assert with_rules_from(old, misfit) is old
    made_up = load_framework_text(MADE_UP, FILE)
    assert with_rules_from(made_up, current["area-send-2023"]) is made_up  # it declares its own
