"""Lines of enquiry: versioned rules (data/enquiry_rules.yaml) applied to an area's figures.

Each line is a hypothesis linked to a criterion of the framework it is made for and a sector, citing
the figures that triggered it. Rules name a criterion code per framework id (or take the indicator's
from the catalogue); nothing here knows one regime from another. Pure Python over the pack's
indicator entries; no database.
"""

from __future__ import annotations

import contextlib
import re
import string
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .catalogue import DATA_DIR, Catalogue, Indicator, check_sector, default_catalogue
from .errors import CatalogueError
from .formatting import NOT_AVAILABLE, format_change, format_value

RULES_PATH = DATA_DIR / "enquiry_rules.yaml"
PLACEHOLDERS = frozenset(
    [
        "area",
        "title",
        "value",
        "period",
        "england",
        "region",
        "neighbours_mean",
        "rank",
        "of",
        "quartile",
        "change_1y",
        "change_3y",
        "trend",
        "gap",
        "direction",
        "missing_reason",
        "weakness",
        "figures",
    ]
)
Condition = Literal[
    "quartile_worst",
    "worsening_trend",
    "gap_vs_neighbours",
    "gap_vs_england",
    "missing_data",
    "flag_absent",
    "previous_weakness",
]
FROM_INDICATOR = "indicator"
MSG_RULE_CRITERION_MISSING = "{where}: names no criterion of framework {framework!r}"
MSG_RULE_UNKNOWN_FRAMEWORK = "{where}: framework {framework!r} is not in the catalogue's frameworks"
MSG_RULE_UNKNOWN_CRITERION = "{where}: {code!r} is not a criterion of {framework}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GapParams(_Strict):
    direction: Literal["above", "below", "worse", "either"]
    absolute: float | None = None
    relative: float | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> GapParams:
        if (self.absolute is None) == (self.relative is None):
            raise ValueError("give exactly one of 'absolute' or 'relative'")
        return self


class MissingParams(_Strict):
    ignore_reasons: tuple[str, ...] = ()


# Per framework id, the code of the criterion a line is linked to.
CriterionByFramework = dict[str, str]


class Topic(_Strict):
    keywords: tuple[str, ...] = Field(min_length=1)
    indicators: tuple[str, ...] = ()
    criterion: CriterionByFramework
    sector: str


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = Field(ge=1)
    condition: Condition
    indicators: tuple[str, ...] | Literal["*"] = ()
    params: dict[str, Any] = Field(default_factory=dict)
    criterion: CriterionByFramework | Literal["indicator"]
    sector: str
    template: str
    fallback: bool = False
    combine: bool = False
    topics: tuple[Topic, ...] = ()

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.condition == "previous_weakness":
            if not self.topics:
                raise ValueError("a previous_weakness rule needs topics")
            if FROM_INDICATOR in (self.criterion, self.sector):
                raise ValueError("a previous_weakness rule has no indicator: name its criterion and sector")
        elif not self.indicators:
            raise ValueError('give the indicators the rule applies to (or "*")')
        names = {name for _, name, _, _ in string.Formatter().parse(self.template) if name is not None}
        unknown = sorted(names - PLACEHOLDERS)
        if unknown:
            raise ValueError(f"unknown template placeholders: {', '.join(unknown)}")
        if self.condition in ("gap_vs_neighbours", "gap_vs_england"):
            GapParams.model_validate(self.params)
        elif self.condition == "missing_data":
            MissingParams.model_validate(self.params)
        elif self.params:
            raise ValueError(f"condition {self.condition!r} takes no params")
        return self


class RuleSet(_Strict):
    rules_version: int = Field(ge=1)
    rules: tuple[Rule, ...] = Field(min_length=1)

    def check_references(self, catalogue: Catalogue, source: str) -> None:
        ids = [r.id for r in self.rules]
        for rule_id in sorted({i for i in ids if ids.count(i) > 1}):
            raise CatalogueError(f"{source}: rule id {rule_id!r} used twice")
        known = catalogue.by_code
        for rule in self.rules:
            where = f"{source}: rule {rule.id!r}"
            if isinstance(rule.criterion, dict):
                _check_criteria(catalogue, rule.criterion, where)
            if rule.sector != FROM_INDICATOR:
                check_sector(catalogue, rule.sector, where)
            for index, topic in enumerate(rule.topics):
                _check_criteria(catalogue, topic.criterion, f"{where}: topic {index + 1}")
                check_sector(catalogue, topic.sector, f"{where}: topic {index + 1}")
            codes = [] if rule.indicators == "*" else list(rule.indicators)
            codes += [c for t in rule.topics for c in t.indicators]
            for code in codes:
                if code not in known:
                    raise CatalogueError(f"{where}: unknown indicator {code!r}")
                if known[code].hidden:
                    raise CatalogueError(f"{where}: indicator {code!r} is hidden from the pack")


