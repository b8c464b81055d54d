"""Figures and periods written the way the data pack shows them (web page, PDF, XLSX, rule text)."""

from __future__ import annotations

import re

from .catalogue import Indicator
from .errors import BAD_PERIOD, PeriodError

NOT_AVAILABLE = "not available"


def period_label(period_type: str, year: int) -> str:
    """2025 → '2024/25' for an academic year (January census); otherwise the year itself."""
    if period_type == "academic_year":
        return f"{year - 1}/{year % 100:02d}"
    return str(year)


def parse_period(period: int | str) -> int:
    """A period given as 2024, '2024', '2023/24', '2023-24' or '202324', as its (end) year."""
    text = str(period).strip()
    if re.fullmatch(r"(19|20)\d{2}", text):
        return int(text)
    match = re.fullmatch(r"((?:19|20)\d{2})[/-]?(\d{2})", text)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 == end:
            return start + 1
    raise PeriodError(BAD_PERIOD.format(period=period))


def format_value(ind: Indicator, value: float | None, *, share: bool = False) -> str:
    """A figure in the indicator's unit. `share`: a flag indicator's England/region/neighbour figure,
    which is the share of areas answering yes."""
    if value is None:
        return NOT_AVAILABLE
    if ind.unit == "flag":
        if share:
            return f"{value * 100:.0f}% of areas"
        return "Yes" if value >= 0.5 else "No"
    if ind.unit == "percent":
        return f"{value:.{ind.decimals}f}%"
    return f"{value:,.{ind.decimals}f}"


def format_change(ind: Indicator, change: float | None) -> str:
    """A signed change: '+2.1 percentage points', '-120'."""
    if change is None:
        return NOT_AVAILABLE
    if ind.unit == "flag":
        return "now yes" if change > 0 else "now no" if change < 0 else "no change"
    sign = "+" if change > 0 else "-" if change < 0 else ""
    size = abs(change)
    if ind.unit == "percent":
        return f"{sign}{size:.{ind.decimals}f} percentage points"
    return f"{sign}{size:,.{ind.decimals}f}"
