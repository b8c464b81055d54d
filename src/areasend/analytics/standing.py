"""How an area's figure stands and moves against England, and whether it can be trusted: the facts
the rules from rules_version 3 decide on (see areasend.analytics.enquiry).

Pure Python over a pack's indicator entry (pack.py): no database. For an indicator with a polarity,
`good` numbers are signed so that positive is better (higher for higher-is-better, lower for
lower-is-better).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .catalogue import Indicator
from .enquiry_settings import Settings
from .formatting import format_change, format_value, period_label

HUNDRED = 100.0
EPSILON = 1e-9


@dataclass(frozen=True)
class Movement:
    """The change the area's figure made over `years` (3 where it can be had, else 1) and England's
    over the same years."""

    years: int
    change: float
    england_change: float | None
    from_year: int


def movement(entry: Mapping[str, Any]) -> Movement | None:
    year = entry.get("year")
    if year is None:
        return None
    for years in (3, 1):
        change = entry.get(f"change_{years}y")
        if change is not None:
            return Movement(years, change, entry.get(f"england_change_{years}y"), year - years)
    return None


def sign(ind: Indicator) -> int:
    """+1 when higher is better, -1 when lower is better, 0 when neither."""
    return {"higher_is_better": 1, "lower_is_better": -1}.get(ind.polarity, 0)


def standing(ind: Indicator, entry: Mapping[str, Any]) -> float | None:
    """How much better than England the figure is (negative: worse); None without a polarity."""
    value, england = entry.get("value"), entry.get("england")
    if sign(ind) == 0 or value is None or england is None:
        return None
    return float(sign(ind) * (value - england))


def improving(ind: Indicator, entry: Mapping[str, Any]) -> bool:
    """The figure got better over the last year, or over the change period."""
    s = sign(ind)
    moved = movement(entry)
    last = entry.get("change_1y")
    return s != 0 and ((last is not None and s * last > 0) or (moved is not None and s * moved.change > 0))


def better_and_improving(ind: Indicator, entry: Mapping[str, Any]) -> bool:
    """Better than England and improving: no line of enquiry is made on such a figure."""
    ahead = standing(ind, entry)
    return ahead is not None and ahead > 0 and improving(ind, entry)


def threshold(ind: Indicator, entry: Mapping[str, Any], settings: Settings) -> float:
    moved = movement(entry)
    earlier = None
    if moved is not None and entry.get("value") is not None:
        earlier = entry["value"] - moved.change
    return settings.change_thresholds.of(ind.code).size(earlier)


def worsened(ind: Indicator, entry: Mapping[str, Any], settings: Settings) -> bool:
    """Moved against the indicator's polarity by more than the threshold."""
    moved = movement(entry)
    if sign(ind) == 0 or moved is None:
        return False
    return sign(ind) * moved.change < -threshold(ind, entry, settings) - EPSILON


def fell_behind(ind: Indicator, entry: Mapping[str, Any], settings: Settings) -> bool:
    """Worse than England, and further behind than at the start of the change period by more than
    the threshold (England moved the better way faster than the area)."""
    moved = movement(entry)
    ahead = standing(ind, entry)
    if moved is None or moved.england_change is None or ahead is None or ahead >= 0:
        return False
    relative = sign(ind) * (moved.change - moved.england_change)
    return relative < -threshold(ind, entry, settings) - EPSILON


def movement_fields(ind: Indicator, entry: Mapping[str, Any]) -> dict[str, str | None]:
    """Template fields for the change: None where a figure is missing (a template using it is not
    rendered)."""
    moved = movement(entry)
    if moved is None:
        return dict.fromkeys(("change", "from_period", "england_change", "relative_change", "years"))
    relative = None
    if moved.england_change is not None:
        relative = format_change(ind, abs(moved.change - moved.england_change)).lstrip("+")
    return {
        "change": format_change(ind, moved.change),
        "from_period": period_label(ind.period_type, moved.from_year),
        "england_change": format_change(ind, moved.england_change)
        if moved.england_change is not None
        else None,
        "relative_change": relative,
        "years": "three years" if moved.years == 3 else "one year",
    }


