"""Turn a framework into the rows its page shows (plain dicts, so templates hold no logic), and those
rows into the parameters of the GOV.UK tables and summary lists that show them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from areasend.core import components as c
from areasend.domain.frameworks import VOCABULARY_KINDS, Framework, JudgementScale, Option, Sourced
from areasend.domain.frameworks.schema_estimates import estimate_text
from areasend.domain.timeline import describe_conditions, describe_deadline, describe_interval
from areasend.frameworks.words import in_words, overall_rule_in_words

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


def _mid_sentence(label: str) -> str:
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def _date_rules(framework: Framework, event: Any) -> str:
    """An event's date rules in words: 'not before first day on site; not in the future'."""
    found = (framework.event(name) for name in event.not_before)
    labels = [_mid_sentence(e.label) for e in found if e is not None]
    parts = [
        f"not before {' or '.join(labels)}" if labels else "",
        "not in the future" if event.not_in_future else "",
    ]
    return "; ".join(p for p in parts if p)


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


def _judged(framework: Framework, scale: JudgementScale) -> str:
    """What a visit's judgement scale is given for: each finding of a kind, or the visit overall."""
    if scale.judges is not None:
        kind = framework.finding_kind(scale.judges)
        return f"each {(kind.label if kind else scale.judges).lower()}"
    if scale.applies_to is not None:  # written by files before `judges`
        return scale.applies_to.replace("_", " ")
    return "the visit overall"


def _status_label(framework: Framework, code: str) -> str:
    term = framework.term("plan_status", code)
    return term.label if term is not None else code


