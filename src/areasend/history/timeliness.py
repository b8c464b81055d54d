"""Timeliness of publication, year by year and regime by regime, and the backtest of the rules
(docs/adr/0028-backtest-and-estimates.md): the figures of the national timeliness page and of
``GET /api/national/timeliness``.

A regime is a framework and a kind of report (its full inspections, or a follow-up visit). The lag is
the working days from the last day on site to publication; the year is that of the last day on site.
"On time" is published on or before the date the framework's deadline predicts. The backtest is given
twice: with the framework files as shipped (estimated deadlines at their estimate) and with the value
each estimated deadline's source stated (the rules before the estimates).
"""

from __future__ import annotations

import dataclasses
import functools
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from areasend.core import components as c
from areasend.datapack.charts import Series, bar_chart
from areasend.domain.frameworks import Framework, shipped_frameworks
from areasend.domain.frameworks.schema_estimates import estimate_text

from .backtest import FULL, Backtest, BacktestRow, Summary, percentile, run_backtest, stated_overrides
from .national_page import PALETTE

FULL_LABEL = "Full inspection"
RULE_TEXT = "Rule from a source"
STATED_TEXT = "{value} working days: the rule before the estimate"


@dataclasses.dataclass(frozen=True)
class YearFigures:
    year: int
    n: int
    median_lag_wd: float
    p90_lag_wd: int
    on_time: int

    @property
    def on_time_percent(self) -> int:
        return round(100 * self.on_time / self.n) if self.n else 0


@dataclasses.dataclass(frozen=True)
class Regime:
    framework_id: str
    framework: str  # the framework's short title
    kind: str
    kind_label: str
    deadline_key: str
    deadline_label: str
    basis: str  # "Rule from a source" or the estimate's label
    estimated: bool
    stated_value: int | None  # an estimated deadline's value before the estimate
    years: tuple[YearFigures, ...]
    summary: Summary  # the backtest with the files as shipped
    rules_summary: Summary | None  # with the values the sources state (None: not estimated)

    @property
    def label(self) -> str:
        return f"{self.framework}: {self.kind_label.lower()}"

    @property
    def slug(self) -> str:
        return f"{self.framework_id}-{self.kind}".replace("_", "-")


@dataclasses.dataclass(frozen=True)
class Timeliness:
    regimes: tuple[Regime, ...]
    skipped: tuple[Any, ...]
    events: int  # every event of the record: backtested and skipped

    @property
    def years(self) -> list[int]:
        return sorted({y.year for r in self.regimes for y in r.years})


def kind_label(framework: Framework, kind: str) -> str:
    if kind == FULL:
        return FULL_LABEL
    visit = next((v for v in framework.visits if v.key == kind), None)
    return kind.replace("_", " ").capitalize() if visit is None else visit.title


def by_year(rows: Sequence[BacktestRow]) -> tuple[YearFigures, ...]:
    grouped: dict[int, list[BacktestRow]] = {}
    for row in rows:
        grouped.setdefault(row.on_site_end.year, []).append(row)
    return tuple(
        YearFigures(
            year=year,
            n=len(found),
            median_lag_wd=statistics.median([r.lag_wd for r in found]),
            p90_lag_wd=percentile([r.lag_wd for r in found], 90),
            on_time=sum(r.on_time for r in found),
        )
        for year, found in sorted(grouped.items())
    )


def timeliness_of(current: Backtest, rules: Backtest, frameworks: Mapping[str, Framework]) -> Timeliness:
    """The page's figures from the backtest as shipped and with the stated rules."""
    regimes = []
    rules_summary = rules.summary()
    for framework_id, kinds in current.summary().items():
        framework = frameworks[framework_id]
        for kind, summary in kinds.items():
            rows = [r for r in current.rows if r.framework_id == framework_id and r.kind == kind]
            deadline = framework.deadline(rows[0].deadline_key)
            estimate = estimate_text(deadline)
            regimes.append(
                Regime(
                    framework_id=framework_id,
                    framework=framework.short_title or framework.title,
                    kind=kind,
                    kind_label=kind_label(framework, kind),
                    deadline_key=rows[0].deadline_key,
                    deadline_label=rows[0].deadline_key if deadline is None else deadline.label,
                    basis=estimate or RULE_TEXT,
                    estimated=bool(estimate),
                    stated_value=None
                    if deadline is None or deadline.estimate is None
                    else deadline.estimate.stated_value,
                    years=by_year(rows),
                    summary=summary,
                    rules_summary=rules_summary.get(framework_id, {}).get(kind) if estimate else None,
                )
            )
    return Timeliness(tuple(regimes), current.skipped, len(current.rows) + len(current.skipped))


@functools.cache
def shipped_timeliness() -> Timeliness:
    """The figures for the shipped history and framework files (they change only with a release)."""
    frameworks = shipped_frameworks()
    return timeliness_of(
        run_backtest(frameworks=frameworks),
        run_backtest(frameworks=frameworks, overrides=stated_overrides(frameworks)),
        frameworks,
    )


# -- the page -------------------------------------------------------------------------------------


def _wd(value: float) -> str:
    return f"{value:g}"


