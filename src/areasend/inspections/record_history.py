"""The history of one recorded thing, oldest first and in words: who, when, what changed (from what,
to what) and why.

It is read from the audit log, which the services write as they record and correct: each kind of
record is found by the keys its services write (an event by its name, a finding by its id or, in rows
written before the id was kept, by its kind and number; see `corrections`). A correction that records
through `event_store` or `outcome_record` names the rows they wrote (`recorded`), so it shows once,
with its reason. Selectors read; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.timezone import localtime

from areasend.core import components as c
from areasend.core.audit import AuditAction
from areasend.core.models import AuditEvent
from areasend.domain.frameworks import Framework

from .corrections import CORRECTION_ACTIONS, OUTCOME, event_label
from .frameworks import framework_of
from .models import Finding, Inspection
from .presentation import label_of

NOTHING = "Nothing recorded"


@dataclass(frozen=True)
class Change:
    """One thing that changed: `before` is '' when there was nothing before, `after` '' when it went."""

    field: str
    before: str
    after: str

    @property
    def words(self) -> str:
        if not self.before:
            return f"{self.field}: {self.after}"
        if not self.after:
            return f"{self.field}: was {self.before}"
        return f"{self.field}: was {self.before}, now {self.after}"


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    who: str
    what: str
    changes: tuple[Change, ...] = ()
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "by": self.who,
            "what": self.what,
            "changes": [{"field": ch.field, "before": ch.before, "after": ch.after} for ch in self.changes],
            "reason": self.reason,
        }


# --- reading the audit log ----------------------------------------------------------------------


def on_object(obj: Any) -> Q:
    return Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def corrections_on(inspection: Inspection) -> Q:
    """Every correction or withdrawal of something this inspection records, whatever its object."""
    return Q(action__in=CORRECTION_ACTIONS, changes__inspection=inspection.pk)


def audit_rows(condition: Q) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(condition).select_related("actor").order_by("created_at", "pk"))


def who(row: AuditEvent) -> str:
    actor = row.actor
    if actor is None:
        return row.actor_label
    name = actor.get_full_name()
    return f"{name} ({actor.get_username()})" if name else actor.get_username()


def is_correction(row: AuditEvent) -> bool:
    return row.action in CORRECTION_ACTIONS


def hidden_rows(rows: Iterable[AuditEvent]) -> set[int]:
    """The recording rows a correction wrote through `event_store` or `outcome_record`."""
    found: set[int] = set()
    for row in rows:
        if is_correction(row):
            found.update(int(pk) for pk in row.changes.get("recorded") or ())
    return found


def what_of(row: AuditEvent, corrected: str = "Corrected", withdrawn: str = "Withdrawn") -> str:
    if row.action.endswith("_withdraw"):
        return withdrawn
    if row.action.endswith("_correct"):
        return corrected
    return str(row.action_label)


def entry(row: AuditEvent, what: str, changes: Iterable[Change] = ()) -> Entry:
    reason = str(row.changes.get("reason") or "") if is_correction(row) else ""
    return Entry(at=row.created_at, who=who(row), what=what, changes=tuple(changes), reason=reason)


def pair(value: Any) -> tuple[Any, Any]:
    """A `[before, after]` pair from an audit row (anything else is the after value)."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value


# --- words --------------------------------------------------------------------------------------


