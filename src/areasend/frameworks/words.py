"""A framework's own words for its keys, so that pages never show an internal code.

Every key a framework file names (states, events, deadlines, outcomes, documents, visits, review
and visit judgements, finding kinds, team roles) has a label in the file; `in_words` replaces the
keys in a text (a deadline's rule, a timeline warning, a recorded decision) with those labels.
A key the framework does not name is shown with its underscores as spaces, never as code.
"""

from __future__ import annotations

import re
from typing import Any

_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[A-Z][a-z]+(?:_[a-z]+)+\b")


_CACHE: dict[tuple[str, int], dict[str, str]] = {}


def _labels(framework: Any) -> dict[str, str]:
    """Key -> label for one framework version (a version's file never changes once loaded)."""
    cached = _CACHE.get((framework.id, framework.version))
    if cached is not None:
        return cached
    labels: dict[str, str] = {}

    def add(key: str | None, label: str | None) -> None:
        if key and label and key not in labels:
            labels[key] = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label

    for state in framework.lifecycle.states:
        add(state.key, state.label)
    for event in framework.events:
        add(event.name, event.label)
    for deadline in framework.deadlines:
        add(deadline.key, deadline.label)
    for outcome in framework.outcomes:
        add(outcome.key, outcome.label)
    for role in framework.team_roles:
        add(role.key, role.title)
    for kind in framework.finding_kinds:
        add(kind.key, kind.label)
    for document in framework.follow_up_documents:
        add(document.key, document.title)
        for option in document.review_judgements:
            add(option.key, option.label)
    for visit in framework.visits:
        add(visit.key, visit.title)
        for scale in visit.judgement_scales:
            for option in scale.options:
                add(option.key, option.label)
    _CACHE[(framework.id, framework.version)] = labels
    return labels


def label_of(framework: Any, key: str) -> str:
    """The framework's label for one key (first letter as the framework writes it)."""
    found = _labels(framework).get(key)
    if found is not None:
        return found[0].upper() + found[1:]
    return key.replace("_", " ").capitalize()


def in_words(framework: Any, text: str) -> str:
    """`text` with every framework key in it replaced by the framework's label for it."""
    labels = _labels(framework)
    return _KEY.sub(lambda m: labels.get(m.group(0), m.group(0).replace("_", " ").lower()), text)


SHARE_WORDS = {"all": "all of them", "some": "some but not all of them", "none": "none of them"}


def overall_rule_in_words(framework: Any, spec: Any) -> str:
    """How a visit's overall judgement follows its judgement of each finding (``implied_by``), in the
    framework's words ('' when the framework does not relate them)."""
    scale = spec.overall_scale
    rule = scale.implied_by if scale is not None else None
    judged = spec.scale(rule.scale) if rule is not None else None
    if scale is None or rule is None or judged is None or judged.judges is None:
        return ""
    kind = framework.finding_kind(judged.judges)
    counting = " or ".join(f"'{o.label}'" for o in judged.options if o.key in rule.counting)
    cases = [
        f"'{option.label}' when {' or '.join(SHARE_WORDS[s] for s in option.implied_when)} are judged {counting}"
        for option in scale.options
    ]
    what = (kind.label if kind is not None else judged.judges.replace("_", " ")).lower()
    return f"The overall judgement follows the judgement of each {what}: " + "; ".join(cases) + "."