def _publication(framework: Framework) -> dict[str, Any]:
    publication = framework.lifecycle.publication
    if publication is None:
        return {}
    state = framework.state(publication.state)
    organisations = " and ".join(framework.sign_off_organisations)
    text = f"Moving to {state.label if state else publication.state} publishes the report"
    if organisations:
        text += f", once {organisations} have signed it off"
    return {"text": text + ".", **_sourced(publication)}


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
                "next_full_inspection": in_words(
                    framework,
                    ""
                    if o.next_full_inspection is None
                    else f"{o.next_full_inspection.qualifier or 'within'} "
                    f"{describe_interval(o.next_full_inspection.value, o.next_full_inspection.unit)} "
                    f"after {o.next_full_inspection.from_}",
                ),
                "follow_up_notes": list(o.follow_up),
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
                "rule": in_words(framework, describe_deadline(d)),
                "configurable": d.configurable,
                "note": d.note or "",
                "estimate": estimate_text(d),
                **_sourced(d),
            }
            for d in framework.deadlines
        ],
        "lifecycle": {
            "states": [{"key": s.key, "label": s.label} for s in framework.lifecycle.states],
            "initial": framework.lifecycle.initial,
            "final": list(framework.lifecycle.final),
            "publication": _publication(framework),
            "transitions": [
                {"from": t.from_, "to": t.to, "label": t.label or ""} for t in framework.lifecycle.transitions
            ],
        },
        "events": [
            {
                "name": e.name,
                "label": e.label,
                "choices": list(e.choices or ()),
                "date_rules": _date_rules(framework, e),
            }
            for e in framework.events
        ],
        "follow_up_documents": [
            {
                "title": d.title,
                "required_when": in_words(framework, describe_conditions(d.required_when)) or "always",
                "responsible": d.responsible or "",
                "deadlines": [deadline_labels.get(k, k) for k in d.deadlines],
                "review_judgements": _options(d.review_judgements),
                "escalation": ""
                if d.escalation is None
                else {
                    "text": f"After {d.escalation.after_failed_submissions} submissions judged without "
                    f"acceptance: {_status_label(framework, d.escalation.status)}",
                    **_sourced(d.escalation),
                },
                "note": d.note or "",
                **_sourced(d),
            }
            for d in framework.follow_up_documents
        ],
        "visits": [
            {
                "title": v.title,
                "purpose": v.purpose,
                "required_when": in_words(framework, describe_conditions(v.required_when)) or "always",
                "deadlines": [deadline_labels.get(k, k) for k in v.deadlines],
                "length": ""
                if v.length is None
                else f"{v.length.min} to {v.length.max} {v.length.unit.replace('_', ' ')}",
                "scales": [
                    {
                        "label": s.label,
                        "applies_to": _judged(framework, s),
                        "options": _options(s.options),
                        "rule": overall_rule_in_words(framework, v) if s.implied_by else "",
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


# --- the GOV.UK components of the framework page -------------------------------------------------


def sourced(item: Mapping[str, Any]) -> SafeString:
    """An item's confidence tag and its sources, as HTML for a cell or a summary list value."""
    return SafeString(render_to_string("frameworks/_sourced.html", {"item": item}).strip())


def _bullets(lines: Iterable[Any], classes: str = "govuk-!-font-size-16") -> SafeString:
    if not lines:
        return SafeString("")
    return format_html(
        '<ul class="govuk-list govuk-list--bullet {}">{}</ul>',
        classes,
        format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
    )


def _table(caption: str, head: list[Any], rows: list[list[dict[str, Any]]], **extra: Any) -> dict[str, Any]:
    return {
        "caption": caption,
        "caption_classes": "govuk-visually-hidden",
        "head": head,
        "rows": rows,
        **extra,
    }


SOURCE = "Source and confidence"


def framework_tables(page: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every table of the framework page, by section."""
    timetable = page["timetable"]
    return {
        "nodes": _table(
            "Key questions and evaluation criteria",
            c.head("Ref", "Text", SOURCE),
            [
                c.row(
                    n["ref"],
                    c.lines(
                        format_html("<strong>{}</strong>", n["text"]) if n["depth"] == 0 else n["text"],
                        c.hint(_capfirst(str(n["kind"]))),
                        c.hint(n["note"]) if n["note"] else "",
                    ),
                    sourced(n),
                )
                for n in page["nodes"]
            ],
            first_cell_is_header=True,
        ),
        "reporting": _table(
            "What reports pay particular attention to",
            c.head("Ref", "Emphasis", SOURCE),
            [c.row(e["ref"], e["text"], sourced(e)) for e in page["reporting_emphases"]],
            first_cell_is_header=True,
        ),
        "outcomes": _table(
            "Possible outcomes of an inspection",
            c.head(c.cell("Number", format="numeric"), "Outcome", "What follows", SOURCE),
            [
                c.row(
                    c.cell(o["number"], format="numeric"),
                    c.lines(
                        format_html("<strong>{}</strong>", o["label"]),
                        f"“{o['wording']}”" if o["wording"] else "",
                    ),
                    format_html(
                        "{}{}",
                        format_html(
                            '<p class="govuk-body-s">Next full inspection: {}.</p>', o["next_full_inspection"]
                        )
                        if o["next_full_inspection"]
                        else "",
                        _bullets(o["follow_up_notes"]),
                    ),
                    sourced(o),
                )
                for o in page["outcomes"]
            ],
        ),
        "team": _table(
            "Inspection team roles",
            c.head("Role", "Organisation", SOURCE),
            [
                c.row(
                    c.lines(
                        r["title"] + ("" if r["required"] else " (sometimes)"),
                        c.hint(r["note"]) if r["note"] else "",
                    ),
                    r["organisation"],
                    sourced(r),
                )
                for r in page["team_roles"]
            ],
        ),
        "timetable": _table(
            "Inspection timetable",
            c.head("When", "What happens", SOURCE),
            [
                c.row(
                    "Notification",
                    f"On a {timetable['notification_weekday']}; {timetable['on_site_days']} days on site.",
                    sourced(timetable),
                ),
                c.row("Term time", timetable["term_time"]["text"], sourced(timetable["term_time"])),
                *(c.row(p["label"], p["text"], sourced(p)) for p in timetable["phases"]),
            ],
            first_cell_is_header=True,
            classes="govuk-!-margin-top-4",
        ),
        "deadlines": _table(
            "Deadlines and the rules behind them",
            c.head("Deadline", "Rule", SOURCE),
            [
                c.row(
                    format_html(
                        '{}<br><code class="govuk-!-font-size-16">{}</code>{}',
                        d["label"],
                        d["key"],
                        format_html(" {}", c.tag("Configurable", "govuk-tag--grey"))
                        if d["configurable"]
                        else "",
                    ),
                    c.lines(
                        _capfirst(str(d["rule"])),
                        c.hint(d["note"]) if d["note"] else "",
                        format_html("{} {}", c.tag("Estimate", "govuk-tag--yellow"), d["estimate"])
                        if d["estimate"]
                        else "",
                    ),
                    sourced(d),
                )
                for d in page["deadlines"]
            ],
        ),
        "lifecycle": _table(
            "Allowed moves between inspection stages",
            c.head("From", "To", "Action"),
            [
                c.row(
                    format_html("<code>{}</code>", t["from"]),
                    format_html("<code>{}</code>", t["to"]),
                    t["label"],
                )
                for t in page["lifecycle"]["transitions"]
            ],
        ),
        "adulthood": _table(
            "Preparation for adulthood",
            c.head("Area", SOURCE),
            [c.row(a["text"], sourced(a)) for a in page["preparation_for_adulthood"]],
        ),
        "revisions": _table(
            "Revisions of the framework",
            c.head(c.cell("Version", format="numeric"), "Date", "Changes", SOURCE),
            [
                c.row(
                    c.cell(r["version"], format="numeric"),
                    c.lines(
                        date_format(r["date"], "j F Y") if r["date"] else "",
                        c.hint(r["date_note"]) if r["date_note"] else "",
                    ),
                    _bullets(r["changes"]),
                    sourced(r),
                )
                for r in page["revisions"]
            ],
        ),
    }


def framework_facts(framework: Framework, record: Any, versions: Sequence[int]) -> dict[str, Any]:
    detail = reverse("frameworks:detail", args=[framework.id])
    in_force = f"From {date_format(framework.in_force_from, 'j F Y')}"
    if framework.in_force_to:
        in_force += f" to {date_format(framework.in_force_to, 'j F Y')}"
    version_links = format_html_join(
        ", ",
        "{}",
        ((str(v) if v == framework.version else c.link(f"{detail}?version={v}", v),) for v in versions),
    )
    loaded = f"{date_format(localtime(record.loaded_at), 'j F Y H:i')} from {record.source_name or 'text'}"
    return {
        "rows": [
            c.summary_row("Identifier", format_html("<code>{}</code>", framework.id)),
            c.summary_row("In force", in_force),
            c.summary_row("Loaded", loaded),
            c.summary_row(
                "SHA-256 checksum",
                format_html('<code class="govuk-!-text-break-word">{}</code>', record.sha256),
            ),
            c.summary_row("Versions loaded", version_links),
        ],
        "attributes": {"id": "framework-facts"},
    }


def events_list(page: Mapping[str, Any]) -> dict[str, Any]:
    """The names a command or the API uses for each event, and the values a choice event takes: the
    codes are shown as code, beside the framework's words."""

    def codes(values: Iterable[Any]) -> SafeString:
        return format_html_join(", ", "<code>{}</code>", ((v,) for v in values))

    rows = [
        c.summary_row(
            format_html("<code>{}</code>", e["name"]),
            format_html("{}: {}", e["label"], codes(e["choices"]))
            if e["choices"]
            else format_html("{} ({})", e["label"], e["date_rules"])
            if e.get("date_rules")
            else e["label"],
        )
        for e in page["events"]
    ]
    outcomes = format_html_join(
        ", ", "<code>{}</code> or <code>{}</code>", ((o["key"], o["number"]) for o in page["outcomes"])
    )
    rows.append(
        c.summary_row(
            format_html("<code>{}</code>", "outcome"), format_html("Inspection outcome: {}", outcomes)
        )
    )
    return {"rows": rows}


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def document_list(doc: Mapping[str, Any]) -> dict[str, Any]:
    rows = [c.summary_row("Required", _capfirst(doc["required_when"]))]
    if doc["responsible"]:
        rows.append(c.summary_row("Responsible", doc["responsible"]))
    if doc["deadlines"]:
        rows.append(c.summary_row("Deadlines", "; ".join(doc["deadlines"])))
    if doc["review_judgements"]:
        judgements = format_html_join(
            "", "<li>{} {}</li>", ((o["label"], sourced(o)) for o in doc["review_judgements"])
        )
        rows.append(
            c.summary_row("Review judgements", format_html('<ul class="govuk-list">{}</ul>', judgements))
        )
    if doc["escalation"]:
        escalation = doc["escalation"]
        rows.append(
            c.summary_row("Escalation", format_html("{} {}", escalation["text"], sourced(escalation)))
        )
    if doc["note"]:
        rows.append(c.summary_row("Note", doc["note"]))
    rows.append(c.summary_row(SOURCE, sourced(doc)))
    return {"rows": rows}


def visit_list(visit: Mapping[str, Any]) -> dict[str, Any]:
    rows = [
        c.summary_row("Purpose", visit["purpose"]),
        c.summary_row("When", _capfirst(visit["required_when"])),
    ]
    if visit["length"]:
        rows.append(c.summary_row("Length", visit["length"]))
    if visit["deadlines"]:
        rows.append(c.summary_row("Deadlines", "; ".join(visit["deadlines"])))
    for scale in visit["scales"]:
        options = _bullets([o["label"] for o in scale["options"]], classes="")
        given = format_html("Given for {}:{}", scale["applies_to"], options)
        if scale.get("rule"):
            given = format_html('{}<p class="govuk-body">{}</p>', given, scale["rule"])
        rows.append(c.summary_row(scale["label"], given))
    if visit["afterwards"]:
        rows.append(c.summary_row("Afterwards", _bullets(visit["afterwards"], classes="")))
    rows.append(c.summary_row(SOURCE, sourced(visit)))
    return {"rows": rows}


def frameworks_table(records: Iterable[Any]) -> dict[str, Any]:
    rows = []
    for record in records:
        in_force = f"From {date_format(record.in_force_from, 'j F Y')}"
        if record.in_force_to:
            in_force += f" to {date_format(record.in_force_to, 'j F Y')}"
        rows.append(
            c.row(
                c.link(reverse("frameworks:detail", args=[record.framework_id]), record.title),
                format_html("<code>{}</code>", record.framework_id),
                c.cell(record.version, format="numeric"),
                in_force,
            )
        )
    return _table(
        "Loaded inspection frameworks",
        c.head("Framework", "Identifier", c.cell("Version", format="numeric"), "In force"),
        rows,
        attributes={"id": "frameworks"},
    )
