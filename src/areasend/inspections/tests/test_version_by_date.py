"""An inspection runs under the version of its framework in force on its notification date (ADR 26):
chosen by date when it is created and again when its notification (or planned notification) is
recorded or corrected, with an audit record; one whose date is in no edition keeps its version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from areasend.areas.models import LocalArea
from areasend.core.models import AuditEvent
from areasend.domain.calendar import default_calendar
from areasend.domain.frameworks import shipped_editions
from areasend.inspections import dates, services
from areasend.inspections.frameworks import framework_of
from areasend.inspections.models import Inspection

pytestmark = pytest.mark.django_db

D = dt.date
CAL = default_calendar()
F2023 = "area-send-2023"
CHAIN = shipped_editions()[F2023]
FIRST, LATEST = CHAIN[0], CHAIN[-1]


def monday_on_or_after(day: dt.date) -> dt.date:
    day += dt.timedelta(days=-day.weekday() % 7)
    while not CAL.is_working_day(day):
        day += dt.timedelta(days=7)
    return day


def _create(frameworks: Any, team: dict[str, Any], **kwargs: Any) -> Inspection:
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"),
        framework_version=frameworks[F2023],
        actor=team["admin"],
        **kwargs,
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    return inspection


def test_the_latest_version_fixture_is_the_latest_edition(frameworks: Any) -> None:
    assert frameworks[F2023].version == LATEST.version


def test_an_inspection_planned_for_2024_is_created_on_the_edition_before_june_2025(
    frameworks: Any, team: dict[str, Any]
) -> None:
    inspection = _create(frameworks, team, planned_for=monday_on_or_after(D(2024, 3, 4)))
    assert inspection.framework.version == FIRST.version


def test_notifying_in_2024_moves_the_inspection_to_the_earlier_edition_and_audits_it(
    frameworks: Any, team: dict[str, Any]
) -> None:
    inspection = _create(frameworks, team)
    assert inspection.framework.version == LATEST.version  # created today: the edition in force now
    notified = monday_on_or_after(D(2024, 3, 4))
    services.inspection_move(inspection=inspection, target="notified", on=notified, actor=team["lead"])
    inspection.refresh_from_db()
    assert inspection.framework.version == FIRST.version
    assert framework_of(inspection).in_force_on(notified)
    audit = AuditEvent.objects.filter(action="inspection.framework", object_id=str(inspection.pk)).get()
    assert audit.changes["in_force_on"] == notified.isoformat()
    # its timeline follows the earlier edition's rules
    rule = next(d for d in FIRST.deadlines if d.key == "monitoring_inspection_due")
    timeline = dates.checked_timeline(inspection, services.inspection_events(inspection))
    assert timeline.framework_version == FIRST.version
    assert getattr(framework_of(inspection).deadline(rule.key), "confidence", None) == rule.confidence


def test_notifying_in_september_2025_takes_the_latest_edition(frameworks: Any, team: dict[str, Any]) -> None:
    inspection = _create(frameworks, team, planned_for=monday_on_or_after(D(2024, 3, 4)))
    assert inspection.framework.version == FIRST.version
    notified = monday_on_or_after(D(2025, 9, 8))
    services.inspection_move(inspection=inspection, target="notified", on=notified, actor=team["lead"])
    inspection.refresh_from_db()
    assert inspection.framework.version == LATEST.version


def test_a_notification_date_in_no_edition_keeps_the_version(frameworks: Any, team: dict[str, Any]) -> None:
    inspection = _create(frameworks, team)
    before = inspection.framework_id
    services.inspection_move(
        inspection=inspection, target="notified", on=monday_on_or_after(D(2019, 9, 23)), actor=team["lead"]
    )
    inspection.refresh_from_db()
    assert inspection.framework_id == before
    assert not AuditEvent.objects.filter(action="inspection.framework", object_id=str(inspection.pk)).exists()


def test_an_existing_inspection_without_a_notification_keeps_its_version(
    frameworks: Any, team: dict[str, Any]
) -> None:
    inspection = _create(frameworks, team)
    services.team_assign(inspection=inspection, user=team["cqc"], role="cqc_inspector", actor=team["admin"])
    inspection.refresh_from_db()
    assert inspection.framework.version == LATEST.version


def test_a_report_cannot_be_published_before_the_partnership_received_it(frameworks: Any) -> None:
    framework = FIRST
    received = D(2024, 6, 12)
    with pytest.raises(dates.DateRuleError) as caught:
        dates.check_event_dates(
            framework,
            {"on_site_end": D(2024, 3, 22), "final_report_received": received},
            {"published": received - dt.timedelta(days=2)},
        )
    received_event = framework.event("final_report_received")
    assert received_event is not None and received_event.label.lower() in str(caught.value).lower()
