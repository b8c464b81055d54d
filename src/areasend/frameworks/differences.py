"""What changed between two versions of a framework, in the framework's words (never its keys).

The framework page lists, for the version shown, what differs from the version in force before it
(ADR 26): the dates in force, and the deadlines, outcomes, events, follow-up documents, visits and
stages added, removed or changed. Each change is one sentence naming the thing by its label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.formats import date_format

from areasend.domain.frameworks import Deadline, Framework
from areasend.domain.timeline import describe_deadline

from .words import in_words

T = TypeVar("T")
NONE = "none"


@dataclass
class Section:
    heading: str
    changes: list[str] = field(default_factory=list)


def _day(value: Any) -> str:
    return "no end date" if value is None else date_format(value, "j F Y")


def _text(value: Any) -> str:
    if value is None or value == "" or value == ():
        return NONE
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value) or NONE
    return str(value)


def _compare(
    section: Section,
    what: str,
    old: Sequence[T],
    new: Sequence[T],
    key: Callable[[T], str],
    label: Callable[[T], str],
    facts: Callable[[Framework, T], dict[str, str]],
    before: Framework,
    after: Framework,
) -> None:
    """Added, removed and changed items of one kind (matched by their key, named by their label)."""
    old_by = {key(item): item for item in old}
    new_by = {key(item): item for item in new}
    for item in new:
        if key(item) not in old_by:
            section.changes.append(f"{what} added: {label(item)}.")
    for item in old:
        if key(item) not in new_by:
            section.changes.append(f"{what} removed: {label(item)}.")
    for item in new:
        previous = old_by.get(key(item))
        if previous is None:
            continue
        was, now = facts(before, previous), facts(after, item)
        for name, value in now.items():
            if was.get(name, NONE) != value:
                section.changes.append(
                    f"{label(item)}: {name} changed from \u201c{was.get(name, NONE)}\u201d to \u201c{value}\u201d."
                )


def _deadline_facts(fw: Framework, d: Deadline) -> dict[str, str]:
    return {
        "label": d.label,
        "rule": in_words(fw, describe_deadline(d)),
        "what completes it": in_words(fw, d.event) if d.event else NONE,
        "confidence": d.confidence,
        "set for each inspection": "yes" if d.configurable else "no",
        "note": _text(d.note),
    }


def _outcome_facts(fw: Framework, o: Any) -> dict[str, str]:
    nfi = o.next_full_inspection
    return {
        "label": o.label,
        "wording": o.wording,
        "follow-up": _text(o.follow_up),
        "next full inspection": NONE
        if nfi is None
        else in_words(fw, f"{nfi.value} {nfi.unit.replace('_', ' ')} after {nfi.from_}"),
        "confidence": o.confidence,
    }


def _event_facts(fw: Framework, e: Any) -> dict[str, str]:
    return {
        "label": e.label,
        "not before": _text([in_words(fw, n) for n in e.not_before]),
        "choices": _text([in_words(fw, c) for c in e.choices or ()]),
    }


def _conditions(fw: Framework, conditions: Any) -> str:
    if not conditions:
        return "always"
    return "; ".join(
        f"{in_words(fw, name)} is {' or '.join(in_words(fw, v) for v in values)}"
        for name, values in conditions.items()
    )


def _document_facts(fw: Framework, d: Any) -> dict[str, str]:
    return {
        "title": d.title,
        "required": _conditions(fw, d.required_when),
        "responsible": _text(d.responsible),
        "deadlines": _text([in_words(fw, k) for k in d.deadlines]),
        "review judgements": _text([j.label for j in d.review_judgements]),
        "note": _text(d.note),
        "confidence": d.confidence,
    }


def _visit_facts(fw: Framework, v: Any) -> dict[str, str]:
    return {
        "title": v.title,
        "purpose": v.purpose,
        "required": _conditions(fw, v.required_when),
        "deadlines": _text([in_words(fw, k) for k in v.deadlines]),
        "judgements": _text(
            [f"{s.label} ({', '.join(o.label for o in s.options)})" for s in v.judgement_scales]
        ),
        "afterwards": _text(v.afterwards),
        "confidence": v.confidence,
    }


def _state_facts(fw: Framework, s: Any) -> dict[str, str]:
    return {"label": s.label}


def differences(before: Framework, after: Framework) -> list[Section]:
    """The sections of changes from ``before`` to ``after`` (sections with no change are left out)."""
    dates = Section("Dates in force")
    if (before.in_force_from, before.in_force_to) != (after.in_force_from, after.in_force_to):
        dates.changes.append(
            f"In force from {_day(after.in_force_from)} to {_day(after.in_force_to)} "
            f"(version {before.version}: from {_day(before.in_force_from)} to {_day(before.in_force_to)})."
        )
    sections = [dates]

    def kind(
        heading: str, what: str, pick: Callable[[Framework], Iterable[Any]], key: str, label: str, facts: Any
    ) -> None:
        section = Section(heading)
        _compare(
            section,
            what,
            list(pick(before)),
            list(pick(after)),
            lambda item: getattr(item, key),
            lambda item: getattr(item, label),
            facts,
            before,
            after,
        )
        sections.append(section)

    kind("Deadlines", "Deadline", lambda f: f.deadlines, "key", "label", _deadline_facts)
    kind("Outcomes", "Outcome", lambda f: f.outcomes, "key", "label", _outcome_facts)
    kind("Events", "Event", lambda f: f.events, "name", "label", _event_facts)
    kind("Follow-up documents", "Document", lambda f: f.follow_up_documents, "key", "title", _document_facts)
    kind("Follow-up visits", "Visit", lambda f: f.visits, "key", "title", _visit_facts)
    kind("Inspection stages", "Stage", lambda f: f.lifecycle.states, "key", "label", _state_facts)
    return [s for s in sections if s.changes]
