"""Recorded dates checked against the dates they depend on and against today, for each regime, through
the services and the API: a refused date is a clear message and nothing is written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from areasend.areas.models import LocalArea
from areasend.conftest import api_headers
from areasend.core.models import AuditEvent
from areasend.domain.timeline import WARN_NOT_NOTIFICATION_DAY
from areasend.inspections import dates, services
from areasend.inspections.models import Inspection
from areasend.inspections.services import InspectionError

D = dt.date
ESSEX = "E10000012"


@dataclasses.dataclass(frozen=True)
class Regime:
    """A regime's words, and a real Monday notification under it."""

    notified_on: dt.date
    notified: str
    published: str

    @property
    def notified_first(self) -> str:
        return self.notified[0].upper() + self.notified[1:]


REGIMES = {
    "area-send-2023": Regime(D(2025, 3, 3), "partnership notified of the inspection", "Report published"),
    "local-area-send-2016": Regime(
        D(2019, 9, 23), "local area notified of the inspection", "Outcome letter published"
    ),
}
BOTH = pytest.mark.parametrize("framework", sorted(REGIMES))


def _inspection(frameworks: Any, team: dict[str, Any], framework: str) -> Inspection:
    return services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX),
        framework_version=frameworks[framework],
        actor=team["admin"],
    )


def _record(inspection: Inspection, team: dict[str, Any], name: str, on: dt.date) -> list[str]:
    return services.event_record(inspection=inspection, name=name, on=on, actor=team["admin"])


def _refused(inspection: Inspection, team: dict[str, Any], name: str, on: dt.date) -> str:
    """Record a date the rules refuse: the message, with nothing written."""
    events, audits, version = inspection.events.count(), AuditEvent.objects.count(), inspection.version
    with pytest.raises(InspectionError) as caught:
        _record(inspection, team, name, on)
    inspection.refresh_from_db()
    assert (inspection.events.count(), AuditEvent.objects.count(), inspection.version) == (
        events,
        audits,
        version,
    )
    return str(caught.value)


@pytest.mark.django_db
@BOTH
def test_a_last_day_on_site_before_the_notification_is_refused(frameworks, team, framework) -> None:  # type: ignore[no-untyped-def]
    regime = REGIMES[framework]
    inspection = _inspection(frameworks, team, framework)
    notified = regime.notified_on
    _record(inspection, team, "notified", notified)
    day_before = notified - dt.timedelta(days=1)
    # the first day on site is not recorded: the order still runs through it to the notification
    assert _refused(inspection, team, "on_site_end", day_before) == dates.EVENT_BEFORE.format(
        event="Last day on site",
        date=dates.long_date(day_before),
        other=regime.notified,
        other_date=dates.long_date(notified),
    )


@pytest.mark.django_db
@BOTH
def test_a_first_day_on_site_before_the_notification_is_refused(frameworks, team, framework) -> None:  # type: ignore[no-untyped-def]
    regime = REGIMES[framework]
    inspection = _inspection(frameworks, team, framework)
    notified = regime.notified_on
    _record(inspection, team, "notified", notified)
    earlier = notified - dt.timedelta(days=3)
    assert _refused(inspection, team, "on_site_start", earlier) == dates.EVENT_BEFORE.format(
        event="First day on site",
        date=dates.long_date(earlier),
        other=regime.notified,
        other_date=dates.long_date(notified),
    )


@pytest.mark.django_db
@BOTH
def test_a_notification_corrected_to_after_the_on_site_week_is_refused(frameworks, team, framework) -> None:  # type: ignore[no-untyped-def]
    regime = REGIMES[framework]
    inspection = _inspection(frameworks, team, framework)
    notified = regime.notified_on
    _record(inspection, team, "notified", notified)
    last_day = notified + dt.timedelta(days=18)
    _record(inspection, team, "on_site_end", last_day)
    later = last_day + dt.timedelta(days=3)
    assert _refused(inspection, team, "notified", later) == dates.EVENT_AFTER.format(
        event=regime.notified_first,
        date=dates.long_date(later),
        other="last day on site",
        other_date=dates.long_date(last_day),
    )
    assert services.inspection_events(inspection)["notified"] == notified


@pytest.mark.django_db
@BOTH
def test_a_report_published_before_the_last_day_on_site_is_refused(frameworks, team, framework) -> None:  # type: ignore[no-untyped-def]
    regime = REGIMES[framework]
    inspection = _inspection(frameworks, team, framework)
    last_day = regime.notified_on + dt.timedelta(days=18)
    _record(inspection, team, "on_site_end", last_day)
    earlier = last_day - dt.timedelta(days=1)
    assert _refused(inspection, team, "published", earlier) == dates.EVENT_BEFORE.format(
        event=regime.published,
        date=dates.long_date(earlier),
        other="last day on site",
        other_date=dates.long_date(last_day),
    )


