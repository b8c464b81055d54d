"""The pre-inspection data pack: one area's figures against England, its region and its statistical
neighbours, with lines of enquiry.

    build_pack("E10000012")            # Essex, latest period of every indicator
    build_pack("E08000016", period=2023)  # Barnsley's old code resolves to E08000038
    build_all_packs()                   # all 153 live areas, loading the raw files once

A pack is made for one framework (the criteria its lines of enquiry name; by default the catalogue's
first framework) and is plain JSON-ready data:
    {area, period, framework, caution, indicators: [{code, period, value, england, region,
     neighbours_mean, rank, of, quartile, trend, missing_reason, criteria, …}], lines_of_enquiry:
     [{text, framework, criterion, criterion_text, sector, evidence, score, cautions, …}],
     lines_withheld, lines_left_out, score_definition, sources, catalogue_version, rules_version}
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, Indicator
from .comparisons import RANK_CAUTION, ComparisonRow, build_comparisons, fetch_comparisons
from .enquiry import RuleSet, default_rules, lines_of_enquiry, rules_for
from .formatting import parse_period, period_label
from .ingest import RAW_DIR, StatsDatabase, load_database
from .proposals import Proposal, propose
from .register import Area, AreaRegister

PACK_SCHEMA = "areasend.datapack/1"
NO_PERIOD_REASON = "no figures published for this period or earlier"
ROUND_TO = 6


def _round(value: float | None) -> float | None:
    if value is None:
        return None
    rounded = round(value, ROUND_TO)
    return 0.0 if rounded == 0 else rounded


class DataPackBuilder:
    """Builds packs from comparison rows: from DuckDB in the product (`from_database`), or from any
    engine that produces the same rows (the benchmark's pandas implementation)."""

    def __init__(
        self,
        catalogue: Catalogue,
        register: AreaRegister,
        rows: Iterable[ComparisonRow],
        rules: RuleSet | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.register = register
        self.rules = rules or default_rules()
        self._rows: dict[str, dict[str, list[ComparisonRow]]] = {}
        for code, area_rows in groupby(
            sorted(rows, key=lambda r: (r.ons_code, r.indicator, r.year)), key=lambda r: r.ons_code
        ):
            by_indicator: dict[str, list[ComparisonRow]] = {}
            for row in area_rows:
                by_indicator.setdefault(row.indicator, []).append(row)
            self._rows[code] = by_indicator
        self.visible: list[Indicator] = [i for i in self.catalogue.indicators if not i.hidden]

    @classmethod
    def from_database(cls, db: StatsDatabase, rules: RuleSet | None = None) -> DataPackBuilder:
        build_comparisons(db)
        return cls(db.catalogue, db.register, fetch_comparisons(db), rules)

    def pack(
        self,
        ons_code: str,
        period: int | str | None = None,
        previous_weaknesses: Sequence[str] = (),
        framework_id: str | None = None,
        rules_version: int | None = None,
    ) -> dict[str, Any]:
        """One area's pack, its lines linked to the criteria of ``framework_id`` (CatalogueError when
        the catalogue does not cover it) and made by the rule set ``rules_version`` (the builder's,
        the latest unless it was given others; CatalogueError for a version there is not)."""
        rules = self.rules if rules_version is None else rules_for(rules_version)
        area = self.register.resolve(ons_code)
        year = parse_period(period) if period is not None else None
        framework_id = framework_id or self.catalogue.default_framework
        self.catalogue.framework(framework_id)
        series = self._rows.get(area.ons_code, {})
        entries = [self._entry(ind, series, year, framework_id) for ind in self.visible]
        if rules.settings is not None:
            proposal = propose(
                entries,
                area_name=area.name,
                previous_weaknesses=previous_weaknesses,
                catalogue=self.catalogue,
                rules=rules,
                framework_id=framework_id,
            )
        else:
            proposal = Proposal(
                lines_of_enquiry(
                    entries,
                    area_name=area.name,
                    previous_weaknesses=previous_weaknesses,
                    catalogue=self.catalogue,
                    rules=rules,
                    framework_id=framework_id,
                )
            )
        return {
            "schema": PACK_SCHEMA,
            "area": self._area(area, ons_code),
            "period": str(period) if period is not None else None,
            "framework": framework_id,
            "catalogue_version": self.catalogue.catalogue_version,
            "rules_version": rules.rules_version,
            "caution": RANK_CAUTION,
            "indicators": entries,
            "lines_of_enquiry": proposal.lines,
            # Rule sets from version 3: figures withheld as untrustworthy (in words), how many lines
            # the cap left out, and the score in words.
            "lines_withheld": proposal.withheld,
            "lines_left_out": proposal.left_out,
            "score_definition": proposal.score_definition,
            "sources": self._sources(),
        }

    def all_packs(
        self, period: int | str | None = None, rules_version: int | None = None
    ) -> dict[str, dict[str, Any]]:
        return {
            area.ons_code: self.pack(area.ons_code, period, rules_version=rules_version)
            for area in self.register.live
        }

    def _area(self, area: Area, requested: str) -> dict[str, Any]:
        return {
            "ons_code": area.ons_code,
            "requested_code": requested.strip().upper(),
            "la_number": area.la_number,
            "name": area.name,
            "la_type": area.la_type,
            "region_code": area.region_code,
            "region_name": area.region_name,
            "neighbours": [
                {
                    "ons_code": n.ons_code,
                    "la_number": n.la_number,
                    "name": n.name,
                    "rank": n.rank,
                    "closeness": n.closeness,
                }
                for n in self.register.neighbours.get(area.ons_code, [])
            ],
        }

    def _entry(
        self, ind: Indicator, series: dict[str, list[ComparisonRow]], year: int | None, framework_id: str
    ) -> dict[str, Any]:
        rows = series.get(ind.code, [])
        eligible = [r for r in rows if year is None or r.year <= year]
        chosen = eligible[-1] if eligible else None
        entry: dict[str, Any] = {
            "code": ind.code,
            "title": ind.title,
            "group": ind.group,
            "unit": ind.unit,
            "polarity": ind.polarity,
            "sector": ind.sector,
            "criteria": list(ind.criteria[framework_id]),
            "decimals": ind.decimals,
            "period_type": ind.period_type,
            "period": None,
            "year": None,
            "value": None,
            "england": None,
            "region": None,
            "neighbours_mean": None,
            "neighbours_n": 0,
            "rank": None,
            "of": None,
            "quartile": None,
            "change_1y": None,
            "change_3y": None,
            "trend": None,
            "missing_reason": NO_PERIOD_REASON,
            "source": ind.source,
            "link": ind.link,
            "history": [self._point(ind, r) for r in eligible],
            "base": None,
            "base_label": ind.base_label,
            "england_change_1y": None,
            "england_change_3y": None,
        }
        if chosen is not None:
            entry.update(
                period=period_label(ind.period_type, chosen.year),
                year=chosen.year,
                value=_round(chosen.value),
                england=_round(chosen.england),
                region=_round(chosen.region),
                neighbours_mean=_round(chosen.neighbours_mean),
                neighbours_n=chosen.neighbours_n,
                rank=chosen.rank,
                of=chosen.of,
                quartile=chosen.quartile,
                change_1y=_round(chosen.change_1y),
                change_3y=_round(chosen.change_3y),
                trend=chosen.trend,
                missing_reason=chosen.missing_reason,
            )
            entry.update(_england_changes(rows, chosen))
            if ind.base is not None:
                base_row = next((r for r in series.get(ind.base, []) if r.year == chosen.year), None)
                entry["base"] = _round(base_row.value) if base_row is not None else None
        return entry

    @staticmethod
    def _point(ind: Indicator, row: ComparisonRow) -> dict[str, Any]:
        return {
            "period": period_label(ind.period_type, row.year),
            "year": row.year,
            "value": _round(row.value),
            "england": _round(row.england),
            "region": _round(row.region),
            "neighbours_mean": _round(row.neighbours_mean),
            "missing_reason": row.missing_reason,
        }

    def _sources(self) -> list[dict[str, str]]:
        used = {src.dataset for ind in self.catalogue.indicators for src in ind.sources}
        return [
            {"dataset": name, "title": ds.title, "publisher": ds.publisher, "link": ds.link, "file": ds.path}
            for name, ds in self.catalogue.datasets.items()
            if name in used
        ]


def _england_changes(rows: list[ComparisonRow], chosen: ComparisonRow) -> dict[str, float | None]:
    """England's change over the same years as the area's (none where the area has none: a series
    break, or no figure for the area then)."""
    england = {r.year: r.england for r in rows}
    found: dict[str, float | None] = {}
    for years, change in ((1, chosen.change_1y), (3, chosen.change_3y)):
        then = england.get(chosen.year - years)
        known = change is not None and chosen.england is not None and then is not None
        found[f"england_change_{years}y"] = _round(chosen.england - then) if known else None  # type: ignore[operator]
    return found


_lock = threading.Lock()
_default: DataPackBuilder | None = None


def default_builder() -> DataPackBuilder:
    """The builder over the shipped raw files, loaded once per process."""
    global _default
    with _lock:
        if _default is None:
            db = load_database(RAW_DIR)
            try:
                _default = DataPackBuilder.from_database(db)
            finally:
                db.close()
        return _default


def build_pack(
    ons_code: str,
    period: int | str | None = None,
    previous_weaknesses: Sequence[str] = (),
    framework_id: str | None = None,
    rules_version: int | None = None,
) -> dict[str, Any]:
    """One area's data pack. Unknown code → UnknownAreaError; bad period → PeriodError."""
    return default_builder().pack(ons_code, period, previous_weaknesses, framework_id, rules_version)


def build_all_packs(
    period: int | str | None = None, raw_dir: Path | str = RAW_DIR
) -> dict[str, dict[str, Any]]:
    """Packs for every live area, keyed by ONS code, from one load of the raw files into DuckDB."""
    db = load_database(raw_dir)
    try:
        return DataPackBuilder.from_database(db).all_packs(period)
    finally:
        db.close()
