"""Correcting and withdrawing what an inspection records (events, the outcome, findings), by the right
role and with a reason, and the history of each record in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.access import AccessDenied
from areasend.access.policy import NO_PERMISSION, NOT_IN_TEAM, RULES, Action
from areasend.areas.models import LocalArea, Partner
from areasend.core.models import AuditEvent
from areasend.inspections import corrections, dates, postponement, services
from areasend.inspections.corrections import (
    CORRECTION,
    FINDING_WITHDRAWN,
    NEEDED_BY_STAGE,
    NOTHING_CHANGES,
    OUTCOME_LEAVES_FINDING,
    OUTCOME_NOT_WITHDRAWN,
    REASON_NEEDED,
    WITHDRAWAL,
)
from areasend.inspections.models import Finding, Inspection
from areasend.inspections.record_history import event_history, finding_history
from areasend.inspections.services import CLOSED_ONCE_PUBLISHED, NEEDS_FINDINGS, InspectionError

D = dt.date
KENT = "E10000016"


def _kent(frameworks: dict[str, Any], team: dict[str, Any], *, upto: str = "drafting") -> Inspection:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code=KENT),
        framework_version=frameworks["area-send-2023"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    services.team_assign(inspection=inspection, user=team["cqc"], role="cqc_inspector", actor=team["admin"])
    for target, on in (
        ("notified", D(2026, 3, 2)),
        ("fieldwork", D(2026, 3, 12)),
        ("on_site", D(2026, 3, 16)),
        ("drafting", D(2026, 3, 20)),
    ):
        services.inspection_move(inspection=inspection, target=target, on=on, actor=team["lead"])
        if target == upto:
            break
    return inspection


def _partners(area: str = KENT) -> list[Partner]:
    return list(Partner.objects.filter(area__ons_code=area).order_by("name"))


def _stored(inspection: Inspection) -> tuple[Any, ...]:
    """Everything a refused correction must leave as it was."""
    inspection.refresh_from_db()
    return (
        sorted(inspection.events.values_list("name", "on", "choice")),
        inspection.outcome,
        sorted(inspection.findings.values_list("pk", "text", "withdrawn_at")),
        inspection.version,
        AuditEvent.objects.count(),
    )


def _refused(
    call: Any, message: str, inspection: Inspection, error: type[Exception] = InspectionError
) -> None:
    before = _stored(inspection)
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message
    assert _stored(inspection) == before


# --- events -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_date_is_corrected_with_its_reason_and_its_history_says_so(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _kent(frameworks, team)
    version = inspection.version
    corrections.event_correct(
        inspection=inspection,
        name="notified",
        on=D(2026, 2, 23),
        reason="The call was on 23 February; 2 March was the letter.",
        actor=team["lead"],
        expected_version=version,
    )
    assert services.inspection_events(inspection)["notified"] == D(2026, 2, 23)
    assert inspection.version == version + 1
    row = AuditEvent.objects.filter(action="inspection.event_correct").get()
    assert row.changes["events"] == {"notified": ["2026-03-02", "2026-02-23"]}
    assert row.changes["reason"] == "The call was on 23 February; 2 March was the letter."
    history = event_history(inspection, "notified")
    assert [(e.what, [c.words for c in e.changes], e.reason) for e in history] == [
        ("Recorded", ["Partnership notified of the inspection: 2 March 2026"], ""),
        (
            "Corrected",
            ["Partnership notified of the inspection: was 2 March 2026, now 23 February 2026"],
            "The call was on 23 February; 2 March was the letter.",
        ),
    ]
    assert history[1].who == "lead-hmi"


@pytest.mark.django_db
def test_a_correction_needs_a_reason_a_change_and_the_team(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _kent(frameworks, team)

    def correct(actor: Any, reason: str = "Typed the wrong week", on: dt.date | None = None) -> Any:
        return lambda: corrections.event_correct(
            inspection=inspection, name="notified", on=on or D(2026, 2, 23), reason=reason, actor=actor
        )

    _refused(correct(team["lead"], reason="  "), REASON_NEEDED.format(change=CORRECTION), inspection)
    _refused(
        correct(team["lead"], reason="x" * (corrections.REASON_MAX + 1)),
        corrections.REASON_TOO_LONG.format(max=corrections.REASON_MAX),
        inspection,
    )
    _refused(correct(team["lead"], on=D(2026, 3, 2)), NOTHING_CHANGES.format(what="date"), inspection)
    _refused(correct(team["other_inspector"]), NOT_IN_TEAM, inspection, AccessDenied)
    what = RULES[Action.INSPECTION_CHANGE].what
    for role in ("viewer", "officer"):
        _refused(correct(team[role]), NO_PERMISSION.format(what=what), inspection, AccessDenied)
    _refused(
        lambda: corrections.event_withdraw(
            inspection=inspection, name="fieldwork_start", reason="", actor=team["lead"]
        ),
        REASON_NEEDED.format(change=WITHDRAWAL),
        inspection,
    )


@pytest.mark.django_db
def test_a_date_a_reached_stage_needs_cannot_be_withdrawn(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _kent(frameworks, team, upto="on_site")
    framework = inspection.framework.framework()
    for name, needing in (("notified", "notified"), ("on_site_start", "on_site")):
        stage = framework.state(needing)
        assert stage is not None and stage.requires_event == name  # what the refusal is derived from

        def withdraw(name: str = name) -> Any:
            return corrections.event_withdraw(
                inspection=inspection, name=name, reason="Recorded by mistake", actor=team["lead"]
            )

        _refused(
            withdraw,
            NEEDED_BY_STAGE.format(
                label=framework.event(name).label,  # type: ignore[union-attr]
                needing=stage.label,
                current="On site (week 3)",
            ),
            inspection,
        )
    services.event_record(
        inspection=inspection, name="final_report_received", on=D(2026, 5, 1), actor=team["lead"]
    )
    corrections.event_withdraw(
        inspection=inspection, name="final_report_received", reason="Not received yet", actor=team["cqc"]
    )
    assert "final_report_received" not in services.inspection_events(inspection)
    history = event_history(inspection, "final_report_received")
    assert [(e.what, e.reason) for e in history] == [("Recorded", ""), ("Withdrawn", "Not received yet")]
    assert history[1].changes[0].words.endswith(": was 1 May 2026")


@pytest.mark.django_db
def test_after_a_postponement_the_notification_date_is_gone_with_nothing_left_to_withdraw(
    frameworks: Any, team: dict[str, Any]
) -> None:
    """Postponing clears the notification date (the postponement keeps it); no stage needs it then."""
    inspection = _kent(frameworks, team, upto="notified")
    postponement.inspection_postpone(
        inspection=inspection,
        reason="The area asked",
        planned_for=dates.today() + dt.timedelta(days=28),
        actor=team["lead"],
    )
    assert "notified" not in services.inspection_events(inspection)
    with pytest.raises(InspectionError) as caught:
        corrections.event_withdraw(
            inspection=inspection, name="notified", reason="Postponed before the call", actor=team["lead"]
        )
    assert str(caught.value) == corrections.NOT_RECORDED.format(
        label="Partnership notified of the inspection", change="withdraw"
    )


# --- the outcome and findings -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_withdrawn_finding_stays_stored_but_counts_for_nothing(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _kent(frameworks, team)
    services.outcome_record(inspection=inspection, outcome="widespread_systemic_failings", actor=team["lead"])
    finding = services.finding_add(
        inspection=inspection,
        kind="priority_action",
        text="Waiting lists are too long.",
        responsible=_partners()[:1],
        actor=team["lead"],
    )
    corrections.finding_withdraw(finding=finding, reason="Duplicate of another finding", actor=team["cqc"])
    stored = Finding.objects.get(pk=finding.pk)
    assert stored.is_withdrawn and stored.withdrawn_by == team["cqc"]
    assert stored.withdrawal_reason == "Duplicate of another finding"
    assert list(inspection.findings.in_force()) == []
    with pytest.raises(InspectionError) as caught:
        services.inspection_move(inspection=inspection, target="quality_assurance", actor=team["lead"])
    assert str(caught.value) == NEEDS_FINDINGS.format(
        kind="area for priority action", target="Quality assurance and moderation"
    )
    _refused(
        lambda: corrections.finding_correct(
            finding=finding, text="Better words", reason="Clearer", actor=team["lead"]
        ),
        FINDING_WITHDRAWN.format(finding=stored),
        inspection,
    )
    # a new finding takes the next number: the withdrawn one keeps its own
    again = services.finding_add(
        inspection=inspection,
        kind="priority_action",
        text="Waiting lists for assessments are too long.",
        responsible=_partners()[:1],
        actor=team["lead"],
    )
    assert again.number == 2
    services.inspection_move(inspection=inspection, target="quality_assurance", actor=team["lead"])
    assert [e.what for e in finding_history(stored)] == ["Added", "Withdrawn"]


@pytest.mark.django_db
def test_the_report_counts_only_the_findings_in_force(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    from areasend.history.models import PublishedInspection

    inspection = _kent(frameworks, team)
    services.outcome_record(inspection=inspection, outcome="typically_positive", actor=team["lead"])
    kept, dropped = (
        services.finding_add(
            inspection=inspection, kind="improvement", text=text, responsible=[], actor=team["lead"]
        )
        for text in ("Transitions to adult health services", "A finding added twice")
    )
    corrections.finding_withdraw(finding=dropped, reason="Added twice", actor=team["lead"])
    for target in ("quality_assurance", "factual_accuracy"):
        services.inspection_move(inspection=inspection, target=target, actor=team["lead"])
    services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=team["lead"])
    services.sign_off(inspection=inspection, inspectorate="CQC", actor=team["cqc"])
    services.inspection_move(inspection=inspection, target="published", on=D(2026, 6, 15), actor=team["lead"])
    record = PublishedInspection.objects.get(source="areasend", source_key=f"inspection:{inspection.pk}")
    assert record.findings == {"priority_action": 0, "improvement": 1}
    assert kept.number == 1


@pytest.mark.django_db
def test_a_finding_is_corrected_and_its_history_shows_before_and_after(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _kent(frameworks, team)
    services.outcome_record(inspection=inspection, outcome="inconsistent", actor=team["lead"])
    first, second = _partners()[:2]
    finding = services.finding_add(
        inspection=inspection,
        kind="improvement",
        text="Plans are late.",
        responsible=[first],
        actor=team["lead"],
    )
    version = inspection.version
    corrections.finding_correct(
        finding=finding,
        text="Education, health and care plans are late.",
        responsible=[first, second],
        reason="Named the plans; the health partner shares it",
        actor=team["lead"],
        expected_version=version,
    )
    finding.refresh_from_db()
    assert finding.text == "Education, health and care plans are late."
    assert set(finding.responsible.all()) == {first, second}
    assert inspection.version == version + 1
    added, corrected = finding_history(finding)
    assert added.what == "Added" and corrected.what == "Corrected"
    assert [c.words for c in corrected.changes] == [
        "Finding: was Plans are late., now Education, health and care plans are late.",
        f"Partners responsible: was {first.name}, now {', '.join(sorted([first.name, second.name]))}",
    ]
    assert corrected.reason == "Named the plans; the health partner shares it"
    essex = _partners("E10000012")[0]
    _refused(
        lambda: corrections.finding_correct(
            finding=finding, responsible=[essex], reason="Wrong partner", actor=team["lead"]
        ),
        services.PARTNER_NOT_IN_AREA.format(partner=essex.name, area="Kent"),
        inspection,
    )


@pytest.mark.django_db
def test_the_outcome_is_corrected_only_when_the_findings_in_force_still_fit(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _kent(frameworks, team)
    services.outcome_record(inspection=inspection, outcome="widespread_systemic_failings", actor=team["lead"])
    finding = services.finding_add(
        inspection=inspection,
        kind="priority_action",
        text="Leaders lack oversight.",
        responsible=[],
        actor=team["lead"],
    )

    def correct() -> Any:
        return corrections.outcome_correct(
            inspection=inspection, outcome="inconsistent", reason="Moderation changed it", actor=team["lead"]
        )

    _refused(
        correct,
        OUTCOME_LEAVES_FINDING.format(outcome="Inconsistent experiences and outcomes", finding=finding),
        inspection,
    )
    _refused(
        lambda: corrections.event_withdraw(
            inspection=inspection, name="outcome", reason="No", actor=team["lead"]
        ),
        OUTCOME_NOT_WITHDRAWN,
        inspection,
    )
    corrections.finding_withdraw(
        finding=finding, reason="Not a priority after moderation", actor=team["lead"]
    )
    correct()
    assert inspection.outcome == "inconsistent"
    history = event_history(inspection, "outcome")
    assert [(e.what, [c.words for c in e.changes]) for e in history] == [
        ("Recorded", ["Outcome: 3. Widespread and/or systemic failings"]),
        (
            "Corrected",
            [
                "Outcome: was 3. Widespread and/or systemic failings, now 2. Inconsistent experiences and outcomes"
            ],
        ),
    ]


@pytest.mark.django_db
def test_the_report_is_closed_once_published_but_later_dates_are_not(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    from areasend.inspections.demo_steps import TITLE_2016, _essex_2019

    users = {
        "demo-admin": team["admin"],
        "demo-lead-inspector": team["lead"],
        "demo-cqc-inspector": team["cqc"],
    }
    _essex_2019(LocalArea.objects.get(ons_code="E10000012"), users)
    inspection = Inspection.objects.get(title=TITLE_2016)
    framework = inspection.framework.framework()
    stage = framework.state(inspection.state).label  # type: ignore[union-attr]
    finding = inspection.findings.first()
    assert finding is not None
    lead = team["lead"]
    _refused(
        lambda: corrections.finding_correct(finding=finding, text="New words", reason="Typo", actor=lead),
        CLOSED_ONCE_PUBLISHED.format(what="Findings", state=stage),
        inspection,
    )
    _refused(
        lambda: corrections.finding_withdraw(finding=finding, reason="Typo", actor=lead),
        CLOSED_ONCE_PUBLISHED.format(what="Findings", state=stage),
        inspection,
    )
    _refused(
        lambda: corrections.outcome_correct(inspection=inspection, outcome="no_wsoa", reason="x", actor=lead),
        CLOSED_ONCE_PUBLISHED.format(what="The outcome", state=stage),
        inspection,
    )
    _refused(
        lambda: corrections.event_correct(
            inspection=inspection, name="on_site_start", on=D(2019, 10, 1), reason="x", actor=lead
        ),
        CLOSED_ONCE_PUBLISHED.format(what="'First day on site'", state=stage),
        inspection,
    )
    _refused(
        lambda: corrections.event_correct(
            inspection=inspection, name="wsoa_submitted", on=D(2020, 3, 2), reason="x", actor=lead
        ),
        corrections.RECORDED_WITH_FOLLOW_UP.format(
            label="WSOA submitted to Ofsted", record="Written statement of action (WSOA)"
        ),
        inspection,
    )
    corrections.event_correct(
        inspection=inspection,
        name="report_received",
        on=D(2019, 12, 24),
        reason="Sent a day late",
        actor=lead,
    )
    assert services.inspection_events(inspection)["report_received"] == D(2019, 12, 24)
