"""Framework files: the shipped ones validate, and broken ones are rejected with precise messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from areasend.domain import frameworks as fwmod
from areasend.domain.frameworks import (
    MSG_AT_LEAST,
    MSG_BAD_KEY,
    MSG_DATE,
    MSG_DATES_OUT_OF_ORDER,
    MSG_DEPENDENCY_CYCLE,
    MSG_DUPLICATE,
    MSG_DUPLICATE_YAML_KEY,
    MSG_EMPTY_FILE,
    MSG_FILE_NOT_FOUND,
    MSG_KEY_IS_EVENT,
    MSG_LATEST_REVISION,
    MSG_MISSING,
    MSG_MUST_BE_CONFIGURABLE,
    MSG_NEEDS_PARENT,
    MSG_NOT_A_CHOICE_EVENT,
    MSG_NOT_A_DATE_EVENT,
    MSG_NOT_UTF8,
    MSG_ONE_OF,
    MSG_PARENT_CYCLE,
    MSG_RESERVED_EVENT,
    MSG_TEXT,
    MSG_TOP_LEVEL_NOT_MAPPING,
    MSG_UNKNOWN_CHOICE,
    MSG_UNKNOWN_DEADLINE,
    MSG_UNKNOWN_ESTIMATE,
    MSG_UNKNOWN_FIELD,
    MSG_UNKNOWN_FROM,
    MSG_UNKNOWN_PARENT,
    MSG_UNKNOWN_STATE,
    MSG_UNREACHABLE_STATE,
    MSG_WHOLE_NUMBER,
    MSG_YAML_SYNTAX,
    Framework,
    FrameworkFileError,
    Problem,
    format_path,
    load_framework_file,
    load_framework_text,
    shipped_framework_files,
    shipped_frameworks,
    validate_framework_text,
)

FIXTURE = Path(__file__).parent / "fixtures" / "minimal.yaml"
MINIMAL = FIXTURE.read_text(encoding="utf-8")
FILE = "broken.yaml"
UNITS = "'working_days', 'calendar_days', 'weeks', 'months' or 'years'"


def broken(old: str, new: str) -> list[Problem]:
    assert old in MINIMAL, old
    return validate_framework_text(MINIMAL.replace(old, new, 1), FILE)


def p(path: str, line: int | None, message: str) -> Problem:
    return Problem(FILE, path, message, line)


# -- the shipped files ------------------------------------------------------------------------------


def test_both_shipped_files_validate() -> None:
    files = shipped_framework_files()
    assert [f.name for f in files] == [
        "area-send-2023-before-june-2025.yaml",  # the 2023 handbook's editions (ADR 26)
        "area-send-2023-june-2025.yaml",
        "area-send-2023.yaml",
        "local-area-send-2016.yaml",
    ]
    for path in files:
        assert validate_framework_text(path.read_text(encoding="utf-8"), str(path)) == []
    assert sorted(shipped_frameworks()) == ["area-send-2023", "local-area-send-2016"]


@pytest.fixture(scope="module")
def fw2016() -> Framework:
    return shipped_frameworks()["local-area-send-2016"]


@pytest.fixture(scope="module")
def fw2023() -> Framework:
    return shipped_frameworks()["area-send-2023"]


def test_2016_has_the_three_questions_and_their_aspects(fw2016: Framework) -> None:
    roots = fw2016.children(None)
    assert [n.ref for n in roots] == ["A", "B", "C"]
    assert all(n.kind == "question" and n.confidence == "high" for n in roots)
    assert roots[0].text.startswith("How effectively does the local area identify")
    assert [len(fw2016.children(r)) for r in ("A", "B", "C")] == [4, 6, 3]


def test_2016_reporting_emphases_and_preparation_for_adulthood(fw2016: Framework) -> None:
    assert len(fw2016.reporting_emphases) == 8
    assert "Equality Act 2010" in fw2016.reporting_emphases[-1].text
    assert [a.key for a in fw2016.preparation_for_adulthood] == [
        "higher_education_or_employment",
        "independent_living",
        "participation_in_society",
        "being_healthy",
    ]


def test_2016_outcomes_roles_and_wsoa_deadlines(fw2016: Framework) -> None:
    assert [o.key for o in fw2016.outcomes] == ["wsoa_not_required", "wsoa_required"]
    assert [r.key for r in fw2016.team_roles if r.required] == [
        "lead_hmi",
        "cqc_inspector",
        "ofsted_inspector",
    ]
    wsoa = fw2016.deadline("wsoa_submission")
    assert wsoa is not None
    assert (wsoa.value, wsoa.unit, wsoa.from_, wsoa.confidence) == (
        70,
        "working_days",
        "report_received",
        "high",
    )
    review = fw2016.deadline("wsoa_review")
    resubmission = fw2016.deadline("wsoa_resubmission")
    assert review is not None and resubmission is not None
    assert (review.value, resubmission.value) == (10, 20)
    publication = fw2016.deadline("publication")
    assert publication is not None
    assert (publication.confidence, publication.configurable) == ("low", True)
    # the value the Essex page states is kept beside the estimate from the record
    assert publication.estimate is not None and publication.estimate.stated_value == 33
    revisit = next(v for v in fw2016.visits if v.key == "revisit")
    options = {s.key: [o.key for o in s.options] for s in revisit.judgement_scales}
    assert options == {
        "progress_per_weakness": ["sufficient_progress", "insufficient_progress"],
        "overall_progress": ["sufficient_in_all", "sufficient_in_some", "sufficient_in_none"],
    }
    assert {g.key for g in fw2016.evidence} >= {"lines_of_enquiry", "commissioning_and_performance_data"}


def test_2023_reflects_the_june_2025_revision(fw2023: Framework) -> None:
    assert fw2023.version == fw2023.revisions[-1].version
    june = next(r for r in fw2023.revisions if r.date == dt.date(2025, 6, 6))
    assert fw2023.version > june.version - 1 >= 1
    assert any("18 months" in change for change in june.changes)


def test_2023_headings_criteria_and_outcomes(fw2023: Framework) -> None:
    headings = fw2023.children(None)
    assert [h.kind for h in headings] == ["heading", "heading"]
    leaders = fw2023.children("H2")
    assert len(leaders) == 6
    assert all(c.text.startswith("Leaders") and c.confidence == "low" for c in leaders)
    assert all(c.confidence == "high" for c in fw2023.children("H1"))
    assert [o.label for o in fw2023.outcomes] == [
        "Typically positive experiences and outcomes",
        "Inconsistent experiences and outcomes",
        "Widespread and/or systemic failings",
    ]
    intervals = [
        (o.number, o.next_full_inspection.value if o.next_full_inspection else None) for o in fw2023.outcomes
    ]
    assert intervals == [(1, 5), (2, 3), (3, 3)]
    assert "social_care_inspector" in {r.key for r in fw2023.team_roles}
    monitoring = next(v for v in fw2023.visits if v.key == "monitoring_inspection")
    assert [o.key for o in monitoring.judgement_scales[0].options] == [
        "effective_action",
        "ineffective_action",
    ]
    pap = fw2023.deadline("priority_action_plan")
    assert pap is not None and (pap.value, pap.configurable) == (35, True)


def test_every_low_or_medium_confidence_deadline_is_configurable(
    fw2016: Framework, fw2023: Framework
) -> None:
    for fw in (fw2016, fw2023):
        for deadline in fw.deadlines:
            assert deadline.source and deadline.confidence in {"high", "medium", "low"}
            if deadline.confidence != "high":
                assert deadline.configurable, deadline.key


def test_lifecycles(fw2016: Framework, fw2023: Framework) -> None:
    assert "fieldwork" not in {s.key for s in fw2016.lifecycle.states}
    assert [s.key for s in fw2023.lifecycle.states] == [
        "planned",
        "notified",
        "fieldwork",
        "on_site",
        "drafting",
        "quality_assurance",
        "factual_accuracy",
        "published",
        "follow_up",
        "closed",
    ]


def test_walk_nodes_in_tree_order(fw2023: Framework) -> None:
    walked = [(depth, node.ref) for depth, node in fw2023.walk_nodes()]
    assert walked[:2] == [(0, "H1"), (1, "H1.1")]
    assert (0, "H2") in walked and len(walked) == len(fw2023.nodes)


# -- the fixture is valid -------------------------------------------------------------------------


def test_fixture_is_valid() -> None:
    framework = load_framework_text(MINIMAL, FILE)
    assert framework.id == "test-framework"
    assert framework.outcome(2) is framework.outcome("not_fine") is framework.outcome("2")


# -- broken files, each with its precise message ----------------------------------------------------


def test_unknown_unit() -> None:
    assert broken(
        "unit: working_days\n    from: report_received", "unit: fortnights\n    from: report_received"
    ) == [p("deadlines[3].unit", 82, MSG_ONE_OF.format(expected=UNITS, got="fortnights"))]


def test_missing_field() -> None:
    assert broken("    label: Plan submitted\n", "") == [p("deadlines[3].label", 79, MSG_MISSING)]


def test_unknown_field() -> None:
    assert broken("  - key: plan\n", "  - key: plan\n    colour: red\n") == [
        p("deadlines[3].colour", 80, MSG_UNKNOWN_FIELD)
    ]


def test_version_below_one() -> None:
    assert broken("version: 2\ntitle", "version: 0\ntitle") == [
        p("version", 2, MSG_AT_LEAST.format(limit=1, got=0))
    ]


def test_version_not_a_number() -> None:
    assert broken("version: 2\ntitle", 'version: "two"\ntitle') == [
        p("version", 2, MSG_WHOLE_NUMBER.format(got="two"))
    ]


def test_unknown_parent() -> None:
    assert broken("parent: A.1,", "parent: Z,") == [
        p("nodes[2].parent", 20, MSG_UNKNOWN_PARENT.format(parent="Z"))
    ]


def test_parent_cycle() -> None:
    assert broken("{ref: A, kind: question,", "{ref: A, parent: A.2, kind: question,") == [
        p("nodes[0].parent", 18, MSG_PARENT_CYCLE.format(chain="A -> A.2 -> A.1 -> A"))
    ]


def test_criterion_without_parent() -> None:
    assert broken("{ref: A, kind: question,", "{ref: A, kind: criterion,") == [
        p("nodes[0].kind", 18, MSG_NEEDS_PARENT.format(kind="criterion"))
    ]


def test_duplicate_ref() -> None:
    assert broken("{ref: A.2, parent: A.1,", "{ref: A.1, parent: A,") == [
        p("nodes[2].ref", 20, MSG_DUPLICATE.format(what="ref", value="A.1", other="nodes[1].ref"))
    ]


def test_duplicate_deadline_key() -> None:
    assert broken("key: plan_again", "key: plan") == [
        p(
            "deadlines[4].key",
            88,
            MSG_DUPLICATE.format(what="deadline key", value="plan", other="deadlines[3].key"),
        )
    ]


def test_deadline_from_names_nothing_known() -> None:
    assert broken("from: report_received", "from: report_sent") == [
        p("deadlines[3].from", 83, MSG_UNKNOWN_FROM.format(name="report_sent"))
    ]


def test_deadlines_that_depend_on_each_other() -> None:
    assert broken("from: on_site_end\n    hold", "from: report_received\n    hold") == [
        p(
            "deadlines[2].from",
            74,
            MSG_DEPENDENCY_CYCLE.format(chain="report_received -> publication -> report_received"),
        )
    ]


def test_transition_to_unknown_state() -> None:
    assert broken("{from: on_site, to: closed}", "{from: on_site, to: finished}") == [
        p("lifecycle.transitions[1].to", 45, MSG_UNKNOWN_STATE.format(name="finished")),
        p("lifecycle.states[2].key", 42, MSG_UNREACHABLE_STATE.format(state="closed", initial="planned")),
    ]


def test_unknown_initial_state() -> None:
    assert broken("initial: planned", "initial: drafted") == [
        p("lifecycle.initial", 37, MSG_UNKNOWN_STATE.format(name="drafted"))
    ]


def test_dates_out_of_order() -> None:
    assert broken("in_force_to: 2021-12-31", "in_force_to: 2019-12-31") == [
        p("in_force_to", 5, MSG_DATES_OUT_OF_ORDER.format(to="2019-12-31", from_="2020-01-01"))
    ]


def test_not_a_date() -> None:
    assert broken("in_force_from: 2020-01-01", "in_force_from: soon") == [
        p("in_force_from", 4, MSG_DATE.format(got="soon"))
    ]


def test_version_without_a_revision_note() -> None:
    assert broken("version: 2\ntitle", "version: 3\ntitle") == [
        p("version", 2, MSG_LATEST_REVISION.format(revision=2, version=3))
    ]


def test_condition_value_not_a_choice() -> None:
    assert broken("when: {plan_review: [rejected]}", "when: {plan_review: [refused]}") == [
        p(
            "deadlines[4].when.plan_review[0]",
            93,
            MSG_UNKNOWN_CHOICE.format(value="refused", event="plan_review", choices="accepted, rejected"),
        )
    ]


def test_condition_on_a_date_event() -> None:
    assert broken("when: {outcome: [not_fine]}", "when: {notified: [x]}") == [
        p("deadlines[3].when.notified", 84, MSG_NOT_A_CHOICE_EVENT.format(name="notified"))
    ]


def test_condition_on_an_unknown_outcome() -> None:
    assert broken("when: {outcome: [not_fine]}", "when: {outcome: [awful]}") == [
        p(
            "deadlines[3].when.outcome[0]",
            84,
            MSG_UNKNOWN_CHOICE.format(value="awful", event="outcome", choices="fine, not_fine"),
        )
    ]


def test_low_confidence_deadline_must_be_configurable() -> None:
    assert broken(
        "    hold_for_pre_election: true\n    configurable: true\n", "    hold_for_pre_election: true\n"
    ) == [p("deadlines[2].configurable", 70, MSG_MUST_BE_CONFIGURABLE.format(confidence="low"))]


def test_deadline_key_clashing_with_an_event() -> None:
    assert broken("key: last_day", "key: report_received") == [
        p("deadlines[1].key", 62, fwmod.MSG_KEY_IS_EVENT.format(key="report_received"))
    ]
    assert fwmod.MSG_KEY_IS_EVENT is MSG_KEY_IS_EVENT


def test_outcome_declared_as_an_event() -> None:
    assert broken(
        "  - {name: plan_submitted,", "  - {name: outcome, label: Outcome}\n  - {name: plan_submitted,"
    ) == [p("events[4].name", 51, MSG_RESERVED_EVENT)]


def test_estimated_by_unknown_milestone() -> None:
    assert broken("estimated_by: publication", "estimated_by: publishing") == [
        p("events[3].estimated_by", 50, MSG_UNKNOWN_ESTIMATE.format(name="publishing"))
    ]


def test_estimated_by_another_date_event_but_not_by_a_decision_or_itself() -> None:
    assert broken("estimated_by: publication", "estimated_by: on_site_end") == []
    assert broken("estimated_by: publication", "estimated_by: plan_review") == [
        p("events[3].estimated_by", 50, MSG_NOT_A_DATE_EVENT.format(name="plan_review"))
    ]
    assert broken("estimated_by: publication", "estimated_by: report_received")[0] == p(
        "events[3].estimated_by", 50, MSG_UNKNOWN_ESTIMATE.format(name="report_received")
    )


def test_bad_key_pattern() -> None:
    assert broken("key: plan_again", "key: Plan-Again") == [
        p("deadlines[4].key", 88, MSG_BAD_KEY.format(got="Plan-Again"))
    ]


def test_unknown_confidence() -> None:
    assert broken("    confidence: medium\n", "    confidence: certain\n") == [
        p(
            "deadlines[4].confidence",
            96,
            MSG_ONE_OF.format(expected="'high', 'medium' or 'low'", got="certain"),
        )
    ]


def test_wrong_type() -> None:
    assert broken("{ref: A, kind: question,", "{ref: A, kind: question, parent: [1],") == [
        p("nodes[0].parent", 18, MSG_TEXT.format(got=[1]))
    ]


def test_duplicate_yaml_key() -> None:
    assert broken("  initial: planned\n", "  initial: planned\n  initial: closed\n") == [
        p("lifecycle.initial", 38, MSG_DUPLICATE_YAML_KEY.format(key="initial"))
    ]


def test_yaml_syntax_error() -> None:
    assert broken("  - {ref: A, kind", "  - {ref: A: kind") == [
        p("", 18, MSG_YAML_SYNTAX.format(problem="expected ',' or '}', but got ':'"))
    ]


def test_top_level_not_a_mapping() -> None:
    assert validate_framework_text("- one\n- two\n", FILE) == [p("", 1, MSG_TOP_LEVEL_NOT_MAPPING)]


def test_empty_file() -> None:
    assert validate_framework_text("\n  \n", FILE) == [p("", None, MSG_EMPTY_FILE)]


def test_unknown_deadline_in_a_follow_up_document() -> None:
    text = MINIMAL + (
        "follow_up_documents:\n"
        "  - {key: plan, title: Plan, deadlines: [plan, plan_later], source: s, confidence: high}\n"
    )
    assert validate_framework_text(text, FILE) == [
        p("follow_up_documents[0].deadlines[1]", 98, MSG_UNKNOWN_DEADLINE.format(name="plan_later"))
    ]


def test_several_problems_are_all_reported() -> None:
    text = MINIMAL.replace("from: report_received", "from: report_sent").replace(
        "initial: planned", "initial: drafted"
    )
    paths = [problem.path for problem in validate_framework_text(text, FILE)]
    assert "deadlines[3].from" in paths and "lifecycle.initial" in paths


# -- loaders --------------------------------------------------------------------------------------


def test_loader_raises_with_every_problem_and_no_traceback_from_the_parser() -> None:
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_text(MINIMAL.replace("unit: months", "unit: decades"), FILE)
    assert caught.value.problems == [
        p("deadlines[4].unit", 91, MSG_ONE_OF.format(expected=UNITS, got="decades"))
    ]
    assert str(caught.value) == f"{FILE}:91: deadlines[4].unit: " + MSG_ONE_OF.format(
        expected=UNITS, got="decades"
    )


def test_load_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(missing)
    assert caught.value.problems == [Problem(str(missing), "", MSG_FILE_NOT_FOUND)]


def test_load_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(binary)
    assert caught.value.problems == [Problem(str(binary), "", MSG_NOT_UTF8)]


def test_load_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_framework_file(path).version == 2


def test_format_path() -> None:
    assert format_path(("deadlines", 3, "unit")) == "deadlines[3].unit"
    assert format_path(()) == ""
    assert str(Problem("f.yaml", "version", "bad", 2)) == "f.yaml:2: version: bad"
    assert str(Problem("f.yaml", "", "bad")) == "f.yaml: bad"


def test_alias_bombs_are_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert validate_framework_text("\n".join(lines) + "\n", FILE) == [
        p("", None, fwmod.MSG_TOO_LARGE.format(limit=fwmod.MAX_EXPANDED_NODES))
    ]


def test_shipped_files_use_aliases_without_losing_line_numbers() -> None:
    text = (FIXTURE.parent.parents[2] / "frameworks" / "files" / "local-area-send-2016.yaml").read_text()
    old = "unit: working_days\n    from: report_received"
    unit_line = text[: text.index(old)].count("\n") + 1
    problems = validate_framework_text(text.replace(old, "unit: fortnight\n    from: report_received"), FILE)
    assert [(problem.path, problem.line) for problem in problems] == [("deadlines[3].unit", unit_line)]


def test_state_requiring_an_unknown_event() -> None:
    from areasend.domain.frameworks import MSG_UNKNOWN_EVENT

    assert broken(
        "{key: on_site, label: On site}", "{key: on_site, label: On site, requires_event: arrived}"
    ) == [p("lifecycle.states[1].requires_event", 41, MSG_UNKNOWN_EVENT.format(name="arrived"))]


def test_state_requiring_sign_off_by_an_unknown_organisation() -> None:
    from areasend.domain.frameworks import MSG_UNKNOWN_ORGANISATION

    assert broken(
        "{key: closed, label: Closed}", "{key: closed, label: Closed, requires_sign_off: [Ofsted, CQC]}"
    ) == [p("lifecycle.states[2].requires_sign_off[1]", 42, MSG_UNKNOWN_ORGANISATION.format(name="CQC"))]


def test_two_lead_roles() -> None:
    from areasend.domain.frameworks import MSG_ONE_LEAD

    role = "  - {key: lead, title: Lead inspector, organisation: Ofsted, source: test source, confidence: high}\n"
    two = role.replace("confidence: high}", "confidence: high, lead: true}")
    second = two.replace("key: lead,", "key: second,")
    assert broken(role, two + second) == [p("team_roles[1].lead", 26, MSG_ONE_LEAD)]


def test_finding_kind_on_an_unknown_outcome() -> None:
    from areasend.domain.frameworks import MSG_UNKNOWN_CHOICE

    kinds = (
        "finding_kinds:\n"
        "  - {key: improvement, label: Area for improvement, when: {outcome: [awful]}, source: s, confidence: low}\n"
        "timetable:"
    )
    problems = broken("timetable:", kinds)
    assert [(x.path, x.message) for x in problems] == [
        (
            "finding_kinds[0].when.outcome[0]",
            MSG_UNKNOWN_CHOICE.format(value="awful", event="outcome", choices="fine, not_fine"),
        )
    ]
