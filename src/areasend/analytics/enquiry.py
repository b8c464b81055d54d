"""Lines of enquiry: versioned rule sets (data/enquiry_rules/v<N>.yaml) applied to an area's figures.

Every version is kept: a stored line names the rule set version that proposed it, and a pack can be
rebuilt with any shipped version (`rules_for(version)`); new packs use the latest (`default_rules()`).
From version 3 a rule set has `settings` (thresholds, data-quality limits, the cap and the score):
those rule sets are applied by areasend.analytics.proposals.

Each line is a hypothesis linked to a criterion of the framework it is made for and a sector, citing
the figures that triggered it. Rules name a criterion code per framework id (or take the indicator's
from the catalogue); nothing here knows one regime from another. Pure Python over the pack's
indicator entries; no database.
"""

from __future__ import annotations

import contextlib
import re
import string
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .catalogue import (
    BLANK_REASON,
    DATA_DIR,
    DEFAULT_MISSING_CODES,
    NO_ROW_REASON,
    Catalogue,
    Indicator,
    check_sector,
    default_catalogue,
)
from .enquiry_settings import Settings
from .errors import CatalogueError
from .formatting import NOT_AVAILABLE, format_change, format_value

RULES_DIR = DATA_DIR / "enquiry_rules"
RULES_FILE = re.compile(r"v([1-9][0-9]*)\.yaml")


def _version_of(path: Path) -> int:
    match = RULES_FILE.fullmatch(path.name)
    return int(match.group(1)) if match else 0


