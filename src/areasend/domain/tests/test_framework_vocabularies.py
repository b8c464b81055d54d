"""Vocabularies in framework files: the shipped terms, and broken vocabularies with precise messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from areasend.domain.frameworks import (
    MSG_BAD_KEY,
    MSG_DUPLICATE,
    MSG_MISSING,
    MSG_NOT_EMPTY,
    MSG_UNKNOWN_TERM,
    VOCABULARY_KINDS,
    Framework,
    Problem,
    load_framework_text,
    shipped_frameworks,
    validate_framework_text,
)

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
FILE = "vocabulary.yaml"
FIRST = MINIMAL.count("\n") + 1  # the line the appended vocabularies start on
VOCABULARIES = """\
vocabularies:
  sectors:
    - {code: education, label: Education, source: s, confidence: high}
    - {code: health, label: Health, source: s, confidence: high}
  age_phases:
    - {code: primary, label: Primary, source: s, confidence: high}
  evidence_sources:
    - {code: document, label: Documents, source: s, confidence: high}
    - {code: data, label: Data, source: s, confidence: high}
  activity_types:
    - {code: leaders_meeting, label: Meeting with leaders, evidence_source: document, source: s, confidence: high}
  plan_statuses:
    - {code: drafting, label: Being drafted, source: s, confidence: high}
"""


def with_vocabularies(old: str = "", new: str = "") -> str:
    assert old in VOCABULARIES, old
    return MINIMAL + VOCABULARIES.replace(old, new, 1)


def problems(old: str, new: str) -> list[Problem]:
    return validate_framework_text(with_vocabularies(old, new), FILE)


def p(path: str, offset: int, message: str) -> Problem:
    """A problem on the line ``offset`` lines into the appended vocabularies."""
    return Problem(FILE, path, message, FIRST + offset)


def test_a_file_with_vocabularies_is_valid_and_exposes_them() -> None:
    framework = load_framework_text(with_vocabularies(), FILE)
    assert [t.code for t in framework.vocabulary("sector")] == ["education", "health"]
    assert framework.term("activity_type", "leaders_meeting") is not None
    assert framework.term("sector", "social_care") is None
    assert framework.vocabulary("finding_kind") == ()


def test_a_file_without_vocabularies_is_still_valid() -> None:
    """Versions loaded before files declared vocabularies must keep loading from their stored text."""
    framework = load_framework_text(MINIMAL, FILE)
    assert framework.vocabularies is None
    assert all(framework.vocabulary(kind) == () for kind in VOCABULARY_KINDS)


def test_duplicate_code_in_a_vocabulary() -> None:
    assert problems("{code: health, label: Health", "{code: education, label: Health") == [
        p(
            "vocabularies.sectors[1].code",
            3,
            MSG_DUPLICATE.format(what="sector code", value="education", other="vocabularies.sectors[0].code"),
        )
    ]


def test_the_same_code_in_two_vocabularies_is_allowed() -> None:
    text = with_vocabularies("{code: data, label: Data", "{code: primary, label: Data")
    assert validate_framework_text(text, FILE) == []


def test_activity_type_naming_an_unknown_evidence_source() -> None:
    assert problems("evidence_source: document", "evidence_source: survey") == [
        p(
            "vocabularies.activity_types[0].evidence_source",
            10,
            MSG_UNKNOWN_TERM.format(code="survey", vocabulary="evidence sources", codes="document, data"),
        )
    ]


def test_evidence_group_naming_an_unknown_evidence_source() -> None:
    text = with_vocabularies() + (
        "evidence:\n"
        "  - {key: pack, label: Data pack, items: [Figures], sources: [data, survey], source: s, confidence: high}\n"
    )
    assert validate_framework_text(text, FILE) == [
        Problem(
            FILE,
            "evidence[0].sources[1]",
            MSG_UNKNOWN_TERM.format(code="survey", vocabulary="evidence sources", codes="document, data"),
            FIRST + VOCABULARIES.count("\n") + 1,
        )
    ]


def test_evidence_sources_named_in_a_file_without_vocabularies() -> None:
    text = MINIMAL + (
        "evidence:\n"
        "  - {key: pack, label: Data pack, items: [Figures], sources: [data], source: s, confidence: high}\n"
    )
    assert validate_framework_text(text, FILE) == [
        Problem(
            FILE,
            "evidence[0].sources[0]",
            MSG_UNKNOWN_TERM.format(code="data", vocabulary="evidence sources", codes="none declared"),
            FIRST + 1,
        )
    ]


def test_a_declared_vocabularies_section_names_every_vocabulary() -> None:
    assert problems(
        "  plan_statuses:\n    - {code: drafting, label: Being drafted, source: s, confidence: high}\n", ""
    ) == [p("vocabularies.plan_statuses", 0, MSG_MISSING)]


def test_an_empty_vocabulary_is_refused() -> None:
    assert problems(
        "  age_phases:\n    - {code: primary, label: Primary, source: s, confidence: high}\n",
        "  age_phases: []\n",
    ) == [p("vocabularies.age_phases", 4, MSG_NOT_EMPTY)]


def test_a_term_needs_a_source_and_a_code_that_is_a_key() -> None:
    assert problems(
        "{code: primary, label: Primary, source: s, confidence: high}",
        "{code: Year-1, label: Primary, confidence: high}",
    ) == [
        p("vocabularies.age_phases[0].source", 5, MSG_MISSING),
        p("vocabularies.age_phases[0].code", 5, MSG_BAD_KEY.format(got="Year-1")),
    ]


# -- the shipped files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> dict[str, Framework]:
    return shipped_frameworks()


def test_each_regime_names_its_own_sectors(shipped: dict[str, Framework]) -> None:
    codes = {fid: [t.code for t in fw.vocabulary("sector")] for fid, fw in shipped.items()}
    assert codes == {
        "area-send-2023": ["education", "health", "social_care", "alternative_provision"],
        "local-area-send-2016": ["education", "health", "social_care"],
    }


def test_shipped_vocabularies_are_complete_and_sourced(shipped: dict[str, Framework]) -> None:
    for framework in shipped.values():
        assert [t.code for t in framework.vocabulary("age_phase")] == [
            "early_years",
            "primary",
            "secondary",
            "post_16",
            "ages_19_to_25",
        ]
        assert [t.code for t in framework.vocabulary("plan_status")] == [
            "drafting",
            "submitted",
            "not_fit_for_purpose",
            "fit_for_purpose",
            "escalated",
        ]
        assert len(framework.vocabulary("activity_type")) == 10
        assert all(t.source and t.label for kind in VOCABULARY_KINDS for t in framework.vocabulary(kind))
    surveys = {fid: fw.term("evidence_source", "survey") is not None for fid, fw in shipped.items()}
    assert surveys == {"area-send-2023": True, "local-area-send-2016": False}
    assert [t.code for t in shipped["area-send-2023"].vocabulary("finding_kind")] == [
        "priority_action",
        "improvement",
    ]
