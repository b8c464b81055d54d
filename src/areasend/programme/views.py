"""The deadlines page, each user's private calendar feed (ICS) and its settings."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from areasend.areas.selectors import regions
from areasend.core import audit
from areasend.core.permissions import public, requires

from .models import CalendarFeed, new_feed_token
from .selectors import open_milestones, open_plan_actions

SORTS = {
    "due": lambda m: (m.due, m.inspection.area.name),
    "area": lambda m: (m.inspection.area.name, m.due),
    "status": lambda m: (not m.overdue, m.due),
}


class DeadlineFilterForm(forms.Form):
    region = forms.ChoiceField(label="Region", required=False)
    owed_by = forms.ChoiceField(
        label="Who must act",
        required=False,
        choices=[
            ("", "Everyone"),
            ("area", "Local area partnership"),
            ("inspectorates", "Inspectorates"),
            ("dfe", "DfE and NHS England"),
        ],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("due", "Due date"), ("area", "Area"), ("status", "Overdue first")],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = [("", "All regions"), *[(r, r) for r in regions()]]  # type: ignore[attr-defined]


@requires("deadlines.view")
def deadlines(request: HttpRequest) -> HttpResponse:
    form = DeadlineFilterForm(request.GET or None)
    region = owed_by = ""
    sort = "due"
    if form.is_bound and form.is_valid():
        region = form.cleaned_data["region"]
        owed_by = form.cleaned_data["owed_by"]
        sort = form.cleaned_data["sort"] or "due"
    today = dt.date.today()
    found = open_milestones(user=request.user, today=today, region=region, owed_by=owed_by)
    if owed_by in ("", "area"):  # plan actions are the partnership's to carry out
        found += open_plan_actions(user=request.user, today=today, region=region)
    milestones = sorted(found, key=SORTS[sort])
    return render(
        request,
        "programme/deadlines.html",
        {
            "form": form,
            "milestones": milestones,
            "today": today,
            "overdue": sum(m.overdue for m in milestones),
        },
    )


@requires("deadlines.view")
def calendar_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated  # @requires has signed the user in
    feed = CalendarFeed.objects.filter(user=user).first()
    if request.method == "POST":
        with transaction.atomic():
            if feed is None:
                feed = CalendarFeed.objects.create(user=user)
                action = "calendar_feed.create"
            else:
                feed.token = new_feed_token()
                feed.save(update_fields=["token"])
                action = "calendar_feed.replace"
            audit.record(actor=request.user, action=action, obj=feed)
        return redirect("programme:calendar-settings")
    url = request.build_absolute_uri(reverse("programme:calendar-feed", args=[feed.token])) if feed else ""
    return render(request, "programme/calendar_settings.html", {"feed": feed, "url": url})


@public  # the unguessable token in the address stands for the user's sign-in
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    from icalendar import Calendar, Event

    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404("No such calendar")
    calendar = Calendar()
    calendar.add("prodid", "-//areasend//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Area SEND inspection deadlines")
    for milestone in open_milestones(user=feed.user, today=dt.date.today()):
        event = Event()
        event.add("uid", f"{milestone.inspection.pk}-{milestone.key}-{milestone.due:%Y%m%d}@areasend")
        event.add("summary", f"{milestone.label} – {milestone.inspection.area.name}")
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        event.add("dtstart", milestone.due)
        event.add("dtend", milestone.due + dt.timedelta(days=1))
        event.add("description", f"{milestone.rule}. Status: {milestone.status}.")
        event.add(
            "url", request.build_absolute_uri(reverse("inspections:detail", args=[milestone.inspection.pk]))
        )
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="areasend-deadlines.ics"'
    return response
