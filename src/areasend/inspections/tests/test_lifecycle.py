"""The lifecycle through the services, for each regime, with every due date checked against the calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from areasend.areas.models import LocalArea, Partner
from areasend.domain.calendar import default_calendar
from areasend.inspections import dates, services
from areasend.inspections.selectors import inspections_visible_to
from areasend.inspections.services import InspectionError

D = dt.date
CAL = default_calendar()


def _essex() -> LocalArea:
    return LocalArea.objects.get(ons_code="E10000012")


def _partners(kind: str) -> list[Partner]:
    return list(Partner.objects.filter(area__ons_code="E10000012", kind=kind))


@pytest.mark.django_db
def test_visibility_of_inspections(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    essex = services.inspection_create(
        area=_essex(), framework_version=frameworks["area-send-2023"], actor=team["admin"]
    )
    kent = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000016"),
        framework_version=frameworks["area-send-2023"],
        actor=team["admin"],
    )
    services.team_assign(inspection=kent, user=team["lead"], role="lead_hmi", actor=team["admin"])
    assert set(inspections_visible_to(team["admin"])) == {essex, kent}
    assert set(inspections_visible_to(team["viewer"])) == {essex, kent}
    assert set(inspections_visible_to(team["lead"])) == {kent}
    assert set(inspections_visible_to(team["officer"])) == {essex}
    assert set(inspections_visible_to(team["kent_officer"])) == {kent}
    assert set(inspections_visible_to(team["other_inspector"])) == set()


@pytest.mark.django_db
def test_bad_events_are_refused_with_a_clear_message(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = services.inspection_create(
        area=_essex(), framework_version=frameworks["local-area-send-2016"], actor=team["admin"]
    )
    with pytest.raises(InspectionError, match="'teatime' is not an event of"):
        services.event_record(inspection=inspection, name="teatime", on=D(2019, 9, 23), actor=team["admin"])
    with pytest.raises(
        InspectionError, match="is a decision: choose one of fit_for_purpose, not_fit_for_purpose"
    ):
        services.event_record(
            inspection=inspection, name="wsoa_judgement", choice="lovely", actor=team["admin"]
        )
    with pytest.raises(InspectionError, match="is not an outcome of"):
        services.outcome_record(inspection=inspection, outcome="outstanding", actor=team["admin"])
    services.event_record(inspection=inspection, name="notified", on=D(2019, 9, 23), actor=team["admin"])
    with pytest.raises(InspectionError) as caught:
        services.event_record(
            inspection=inspection, name="on_site_start", on=D(2019, 9, 20), actor=team["admin"]
        )
    assert str(caught.value) == dates.EVENT_BEFORE.format(
        event="First day on site",
        date="20 September 2019",
        other="local area notified of the inspection",
        other_date="23 September 2019",
    )
    warnings = services.event_record(
        inspection=inspection, name="notified", on=D(2019, 9, 24), actor=team["admin"]
    )
    assert any("Monday" in w for w in warnings)


@pytest.mark.django_db
def test_publishing_adds_the_outcome_to_the_national_history_once(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    from areasend.history.models import PublishedInspection
    from areasend.history.selectors import national_stats

    kent = LocalArea.objects.get(ons_code="E10000016")
    before = national_stats(as_of=D(2026, 12, 31))
    inspection = services.inspection_create(
        area=kent, framework_version=frameworks["area-send-2023"], actor=team["admin"]
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
    services.outcome_record(inspection=inspection, outcome="typically_positive", actor=team["lead"])
    for target in ("quality_assurance", "factual_accuracy"):
        services.inspection_move(inspection=inspection, target=target, actor=team["lead"])
    services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=team["lead"])
    services.sign_off(inspection=inspection, inspectorate="CQC", actor=team["cqc"])
    services.inspection_move(inspection=inspection, target="published", on=D(2026, 6, 15), actor=team["lead"])
    record = PublishedInspection.objects.get(source="areasend", source_key=f"inspection:{inspection.pk}")
    assert (record.outcome, record.started_on, record.published_on) == (1, D(2026, 3, 16), D(2026, 6, 15))
    after = national_stats(as_of=D(2026, 12, 31))
    assert after["outcomes_2023"]["1"] == before["outcomes_2023"]["1"] + 1
    assert after["reports_published"] == before["reports_published"] + 1


@pytest.mark.django_db
def test_a_conflict_declared_after_joining_stops_the_notification(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    admin, lead, other = team["admin"], team["lead"], team["other_inspector"]
    inspection = services.inspection_create(
        area=_essex(), framework_version=frameworks["area-send-2023"], actor=admin
    )
    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    services.team_assign(inspection=inspection, user=other, role="ofsted_inspector", actor=admin)
    services.conflict_declare(
        inspector=other, area=_essex(), reason="sister is a SENCo in Essex", actor=admin
    )
    with pytest.raises(InspectionError) as caught:
        services.inspection_move(inspection=inspection, target="notified", on=D(2025, 9, 8), actor=lead)
    assert str(caught.value) == services.TEAM_CONFLICT.format(
        user="other-inspector", area="Essex", reason="sister is a SENCo in Essex"
    )
    assert inspection.events.count() == 0
    services.team_remove(inspection=inspection, user=other, actor=admin)
    with pytest.raises(InspectionError, match="is not in this inspection's team"):
        services.team_remove(inspection=inspection, user=other, actor=admin)
    services.inspection_move(inspection=inspection, target="notified", on=D(2025, 9, 8), actor=lead)
    assert inspection.state == "notified"


@pytest.mark.django_db
def test_findings_and_sign_off_are_closed_once_the_report_is_published(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    from areasend.core.models import AuditEvent
    from areasend.inspections.demo_steps import TITLE_2016, _essex_2019
    from areasend.inspections.models import Inspection

    users = {
        "demo-admin": team["admin"],
        "demo-lead-inspector": team["lead"],
        "demo-cqc-inspector": team["cqc"],
        "demo-area-officer": team["officer"],
    }
    _essex_2019(_essex(), users)
    inspection = Inspection.objects.get(title=TITLE_2016)
    framework = inspection.framework.framework()
    assert framework.is_published(inspection.state)
    state = framework.state(inspection.state)
    assert state is not None
    with pytest.raises(InspectionError) as refused:
        services.finding_add(
            inspection=inspection,
            kind=inspection.findings.first().kind,  # type: ignore[union-attr]
            text="Found after publication",
            responsible=[],
            actor=team["lead"],
        )
    assert str(refused.value) == services.CLOSED_ONCE_PUBLISHED.format(what="Findings", state=state.label)
    assert not inspection.findings.filter(text="Found after publication").exists()
    inspection.sign_offs.all().delete()  # so that the refusal below is the publication's, not a repeat
    before = (inspection.findings.count(), inspection.sign_offs.count(), AuditEvent.objects.count())
    with pytest.raises(InspectionError) as refused:
        services.sign_off(inspection=inspection, inspectorate="Ofsted", actor=team["lead"])
    assert str(refused.value) == services.CLOSED_ONCE_PUBLISHED.format(what="Sign-off", state=state.label)
    assert (inspection.findings.count(), inspection.sign_offs.count(), AuditEvent.objects.count()) == before