@pytest.mark.django_db
@BOTH
def test_a_report_published_in_the_future_is_refused(frameworks, team, framework, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    regime = REGIMES[framework]
    today = regime.notified_on + dt.timedelta(days=120)
    monkeypatch.setattr(dates, "today", lambda: today)
    inspection = _inspection(frameworks, team, framework)
    tomorrow = today + dt.timedelta(days=1)
    assert _refused(inspection, team, "published", tomorrow) == dates.EVENT_IN_FUTURE.format(
        event=regime.published, date=dates.long_date(tomorrow), today=dates.long_date(today)
    )
    _record(inspection, team, "published", today)  # published today is fine
    assert services.inspection_events(inspection)["published"] == today


@pytest.mark.django_db
@BOTH
def test_a_planned_notification_may_be_in_the_future(frameworks, team, framework, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    regime = REGIMES[framework]
    monkeypatch.setattr(dates, "today", lambda: regime.notified_on - dt.timedelta(days=14))
    inspection = _inspection(frameworks, team, framework)
    _record(inspection, team, "notified", regime.notified_on)
    assert services.inspection_events(inspection) == {"notified": regime.notified_on}


@pytest.mark.django_db
def test_a_move_with_a_refused_date_changes_nothing(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team, "local-area-send-2016")
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    services.inspection_move(inspection=inspection, target="notified", on=D(2019, 9, 23), actor=team["lead"])
    with pytest.raises(InspectionError) as caught:
        services.inspection_move(
            inspection=inspection, target="on_site", on=D(2019, 9, 20), actor=team["lead"]
        )
    assert str(caught.value) == dates.EVENT_BEFORE.format(
        event="First day on site",
        date="20 September 2019",
        other="local area notified of the inspection",
        other_date="23 September 2019",
    )
    inspection.refresh_from_db()
    assert inspection.state == "notified"
    assert services.inspection_events(inspection) == {"notified": D(2019, 9, 23)}


@pytest.mark.django_db
def test_the_default_today_is_the_local_date() -> None:
    from django.utils import timezone

    assert dates.today() == timezone.localdate()


# --- the API ----------------------------------------------------------------------------------------


def _post(client: Any, user: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api{path}", body, content_type="application/json", headers=api_headers(user))


@pytest.mark.django_db
def test_the_api_refuses_dates_out_of_order_or_ahead_with_400(client, frameworks, team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dates, "today", lambda: D(2025, 6, 2))
    inspection = _inspection(frameworks, team, "area-send-2023")
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    lead = team["lead"]
    base = f"/inspections/{inspection.pk}"
    assert _post(client, lead, f"{base}/moves", {"target": "notified", "on": "2025-03-03"}).status_code == 200
    early = _post(client, lead, f"{base}/events", {"name": "on_site_end", "on": "2025-02-28"})
    assert early.status_code == 400
    assert early.json() == {
        "detail": dates.EVENT_BEFORE.format(
            event="Last day on site",
            date="28 February 2025",
            other="partnership notified of the inspection",
            other_date="3 March 2025",
        )
    }
    future = _post(client, lead, f"{base}/events", {"name": "published", "on": "2025-06-03"})
    assert future.status_code == 400
    assert future.json() == {
        "detail": dates.EVENT_IN_FUTURE.format(
            event="Report published", date="3 June 2025", today="2 June 2025"
        )
    }
    moved = _post(client, lead, f"{base}/moves", {"target": "fieldwork", "on": "2025-02-27"})
    assert moved.status_code == 400 and moved.json()["detail"].startswith("Off-site fieldwork started (27")
    inspection.refresh_from_db()
    assert inspection.state == "notified"
    assert services.inspection_events(inspection) == {"notified": D(2025, 3, 3)}


@pytest.mark.django_db
def test_the_api_saves_a_date_with_warnings_and_returns_them(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(frameworks, team, "area-send-2023")
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    saturday = "2025-12-06"
    moved = _post(
        client, team["lead"], f"/inspections/{inspection.pk}/moves", {"target": "notified", "on": saturday}
    )
    assert moved.status_code == 200 and moved.json()["state"] == "notified"
    warning = WARN_NOT_NOTIFICATION_DAY.format(
        event="notified", date=saturday, weekday="Saturday", expected="Monday"
    )
    assert warning in moved.json()["warnings"]
    assert any("Christmas holiday" in w for w in moved.json()["warnings"])
    assert services.inspection_events(inspection) == {"notified": D(2025, 12, 6)}


# --- versions loaded before the date rules -----------------------------------------------------------


@pytest.mark.django_db
def test_a_version_loaded_before_date_rules_borrows_them(team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from areasend.frameworks.tests.legacy import FIXTURES, install_legacy_version
    from areasend.inspections.frameworks import framework_of

    monkeypatch.setattr(dates, "today", lambda: D(2025, 6, 2))
    v7 = install_legacy_version(FIXTURES / "area-send-2023-v7.yaml")
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code=ESSEX), framework_version=v7, actor=team["admin"]
    )
    assert framework_of(inspection).event("published").not_in_future  # type: ignore[union-attr]
    _record(inspection, team, "notified", D(2025, 3, 3))
    assert _refused(inspection, team, "published", D(2025, 6, 3)) == dates.EVENT_IN_FUTURE.format(
        event="Report published", date="3 June 2025", today="2 June 2025"
    )
    _record(inspection, team, "published", D(2025, 5, 13))
    assert _refused(inspection, team, "pap_submitted", D(2025, 5, 1)) == dates.EVENT_BEFORE.format(
        event="Priority action plan submitted",
        date="1 May 2025",
        other="report published",
        other_date="13 May 2025",
    )
