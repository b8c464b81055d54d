"""The stored read model of open milestones agrees with the timelines it is built from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from areasend.areas.models import LocalArea
from areasend.inspections import services
from areasend.inspections.models import Inspection
from areasend.programme.milestones import rebuild, rebuild_all
from areasend.programme.models import OpenMilestone
from areasend.programme.selectors import open_milestones

D = dt.date
OPEN = {"due", "projected", "overdue"}


def _from_timelines(inspections: list[Inspection], today: dt.date) -> set[tuple[int, str, dt.date, str]]:
    found: set[tuple[int, str, dt.date, str]] = set()
    for inspection in inspections:
        for m in services.inspection_timeline(inspection, today=today).milestones:
            if m.status in OPEN:
                found.add((inspection.pk, m.key, m.due, m.status))
    return found


def _notified(frameworks, team, area: str, on: dt.date) -> Inspection:  # type: ignore[no-untyped-def]
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code=area),
        framework_version=frameworks["area-send-2023"],
        actor=team["admin"],
    )
    services.team_assign(inspection=inspection, user=team["lead"], role="lead_hmi", actor=team["admin"])
    services.inspection_move(inspection=inspection, target="notified", on=on, actor=team["lead"])
    return inspection


@pytest.mark.django_db
def test_rows_follow_every_change_and_match_the_timeline_on_any_day(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    first = _notified(frameworks, team, "E10000012", D(2025, 9, 8))
    second = _notified(frameworks, team, "E10000016", D(2025, 10, 6))
    services.event_record(inspection=second, name="on_site_start", on=D(2025, 10, 20), actor=team["lead"])
    for today in (D(2025, 9, 1), D(2025, 9, 23), D(2025, 11, 3), D(2026, 6, 1)):
        stored = {
            (m.inspection.pk, m.key, m.due, m.status)
            for m in open_milestones(user=team["admin"], today=today)
        }
        assert stored == _from_timelines([first, second], today)
        assert stored  # there is something to compare
    # a met milestone leaves the read model
    before = OpenMilestone.objects.filter(inspection=second).count()
    services.event_record(inspection=second, name="on_site_end", on=D(2025, 10, 24), actor=team["lead"])
    keys = set(OpenMilestone.objects.filter(inspection=second).values_list("key", flat=True))
    assert "on_site_end" not in keys
    assert OpenMilestone.objects.filter(inspection=second).count() <= before


@pytest.mark.django_db
def test_a_refused_or_rolled_back_change_leaves_the_rows_as_they_were(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _notified(frameworks, team, "E10000012", D(2025, 9, 8))
    before = sorted(OpenMilestone.objects.filter(inspection=inspection).values_list("key", "due"))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.event_record(inspection=inspection, name="notified", on=D(2025, 10, 6), actor=team["lead"])
        assert sorted(OpenMilestone.objects.filter(inspection=inspection).values_list("key", "due")) != before
        raise RuntimeError("roll back")
    assert sorted(OpenMilestone.objects.filter(inspection=inspection).values_list("key", "due")) == before


@pytest.mark.django_db
def test_rebuild_repairs_rows_and_visibility_follows_the_inspection(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _notified(frameworks, team, "E10000012", D(2025, 9, 8))
    expected = OpenMilestone.objects.filter(inspection=inspection).count()
    OpenMilestone.objects.all().delete()
    assert rebuild_all() == expected
    assert rebuild(inspection) == expected
    assert open_milestones(user=team["kent_officer"], today=D(2025, 9, 10)) == []
    assert {m.inspection for m in open_milestones(user=team["officer"], today=D(2025, 9, 10))} == {inspection}
    due = open_milestones(user=team["officer"], today=D(2025, 9, 10), owed_by="area")
    assert all(m.owed_by == "area" for m in due)