def _check_criteria(catalogue: Catalogue, criteria: CriterionByFramework, where: str) -> None:
    for framework_id in criteria:
        if framework_id not in catalogue.frameworks:
            raise CatalogueError(MSG_RULE_UNKNOWN_FRAMEWORK.format(where=where, framework=framework_id))
    for framework_id in catalogue.frameworks:
        code = criteria.get(framework_id)
        if code is None:
            raise CatalogueError(MSG_RULE_CRITERION_MISSING.format(where=where, framework=framework_id))
        if catalogue.framework(framework_id).node(code) is None:
            raise CatalogueError(
                MSG_RULE_UNKNOWN_CRITERION.format(where=where, code=code, framework=framework_id)
            )


def load_rules(path: Path = RULES_PATH, catalogue: Catalogue | None = None) -> RuleSet:
    catalogue = catalogue or default_catalogue()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path.name}: cannot read: {exc}") from exc
    try:
        rules = RuleSet.model_validate(raw)
    except ValidationError as exc:
        parts = []
        for err in exc.errors():
            loc = list(err["loc"])
            label = ".".join(str(p) for p in loc)
            if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
                with contextlib.suppress(KeyError, IndexError, AttributeError, TypeError):
                    label = f"rule {raw['rules'][loc[1]].get('id', '?')!r}" + "".join(
                        f".{p}" for p in loc[2:]
                    )
            parts.append(f"{label}: {err['msg']}")
        raise CatalogueError(f"{path.name}: " + "; ".join(parts)) from exc
    rules.check_references(catalogue, path.name)
    return rules


@cache
def default_rules() -> RuleSet:
    return load_rules()


# --- evaluation ---------------------------------------------------------------------------------


def _evidence(ind: Indicator, entry: Mapping[str, Any]) -> dict[str, Any]:
    keys = (
        "period",
        "value",
        "england",
        "region",
        "neighbours_mean",
        "rank",
        "of",
        "quartile",
        "change_1y",
        "change_3y",
        "trend",
        "missing_reason",
    )
    item: dict[str, Any] = {"indicator": ind.code, "title": ind.title}
    item.update({k: entry.get(k) for k in keys})
    item["summary"] = _summary(ind, entry)
    return item


def _summary(ind: Indicator, entry: Mapping[str, Any]) -> str:
    period = entry.get("period") or NOT_AVAILABLE
    if entry.get("value") is None:
        return f"{ind.title}: {entry.get('missing_reason') or NOT_AVAILABLE} ({period})"
    share = ind.unit == "flag"
    text = (
        f"{ind.title}: {format_value(ind, entry['value'])} in {period} "
        f"(England {format_value(ind, entry.get('england'), share=share)}"
    )
    if entry.get("neighbours_mean") is not None:
        text += f"; statistical neighbours {format_value(ind, entry['neighbours_mean'], share=share)}"
    if entry.get("rank") is not None:
        text += f"; ranked {entry['rank']} of {entry['of']}"
    return text + ")"


def _fields(ind: Indicator, entry: Mapping[str, Any], area: str, **extra: str) -> dict[str, Any]:
    share = ind.unit == "flag"
    fields: dict[str, Any] = {
        "area": area,
        "title": ind.title,
        "value": format_value(ind, entry.get("value")),
        "period": entry.get("period") or NOT_AVAILABLE,
        "england": format_value(ind, entry.get("england"), share=share),
        "region": format_value(ind, entry.get("region"), share=share),
        "neighbours_mean": format_value(ind, entry.get("neighbours_mean"), share=share),
        "rank": entry.get("rank") if entry.get("rank") is not None else NOT_AVAILABLE,
        "of": entry.get("of") if entry.get("of") is not None else NOT_AVAILABLE,
        "quartile": entry.get("quartile") or NOT_AVAILABLE,
        "change_1y": format_change(ind, entry.get("change_1y")),
        "change_3y": format_change(ind, entry.get("change_3y")),
        "trend": entry.get("trend") or NOT_AVAILABLE,
        "missing_reason": entry.get("missing_reason") or NOT_AVAILABLE,
        "gap": NOT_AVAILABLE,
        "direction": NOT_AVAILABLE,
        "weakness": "",
        "figures": "",
    }
    fields.update(extra)
    return fields


def _render(template: str, fields: Mapping[str, Any]) -> str:
    return re.sub(r"\s+", " ", template.format_map(fields)).strip()


def _gap(rule: Rule, ind: Indicator, entry: Mapping[str, Any]) -> tuple[float, str] | None:
    value = entry.get("value")
    comparator = entry.get("neighbours_mean" if rule.condition == "gap_vs_neighbours" else "england")
    if value is None or comparator is None:
        return None
    params = GapParams.model_validate(rule.params)
    gap = value - comparator
    limit = params.absolute if params.absolute is not None else (params.relative or 0.0) * abs(comparator)
    if abs(gap) < limit or gap == 0:
        return None
    above = gap > 0
    if params.direction == "above" and not above:
        return None
    if params.direction == "below" and above:
        return None
    if params.direction == "worse" and (
        ind.polarity == "neither" or above != (ind.polarity == "lower_is_better")
    ):
        return None
    return gap, "higher" if above else "lower"


