"""Lines of enquiry from a rule set with settings (rules_version 3 on).

Against the earlier rule sets, which stay as they were:
- a figure better than England and improving gets no line;
- 'worsened' means moved against the indicator's polarity by more than its change threshold, and
  'fallen further behind England' means worse than England with the gap widened by more than it
  (the area's change compared with England's over the same years);
- a percentage from too small a base is not proposed, a thin one carries a caution in words;
- no sentence names a figure the area does not have: the rule's template is used only when every
  figure it names is there, else its first alternative that has them all, else no line;
- each line is scored (areasend.analytics.standing.score) and the area gets the highest-scoring
  `max_lines`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalogue import Catalogue, Indicator
from .enquiry import (
    FROM_INDICATOR,
    Rule,
    RuleSet,
    WorsenedParams,
    _applies,
    _criterion,
    placeholders,
    weakness_evidence,
)
from .enquiry_settings import Settings
from .formatting import format_change, format_value
from .standing import (
    EPSILON,
    better_and_improving,
    fell_behind,
    movement,
    movement_fields,
    quality,
    score,
    score_definition,
    worsened,
    wrong_way,
)

CAUTION_LEAD = "Data caution:"
# Placeholders that may be empty (a weakness with no matching figures).
MAY_BE_EMPTY = frozenset(["figures"])
NOT_TRUSTED = "not proposed: {reason}"
NO_WORDING = "{title}: not proposed, the sentence needs a figure that is not published"


@dataclass
class Proposal:
    lines: list[dict[str, Any]]
    # Figures the rules would have made a line on but that cannot be trusted, in words.
    withheld: list[str] = field(default_factory=list)
    # Lines found beyond the cap.
    left_out: int = 0
    score_definition: str = ""


def _value(ind: Indicator, value: Any, *, share: bool = False) -> str | None:
    return format_value(ind, value, share=share) if value is not None else None


def _fields(
    ind: Indicator, entry: Mapping[str, Any], area: str, settings: Settings, extra: Mapping[str, str]
) -> dict[str, Any]:
    """The template fields, None where the figure is missing."""
    share = ind.unit == "flag"
    reason = entry.get("missing_reason")
    fields: dict[str, Any] = {
        "area": area,
        "title": ind.title,
        "value": _value(ind, entry.get("value")),
        "period": entry.get("period"),
        "england": _value(ind, entry.get("england"), share=share),
        "region": _value(ind, entry.get("region"), share=share),
        "neighbours_mean": _value(ind, entry.get("neighbours_mean"), share=share),
        "rank": entry.get("rank"),
        "of": entry.get("of"),
        "quartile": entry.get("quartile"),
        "change_1y": format_change(ind, entry["change_1y"]) if entry.get("change_1y") is not None else None,
        "change_3y": format_change(ind, entry["change_3y"]) if entry.get("change_3y") is not None else None,
        "trend": entry.get("trend"),
        "missing_reason": settings.missing_reasons.get(reason) if reason else None,
        "base": f"{entry['base']:,.0f}" if entry.get("base") is not None else None,
        "base_label": ind.base_label,
        "gap": None,
        "direction": None,
        "weakness": None,
        "figures": None,
    }
    fields.update(movement_fields(ind, entry))
    fields.update(extra)
    return fields


def render(rule: Rule, fields: Mapping[str, Any]) -> str | None:
    """The first of the rule's templates whose figures are all there, rendered; None if none is."""
    for template in (rule.template, *rule.alternatives):
        names = placeholders(template)
        if all(fields.get(n) not in (None, "") or n in MAY_BE_EMPTY for n in names):
            text = template.format_map({k: ("" if v is None else v) for k, v in fields.items()})
            return re.sub(r"\s+", " ", text).strip()
    return None


def _evidence(ind: Indicator, entry: Mapping[str, Any]) -> dict[str, Any]:
    keys = (
        "period",
        "year",
        "value",
        "england",
        "region",
        "neighbours_mean",
        "rank",
        "of",
        "quartile",
        "change_1y",
        "change_3y",
        "england_change_1y",
        "england_change_3y",
        "trend",
        "missing_reason",
        "base",
    )
    item: dict[str, Any] = {"indicator": ind.code, "title": ind.title, "polarity": ind.polarity}
    item.update({k: entry.get(k) for k in keys})
    item["summary"] = summary(ind, entry)
    return item


def summary(ind: Indicator, entry: Mapping[str, Any]) -> str:
    """The figure in words, naming only the figures there are."""
    if entry.get("value") is None:
        return f"{ind.title}: no figure published" + (
            f" for {entry['period']}" if entry.get("period") else ""
        )
    share = ind.unit == "flag"
    text = f"{ind.title}: {format_value(ind, entry['value'])} in {entry['period']}"
    extra = []
    if entry.get("england") is not None:
        extra.append(f"England {format_value(ind, entry['england'], share=share)}")
    if entry.get("neighbours_mean") is not None:
        extra.append(f"statistical neighbours {format_value(ind, entry['neighbours_mean'], share=share)}")
    if entry.get("rank") is not None:
        extra.append(f"ranked {entry['rank']} of {entry['of']}")
    return text + (f" ({'; '.join(extra)})" if extra else "")


