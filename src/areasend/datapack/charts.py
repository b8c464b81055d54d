"""Server-rendered SVG charts for the data pack: the same markup in the web page and the PDF.

Each chart is a labelled image (`role="img"` with an `aria-label`) whose label points to the data
table shown beside it. Series differ by line style and marker shape as well as colour.
Text stays text, so the PDF has real, selectable words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 480
HEIGHT = 270
LEFT, RIGHT, TOP, BOTTOM = 58, 12, 58, 32
LEGEND_ROW = 18

# GOV.UK colours: blue, black, dark grey, orange. The area's line is solid with markers; the
# comparators differ by dash pattern too, so colour is never the only cue. (Markers on every series
# would make the PDF slower to draw without making the chart clearer.)
AREA = ("#1d70b8", "", "circle")
ENGLAND = ("#0b0c0c", "6 4", "")
REGION = ("#505a5f", "2 3", "")
NEIGHBOURS = ("#f47738", "10 3 2 3", "")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str
    dash: str
    marker: str


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks if span > 0 else 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _axis(values: Sequence[float]) -> tuple[float, float, float]:
    low = min([0.0, *values])
    high = max(values) if values else 1.0
    if high <= low:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if not kind:
        return ""
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "triangle":
        return f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}" fill="{colour}"/>'
    if kind == "diamond":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _open(chart_id: str, title: str, description: str, height: int = HEIGHT) -> list[str]:
    # An aria-label rather than <title>: the page's own <title> stays the only one in the document.
    return [
        f'<svg class="app-chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-label="{escape(title)}. {escape(description)}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="Arial, Helvetica, sans-serif">',
    ]


def _legend(series: Sequence[Series]) -> list[str]:
    """A key above the plot, wrapping onto a second row when the names do not fit."""
    parts = []
    x, y = LEFT, 14
    for s in series:
        width = 34 + int(len(s.name) * 7) + 14
        if x + width > WIDTH and x > LEFT:
            x, y = LEFT, y + LEGEND_ROW
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{s.colour}" stroke-width="2.5"{dash}/>'
        )
        parts.append(_marker(s.marker, x + 12, y, s.colour))
        parts.append(f'<text x="{x + 30}" y="{y + 4}" font-size="13" fill="#0b0c0c">{escape(s.name)}</text>')
        x += width
    return parts


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    periods: Sequence[str],
    series: Sequence[Series],
    label: Callable[[float], str],
) -> SafeString:
    """A line chart of one indicator over time; gaps where a value is missing."""
    present = [v for s in series for v in s.values if v is not None]
    low, high, step = _axis(present)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(periods), 1)

    def x_at(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / count)

    def y_at(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    parts = _open(chart_id, title, description)
    parts.append('<g aria-hidden="true">')
    tick = low
    while tick <= high + step / 1000:
        y = y_at(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="13" text-anchor="end" fill="#0b0c0c">{escape(label(tick))}</text>'
        )
        tick += step
    every = max(1, math.ceil(count / 6))
    for i, period in enumerate(periods):
        if (count - 1 - i) % every == 0:  # counted from the latest period, which is always labelled
            parts.append(
                f'<text x="{x_at(i):.1f}" y="{HEIGHT - BOTTOM + 18}" font-size="13" text-anchor="middle" '
                f'fill="#0b0c0c">{escape(period)}</text>'
            )
    parts.extend(_legend(series))
    for s in series:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        segment: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if segment:
                    runs.append(segment)
                segment = []
                continue
            segment.append(f"{x_at(i):.1f},{y_at(v):.1f}")
        if segment:
            runs.append(segment)
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.colour}" stroke-width="2.5"{dash}/>'
                )
        if s.marker:
            parts.extend(
                _marker(s.marker, x_at(i), y_at(v), s.colour) for i, v in enumerate(s.values) if v is not None
            )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    label: Callable[[float], str],
) -> SafeString:
    """Horizontal grouped bars (for example primary need: the area against England)."""
    bar_h, gap = 12, 10
    group_h = bar_h * len(series) + gap
    label_w = 70
    height = TOP + group_h * len(categories) + 24
    present = [v for s in series for v in s.values if v is not None]
    _, high, _ = _axis(present)
    plot_w = WIDTH - label_w - RIGHT - 44

    def w_at(v: float) -> float:
        return plot_w * v / high if high else 0

    parts = _open(chart_id, title, description, height)
    parts.append('<g aria-hidden="true">')
    parts.extend(_legend(series))
    for c, category in enumerate(categories):
        top = TOP + c * group_h
        parts.append(
            f'<text x="{label_w - 8}" y="{top + bar_h * len(series) / 2 + 4:.1f}" font-size="13" text-anchor="end" '
            f'fill="#0b0c0c">{escape(category)}</text>'
        )
        for k, s in enumerate(series):
            v = s.values[c]
            y = top + k * bar_h
            if v is None:
                continue
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w_at(v):.1f}" height="{bar_h - 2}" fill="{s.colour}"/>'
            )
            parts.append(
                f'<text x="{label_w + w_at(v) + 4:.1f}" y="{y + bar_h - 3}" font-size="11" fill="#0b0c0c">{escape(label(v))}</text>'
            )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