def date_words(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    return date_format(value, "j F Y") if isinstance(value, dt.date) else ""


def event_value_words(framework: Framework, name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if name == OUTCOME:
        outcome = framework.outcome(str(value))
        return f"{outcome.number}. {outcome.label}" if outcome else label_of(framework, str(value))
    if isinstance(value, dt.date):
        return date_words(value)
    try:
        return date_words(dt.date.fromisoformat(str(value)))
    except ValueError:
        return label_of(framework, str(value))


def when_words(at: dt.datetime) -> str:
    return date_format(localtime(at), "j M Y H:i")


def history_table(entries: Iterable[Entry], *, caption: str = "History, oldest first") -> dict[str, Any]:
    """The GOV.UK table of a record's history."""
    rows = [
        c.row(
            c.cell(c.lines(when_words(e.at))),
            e.who,
            e.what,
            c.lines(*(ch.words for ch in e.changes)) if e.changes else "",
            e.reason or c.hint("No reason recorded"),
        )
        for e in entries
    ]
    return {
        "caption": caption,
        "caption_classes": "govuk-table__caption--m",
        "head": c.head("When", "Who", "What", "What changed", "Reason"),
        "rows": rows or [c.row(c.cell("Nothing has been recorded yet.", colspan=5))],
    }


# --- events and the outcome ---------------------------------------------------------------------


def event_history(inspection: Inspection, name: str) -> list[Entry]:
    """A date, a decision or (named `outcome`) the outcome: each time it was recorded, corrected or
    withdrawn, with the value it had before."""
    framework = framework_of(inspection)
    label = event_label(framework, name)
    recording = AuditAction.INSPECTION_OUTCOME if name == OUTCOME else AuditAction.INSPECTION_EVENT
    rows = audit_rows((on_object(inspection) & Q(action=recording)) | corrections_on(inspection))
    hidden = hidden_rows(rows)
    words: Callable[[Any], str] = lambda value: event_value_words(framework, name, value)  # noqa: E731
    current: Any = None
    entries: list[Entry] = []
    for row in rows:
        if is_correction(row):
            found = (row.changes.get("events") or {}).get(name)
            if found is None:
                continue
            before, after = pair(found)
            own = row.changes.get("event") == name
            what = what_of(row) if own else str(row.action_label)
        else:
            if row.pk in hidden:
                continue
            if name == OUTCOME:
                before, after = pair(row.changes.get(OUTCOME))
            elif name in row.changes:
                before, after = current, row.changes[name]
            else:
                continue
            what = "Recorded" if before in (None, "") else "Recorded again"
        entries.append(entry(row, what, [Change(label, words(before), words(after))]))
        current = after
    return entries


def withdrawn_events(inspection: Inspection) -> list[str]:
    """The events withdrawn and not recorded since, in the order they were withdrawn."""
    recorded = set(inspection.events.values_list("name", flat=True))
    rows = audit_rows(on_object(inspection) & Q(action=AuditAction.INSPECTION_EVENT_WITHDRAW))
    names = [str(row.changes.get("event")) for row in rows]
    return [name for name in dict.fromkeys(reversed(names)) if name not in recorded][::-1]


# --- findings -----------------------------------------------------------------------------------


def _partners(value: Any) -> str:
    return ", ".join(value) if value else "None named"


def finding_history(finding: Finding) -> list[Entry]:
    """A finding: when it was added, each correction of its text or partners, and its withdrawal."""
    inspection = finding.inspection
    added = on_object(inspection) & Q(action=AuditAction.INSPECTION_FINDING_ADD)
    entries: list[Entry] = []
    for row in audit_rows(on_object(finding) | added):
        changes = row.changes
        if row.action == AuditAction.INSPECTION_FINDING_ADD:
            same = changes.get("finding") == finding.pk or (
                "finding" not in changes
                and changes.get("kind") == finding.kind
                and changes.get("number") == finding.number
            )
            if same:
                entries.append(
                    entry(
                        row,
                        "Added",
                        [
                            Change("Finding", "", str(finding)),
                            Change("Partners responsible", "", _partners(changes.get("responsible"))),
                        ],
                    )
                )
            continue
        found: list[Change] = []
        if "text" in changes:
            before, after = pair(changes["text"])
            found.append(Change("Finding", str(before or ""), str(after or "")))
        if "responsible" in changes:
            before, after = pair(changes["responsible"])
            found.append(Change("Partners responsible", _partners(before), _partners(after)))
        entries.append(entry(row, what_of(row), found))
    return entries
