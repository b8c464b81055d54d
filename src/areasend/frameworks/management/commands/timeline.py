"""`areasend timeline --framework ID --event NAME=YYYY-MM-DD ... --format json|text`."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from areasend.core.management import COMMAND_CHECKS
from areasend.domain.calendar import WorkingDayCalendar, default_calendar
from areasend.domain.timeline import EventValue, TimelineError, timeline_for
from areasend.frameworks.selectors import available_editions

MSG_BAD_EVENT = (
    "--event must look like NAME=YYYY-MM-DD (or NAME=VALUE for a decision such as outcome=3), got {value!r}"
)
MSG_BAD_SET = "--set must look like KEY=NUMBER, got {value!r}"
MSG_REPEATED = "{option} {name!r} is given more than once"
MSG_BAD_AREA = "--area must be an ONS code such as E10000012, got {value!r}"

DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
ONS_CODE = re.compile(r"^[EWSN]\d{8}$")


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def parse_events(values: list[str]) -> dict[str, EventValue]:
    """``["notified=2025-09-08", "outcome=3"]`` -> ``{"notified": date(2025, 9, 8), "outcome": 3}``."""
    events: dict[str, EventValue] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or not name or not raw:
            raise _fail(MSG_BAD_EVENT.format(value=item))
        if name in events:
            raise _fail(MSG_REPEATED.format(option="--event", name=name))
        value: EventValue
        if DATE_LIKE.match(raw):
            try:
                value = dt.date.fromisoformat(raw)
            except ValueError:
                raise _fail(MSG_BAD_EVENT.format(value=item)) from None
        elif raw.isdigit():
            value = int(raw)
        else:
            value = raw
        events[name] = value
    return events


def parse_overrides(values: list[str]) -> dict[str, int]:
    overrides: dict[str, int] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key or not raw.lstrip("-").isdigit():
            raise _fail(MSG_BAD_SET.format(value=item))
        if key in overrides:
            raise _fail(MSG_REPEATED.format(option="--set", name=key))
        overrides[key] = int(raw)
    return overrides


def calendar_for_area(area: str | None) -> WorkingDayCalendar:
    """The default calendar, told the council type of an area that is in the register.

    Without a register (a database not set up yet) the council type comes from the ONS code.
    """
    from areasend.areas.models import LocalArea

    try:
        found = None if area is None else LocalArea.objects.filter(ons_code=area).first()
    except DatabaseError:
        found = None
    if area is None or found is None or not found.la_type:
        return default_calendar()
    return WorkingDayCalendar(area_council_types={area: found.la_type})


class Command(BaseCommand):
    requires_system_checks = COMMAND_CHECKS
    help = (
        "Every deadline of an inspection from the events known so far: "
        "a JSON list of {key, label, due, rule, source, confidence, held_by} (or text)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--framework", required=True, metavar="ID", help="for example area-send-2023")
        parser.add_argument(
            "--event",
            action="append",
            default=[],
            metavar="NAME=YYYY-MM-DD",
            help="an event that has happened (repeat); decisions take a value, e.g. outcome=3",
        )
        parser.add_argument(
            "--area",
            metavar="ONS_CODE",
            help="the area (school holidays; local elections by its council type in the register)",
        )
        parser.add_argument(
            "--set", action="append", default=[], metavar="KEY=VALUE", help="override a configurable deadline"
        )
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        events = parse_events(options["event"])
        overrides = parse_overrides(options["set"])
        area = options["area"]
        if area is not None:
            area = area.strip().upper()
            if not ONS_CODE.match(area):
                raise _fail(MSG_BAD_AREA.format(value=options["area"]))
        try:
            timeline = timeline_for(
                options["framework"],
                events,
                frameworks=available_editions(),
                area_code=area,
                overrides=overrides,
                calendar=calendar_for_area(area),
            )
        except TimelineError as exc:
            raise _fail(str(exc)) from None
        for warning in timeline.warnings:
            self.stderr.write(f"Warning: {warning}")
        if options["format"] == "json":
            keys = ("key", "label", "due", "rule", "source", "confidence", "held_by")
            rows = [{k: m.as_dict()[k] for k in keys} for m in timeline.milestones]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for milestone in timeline.milestones:
            self.stdout.write(
                f"{milestone.due.isoformat()}  {milestone.label} ({milestone.key}): {milestone.rule} "
                f"[{milestone.confidence}, {milestone.status}]"
            )
