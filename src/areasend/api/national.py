"""The national figures through the API: the same figures, definitions and filters as the page
(``/national/``), counted by the same function as `areasend stats`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from areasend.core.api_auth import TokenAuth
from areasend.history.figures import BASES, DATED_BY, Figure, national_figures, stats_of
from areasend.history.forms import filter_form
from areasend.history.official import Comparison, official_comparisons
from areasend.history.views import NATIONAL_FIGURES
from areasend.inspections.api import Error

router = Router(tags=["national figures"])


class PartOut(Schema):
    name: str
    label: str


class PeriodOut(Schema):
    period: str
    value: int | dict[str, int]


class FigureOut(Schema):
    key: str
    label: str
    framework: str | None
    framework_title: str
    in_stats: bool
    unit: str
    counts: str
    dated_by: str
    dated_by_text: str
    basis: str
    basis_text: str
    sources: list[str]
    confidence: str | None
    parts: list[PartOut]
    total: int | dict[str, int]
    periods: list[PeriodOut]
    scraped: int


class OfficialOut(Schema):
    title: str
    url: str
    framework: str
    figure: str
    count_by: str
    since: dt.date
    until: dt.date
    official: dict[str, int]
    counted: dict[str, int]
    agrees: bool


class NationalOut(Schema):
    as_of: dt.date
    framework: str | None
    first_year: int
    last_year: int
    count_by: str
    stats: dict[str, Any]
    figures: list[FigureOut]
    official: list[OfficialOut]


def official_out(comparison: Comparison) -> dict[str, Any]:
    official = comparison.official
    return {
        "title": official.title,
        "url": official.url,
        "framework": official.framework_id,
        "figure": official.figure,
        "count_by": official.count_by,
        "since": official.since,
        "until": official.until,
        "official": {**official.parts, "total": official.total},
        "counted": _counted(comparison),
        "agrees": comparison.agrees,
    }


def _counted(comparison: Comparison) -> dict[str, int]:
    names = list(comparison.official.parts)
    return {
        **dict(zip(names, (p.counted for p in comparison.parts), strict=True)),
        "total": comparison.total.counted,
    }


def figure_out(figure: Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "framework": figure.framework_id,
        "framework_title": figure.framework,
        "in_stats": figure.in_stats,
        "unit": figure.unit,
        "counts": figure.counts,
        "dated_by": figure.dated_by,
        "dated_by_text": DATED_BY[figure.dated_by],
        "basis": figure.basis,
        "basis_text": f"{BASES[figure.basis]}: {figure.basis_text}",
        "sources": list(figure.sources),
        "confidence": figure.confidence,
        "parts": [{"name": p.name, "label": p.label} for p in figure.parts],
        "total": figure.total,
        "periods": [{"period": p.label, "value": p.value} for p in figure.periods],
        "scraped": figure.scraped,
    }


@router.get(
    "/national",
    response={200: NationalOut, 400: Error},
    auth=TokenAuth(NATIONAL_FIGURES),
    summary="National figures, year by year, with what each counts",
)
def national(
    request: HttpRequest,
    framework: str = "",
    from_year: str = "",
    to_year: str = "",
    count_by: str = "",
) -> dict[str, Any]:
    """The figures of the national figures page. `stats` is what `areasend stats --format json
    --as-of <as_of>` prints (only the chosen framework's figures when `framework` is given);
    `figures` gives each with its definition and its numbers by year (`periods`). `framework` is a
    framework's id; `from_year` and `to_year` limit the years (the figures are counted to the end
    of `to_year`, or to today in the current year). `count_by` is `published` (the default: each
    figure by its own date) or `inspected` (every figure by the date of the inspection). `official`
    sets each of Ofsted's published counts beside the same figure counted from the history
    (whatever the years and count chosen). A bad filter is refused with 400 and the page's message."""
    form = filter_form(
        {"framework": framework, "from_year": from_year, "to_year": to_year, "count_by": count_by}
    )
    if not form.is_valid():
        raise HttpError(400, form.first_problem())
    filters = form.filters()
    figures = national_figures(
        as_of=filters.as_of,
        first_year=filters.first_year,
        last_year=filters.last_year,
        framework_id=filters.framework_id,
        count_by=filters.count_by,
    )
    return {
        "as_of": filters.as_of,
        "framework": filters.framework_id,
        "first_year": filters.first_year,
        "last_year": filters.last_year,
        "count_by": filters.count_by,
        "stats": stats_of(figures, filters.as_of),
        "figures": [figure_out(f) for f in figures],
        "official": [
            official_out(c)
            for c in official_comparisons()
            if filters.framework_id in (None, c.official.framework_id)
        ],
    }


class BacktestOut(Schema):
    n: int
    on_time: int
    median_delta_wd: float
    p90_delta_wd: int
    median_lag_wd: float
    p90_lag_wd: int


class YearOut(Schema):
    year: int
    n: int
    median_lag_wd: float
    p90_lag_wd: int
    on_time: int


class RegimeOut(Schema):
    framework: str
    framework_title: str
    kind: str
    kind_label: str
    deadline: str
    deadline_label: str
    estimated: bool
    basis: str
    backtest: BacktestOut
    backtest_with_stated_rules: BacktestOut | None
    years: list[YearOut]


class SkippedOut(Schema):
    area: str
    area_name: str
    framework: str
    kind: str
    reason: str
    source: str


class TimelinessOut(Schema):
    events: int
    regimes: list[RegimeOut]
    skipped: list[SkippedOut]


@router.get(
    "/national/timeliness",
    response={200: TimelinessOut},
    auth=TokenAuth(NATIONAL_FIGURES),
    summary="Timeliness of publication by year and regime, and the backtest of the deadlines",
)
def timeliness(request: HttpRequest) -> dict[str, Any]:
    """The figures of the timeliness page (`/national/timeliness/`): for each framework and kind of
    report, the working days from the last day on site to publication year by year, and the
    framework's publication deadline held against every real report (`backtest`: as the files are
    shipped; `backtest_with_stated_rules`: with the value the source states, for an estimated
    deadline). `summary` of `areasend backtest` gives the same `n`, `on_time` and deltas."""
    from areasend.history.timeliness import as_data, shipped_timeliness

    return as_data(shipped_timeliness())
