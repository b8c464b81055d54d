"""The lists' columns, the vocabularies and the rule set, read from the YAML files in ``data/``."""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from areasend.domain.intake import Column, ColumnSpec

DATA_DIR = Path(__file__).parent / "data"
LIST_NUMBERS = (1, 2)
Level = Literal["error", "query"]

# What a code or value is matched on: case, and runs of spaces, underscores, hyphens and dashes,
# ignored. The columnar engine uses the same pattern (``MATCH_SEPARATORS``) so both engines agree.
MATCH_SEPARATORS = "[\t\n\f\r _\\-\u2010-\u2015]+"
_SEPARATORS = re.compile(MATCH_SEPARATORS)


def match_key(text: str) -> str:
    return _SEPARATORS.sub(" ", text).strip(" ").lower()


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    lists: tuple[int, ...]
    kind: str = "text"


@dataclass(frozen=True)
class ListKind:
    number: int
    sheet: str
    label: str
    fields: tuple[Field, ...]

    @functools.cached_property
    def spec(self) -> ColumnSpec:
        """Every column required, no other column allowed; columns are named by their heading."""
        return ColumnSpec(tuple(Column(f.header) for f in self.fields), allow_other_columns=False)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    group: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    key: str
    terms: tuple[Term, ...]
    source: str
    groups: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def lookup(self) -> dict[str, Term]:
        """match key of each code, label and alias -> its term."""
        found: dict[str, Term] = {}
        for term in self.terms:
            for text in (term.code, term.label, *term.aliases):
                found.setdefault(match_key(text), term)
        return found

    def term(self, value: str | None) -> Term | None:
        return None if value is None else self.lookup.get(match_key(value))


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    message: str
    fields: tuple[str, ...]
    lists: tuple[int, ...]
    check: str
    source: str
    confidence: str
    params: Mapping[str, Any]
    configurable: bool = False


@dataclass(frozen=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]

    def for_list(self, number: int) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if number in r.lists)

    def rule(self, code: str) -> Rule:
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)


def _yaml(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.cache
def list_kinds() -> dict[int, ListKind]:
    data = _yaml("fields.yaml")
    fields = [
        Field(key, spec["header"], tuple(spec["lists"]), spec.get("kind", "text"))
        for key, spec in data["fields"].items()
    ]
    return {
        int(n): ListKind(int(n), spec["sheet"], spec["label"], tuple(f for f in fields if int(n) in f.lists))
        for n, spec in data["lists"].items()
    }


def list_kind(number: int) -> ListKind:
    return list_kinds()[number]


@functools.cache
def headers() -> dict[str, str]:
    """field key -> the column heading in Ofsted's template."""
    return {f.key: f.header for kind in list_kinds().values() for f in kind.fields}


@functools.cache
def vocabularies() -> dict[str, Vocabulary]:
    data = _yaml("vocabulary.yaml")
    with (DATA_DIR / "sen2_code_lists.csv").open(encoding="utf-8", newline="") as handle:
        needs = tuple(
            Term(row["code"], row["name"] or row["label"], aliases=(row["label"],))
            for row in csv.DictReader(handle)
            if row["list"] == "sen-type"
        )
    phases = data["phases"]
    return {
        "needs": Vocabulary("needs", needs, data["needs"]["source"]),
        "phases": Vocabulary(
            "phases",
            tuple(
                Term(v["code"], v["label"], v["group"], tuple(v.get("aliases", ()))) for v in phases["values"]
            ),
            phases["source"],
            dict(phases["groups"]),
        ),
    }


@dataclass(frozen=True)
class AgeBand:
    code: str
    label: str
    min: int
    max: int


@functools.cache
def age_bands() -> tuple[AgeBand, ...]:
    data = _yaml("vocabulary.yaml")["age_bands"]["values"]
    return tuple(AgeBand(str(b["code"]), b["label"], int(b["min"]), int(b["max"])) for b in data)


@functools.cache
def yes_no_words() -> tuple[frozenset[str], frozenset[str]]:
    data = _yaml("vocabulary.yaml")["yes_no"]
    return frozenset(map(str, data["affirmative"])), frozenset(map(str, data["negative"]))


_LEVELS = {"error", "query"}
_RULE_KEYS = {"code", "level", "message", "fields", "lists", "check", "source", "confidence", "configurable"}


def load_rules(path: Path | None = None) -> RuleSet:
    """The rule set (by default the shipped one). Raises ValueError naming what is wrong."""
    with (path or DATA_DIR / "rules.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    known = headers()
    rules = []
    for item in data["rules"]:
        code = item.get("code")
        for key in ("code", "level", "message", "fields", "lists", "check", "source", "confidence"):
            if not item.get(key):
                raise ValueError(f"rule {code!r} has no {key}")
        if item["level"] not in _LEVELS:
            raise ValueError(f"rule {code!r}: level must be error or query, not {item['level']!r}")
        for name in item["fields"]:
            if name not in known:
                raise ValueError(f"rule {code!r}: no such field {name!r}")
        rules.append(
            Rule(
                code=code,
                level=item["level"],
                message=item["message"],
                fields=tuple(item["fields"]),
                lists=tuple(int(n) for n in item["lists"]),
                check=item["check"],
                source=item["source"],
                confidence=item["confidence"],
                params={k: v for k, v in item.items() if k not in _RULE_KEYS},
                configurable=bool(item.get("configurable", False)),
            )
        )
    codes = [r.code for r in rules]
    if len(set(codes)) != len(codes):
        raise ValueError("two rules have the same code")
    return RuleSet(str(data["version"]), tuple(rules))


@functools.cache
def shipped_rules() -> RuleSet:
    return load_rules()