def _applies_here(
    rule: Rule, ind: Indicator, entry: Mapping[str, Any], settings: Settings
) -> dict[str, str] | None:
    if rule.condition == "worsened":
        if not worsened(ind, entry, settings):
            return None
        wanted = WorsenedParams.model_validate(rule.params).relative_to_england
        moved = movement(entry)
        worse = moved is not None and (
            moved.england_change is None or wrong_way(ind, entry, settings) > 1 + EPSILON
        )
        if (wanted == "worse" and not worse) or (wanted == "in_line" and worse):
            return None
        return {}
    if rule.condition == "fell_behind_england":
        return {} if fell_behind(ind, entry, settings) else None
    return _applies(rule, ind, entry)


def _finish(line: dict[str, Any]) -> dict[str, Any]:
    if line["cautions"]:
        line["text"] = f"{line['text']} {CAUTION_LEAD} {' '.join(line['cautions'])}"
    return line


def propose(
    entries: Sequence[Mapping[str, Any]],
    *,
    area_name: str,
    previous_weaknesses: Sequence[str] = (),
    catalogue: Catalogue,
    rules: RuleSet,
    framework_id: str | None = None,
) -> Proposal:
    settings = rules.settings
    assert settings is not None  # only rule sets with settings come here
    framework_id = framework_id or catalogue.default_framework
    catalogue.framework(framework_id)
    by_code = {e["code"]: e for e in entries}
    lines: list[dict[str, Any]] = []
    withheld: dict[str, str] = {}
    covered: set[str] = set()

    for rule in rules.rules:
        priority = rule.priority or 0
        if rule.condition == "previous_weakness":
            for weakness in previous_weaknesses:
                if weakness.strip():
                    line = _weakness_line(rule, weakness, by_code, catalogue, area_name, framework_id)
                    line["score"] = float(priority)
                    lines.append(line)
            continue
        codes = [e["code"] for e in entries] if rule.indicators == "*" else list(rule.indicators)
        fired: list[dict[str, Any]] = []
        for code in codes:
            entry = by_code.get(code)
            if entry is None or (rule.fallback and code in covered):
                continue
            ind = catalogue.by_code[code]
            if better_and_improving(ind, entry):
                continue
            extra = _applies_here(rule, ind, entry, settings)
            if extra is None:
                continue
            checked = quality(ind, entry, settings)
            if not checked.trusted:
                withheld.setdefault(code, NOT_TRUSTED.format(reason=checked.reason))
                continue
            if rule.combine and fired:
                fired[0]["evidence"].append(_evidence(ind, entry))
                fired[0]["cautions"] += [c for c in checked.cautions if c not in fired[0]["cautions"]]
                continue
            text = render(rule, _fields(ind, entry, area_name, settings, extra))
            if text is None:
                withheld.setdefault(code, NO_WORDING.format(title=ind.title))
                continue
            criterion = (
                rule.criterion[framework_id]
                if isinstance(rule.criterion, dict)
                else ind.primary_criterion(framework_id)
            )
            comparator = "neighbours_mean" if rule.condition == "gap_vs_neighbours" else "england"
            fired.append(
                {
                    "text": text,
                    **_criterion(catalogue, framework_id, criterion),
                    "sector": ind.sector if rule.sector == FROM_INDICATOR else rule.sector,
                    "evidence": [_evidence(ind, entry)],
                    "rule_id": rule.id,
                    "rule_version": rule.version,
                    "indicator": code,
                    "cautions": list(checked.cautions),
                    "score": score(
                        priority,
                        ind,
                        entry,
                        settings,
                        cautioned=bool(checked.cautions),
                        comparator=comparator,
                    ),
                }
            )
        for line in fired:
            covered.update(item["indicator"] for item in line["evidence"])
        lines += fired

    ranked = sorted(lines, key=lambda line: -line["score"])  # stable: rule order breaks ties
    cap = int(settings.max_lines.value)
    return Proposal(
        lines=[_finish(line) for line in ranked[:cap]],
        withheld=list(withheld.values()),
        left_out=max(0, len(ranked) - cap),
        score_definition=score_definition(settings),
    )


def _weakness_line(
    rule: Rule,
    weakness: str,
    by_code: Mapping[str, Mapping[str, Any]],
    catalogue: Catalogue,
    area: str,
    framework_id: str,
) -> dict[str, Any]:
    text, first, evidence, criteria = weakness_evidence(rule, weakness, by_code, catalogue, _evidence)
    shown = [e["summary"] for e in evidence if e["value"] is not None]  # never a missing value
    figures = ("Published figures: " + " ".join(f"{s}." for s in shown)) if shown else ""
    body = render(rule, {"area": area, "weakness": text, "figures": figures}) or text
    return {
        "text": body,
        **_criterion(catalogue, framework_id, criteria[framework_id]),
        "sector": first.sector if first else rule.sector,
        "evidence": evidence,
        "rule_id": rule.id,
        "rule_version": rule.version,
        "indicator": None,
        "cautions": [],
    }