# --- data quality ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    trusted: bool
    cautions: tuple[str, ...]
    reason: str = ""


def quality(ind: Indicator, entry: Mapping[str, Any], settings: Settings) -> Quality:
    """Whether a percentage's base is big enough to trust, and the cautions to give in words."""
    value = entry.get("value")
    if ind.unit != "percent" or value is None:
        return Quality(True, ())
    extreme = abs(value) < EPSILON or abs(value - HUNDRED) < EPSILON
    rate = format_value(ind, value)
    base = entry.get("base")
    if ind.base is None or base is None:
        if not extreme:
            return Quality(True, ())
        return Quality(
            True,
            (
                f"A rate of {rate} can come from a very small group, and the number it is a share of "
                "is not in the published figures used here: check the numbers behind it.",
            ),
        )
    label = ind.base_label or "cases"
    count = format_value_count(base)
    if base < settings.data_quality.not_proposed_below.value:
        reason = f"{ind.title}: {rate} from {count} {label}, too few to compare"
        return Quality(False, (), reason)
    if base < settings.data_quality.caution_below.value:
        step = HUNDRED / base
        text = (
            f"Based on only {count} {label}: one more or one fewer changes the rate by about "
            f"{step:.0f} percentage points."
        )
        if extreme:
            text = f"A rate of {rate} from only {count} {label}: one more or one fewer changes it by about {step:.0f} percentage points."
        return Quality(True, (text,))
    return Quality(True, ())


def format_value_count(value: float) -> str:
    return f"{value:,.0f}"


# --- score ---------------------------------------------------------------------------------------


def distance(ind: Indicator, entry: Mapping[str, Any], comparator: str = "england") -> float:
    """0 to 1: for a ranked indicator the share of ranked areas with a better figure; otherwise how
    far the figure is from the comparator, as a share of the comparator (at most 1)."""
    rank, of = entry.get("rank"), entry.get("of")
    if rank is not None and of:
        return (rank - 1) / (of - 1) if of > 1 else 0.0
    value, other = entry.get("value"), entry.get(comparator)
    if value is None or other is None or abs(other) < EPSILON:
        return 0.0
    return float(min(1.0, abs(value - other) / abs(other)))


def wrong_way(ind: Indicator, entry: Mapping[str, Any], settings: Settings) -> float:
    """How many thresholds' worth the area moved the wrong way against England (0 if it did not;
    without England's change, against its own polarity)."""
    moved = movement(entry)
    s = sign(ind)
    if moved is None or s == 0:
        return 0.0
    relative = moved.change - moved.england_change if moved.england_change is not None else moved.change
    size = threshold(ind, entry, settings)
    return max(0.0, -s * relative) / size if size > 0 else 0.0


def score(
    priority: int,
    ind: Indicator | None,
    entry: Mapping[str, Any] | None,
    settings: Settings,
    *,
    cautioned: bool,
    comparator: str = "england",
) -> float:
    points = settings.score
    total = float(priority)
    if ind is not None and entry is not None:
        total += points.distance_points.value * distance(ind, entry, comparator)
        total += min(
            points.change_points_max.value,
            points.change_points_per_threshold.value * wrong_way(ind, entry, settings),
        )
    if cautioned:
        total -= points.caution_points.value
    return round(total, 1)


def score_definition(settings: Settings) -> str:
    """The score in words, with the weights of the rule set (shown to the inspector on the page)."""
    p = settings.score
    return (
        "Each line is scored: the priority of the rule that made it, plus up to "
        f"{p.distance_points.value:g} points for how far the figure is from England (for a ranked "
        "indicator, the share of areas with a better figure; for the others, the difference as a share "
        f"of the figure it is compared with), plus {p.change_points_per_threshold.value:g} points for "
        "each step of the indicator's change threshold by which the area has moved the wrong way "
        f"against England (at most {p.change_points_max.value:g}), less {p.caution_points.value:g} "
        f"points when the figure carries a data caution. At most {settings.max_lines.value:g} lines "
        "are proposed for an area, the highest scores first."
    )