def text_alternative(timeliness: Timeliness) -> str:
    parts = []
    for regime in timeliness.regimes:
        years = ", ".join(f"{y.year}: {_wd(y.median_lag_wd)}" for y in regime.years)
        parts.append(f"{regime.label}, median working days by year of the last day on site: {years}")
    return "; ".join(parts) + ". The same figures are in the tables below."


def chart(timeliness: Timeliness) -> SafeString | None:
    years = timeliness.years
    if not years:
        return None
    series = []
    for n, regime in enumerate(timeliness.regimes):
        medians = {y.year: float(y.median_lag_wd) for y in regime.years}
        series.append(
            Series(regime.label, [medians.get(y) for y in years], PALETTE[n % len(PALETTE)], "", "")
        )
    return bar_chart(
        chart_id="chart-timeliness",
        title=f"Median working days from the last day on site to publication, {years[0]} to {years[-1]}",
        description=text_alternative(timeliness),
        categories=[str(y) for y in years],
        series=series,
        label=lambda v: f"{v:g}",
    )


def year_table(regime: Regime) -> dict[str, Any]:
    return {
        "caption": f"{regime.label}: working days from the last day on site to publication",
        "caption_classes": "govuk-table__caption--s",
        "head": c.head(
            "Year of the last day on site",
            c.cell("Reports", format="numeric"),
            c.cell("Median (working days)", format="numeric"),
            c.cell("90th percentile (working days)", format="numeric"),
            c.cell("Published by the predicted date", format="numeric"),
        ),
        "rows": [
            c.row(
                str(y.year),
                c.cell(str(y.n), format="numeric"),
                c.cell(_wd(y.median_lag_wd), format="numeric"),
                c.cell(str(y.p90_lag_wd), format="numeric"),
                c.cell(f"{y.on_time_percent}%", format="numeric"),
            )
            for y in regime.years
        ],
        "first_cell_is_header": True,
        "attributes": {"id": f"table-{regime.slug}"},
    }


def _summary_cells(summary: Summary) -> list[dict[str, Any]]:
    return [
        c.cell(str(summary.n), format="numeric"),
        c.cell(f"{summary.on_time} ({summary.on_time_share:.0%})", format="numeric"),
        c.cell(_wd(summary.median_delta_wd), format="numeric"),
        c.cell(str(summary.p90_delta_wd), format="numeric"),
    ]


def backtest_table(timeliness: Timeliness) -> dict[str, Any]:
    rows = []
    for regime in timeliness.regimes:
        tag = c.tag("Estimate", "govuk-tag--yellow") if regime.estimated else c.tag("Rule", "govuk-tag--grey")
        what = c.lines(regime.label, c.hint(regime.deadline_label))
        rows.append(c.row(what, format_html("{} {}", tag, regime.basis), *_summary_cells(regime.summary)))
        if regime.rules_summary is not None:
            before = c.lines(regime.label, c.hint(regime.deadline_label))
            rows.append(
                c.row(
                    before,
                    format_html(
                        "{} {}",
                        c.tag("Rule", "govuk-tag--grey"),
                        RULE_TEXT
                        if regime.stated_value is None
                        else STATED_TEXT.format(value=regime.stated_value),
                    ),
                    *_summary_cells(regime.rules_summary),
                )
            )
    return {
        "caption": "The framework's deadline held against every real report",
        "caption_classes": "govuk-table__caption--s",
        "head": c.head(
            "Reports",
            "Deadline from",
            c.cell("Reports", format="numeric"),
            c.cell("Published by the predicted date", format="numeric"),
            c.cell("Median difference (working days)", format="numeric"),
            c.cell("90th percentile difference (working days)", format="numeric"),
        ),
        "rows": rows,
        "first_cell_is_header": True,
        "attributes": {"id": "table-backtest"},
    }


def skipped_lines(timeliness: Timeliness) -> list[str]:
    return [f"{s.area_name}: {s.reason}" for s in timeliness.skipped]


def page_context(timeliness: Timeliness) -> dict[str, Any]:
    return {
        "timeliness": timeliness,
        "chart": chart(timeliness),
        "regimes": [{"regime": r, "table": year_table(r)} for r in timeliness.regimes],
        "backtest_table": backtest_table(timeliness),
        "skipped": skipped_lines(timeliness),
    }


def as_data(timeliness: Timeliness) -> dict[str, Any]:
    """The figures for the API."""

    def summary(s: Summary | None) -> dict[str, Any] | None:
        return (
            None
            if s is None
            else {**s.as_dict(), "median_lag_wd": s.median_lag_wd, "p90_lag_wd": s.p90_lag_wd}
        )

    return {
        "events": timeliness.events,
        "regimes": [
            {
                "framework": r.framework_id,
                "framework_title": r.framework,
                "kind": r.kind,
                "kind_label": r.kind_label,
                "deadline": r.deadline_key,
                "deadline_label": r.deadline_label,
                "estimated": r.estimated,
                "basis": r.basis,
                "backtest": summary(r.summary),
                "backtest_with_stated_rules": summary(r.rules_summary),
                "years": [
                    {
                        "year": y.year,
                        "n": y.n,
                        "median_lag_wd": y.median_lag_wd,
                        "p90_lag_wd": y.p90_lag_wd,
                        "on_time": y.on_time,
                    }
                    for y in r.years
                ],
            }
            for r in timeliness.regimes
        ],
        "skipped": [s.as_dict() for s in timeliness.skipped],
    }
