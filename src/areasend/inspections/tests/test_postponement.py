"""Postponing an inspection asks why and for the new date, clears the dates the postponed stage made
void (the audit log keeps them) and moves every deadline: on the inspection's page, the deadlines
page, the stored open milestones and the calendar feed. Through the service, the pages and the API.

Dates are relative to today: a new date may not be in the past."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils.html import escape
from icalendar import Calendar

from areasend.areas.models import LocalArea
from areasend.conftest import PageClient, api_headers, signed_in
from areasend.core.models import AuditEvent
from areasend.domain.calendar import default_calendar
from areasend.domain.timeline import WARN_NOT_NOTIFICATION_DAY
from areasend.followup.tests.test_pages import errors, ok, refused, timeline
from areasend.frameworks.tests.legacy import LEGACY_2016, install_legacy_version
from areasend.inspections import forms, postponement, services
from areasend.inspections.models import Inspection, Postponement
from areasend.programme.models import CalendarFeed, OpenMilestone
from areasend.programme.selectors import open_milestones

pytestmark = pytest.mark.django_db

D = dt.date
CAL = default_calendar()
TODAY = dt.date.today()
REASON = "The director of children's services is on leave that week"


def monday_on_or_after(day: dt.date) -> dt.date:
    """The first Monday from ``day`` that is a working day."""
    day += dt.timedelta(days=-day.weekday() % 7)
    while not CAL.is_working_day(day):
        day += dt.timedelta(days=7)
    return day


NOTIFIED = TODAY - dt.timedelta(days=TODAY.weekday() + 7)  # the Monday of last week
NEW_DATE = monday_on_or_after(TODAY + dt.timedelta(days=28))


def _notified(frameworks: Any, team: dict[str, Any], framework: str = "area-send-2023") -> Inspection:
    admin, lead = team["admin"], team["lead"]
    inspection = services.inspection_create(
        area=LocalArea.objects.get(ons_code="E10000012"), framework_version=frameworks[framework], actor=admin
    )
    services.team_assign(inspection=inspection, user=lead, role="lead_hmi", actor=admin)
    services.inspection_move(inspection=inspection, target="notified", on=NOTIFIED, actor=lead)
    return inspection


def _stored(inspection: Inspection) -> dict[str, dt.date]:
    return dict(OpenMilestone.objects.filter(inspection=inspection).values_list("key", "due"))


def _unchanged(inspection: Inspection, before: tuple[Any, ...]) -> None:
    fresh = Inspection.objects.get(pk=inspection.pk)
    events = dict(fresh.events.values_list("name", "on"))
    assert (fresh.state, fresh.version, events, fresh.postponements.count()) == before


def _as_before(inspection: Inspection) -> tuple[Any, ...]:
    fresh = Inspection.objects.get(pk=inspection.pk)
    return fresh.state, fresh.version, dict(fresh.events.values_list("name", "on")), 0


# -- the service ------------------------------------------------------------------------------------


def test_postponing_needs_a_reason_and_a_new_date_today_or_later(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _notified(frameworks, team)
    lead = team["lead"]
    before = _as_before(inspection)
    audited = AuditEvent.objects.count()
    for kwargs, message in (
        ({"reason": "  ", "planned_for": NEW_DATE}, postponement.REASON_NEEDED),
        ({"reason": REASON}, postponement.DATE_NEEDED.format(label="planned date to notify the partnership")),
        (
            {"reason": REASON, "planned_for": TODAY - dt.timedelta(days=1)},
            postponement.DATE_IN_THE_PAST.format(
                date=f"{TODAY - dt.timedelta(days=1):%-d %B %Y}", today=f"{TODAY:%-d %B %Y}"
            ),
        ),
    ):
        with pytest.raises(postponement.BadPostponement) as caught:
            postponement.inspection_postpone(inspection=inspection, actor=lead, **kwargs)
        assert str(caught.value) == message
        _unchanged(inspection, before)
    assert AuditEvent.objects.count() == audited

    # a plain move back is refused: it would leave the old dates behind
    with pytest.raises(services.InspectionError) as move:
        services.inspection_move(inspection=inspection, target="planned", actor=lead)
    assert str(move.value) == services.MOVE_IS_POSTPONEMENT.format(
        current="Notified (week 1)", target="Planned"
    )
    _unchanged(inspection, before)


def test_only_the_stage_the_framework_postpones_can_be_postponed(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _notified(frameworks, team)
    lead = team["lead"]
    services.inspection_move(
        inspection=inspection, target="fieldwork", on=CAL.add_working_days(NOTIFIED, 8), actor=lead
    )
    with pytest.raises(services.InspectionError) as caught:
        postponement.inspection_postpone(
            inspection=inspection, reason=REASON, planned_for=NEW_DATE, actor=lead
        )
    assert str(caught.value) == postponement.CANNOT_POSTPONE.format(
        state="Off-site fieldwork (week 2)", framework=frameworks["area-send-2023"].title
    )


def test_postponing_clears_the_void_dates_and_moves_every_deadline(frameworks, team, client) -> None:  # type: ignore[no-untyped-def]
    inspection = _notified(frameworks, team)
    lead = team["lead"]
    # a date recorded ahead of time for a later stage is void too, as is every date worked out from it
    services.event_record(
        inspection=inspection, name="on_site_start", on=CAL.add_working_days(NOTIFIED, 10), actor=lead
    )
    old = _stored(inspection)
    assert old["offsite_fieldwork"] == CAL.add_working_days(NOTIFIED, 8)
    assert any(m.status == "overdue" for m in open_milestones(user=lead, today=TODAY))

    warnings = postponement.inspection_postpone(
        inspection=inspection, reason=f"  {REASON}\n", planned_for=NEW_DATE, actor=lead
    )
    assert warnings == [w for w in warnings if "notification on a" not in w]  # a Monday: no weekday warning
    inspection.refresh_from_db()
    assert inspection.state == "planned"
    assert dict(inspection.events.values_list("name", "on")) == {"planned_notification": NEW_DATE}
    record = Postponement.objects.get(inspection=inspection)
    cleared = {
        "notified": NOTIFIED.isoformat(),
        "on_site_start": CAL.add_working_days(NOTIFIED, 10).isoformat(),
    }
    assert (record.reason, record.planned_for, record.cleared, record.from_state) == (
        REASON,
        NEW_DATE,
        cleared,
        "notified",
    )
    audit = AuditEvent.objects.get(action="inspection.postpone", object_id=str(inspection.pk))
    assert audit.changes == {
        "state": ["notified", "planned"],
        "reason": REASON,
        "planned_notification": NEW_DATE.isoformat(),
        "cleared": cleared,
    }

    # every stored open milestone is worked out from the new date; none keeps an old date
    new = _stored(inspection)
    assert new["offsite_fieldwork"] == CAL.add_working_days(NEW_DATE, 8)
    assert new["on_site_week_start"] == CAL.add_working_days(NEW_DATE, 10)
    assert not {(k, d) for k, d in old.items()} & {(k, d) for k, d in new.items()}
    due = open_milestones(user=lead, today=TODAY)
    assert due and all(m.due >= NEW_DATE and m.status != "overdue" for m in due)
    assert {m.status for m in due if m.key == "on_site_week_start"} == {"projected"}

    # the calendar feed shows the new dates only
    feed = CalendarFeed.objects.create(user=lead)
    ics = Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content)
    starts = {str(e["summary"]).split(" – ")[0]: e.decoded("dtstart") for e in ics.walk("VEVENT")}
    assert starts["On-site week starts (Monday of week 3)"] == CAL.add_working_days(NEW_DATE, 10)
    assert all(day >= NEW_DATE for day in starts.values())
    assert not set(starts.values()) & set(old.values())

    # once the partnership is notified, its real date is what the deadlines run from
    notified = NEW_DATE + dt.timedelta(days=7)
    services.inspection_move(inspection=inspection, target="notified", on=notified, actor=lead)
    assert _stored(inspection)["on_site_week_start"] == CAL.add_working_days(notified, 10)


def test_a_new_date_that_is_not_a_monday_or_not_a_working_day_is_only_a_warning(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _notified(frameworks, team, framework="local-area-send-2016")
    lead = team["lead"]
    tuesday = NEW_DATE + dt.timedelta(days=1)
    warnings = postponement.inspection_postpone(
        inspection=inspection, reason=REASON, planned_for=tuesday, actor=lead
    )
    assert (
        WARN_NOT_NOTIFICATION_DAY.format(
            event="planned_notification", date=tuesday.isoformat(), weekday="Tuesday", expected="Monday"
        )
        in warnings
    )
    assert services.inspection_timeline(inspection)["on_site_week_start"].due == CAL.add_working_days(
        tuesday, 5
    )

    bank_holiday = next(
        day
        for day in (TODAY + dt.timedelta(days=n) for n in range(400))
        if day.weekday() == 0 and not CAL.is_working_day(day)
    )
    services.inspection_move(inspection=inspection, target="notified", on=NEW_DATE, actor=lead)
    warnings = postponement.inspection_postpone(
        inspection=inspection, reason=REASON, planned_for=bank_holiday, actor=lead
    )
    assert postponement.NOT_A_WORKING_DAY.format(date=f"{bank_holiday:%A %-d %B %Y}") in warnings
    assert inspection.postponements.count() == 2


def test_an_inspection_under_an_older_version_is_postponed_with_the_borrowed_rule(team) -> None:  # type: ignore[no-untyped-def]
    version = install_legacy_version(LEGACY_2016)
    inspection = _notified({"local-area-send-2016": version}, team, framework="local-area-send-2016")
    postponement.inspection_postpone(
        inspection=inspection, reason=REASON, planned_for=NEW_DATE, actor=team["lead"]
    )
    inspection.refresh_from_db()
    assert (inspection.framework, inspection.state) == (version, "planned")
    assert dict(inspection.events.values_list("name", "on")) == {"planned_notification": NEW_DATE}
    assert services.inspection_timeline(inspection)["on_site_week_start"].due == CAL.add_working_days(
        NEW_DATE, 5
    )


# -- the pages --------------------------------------------------------------------------------------


def test_the_postpone_page_asks_for_the_reason_and_the_date(frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _notified(frameworks, team)
    lead = signed_in(PageClient(), team["lead"])
    base = f"/inspections/{inspection.pk}/"
    old_start = CAL.add_working_days(NOTIFIED, 10)
    assert timeline(lead.get(base))["on_site_week_start"]["due"] == old_start
    detail = lead.get(base).content.decode()
    assert f'href="{base}postpone/"' in detail  # a link to the form, not a one-click button
    assert f'action="{base}move/planned/"' not in detail
    moved = lead.get(base + "move/planned/")
    assert (moved.status_code, moved["Location"]) == (302, base + "postpone/")

    page = lead.get(base + "postpone/").content.decode()
    assert "Partnership notified of the inspection" in page  # the date that will be cleared
    empty = lead.post(base + "postpone/", {"version": inspection.version})
    assert errors(empty) == [
        forms.ENTER_POSTPONE_REASON,
        forms.ENTER_PLANNED_DATE.format(label="planned date to notify the partnership"),
    ]
    yesterday = TODAY - dt.timedelta(days=1)
    refused(
        lead.post(base + "postpone/", {"reason": REASON, "planned_for": f"{yesterday:%d/%m/%Y}"}),
        postponement.DATE_IN_THE_PAST.format(date=f"{yesterday:%-d %B %Y}", today=f"{TODAY:%-d %B %Y}"),
    )
    assert Inspection.objects.get(pk=inspection.pk).state == "notified"

    ok(lead.post(base + "postpone/", {"reason": REASON, "planned_for": f"{NEW_DATE:%d/%m/%Y}"}))
    response = lead.get(base)
    rows = timeline(response)
    assert rows["on_site_week_start"] == {"due": CAL.add_working_days(NEW_DATE, 10), "status": "projected"}
    assert old_start not in {row["due"] for row in rows.values()}
    html = response.content.decode()
    assert escape(REASON) in html and f"to {NEW_DATE:%-d %B %Y}" in html
    assert f"Dates cleared: Partnership notified of the inspection: {NOTIFIED:%-d %B %Y}" in html
    deadlines = lead.get("/deadlines/")
    assert {m.due for m in deadlines.context["milestones"] if m.inspection == inspection} == set(
        _stored(inspection).values()
    )
    assert lead.get(base + "postpone/").status_code == 404  # planned: nothing to postpone


# -- the API ----------------------------------------------------------------------------------------


def test_the_api_postpones_with_400_for_a_missing_reason_or_date(client, frameworks, team) -> None:  # type: ignore[no-untyped-def]
    inspection = _notified(frameworks, team)
    headers = api_headers(team["lead"])
    path = f"/api/inspections/{inspection.pk}/postponements"
    before = _as_before(inspection)

    def post(body: dict[str, Any], **extra: str) -> Any:
        return client.post(path, body, content_type="application/json", headers={**headers, **extra})

    for body, message in (
        ({"planned_for": NEW_DATE.isoformat()}, postponement.REASON_NEEDED),
        ({"reason": REASON}, postponement.DATE_NEEDED.format(label="planned date to notify the partnership")),
        (
            {"reason": REASON, "planned_for": "2020-01-06"},
            postponement.DATE_IN_THE_PAST.format(date="6 January 2020", today=f"{TODAY:%-d %B %Y}"),
        ),
    ):
        reply = post(body)
        assert (reply.status_code, reply.json()) == (400, {"detail": message})
    moved = client.post(
        f"/api/inspections/{inspection.pk}/moves",
        {"target": "planned"},
        content_type="application/json",
        headers=headers,
    )
    assert moved.status_code == 400
    assert (
        post({"reason": REASON, "planned_for": NEW_DATE.isoformat()}, **{"If-Match": '"1"'}).status_code
        == 409
    )
    _unchanged(inspection, before)

    reply = post({"reason": REASON, "planned_for": NEW_DATE.isoformat()}, **{"If-Match": f'"{before[1]}"'})
    assert reply.status_code == 200, reply.content
    assert (reply.json()["state"], reply.json()["version"]) == ("planned", before[1] + 1)
    assert reply["ETag"] == f'"{before[1] + 1}"'
    read = client.get(f"/api/inspections/{inspection.pk}", headers=headers).json()
    assert read["events"] == {"planned_notification": NEW_DATE.isoformat()}
    [item] = read["postponements"]
    assert (item["reason"], item["planned_for"], item["cleared"], item["postponed_by"]) == (
        REASON,
        NEW_DATE.isoformat(),
        {"notified": NOTIFIED.isoformat()},
        "lead-hmi",
    )
    milestones = client.get(f"/api/inspections/{inspection.pk}/milestones", headers=headers).json()
    assert {m["key"]: m["due"] for m in milestones}["on_site_week_start"] == CAL.add_working_days(
        NEW_DATE, 10
    ).isoformat()
