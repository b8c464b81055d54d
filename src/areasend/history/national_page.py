"""The national figures page: each figure's definition as a GOV.UK summary list, its numbers as a
server-rendered bar chart (the data pack's) with a text alternative, and the same numbers as a
GOV.UK table. Every word comes from the figure (``figures.py``), never a figure's key."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString

from areasend.core import components as c
from areasend.datapack.charts import AREA, ENGLAND, NEIGHBOURS, REGION, Series, bar_chart
from areasend.frameworks.presentation import confidence, sourced, sources

from .figures import BASES, DATED_BY, DUE, Figure, Value

# GOV.UK blue, orange, dark grey, black, green, purple, red: one colour for each part of a figure.
PALETTE = (AREA[0], NEIGHBOURS[0], REGION[0], ENGLAND[0], "#00703c", "#4c2c92", "#d4351c")
LEGEND_LENGTH = 48  # characters of a part's name that fit a chart's key
PERIOD_WORDS = {
    "publication": "year of publication",
    "start": "year started",
    DUE: "month due",
    "inspection": "year of inspection",
}


def _slug(text: str) -> str:
    return text.replace("_", "-")


def figure_id(figure: Figure) -> str:
    return _slug(f"{figure.framework_id or 'all'}-{figure.key}")


def _number(value: int) -> str:
    return f"{value:,}"


def _values(figure: Figure, value: Value) -> list[int]:
    """A figure's number, or its parts' numbers in the parts' order."""
    if isinstance(value, dict):
        return [value.get(part.name, 0) for part in figure.parts]
    return [value]


def _columns(figure: Figure) -> list[str]:
    return [part.label for part in figure.parts] or [figure.unit.capitalize()]


def _said(figure: Figure, value: Value) -> str:
    numbers = _values(figure, value)
    if not figure.parts:
        return _number(numbers[0])
    return ", ".join(f"{part.label} {_number(n)}" for part, n in zip(figure.parts, numbers, strict=True))


def _total_heading(figure: Figure, as_of: date) -> str:
    to = date_format(as_of, "j F Y")
    if figure.dated_by == DUE:
        return f"In the twelve months after {to}"
    if figure.distinct:
        return f"All years to {to} (each area once)"
    return f"All years to {to}"


def text_alternative(figure: Figure, as_of: date) -> str:
    """The chart in words: every period's numbers, then the total."""
    periods = "; ".join(f"{p.label}: {_said(figure, p.value)}" for p in figure.periods)
    total = f"{_total_heading(figure, as_of)}: {_said(figure, figure.total)}."
    return f"{periods}. {total} The same figures are in the table below."


def _legend(label: str) -> str:
    """A part's name short enough for the chart's key (the table and the text give it whole)."""
    if len(label) <= LEGEND_LENGTH:
        return label
    head = label.split(":")[0]
    return head if len(head) <= LEGEND_LENGTH else label[: LEGEND_LENGTH - 1].rstrip() + "…"


def chart(figure: Figure, as_of: date) -> SafeString | None:
    """A bar chart of the figure period by period (a bar for each part), or None with no periods."""
    periods = figure.periods
    if not periods:
        return None
    names = [_legend(part.label) for part in figure.parts] or [figure.unit.capitalize()]
    series = [
        Series(name, [_values(figure, p.value)[n] for p in periods], PALETTE[n % len(PALETTE)], "", "")
        for n, name in enumerate(names)
    ]
    span = f"{periods[0].label} to {periods[-1].label}" if len(periods) > 1 else periods[0].label
    return bar_chart(
        chart_id=f"chart-{figure_id(figure)}",
        title=f"{figure.label}, by {PERIOD_WORDS[figure.dated_by]}, {span}",
        description=text_alternative(figure, as_of),
        categories=[p.short for p in periods],
        series=series,
        label=lambda v: f"{v:,.0f}",
    )


def table(figure: Figure, as_of: date) -> dict[str, Any]:
    """The figure's numbers period by period, then its total, as GOV.UK table parameters."""
    rows = [
        c.row(p.label, *(c.cell(_number(n), format="numeric") for n in _values(figure, p.value)))
        for p in figure.periods
    ]
    rows.append(
        c.row(
            _total_heading(figure, as_of),
            *(
                c.cell(_number(n), format="numeric", classes="app-figure-total")
                for n in _values(figure, figure.total)
            ),
        )
    )
    attributes: dict[str, Any] = {"id": f"table-{figure_id(figure)}"}
    if figure.in_stats:
        attributes["data-figure"] = figure.key
    return {
        "caption": f"{figure.label}, by {PERIOD_WORDS[figure.dated_by]}",
        "caption_classes": "govuk-table__caption--s",
        "head": c.head(figure.period_heading, *(c.cell(h, format="numeric") for h in _columns(figure))),
        "rows": rows,
        "first_cell_is_header": True,
        "attributes": attributes,
    }


def facts(figure: Figure) -> dict[str, Any]:
    """What the figure counts, by which date, on what basis and from which sources."""
    rows = [
        c.summary_row("What is counted", figure.counts),
        c.summary_row("Counted by", DATED_BY[figure.dated_by]),
        c.summary_row("Basis", c.lines(BASES[figure.basis], c.hint(figure.basis_text))),
    ]
    if figure.sources:
        shown = {"sources": sources(figure.sources), "confidence": confidence(figure.confidence)}
        rows.append(c.summary_row("Sources", sourced(shown)))
    if figure.scraped:
        rows.append(
            c.summary_row(
                "From scraped reports",
                f"{_number(figure.scraped)} of the rows counted were scraped from published reports: "
                "check them before relying on them.",
            )
        )
    return {"rows": rows, "classes": "govuk-summary-list--no-border govuk-!-font-size-16"}


def sections(figures: Iterable[Figure], as_of: date) -> list[dict[str, Any]]:
    """The figures grouped as the page shows them: every framework's first, then each framework's."""
    grouped: dict[str | None, dict[str, Any]] = {}
    for figure in figures:
        section = grouped.setdefault(
            figure.framework_id,
            {
                "id": _slug(f"section-{figure.framework_id or 'all'}"),
                "title": figure.framework,
                "figures": [],
            },
        )
        section["figures"].append(
            {
                "id": figure_id(figure),
                "title": figure.label,
                "facts": facts(figure),
                "chart": chart(figure, as_of),
                "table": table(figure, as_of),
            }
        )
    ordered: Sequence[str | None] = sorted(grouped, key=lambda k: k is not None)  # stable: None first
    return [grouped[k] for k in ordered]
