"""The indicator catalogue (data/indicators.yaml), loaded and validated strictly.

Pure Python: no Django, no DuckDB. Validation errors name the file, the entry and what is wrong.
"""

from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import CatalogueError

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_PATH = DATA_DIR / "indicators.yaml"

Polarity = Literal["higher_is_better", "lower_is_better", "neither"]
Sector = Literal["education", "health", "social_care"]
Unit = Literal["percent", "count", "flag"]
PeriodType = Literal["calendar_year", "academic_year", "year"]
Layout = Literal["ees", "lait_wide", "moj_tribunal"]

# Default meaning of DfE (and GSS) symbols. A dataset can add to these or override them.
DEFAULT_MISSING_CODES: dict[str, str] = {
    "c": "suppressed",
    "x": "not available",
    "z": "not applicable",
    ":": "not available",
    "-": "suppressed",
}
BLANK_REASON = "not published"
NO_ROW_REASON = "not in the published data"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dataset(_Strict):
    path: str
    layout: Layout
    publisher: str
    title: str
    link: str
    filter: dict[str, str] = Field(default_factory=dict)
    number_format: Literal["plain", "formatted"] = "plain"
    missing_codes: dict[str, str] = Field(default_factory=dict)
    value_codes: dict[str, float] = Field(default_factory=dict)

    def codes(self) -> dict[str, tuple[float | None, str | None]]:
        """Every symbol this dataset uses, as (value, missing reason)."""
        result: dict[str, tuple[float | None, str | None]] = {
            code: (None, reason) for code, reason in DEFAULT_MISSING_CODES.items()
        }
        result.update({code: (None, reason) for code, reason in self.missing_codes.items()})
        result.update({code: (float(value), None) for code, value in self.value_codes.items()})
        return result


class Source(_Strict):
    dataset: str
    column: str | None = None
    columns: tuple[str, ...] = ()
    from_year: int | None = None
    to_year: int | None = None

    @model_validator(mode="after")
    def _one_of_column_columns(self) -> Source:
        if (self.column is None) == (not self.columns):
            raise ValueError("give either 'column' or 'columns'")
        return self

    @property
    def column_list(self) -> tuple[str, ...]:
        return (self.column,) if self.column is not None else self.columns


class TrendThreshold(_Strict):
    absolute: float | None = None
    relative: float | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> TrendThreshold:
        if (self.absolute is None) == (self.relative is None):
            raise ValueError("give exactly one of 'absolute' or 'relative'")
        return self


class Aggregate(_Strict):
    """How to fill England or region figures that the source does not publish."""

    method: Literal["mean", "sum", "ratio"]
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0


class Derived(_Strict):
    kind: Literal["pct_change"]
    of: str


class Indicator(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    description: str
    group: str
    unit: Unit
    polarity: Polarity
    sector: Sector
    criteria: tuple[str, ...] = Field(min_length=1)
    period_type: PeriodType
    decimals: int = Field(ge=0, le=4)
    trend_threshold: TrendThreshold
    source: str
    link: str
    sources: tuple[Source, ...] = ()
    derived: Derived | None = None
    aggregate: Aggregate | None = None
    # First year of a new series (a change of definition or collection): no change or trend is
    # calculated across it.
    series_break: int | None = None
    hidden: bool = False

    @model_validator(mode="after")
    def _sources_or_derived(self) -> Indicator:
        if bool(self.sources) == (self.derived is not None):
            raise ValueError("give either 'sources' or 'derived'")
        return self

    @property
    def ranked(self) -> bool:
        """Ranks (and quartile bands) only where better and worse mean something."""
        return self.polarity != "neither" and self.unit != "flag"


class Catalogue(_Strict):
    catalogue_version: int
    criteria: dict[str, str]
    groups: dict[str, str]
    datasets: dict[str, Dataset]
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _references(self) -> Catalogue:
        codes = [i.code for i in self.indicators]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"indicator codes used twice: {', '.join(duplicates)}")
        known = set(codes)
        for ind in self.indicators:
            where = f"indicator {ind.code!r}"
            if ind.group not in self.groups:
                raise ValueError(f"{where}: unknown group {ind.group!r}")
            for ref in ind.criteria:
                if ref not in self.criteria:
                    raise ValueError(f"{where}: unknown criterion {ref!r}")
            for src in ind.sources:
                if src.dataset not in self.datasets:
                    raise ValueError(f"{where}: unknown dataset {src.dataset!r}")
            if ind.derived and ind.derived.of not in known:
                raise ValueError(f"{where}: derived from unknown indicator {ind.derived.of!r}")
            agg = ind.aggregate
            if agg and agg.method == "ratio":
                for part in (agg.numerator, agg.denominator):
                    if part not in known:
                        raise ValueError(f"{where}: ratio uses unknown indicator {part!r}")
        return self

    @cached_property
    def by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    def used_columns(self) -> dict[str, list[str]]:
        """The columns each dataset must provide, in catalogue order."""
        used: dict[str, list[str]] = {name: [] for name in self.datasets}
        for ind in self.indicators:
            for src in ind.sources:
                for col in src.column_list:
                    if col not in used[src.dataset]:
                        used[src.dataset].append(col)
        return used


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and validate a catalogue file. Raises CatalogueError naming the file and the problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path.name}: cannot read: {exc}") from exc
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise CatalogueError(_describe(path, raw, exc)) from exc


def _describe(path: Path, raw: object, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = list(err["loc"])
        label = ".".join(str(p) for p in loc) or "(top level)"
        # Name indicators by code rather than by position.
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int) and isinstance(raw, dict):
            try:
                code = raw["indicators"][loc[1]].get("code", "?")
                label = f"indicators[{loc[1]}] (code {code!r})" + "".join(f".{p}" for p in loc[2:])
            except (KeyError, IndexError, AttributeError, TypeError):
                pass
        parts.append(f"{label}: {err['msg']}")
    return f"{path.name}: " + "; ".join(parts)


@cache
def default_catalogue() -> Catalogue:
    return load_catalogue()
