"""What validation finds: one ``Finding`` per row, field and rule, and the report of a list."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple

from .schema import Level, RuleSet, headers


class Finding(NamedTuple):
    row: int  # the data row, 1 for the row below the header
    field: str  # the field key
    rule: str
    level: Level
    message: str

    @property
    def column(self) -> str:
        """The column heading the finding is in, as the list shows it."""
        return headers()[self.field]

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.column,
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
        }


@dataclass(frozen=True)
class ValidationReport:
    list_number: int
    rows: int
    reference_date: dt.date
    rule_set: RuleSet
    findings: tuple[Finding, ...]

    @property
    def summary(self) -> dict[str, int]:
        """rule code -> number of findings, in the rule set's order (rules with none left out)."""
        counts = Counter(f.rule for f in self.findings)
        return {r.code: counts[r.code] for r in self.rule_set.rules if counts[r.code]}

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level == "error")

    @property
    def queries(self) -> int:
        return sum(1 for f in self.findings if f.level == "query")

    def rows_with_errors(self) -> set[int]:
        return {f.row for f in self.findings if f.level == "error"}

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_number,
            "rows": self.rows,
            "reference_date": self.reference_date.isoformat(),
            "rule_set": self.rule_set.version,
            "errors": [f.as_dict() for f in self.findings],
            "summary": self.summary,
        }


def ordered(findings: list[Finding], rule_set: RuleSet, fields: tuple[str, ...]) -> tuple[Finding, ...]:
    """Findings by row, then rule (the rule set's order), then field (the list's column order)."""
    rule_order = {r.code: i for i, r in enumerate(rule_set.rules)}
    field_order = {f: i for i, f in enumerate(fields)}
    return tuple(sorted(findings, key=lambda f: (f.row, rule_order[f.rule], field_order[f.field])))
