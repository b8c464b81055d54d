"""A framework's editions, each in force for its own dates (ADR 26): the shipped 2023 editions follow
one another, a timeline takes the edition in force on its notification date, overlapping or gapped
dates are reported in words, and the follow-up rules are as the published reports show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from areasend.domain.calendar import default_calendar
from areasend.domain.frameworks import Deadline, Framework, shipped_editions, shipped_frameworks
from areasend.domain.frameworks.editions import (
    MSG_EDITIONS_GAP,
    MSG_EDITIONS_OVERLAP,
    edition_on,
    edition_problems,
    editions,
    previous_edition,
)
from areasend.domain.timeline import timeline_for

D = dt.date
F2023 = "area-send-2023"
CAL = default_calendar()
# The June 2025 revision, as the file's own revision notes and the rules file (B.1) date it.
JUNE_2025 = D(2025, 6, 6)
JULY_2025 = D(2025, 7, 7)


@dataclass(frozen=True)
class V:
    version: int
    in_force_from: dt.date
    in_force_to: dt.date | None = None


def chain_2023() -> list[Framework]:
    return shipped_editions()[F2023]


def monday_on_or_after(day: dt.date) -> dt.date:
    day += dt.timedelta(days=-day.weekday() % 7)
    while not CAL.is_working_day(day):
        day += dt.timedelta(days=7)
    return day


# -- the shipped editions -------------------------------------------------------------------------


def test_shipped_editions_of_every_framework_follow_one_another() -> None:
    for framework_id, chain in shipped_editions().items():
        assert edition_problems(framework_id, chain) == [], framework_id


def test_the_2023_framework_has_an_edition_before_june_2025_one_from_june_and_one_from_july() -> None:
    chain = chain_2023()
    starts = [f.in_force_from for f in chain]
    assert JUNE_2025 in starts and JULY_2025 in starts
    first = chain[0]
    assert first.in_force_to == JUNE_2025 - dt.timedelta(days=1)
    # every dated handbook revision of a later edition is after the end of the first one
    assert all(r.date is None or r.date <= first.in_force_to for r in first.revisions)
    assert chain[-1].in_force_to is None
    # the latest edition is what callers that want one framework get
    assert shipped_frameworks()[F2023].version == chain[-1].version


def test_a_file_revision_within_an_edition_replaces_it_and_keeps_its_dates() -> None:
    found = editions([V(9, D(2023, 1, 1)), V(10, D(2023, 1, 1), D(2025, 6, 5)), V(11, D(2025, 6, 6))])
    assert [v.version for v in found] == [10, 11]
    assert getattr(edition_on(found, D(2024, 3, 1)), "version", None) == 10
    assert getattr(edition_on(found, D(2025, 9, 1)), "version", None) == 11
    assert edition_on([V(10, D(2023, 1, 1), D(2025, 6, 5))], D(2022, 12, 31)) is None
    assert getattr(previous_edition(found, V(11, D(2025, 6, 6))), "version", None) == 10
    replaced = previous_edition([V(9, D(2023, 1, 1)), V(10, D(2023, 1, 1))], V(10, D(2023, 1, 1)))
    assert getattr(replaced, "version", None) == 9


def test_overlapping_in_force_dates_are_reported_in_words() -> None:
    problems = edition_problems(F2023, [V(10, D(2023, 1, 1)), V(11, D(2025, 6, 6))])
    assert problems == [
        MSG_EDITIONS_OVERLAP.format(
            framework_id=F2023,
            version=11,
            from_=D(2025, 6, 6),
            other=10,
            other_from=D(2023, 1, 1),
            until="with no end date",
            day_before=D(2025, 6, 5),
        )
    ]
    assert "overlap" in problems[0] and "in_force_to: 2025-06-05" in problems[0]
    ended_late = edition_problems(F2023, [V(10, D(2023, 1, 1), D(2025, 6, 30)), V(11, D(2025, 6, 6))])
    assert len(ended_late) == 1 and "until 2025-06-30" in ended_late[0]


def test_a_gap_between_editions_is_reported_in_words() -> None:
    problems = edition_problems(F2023, [V(10, D(2023, 1, 1), D(2025, 5, 31)), V(11, D(2025, 6, 6))])
    assert problems == [
        MSG_EDITIONS_GAP.format(
            framework_id=F2023,
            start=D(2025, 6, 1),
            end=D(2025, 6, 5),
            version=10,
            to=D(2025, 5, 31),
            other=11,
            from_=D(2025, 6, 6),
        )
    ]


# -- a timeline takes the edition in force on its notification date ---------------------------------


def _monitoring_rule(framework: Framework) -> Deadline:
    visit = next(v for v in framework.visits if v.required_when)
    assert visit.events is not None
    own = set(visit.events.model_dump().values())
    # the visit's deadline that dates its first day from the inspection, not from its own events
    return next(d for d in framework.deadlines if d.key in visit.deadlines and d.from_ not in own)


def test_a_2024_inspection_gets_the_rules_before_june_2025_and_a_september_2025_one_the_later_rules() -> None:
    chain = chain_2023()
    early, late = chain[0], chain[-1]
    notified_2024 = monday_on_or_after(D(2024, 3, 4))
    notified_2025 = monday_on_or_after(D(2025, 9, 8))
    t_2024 = timeline_for(F2023, {"notified": notified_2024})
    t_2025 = timeline_for(F2023, {"notified": notified_2025})
    assert t_2024.framework_version == early.version
    assert t_2025.framework_version == late.version
    # the monitoring inspection's timing is stated from June 2025 (paragraph 21); before, the reports
    # say only "within approximately 18 months", so the earlier edition's rule is less certain
    assert _monitoring_rule(late).confidence == "high"
    assert _monitoring_rule(early).confidence != "high"
    assert not any("outside" in w for w in t_2024.warnings + t_2025.warnings)

    # the later edition calls the monitoring inspection's result an outcome, the earlier a judgement
    def scale(fw: Framework) -> str:
        return next(v for v in fw.visits if v.required_when).judgement_scales[0].label

    assert "outcome" in scale(late).lower() and "judgement" in scale(early).lower()


def test_before_notification_the_planned_date_chooses_the_edition() -> None:
    chain = chain_2023()
    planned = monday_on_or_after(D(2024, 11, 4))
    assert timeline_for(F2023, {"planned_notification": planned}).framework_version == chain[0].version


def test_feedback_on_the_priority_action_plan_from_dfe_and_nhs_england_only_from_july_2025() -> None:
    def plan_note(framework: Framework) -> str:
        document = next(
            d
            for d in framework.follow_up_documents
            if d.required_when.get("outcome") == (_monitoring_rule(framework).when["outcome"])
        )
        return document.note or ""

    by_start = {f.in_force_from: f for f in chain_2023()}
    assert "NHS England" in plan_note(by_start[JULY_2025])
    assert "NHS England" not in plan_note(by_start[JUNE_2025])
    assert "Ofsted and CQC" in plan_note(chain_2023()[0])


# -- follow-up rules as the record shows ------------------------------------------------------------


def _outcome_keys(framework: Framework) -> dict[int, str]:
    return {o.number: o.key for o in framework.outcomes}


@pytest.mark.parametrize("index", [0, 1, 2])
def test_the_strategic_plan_update_is_projected_after_outcomes_1_and_2_and_not_after_outcome_3(
    index: int,
) -> None:
    framework = chain_2023()[index]
    notified = monday_on_or_after(framework.in_force_from + dt.timedelta(days=7))
    keys = _outcome_keys(framework)
    asked = {}
    for number, key in keys.items():
        timeline = timeline_for(F2023, {"notified": notified, "outcome": key})
        assert timeline.framework_version == framework.version
        asked[number] = [m.key for m in timeline.milestones if m.label.startswith("Strategic")]
    assert asked[1] and asked[2]
    assert asked[3] == []
    document = next(d for d in framework.follow_up_documents if d.title.startswith("Updated strategic"))
    assert set(document.required_when["outcome"]) == {keys[1], keys[2]}


def test_the_priority_action_plan_deadline_runs_from_receipt_of_the_final_report_not_publication() -> None:
    framework = chain_2023()[-1]
    keys = _outcome_keys(framework)
    notified = monday_on_or_after(D(2025, 9, 8))
    received, published = D(2026, 1, 12), D(2026, 1, 20)
    timeline = timeline_for(
        F2023,
        {"notified": notified, "outcome": keys[3], "final_report_received": received, "published": published},
    )
    plan = next(d for d in framework.deadlines if d.event == "pap_submitted")
    assert plan.from_ == "final_report_received"
    assert timeline[plan.key].due == CAL.add_working_days(received, plan.value)
    assert timeline[plan.key].due != CAL.add_working_days(published, plan.value)


def test_the_final_report_is_received_before_it_is_published_and_estimated_by_publication() -> None:
    for framework in chain_2023():
        received = framework.event("final_report_received")
        publication = framework.lifecycle.publication
        assert received is not None and publication is not None and received.estimated_by is not None
        publishing = framework.event(publication.event)
        assert publishing is not None and received.name in publishing.not_before
        # until receipt is recorded, the publication date is its estimate (the latest it can be)
        assert getattr(framework.deadline(received.estimated_by), "event", None) == publication.event
    framework = chain_2023()[-1]
    keys = _outcome_keys(framework)
    published = D(2026, 1, 20)
    timeline = timeline_for(
        F2023, {"notified": monday_on_or_after(D(2025, 9, 8)), "outcome": keys[3], "published": published}
    )
    plan = next(d for d in framework.deadlines if d.event == "pap_submitted")
    assert timeline[plan.key].due == CAL.add_working_days(published, plan.value)