def _applies(rule: Rule, ind: Indicator, entry: Mapping[str, Any]) -> dict[str, str] | None:
    """Extra template fields when the rule fires for this indicator entry, else None."""
    cond = rule.condition
    if cond == "quartile_worst":
        return {} if entry.get("quartile") == "D" else None
    if cond == "worsening_trend":
        return {} if entry.get("trend") == "worsening" else None
    if cond == "flag_absent":
        return {} if ind.unit == "flag" and entry.get("value") == 0 else None
    if cond == "missing_data":
        params = MissingParams.model_validate(rule.params)
        reason = entry.get("missing_reason")
        if entry.get("value") is not None or entry.get("period") is None or reason in params.ignore_reasons:
            return None
        return {}
    found = _gap(rule, ind, entry)
    if found is None:
        return None
    gap, direction = found
    return {"gap": format_change(ind, gap), "direction": direction}


def lines_of_enquiry(
    entries: Sequence[Mapping[str, Any]],
    *,
    area_name: str,
    previous_weaknesses: Sequence[str] = (),
    catalogue: Catalogue | None = None,
    rules: RuleSet | None = None,
    framework_id: str | None = None,
) -> list[dict[str, Any]]:
    """Apply the rules to a pack's indicator entries, with the criteria of ``framework_id`` (the
    catalogue's first framework when not given); previous weaknesses come first.

    Raises CatalogueError when the catalogue does not cover the framework."""
    catalogue = catalogue or default_catalogue()
    rules = rules or default_rules()
    framework_id = framework_id or catalogue.default_framework
    catalogue.framework(framework_id)  # refuses a framework the catalogue does not cover
    by_code = {e["code"]: e for e in entries}
    lines: list[dict[str, Any]] = []
    covered: set[str] = set()

    for rule in rules.rules:
        if rule.condition == "previous_weakness":
            lines += [
                _weakness_line(rule, w, by_code, catalogue, area_name, framework_id)
                for w in previous_weaknesses
                if w.strip()
            ]
            continue
        codes = [e["code"] for e in entries] if rule.indicators == "*" else list(rule.indicators)
        fired: list[dict[str, Any]] = []
        for code in codes:
            entry = by_code.get(code)
            if entry is None or (rule.fallback and code in covered):
                continue
            ind = catalogue.by_code[code]
            extra = _applies(rule, ind, entry)
            if extra is None:
                continue
            if rule.combine and fired:
                fired[0]["evidence"].append(_evidence(ind, entry))
                continue
            criterion = (
                rule.criterion[framework_id]
                if isinstance(rule.criterion, dict)
                else ind.primary_criterion(framework_id)
            )
            fired.append(
                {
                    "text": _render(rule.template, _fields(ind, entry, area_name, **extra)),
                    **_criterion(catalogue, framework_id, criterion),
                    "sector": ind.sector if rule.sector == FROM_INDICATOR else rule.sector,
                    "evidence": [_evidence(ind, entry)],
                    "rule_id": rule.id,
                    "rule_version": rule.version,
                    "indicator": code,
                }
            )
        for line in fired:
            covered.update(item["indicator"] for item in line["evidence"])
        lines += fired
    return lines


def _criterion(catalogue: Catalogue, framework_id: str, code: str) -> dict[str, str]:
    return {
        "framework": framework_id,
        "criterion": code,
        "criterion_text": catalogue.criterion_text(framework_id, code),
    }


def _weakness_line(
    rule: Rule,
    weakness: str,
    by_code: Mapping[str, Mapping[str, Any]],
    catalogue: Catalogue,
    area: str,
    framework_id: str,
) -> dict[str, Any]:
    text = weakness.strip()
    lowered = text.lower()
    matched = [t for t in rule.topics if any(_mentions(lowered, k) for k in t.keywords)]
    codes: list[str] = []
    for topic in matched:
        codes += [c for c in topic.indicators if c not in codes and c in by_code]
    evidence = [_evidence(catalogue.by_code[c], by_code[c]) for c in codes]
    figures = " ".join(f"{e['summary']}." for e in evidence)
    if figures:
        figures = "Published figures: " + figures
    first = matched[0] if matched else None
    criteria = first.criterion if first else rule.criterion
    assert isinstance(criteria, dict)  # a previous_weakness rule names its criteria (validated)
    return {
        "text": _render(rule.template, {**_blank_fields(area), "weakness": text, "figures": figures}),
        **_criterion(catalogue, framework_id, criteria[framework_id]),
        "sector": first.sector if first else rule.sector,
        "evidence": evidence,
        "rule_id": rule.id,
        "rule_version": rule.version,
        "indicator": None,
    }


def _mentions(text: str, keyword: str) -> bool:
    """A keyword at the start of a word: 'late' matches 'late' and 'lateness', not 'related'."""
    return re.search(r"\b" + re.escape(keyword.lower()), text) is not None


def _blank_fields(area: str) -> dict[str, Any]:
    fields: dict[str, Any] = dict.fromkeys(PLACEHOLDERS, NOT_AVAILABLE)
    fields["area"] = area
    return fields