# The latest rule set file (what load_rules reads when given no path).
RULES_PATH = max(RULES_DIR.glob("v*.yaml"), key=_version_of)
MSG_RULES_NAME = "{name}: a rule set file is named v<version>.yaml"
MSG_RULES_VERSION_MISMATCH = "{name}: declares rules_version {declared}, its name says {named}"
MSG_UNKNOWN_RULES_VERSION = "There is no version {version} of the lines of enquiry rules (versions: {known})"
MSG_NEEDS_SETTINGS = "{where}: condition {condition!r} needs the rule set's settings (rules_version 3 on)"
MSG_NEEDS_PRIORITY = "{where}: give the rule a priority (the rule set has settings)"
MSG_NO_MISSING_WORDS = (
    "{source}: settings.missing_reasons has no words for {reason!r}, a reason the data can give"
)
MSG_UNKNOWN_THRESHOLD = "{source}: settings.change_thresholds names unknown indicator {code!r}"
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
        # from rules_version 3
        "change",
        "years",
        "from_period",
        "england_change",
        "relative_change",
        "base",
        "base_label",
    ]
)
# Conditions that decide on the settings of rules_version 3 (areasend.analytics.standing).
SETTINGS_CONDITIONS = frozenset(["worsened", "fell_behind_england"])
Condition = Literal[
    "quartile_worst",
    "worsening_trend",
    "gap_vs_neighbours",
    "gap_vs_england",
    "missing_data",
    "flag_absent",
    "previous_weakness",
    "worsened",
    "fell_behind_england",
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


class WorsenedParams(_Strict):
    """`worse`: the area also moved the wrong way against England by more than the threshold (or
    England's change is not published); `in_line`: it did not (England moved the same way);
    `any`: either."""

    relative_to_england: Literal["worse", "in_line", "any"] = "any"


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
    # Tried in order when the template names a figure the area does not have (rules_version 3 on).
    alternatives: tuple[str, ...] = ()
    # Points towards the line's score (rules_version 3 on).
    priority: int | None = Field(default=None, ge=0, le=100)
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
        names = {n for template in (self.template, *self.alternatives) for n in placeholders(template)}
        unknown = sorted(names - PLACEHOLDERS)
        if unknown:
            raise ValueError(f"unknown template placeholders: {', '.join(unknown)}")
        if self.condition in ("gap_vs_neighbours", "gap_vs_england"):
            GapParams.model_validate(self.params)
        elif self.condition == "missing_data":
            MissingParams.model_validate(self.params)
        elif self.condition == "worsened":
            WorsenedParams.model_validate(self.params)
        elif self.params:
            raise ValueError(f"condition {self.condition!r} takes no params")
        return self


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


class RuleSet(_Strict):
    rules_version: int = Field(ge=1)
    settings: Settings | None = None
    rules: tuple[Rule, ...] = Field(min_length=1)

    def check_references(self, catalogue: Catalogue, source: str) -> None:
        ids = [r.id for r in self.rules]
        for rule_id in sorted({i for i in ids if ids.count(i) > 1}):
            raise CatalogueError(f"{source}: rule id {rule_id!r} used twice")
        known = catalogue.by_code
        if self.settings is not None:
            self._check_settings(self.settings, catalogue, source)
        for rule in self.rules:
            where = f"{source}: rule {rule.id!r}"
            if self.settings is None and rule.condition in SETTINGS_CONDITIONS:
                raise CatalogueError(MSG_NEEDS_SETTINGS.format(where=where, condition=rule.condition))
            if self.settings is not None and rule.priority is None:
                raise CatalogueError(MSG_NEEDS_PRIORITY.format(where=where))
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

    @staticmethod
    def _check_settings(settings: Settings, catalogue: Catalogue, source: str) -> None:
        for code in settings.change_thresholds.by_indicator:
            if code not in catalogue.by_code:
                raise CatalogueError(MSG_UNKNOWN_THRESHOLD.format(source=source, code=code))
        reasons = {BLANK_REASON, NO_ROW_REASON, *DEFAULT_MISSING_CODES.values()}
        reasons |= {r for ds in catalogue.datasets.values() for r in ds.missing_codes.values()}
        for reason in sorted(reasons - set(settings.missing_reasons)):
            raise CatalogueError(MSG_NO_MISSING_WORDS.format(source=source, reason=reason))


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


def load_rules(path: Path | None = None, catalogue: Catalogue | None = None) -> RuleSet:
    """One rule set file, validated strictly (CatalogueError naming the file, the rule and the
    problem); the latest shipped version when no path is given."""
    path = path or RULES_PATH
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


def load_rule_sets(directory: Path = RULES_DIR, catalogue: Catalogue | None = None) -> dict[int, RuleSet]:
    """Every rule set in the directory, by version (each file named v<version>.yaml)."""
    found: dict[int, RuleSet] = {}
    for path in sorted(directory.glob("*.yaml")):
        match = RULES_FILE.fullmatch(path.name)
        if match is None:
            raise CatalogueError(MSG_RULES_NAME.format(name=path.name))
        rules = load_rules(path, catalogue)
        if rules.rules_version != int(match.group(1)):
            raise CatalogueError(
                MSG_RULES_VERSION_MISMATCH.format(
                    name=path.name, declared=rules.rules_version, named=match.group(1)
                )
            )
        found[rules.rules_version] = rules
    if not found:
        raise CatalogueError(f"{directory.name}: no rule set files (v<version>.yaml)")
    return dict(sorted(found.items()))


@cache
def shipped_rule_sets() -> dict[int, RuleSet]:
    return load_rule_sets()


def rules_for(version: int) -> RuleSet:
    """A shipped rule set by version (CatalogueError naming the versions there are)."""
    sets = shipped_rule_sets()
    if version not in sets:
        raise CatalogueError(
            MSG_UNKNOWN_RULES_VERSION.format(version=version, known=", ".join(map(str, sets)))
        )
    return sets[version]


def default_rules() -> RuleSet:
    """The latest shipped rule set: what new packs use."""
    sets = shipped_rule_sets()
    return sets[max(sets)]


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

    Raises CatalogueError when the catalogue does not cover the framework. A rule set with settings
    (rules_version 3 on) is applied by areasend.analytics.proposals, which also scores and caps."""
    catalogue = catalogue or default_catalogue()
    rules = rules or default_rules()
    if rules.settings is not None:
        from .proposals import propose

        return propose(
            entries,
            area_name=area_name,
            previous_weaknesses=previous_weaknesses,
            catalogue=catalogue,
            rules=rules,
            framework_id=framework_id,
        ).lines
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


def weakness_evidence(
    rule: Rule,
    weakness: str,
    by_code: Mapping[str, Mapping[str, Any]],
    catalogue: Catalogue,
    evidence_of: Callable[[Indicator, Mapping[str, Any]], dict[str, Any]] | None = None,
) -> tuple[str, Any, list[dict[str, Any]], dict[str, Any]]:
    """A previous weakness's text, the first of the rule's topics it mentions (or None), the evidence
    of every indicator its topics name (as `evidence_of` describes it; this version's by default),
    and the criteria it is set against (every rules version)."""
    describe = evidence_of or _evidence
    text = weakness.strip()
    lowered = text.lower()
    matched = [t for t in rule.topics if any(_mentions(lowered, k) for k in t.keywords)]
    codes: list[str] = []
    for topic in matched:
        codes += [c for c in topic.indicators if c not in codes and c in by_code]
    evidence = [describe(catalogue.by_code[c], by_code[c]) for c in codes]
    first = matched[0] if matched else None
    criteria = first.criterion if first else rule.criterion
    assert isinstance(criteria, dict)  # a previous_weakness rule names its criteria (validated)
    return text, first, evidence, criteria


def _weakness_line(
    rule: Rule,
    weakness: str,
    by_code: Mapping[str, Mapping[str, Any]],
    catalogue: Catalogue,
    area: str,
    framework_id: str,
) -> dict[str, Any]:
    text, first, evidence, criteria = weakness_evidence(rule, weakness, by_code, catalogue)
    figures = " ".join(f"{e['summary']}." for e in evidence)
    if figures:
        figures = "Published figures: " + figures
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
