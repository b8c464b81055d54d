"""The indicator catalogue (data/indicators.yaml), loaded and validated strictly.

Pure Python: no Django, no DuckDB. Validation errors name the file, the entry and what is wrong.
The criteria and sectors the catalogue names are checked against the framework files, read through
``areasend.domain.frameworks`` (the shipped files unless others are given).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from areasend.domain.frameworks import Framework, FrameworkFileError, shipped_frameworks

from .errors import CatalogueError

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_PATH = DATA_DIR / "indicators.yaml"

Polarity = Literal["higher_is_better", "lower_is_better", "neither"]
FrameworkId = str
CriterionCode = str
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
MSG_UNKNOWN_FRAMEWORK = "{source}: framework {framework!r} is not a framework file (known: {known})"
MSG_UNKNOWN_CRITERION = "{source}: indicator {indicator!r}: {code!r} is not a criterion of {framework}"
MSG_UNKNOWN_SECTOR = "{where}: {sector!r} is not a sector of {framework} (sectors: {codes})"
MSG_NOT_COVERED = "the indicator catalogue does not cover framework {framework!r} (it covers {covered})"

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
    sector: str  # a sector code of every framework the catalogue covers
    # Per framework id, the codes of the criteria the indicator informs, most relevant first.
    criteria: dict[FrameworkId, tuple[CriterionCode, ...]]
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
    # For a percentage: the count indicator (same area and period) it is a percentage of, and what
    # that count is, in words ("new EHC plans issued"). Lines of enquiry caution on a small base.
    base: str | None = None
    base_label: str | None = None

    @model_validator(mode="after")
    def _sources_or_derived(self) -> Indicator:
        if bool(self.sources) == (self.derived is not None):
            raise ValueError("give either 'sources' or 'derived'")
        return self

    @model_validator(mode="after")
    def _base_with_label(self) -> Indicator:
        if (self.base is None) != (self.base_label is None):
            raise ValueError("give 'base' and 'base_label' together")
        if self.base is not None and self.unit != "percent":
            raise ValueError("only a percentage has a base")
        return self

    def primary_criterion(self, framework_id: str) -> str:
        """The criterion a line about this indicator is linked to under a framework."""
        return self.criteria[framework_id][0]

    @property
    def ranked(self) -> bool:
        """Ranks (and quartile bands) only where better and worse mean something."""
        return self.polarity != "neither" and self.unit != "flag"


class Catalogue(_Strict):
    catalogue_version: int
    # The frameworks the indicators inform; the first is used when no inspection names one.
    frameworks: tuple[FrameworkId, ...] = Field(min_length=1)
    groups: dict[str, str]
    datasets: dict[str, Dataset]
    indicators: tuple[Indicator, ...]
    _frameworks: dict[str, Framework] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> Catalogue:
        codes = [i.code for i in self.indicators]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"indicator codes used twice: {', '.join(duplicates)}")
        known = set(codes)
        counts = {i.code for i in self.indicators if i.unit == "count"}
        for ind in self.indicators:
            where = f"indicator {ind.code!r}"
            if ind.group not in self.groups:
                raise ValueError(f"{where}: unknown group {ind.group!r}")
            for framework_id in self.frameworks:
                if not ind.criteria.get(framework_id):
                    raise ValueError(f"{where}: names no criterion of framework {framework_id!r}")
            for framework_id in ind.criteria:
                if framework_id not in self.frameworks:
                    raise ValueError(
                        f"{where}: framework {framework_id!r} is not in the catalogue's frameworks"
                    )
            for src in ind.sources:
                if src.dataset not in self.datasets:
                    raise ValueError(f"{where}: unknown dataset {src.dataset!r}")
            if ind.base is not None and ind.base not in counts:
                raise ValueError(f"{where}: base {ind.base!r} is not a count indicator of the catalogue")
            if ind.derived and ind.derived.of not in known:
                raise ValueError(f"{where}: derived from unknown indicator {ind.derived.of!r}")
            agg = ind.aggregate
            if agg and agg.method == "ratio":
                for part in (agg.numerator, agg.denominator):
                    if part not in known:
                        raise ValueError(f"{where}: ratio uses unknown indicator {part!r}")
        return self

    def check_against(self, frameworks: Mapping[str, Framework], source: str) -> None:
        """Every framework, criterion code and sector named here exists in the framework files."""
        for framework_id in self.frameworks:
            if framework_id not in frameworks:
                raise CatalogueError(
                    MSG_UNKNOWN_FRAMEWORK.format(
                        source=source, framework=framework_id, known=", ".join(frameworks)
                    )
                )
            self._frameworks[framework_id] = frameworks[framework_id]
        for ind in self.indicators:
            for framework_id, codes in ind.criteria.items():
                framework = frameworks[framework_id]
                for code in codes:
                    if framework.node(code) is None:
                        raise CatalogueError(
                            MSG_UNKNOWN_CRITERION.format(
                                source=source, indicator=ind.code, code=code, framework=framework_id
                            )
                        )
            check_sector(self, ind.sector, f"{source}: indicator {ind.code!r}")

    def framework(self, framework_id: str) -> Framework:
        """A framework the catalogue covers (raises CatalogueError for any other)."""
        if framework_id not in self._frameworks:
            raise CatalogueError(
                MSG_NOT_COVERED.format(framework=framework_id, covered=", ".join(self.frameworks))
            )
        return self._frameworks[framework_id]

    @property
    def default_framework(self) -> str:
        return self.frameworks[0]

    def sector_label(self, framework_id: str, code: str) -> str:
        term = self.framework(framework_id).term("sector", code)
        return term.label if term is not None else code

    def criterion_text(self, framework_id: str, code: str) -> str:
        node = self.framework(framework_id).node(code)
        return node.text if node is not None else ""

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


def check_sector(catalogue: Catalogue, sector: str, where: str) -> None:
    """A sector code must be a sector of every framework the catalogue covers."""
    for framework_id in catalogue.frameworks:
        codes = [t.code for t in catalogue.framework(framework_id).vocabulary("sector")]
        if sector not in codes:
            raise CatalogueError(
                MSG_UNKNOWN_SECTOR.format(
                    where=where, sector=sector, framework=framework_id, codes=", ".join(codes)
                )
            )


def load_catalogue(
    path: Path = CATALOGUE_PATH, frameworks: Mapping[str, Framework] | None = None
) -> Catalogue:
    """Read and validate a catalogue file, and check it against the framework files (the shipped ones
    unless ``frameworks`` is given). Raises CatalogueError naming the file and the problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path.name}: cannot read: {exc}") from exc
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise CatalogueError(_describe(path, raw, exc)) from exc
    if frameworks is None:
        try:
            frameworks = shipped_frameworks()
        except FrameworkFileError as exc:
            raise CatalogueError(f"{path.name}: the framework files cannot be read: {exc}") from exc
    catalogue.check_against(frameworks, path.name)
    return catalogue


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
