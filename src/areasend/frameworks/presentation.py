"""Turn a framework into the rows its page shows (plain dicts, so templates hold no logic)."""

from __future__ import annotations

import re
from typing import Any

from areasend.domain.frameworks import VOCABULARY_KINDS, Framework, Option, Sourced
from areasend.domain.timeline import describe_conditions, describe_deadline, describe_interval

CONFIDENCE_TAGS = {
    "high": ("High", "govuk-tag--green"),
    "medium": ("Medium", "govuk-tag--yellow"),
    "low": ("Low", "govuk-tag--red"),
}


_BREAK_AFTER = re.compile(r"(?<=[/_?&=.-])")


def sources(values: tuple[str, ...] | None) -> list[dict[str, Any]]:
    """Each source as text, with a link when it is a web address.

    ``parts`` is the text cut after URL separators, so the template can offer line breaks (``<wbr>``)
    and a long address does not push the table off the page.
    """
    return [
        {
            "text": value,
            "href": value if value.startswith(("https://", "http://")) else "",
            "parts": [part for part in _BREAK_AFTER.split(value) if part],
        }
        for value in values or ()
    ]


def confidence(value: str | None) -> dict[str, str]:
    if value is None:
        return {}
    text, classes = CONFIDENCE_TAGS[value]
    return {"text": text, "classes": classes}


def _sourced(item: Sourced) -> dict[str, Any]:
    return {"sources": sources(item.source), "confidence": confidence(item.confidence)}


def _options(options: tuple[Option, ...]) -> list[dict[str, Any]]:
    return [
        {
            "key": o.key,
            "label": o.label,
            "sources": sources(o.source),
            "confidence": confidence(o.confidence),
        }
        for o in options
    ]


VOCABULARY_TITLES = {
    "sector": "Sectors",
    "age_phase": "Age phases",
    "evidence_source": "Evidence sources",
    "activity_type": "Timetable activities",
    "plan_status": "Plan statuses",
    "finding_kind": "Kinds of finding",
}


def framework_page(framework: Framework) -> dict[str, Any]:
    """Everything the framework page shows, section by section."""
    deadline_labels = {d.key: d.label for d in framework.deadlines}
    return {
        "revisions": [
            {
                "version": r.version,
                "date": r.date,
                "date_note": r.date_note or "",
                "changes": list(r.changes),
                **_sourced(r),
            }
            for r in framework.revisions
        ],
        "nodes": [
            {
                "ref": n.ref,
                "kind": n.kind,
                "text": n.text,
                "depth": depth,
                "note": n.note or "",
                **_sourced(n),
            }
            for depth, n in framework.walk_nodes()
        ],
        "reporting_emphases": [
            {"ref": e.ref, "text": e.text, **_sourced(e)} for e in framework.reporting_emphases
        ],
        "outcomes": [
            {
                "number": o.number,
                "key": o.key,
                "label": o.label,
                "wording": o.wording or "",
                "next_full_inspection": (
                    ""
                    if o.next_full_inspection is None
                    else f"{o.next_full_inspection.qualifier or 'within'} "
                    f"{describe_interval(o.next_full_inspection.value, o.next_full_inspection.unit)} "
                    f"after {o.next_full_inspection.from_}"
                ),
                "follow_up": list(o.follow_up),
                **_sourced(o),
            }
            for o in framework.outcomes
        ],
        "team_roles": [
            {
                "title": r.title,
                "organisation": r.organisation,
                "required": r.required,
                "note": r.note or "",
                **_sourced(r),
            }
            for r in framework.team_roles
        ],
        "timetable": {
            "summary": framework.timetable.summary,
            "notification_weekday": framework.timetable.notification_weekday.capitalize(),
            "on_site_days": framework.timetable.on_site_days,
            "term_time": {
                "text": framework.timetable.term_time.text,
                "required": framework.timetable.term_time.required,
                **_sourced(framework.timetable.term_time),
            },
            "phases": [{"label": p.label, "text": p.text, **_sourced(p)} for p in framework.timetable.phases],
            **_sourced(framework.timetable),
        },
        "deadlines": [
            {
                "key": d.key,
                "label": d.label,
                "rule": describe_deadline(d),
                "configurable": d.configurable,
                "note": d.note or "",
                **_sourced(d),
            }
            for d in framework.deadlines
        ],
        "lifecycle": {
            "states": [{"key": s.key, "label": s.label} for s in framework.lifecycle.states],
            "initial": framework.lifecycle.initial,
            "final": list(framework.lifecycle.final),
            "transitions": [
                {"from": t.from_, "to": t.to, "label": t.label or ""} for t in framework.lifecycle.transitions
            ],
        },
        "events": [
            {"name": e.name, "label": e.label, "choices": list(e.choices or ())} for e in framework.events
        ],
        "follow_up_documents": [
            {
                "title": d.title,
                "required_when": describe_conditions(d.required_when) or "always",
                "responsible": d.responsible or "",
                "deadlines": [deadline_labels.get(k, k) for k in d.deadlines],
                "review_judgements": _options(d.review_judgements),
                "note": d.note or "",
                **_sourced(d),
            }
            for d in framework.follow_up_documents
        ],
        "visits": [
            {
                "title": v.title,
                "purpose": v.purpose,
                "required_when": describe_conditions(v.required_when) or "always",
                "deadlines": [deadline_labels.get(k, k) for k in v.deadlines],
                "length": ""
                if v.length is None
                else f"{v.length.min} to {v.length.max} {v.length.unit.replace('_', ' ')}",
                "scales": [
                    {
                        "label": s.label,
                        "applies_to": s.applies_to.replace("_", " "),
                        "options": _options(s.options),
                    }
                    for s in v.judgement_scales
                ],
                "afterwards": list(v.afterwards),
                **_sourced(v),
            }
            for v in framework.visits
        ],
        "evidence": [{"label": g.label, "items": list(g.items), **_sourced(g)} for g in framework.evidence],
        "vocabularies": [
            {
                "id": f"vocabulary-{kind.replace('_', '-')}",
                "title": VOCABULARY_TITLES[kind],
                "terms": [
                    {"code": t.code, "label": t.label, "description": t.description or "", **_sourced(t)}
                    for t in framework.vocabulary(kind)
                ],
            }
            for kind in VOCABULARY_KINDS
            if kind != "finding_kind" and framework.vocabulary(kind)
        ],
        "preparation_for_adulthood": [
            {"text": a.text, **_sourced(a)} for a in framework.preparation_for_adulthood
        ],
    }
