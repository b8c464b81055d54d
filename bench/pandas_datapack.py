"""A straightforward pandas implementation of the data-pack comparisons, for the benchmark.

It reads the same raw files and the same catalogue as the DuckDB implementation
(areasend.analytics.ingest / comparisons) and must give the same rows; bench/datapack_bench.py
asserts that. Written independently: only the catalogue, the area register and the MoJ header
parser (pure Python) are shared. pandas is a development dependency, so this lives under bench/.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from areasend.analytics.catalogue import BLANK_REASON, NO_ROW_REASON, Catalogue
from areasend.analytics.comparisons import EPSILON, QUARTILE_BANDS, ComparisonRow
from areasend.analytics.errors import IngestError
from areasend.analytics.register import ENGLAND_CODE, AreaRegister
from areasend.analytics.sources import (
    FORMATTED_NUMBER,
    PLAIN_NUMBER,
    TRIBUNAL_HEADER_ROWS,
    parse_tribunal_header,
)

EES_LEVELS = {"National": "england", "Regional": "region", "Local authority": "la"}


def _read(path: Path, **kwargs: object) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs)


def _cells(raw_dir: Path, catalogue: Catalogue, register: AreaRegister) -> pd.DataFrame:
    la_lookup = {number: area.ons_code for number, area in register.live_by_la_number.items()}
    region_by_name = {name.lower(): code for code, name in register.regions.items()}
    used = catalogue.used_columns()
    frames = []
    for name, ds in catalogue.datasets.items():
        cols = used[name]
        if not cols:
            continue
        path = raw_dir / ds.path
        if ds.layout == "ees":
            df = _read(path)
            for key, value in ds.filter.items():
                df = df[df[key] == value]
            df = df[df["geographic_level"].isin(EES_LEVELS)]
            level = df["geographic_level"].map(EES_LEVELS)
            geo = np.where(
                level == "england",
                ENGLAND_CODE,
                np.where(level == "region", df["region_code"], df["old_la_code"].str.strip().map(la_lookup)),
            )
            period = df["time_period"].str.strip()
            year = np.where(period.str.len() == 6, period.str[:4].astype(int) + 1, period.astype(int))
            frame = pd.DataFrame({"geo_level": level, "geo": geo, "year": year})
            frame[cols] = df[cols]
        elif ds.layout == "lait_wide":
            df = _read(path)
            df = df[df["years"].str.fullmatch(r"[0-9]{4}")]
            number = df["la_number"].astype(int)
            region = df["la_or_region_name"].str.strip().str.lower().map(region_by_name).where(number >= 980)
            level = np.where(df["la_number"] == "970", "england", np.where(region.notna(), "region", "la"))
            geo = np.where(
                level == "england",
                ENGLAND_CODE,
                np.where(level == "region", region, df["la_number"].map(la_lookup)),
            )
            frame = pd.DataFrame({"geo_level": level, "geo": geo, "year": df["years"].astype(int)})
            frame[cols] = df[cols]
        else:
            layout = parse_tribunal_header(path, ds.path)
            df = _read(path, header=None, skiprows=TRIBUNAL_HEADER_ROWS)
            code = df[1].str.strip()
            is_la = code.str.fullmatch(r"[0-9]{3}")
            keep = is_la | df[0].str.startswith("England Total")
            df, is_la, code = df[keep], is_la[keep], code[keep]
            parts = []
            for index, (year, measure) in layout.columns.items():
                if measure not in cols:
                    continue
                parts.append(
                    pd.DataFrame(
                        {
                            "geo_level": np.where(is_la, "la", "england"),
                            "geo": np.where(is_la, code.map(la_lookup), ENGLAND_CODE),
                            "year": year,
                            "col": measure,
                            "raw": df[index],
                        }
                    )
                )
            long = pd.concat(parts, ignore_index=True)
            long["dataset"] = name
            frames.append(long[long["geo"].notna()])
            continue
        long = frame.melt(id_vars=["geo_level", "geo", "year"], var_name="col", value_name="raw")
        long["dataset"] = name
        frames.append(long[long["geo"].notna()])
    return pd.concat(frames, ignore_index=True)


def load_observations(raw_dir: Path, catalogue: Catalogue, register: AreaRegister) -> pd.DataFrame:
    cells = _cells(raw_dir, catalogue, register)
    cells["text"] = cells["raw"].str.strip()
    codes = pd.DataFrame(
        [
            (name, code, value, reason)
            for name, ds in catalogue.datasets.items()
            for code, (value, reason) in ds.codes().items()
        ],
        columns=["dataset", "text", "code_value", "code_reason"],
    )
    codes["is_code"] = True
    cells = cells.merge(codes, on=["dataset", "text"], how="left")
    formatted = cells["dataset"].isin(
        [n for n, d in catalogue.datasets.items() if d.number_format == "formatted"]
    )
    blank = cells["text"] == ""
    is_code = cells["is_code"].fillna(False).astype(bool)
    numeric = ~blank & ~is_code
    pattern_ok = np.where(
        formatted,
        cells["text"].str.fullmatch(FORMATTED_NUMBER),
        cells["text"].str.fullmatch(PLAIN_NUMBER),
    )
    bad = numeric & ~pattern_ok.astype(bool)
    if bad.any():
        first = cells[bad].iloc[0]
        raise IngestError.at(
            catalogue.datasets[first["dataset"]].path, None, first["col"], f"{first['raw']!r} is not a number"
        )
    number = pd.to_numeric(
        cells["text"]
        .where(~formatted, cells["text"].str.replace(r"%$", "", regex=True).str.replace(",", ""))
        .where(numeric),
        errors="coerce",
    )
    cells["value"] = np.where(is_code, cells["code_value"], number)
    cells["value"] = cells["value"].astype(float)
    cells["reason"] = np.where(blank, BLANK_REASON, np.where(is_code, cells["code_reason"], None))

    sources = pd.DataFrame(
        [
            (ind.code, src.dataset, col, rank, src.from_year, src.to_year)
            for ind in catalogue.indicators
            for rank, src in enumerate(ind.sources)
            for col in src.column_list
        ],
        columns=["indicator", "dataset", "col", "source_rank", "from_year", "to_year"],
    )
    sources[["from_year", "to_year"]] = sources[["from_year", "to_year"]].astype(float)
    parsed = cells.merge(sources, on=["dataset", "col"])
    in_years = (parsed["from_year"].isna() | (parsed["year"] >= parsed["from_year"])) & (
        parsed["to_year"].isna() | (parsed["year"] <= parsed["to_year"])
    )
    parsed = parsed[in_years].sort_values("col")
    keys = ["indicator", "source_rank", "dataset", "geo_level", "geo", "year"]
    combined = parsed.groupby(keys, as_index=False).agg(value=("value", "max"), reason=("reason", "first"))
    combined.loc[combined["value"].notna(), "reason"] = None
    combined["no_value"] = combined["value"].isna()
    obs = (
        combined.sort_values(["indicator", "geo_level", "geo", "year", "no_value", "source_rank"])
        .drop_duplicates(["indicator", "geo_level", "geo", "year"], keep="first")
        .drop(columns=["no_value", "source_rank"])
    )
    obs = _fill_aggregates(obs, catalogue, register)
    obs = _add_derived(obs, catalogue)
    return obs.reset_index(drop=True)


def _fill_aggregates(obs: pd.DataFrame, catalogue: Catalogue, register: AreaRegister) -> pd.DataFrame:
    region_of = {a.ons_code: a.region_code for a in register.live}
    added = []
    for ind in catalogue.indicators:
        agg = ind.aggregate
        if agg is None:
            continue
        la = obs[(obs["geo_level"] == "la") & obs["value"].notna() & obs["geo"].isin(region_of)]
        if agg.method == "ratio":
            num = la[la["indicator"] == agg.numerator][["geo", "year", "value"]]
            den = la[la["indicator"] == agg.denominator][["geo", "year", "value"]]
            base = num.merge(den, on=["geo", "year"], suffixes=("_n", "_d"))
        else:
            base = la[la["indicator"] == ind.code][["geo", "year", "value"]]
        base = base.assign(region=base["geo"].map(region_of), england=ENGLAND_CODE)
        for level, key in (("england", "england"), ("region", "region")):
            if agg.method == "ratio":
                sums = base.groupby([key, "year"], as_index=False)[["value_n", "value_d"]].sum()
                sums["value"] = sums["value_n"] / sums["value_d"] * agg.scale
            else:
                sums = base.groupby([key, "year"], as_index=False)["value"].agg(
                    agg.method.replace("mean", "mean")
                )
                sums["value"] = sums["value"] * agg.scale
            sums = sums.rename(columns={key: "geo"})[["geo", "year", "value"]]
            have = obs[(obs["indicator"] == ind.code) & (obs["geo_level"] == level)][["geo", "year"]]
            new = sums.merge(have, on=["geo", "year"], how="left", indicator=True)
            new = new[new["_merge"] == "left_only"].drop(columns="_merge")
            added.append(new.assign(indicator=ind.code, geo_level=level, reason=None, dataset="calculated"))
    return pd.concat([obs, *added], ignore_index=True)


def _add_derived(obs: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    added = []
    for ind in catalogue.indicators:
        if ind.derived is None:
            continue
        base = obs[obs["indicator"] == ind.derived.of]
        first_year = base.loc[base["value"].notna(), "year"].min()
        prev = base[["geo_level", "geo", "year", "value", "reason"]].assign(year=base["year"] + 1)
        cur = base[base["year"] - 1 >= first_year]
        both = cur.merge(prev, on=["geo_level", "geo", "year"], how="left", suffixes=("", "_prev"))
        ok = both["value_prev"].notna() & (both["value_prev"] != 0)
        value = np.where(ok, both["value"] / both["value_prev"].where(ok, 1.0) * 100 - 100, np.nan)
        reason = np.where(
            both["value"].isna(),
            both["reason"],
            np.where(
                both["value_prev"].isna(),
                both["reason_prev"].fillna("no figure for the year before"),
                np.where(both["value_prev"] == 0, "not applicable", None),
            ),
        )
        value = np.where(both["value"].isna(), np.nan, value)
        added.append(
            pd.DataFrame(
                {
                    "indicator": ind.code,
                    "geo_level": both["geo_level"],
                    "geo": both["geo"],
                    "year": both["year"],
                    "value": value,
                    "reason": reason,
                    "dataset": "calculated",
                }
            )
        )
    return pd.concat([obs, *added], ignore_index=True)


def comparisons(obs: pd.DataFrame, catalogue: Catalogue, register: AreaRegister) -> list[ComparisonRow]:
    areas = pd.DataFrame(
        [(a.ons_code, a.region_code) for a in register.live], columns=["ons_code", "region_code"]
    )
    meta = pd.DataFrame(
        [
            (
                i.code,
                i.polarity,
                i.ranked,
                i.trend_threshold.absolute,
                i.trend_threshold.relative,
                i.series_break,
            )
            for i in catalogue.indicators
        ],
        columns=["indicator", "polarity", "ranked", "abs_threshold", "rel_threshold", "series_break"],
    )
    meta[["abs_threshold", "rel_threshold", "series_break"]] = meta[
        ["abs_threshold", "rel_threshold", "series_break"]
    ].astype(float)
    periods = obs.loc[obs["value"].notna(), ["indicator", "year"]].drop_duplicates()
    la_obs = obs[obs["geo_level"] == "la"][["indicator", "year", "geo", "value", "reason"]].rename(
        columns={"geo": "ons_code"}
    )
    grid = periods.merge(areas, how="cross").merge(la_obs, on=["indicator", "year", "ons_code"], how="left")
    grid["missing_reason"] = np.where(grid["value"].isna(), grid["reason"].fillna(NO_ROW_REASON), None)
    grid = grid.merge(meta, on="indicator")

    key = np.where(grid["polarity"] == "higher_is_better", -grid["value"], grid["value"])
    grid["sort_key"] = np.where(grid["ranked"], key, np.nan)
    grid["rank"] = grid.groupby(["indicator", "year"])["sort_key"].rank(method="min")
    grid["of"] = grid.groupby(["indicator", "year"])["sort_key"].transform("count")
    grid.loc[grid["rank"].isna(), "of"] = np.nan
    band = np.ceil(4 * grid["rank"] / grid["of"])
    grid["quartile"] = [QUARTILE_BANDS[int(b) - 1] if not math.isnan(b) else None for b in band]

    links = pd.DataFrame(
        [(code, n.ons_code) for code, items in register.neighbours.items() for n in items],
        columns=["ons_code", "neighbour"],
    )
    values = grid[["indicator", "year", "ons_code", "value"]].rename(columns={"ons_code": "neighbour"})
    means = (
        links.merge(values, on="neighbour")
        .groupby(["ons_code", "indicator", "year"], as_index=False)["value"]
        .agg(neighbours_mean="mean", neighbours_n="count")
    )
    grid = grid.merge(means, on=["ons_code", "indicator", "year"], how="left")

    england = obs[obs["geo_level"] == "england"][["indicator", "year", "value"]].rename(
        columns={"value": "england"}
    )
    region = obs[obs["geo_level"] == "region"][["indicator", "year", "geo", "value"]].rename(
        columns={"geo": "region_code", "value": "region"}
    )
    grid = grid.merge(england, on=["indicator", "year"], how="left")
    grid = grid.merge(region, on=["indicator", "year", "region_code"], how="left")
    for lag in (1, 3):
        past = la_obs[["indicator", "year", "ons_code", "value"]].rename(columns={"value": f"v{lag}"})
        past = past.assign(year=past["year"] + lag)
        grid = grid.merge(past, on=["indicator", "year", "ons_code"], how="left")
        brk = grid["series_break"]
        crosses = brk.notna() & (grid["year"] >= brk) & (grid["year"] - lag < brk)
        grid.loc[crosses, f"v{lag}"] = np.nan
        grid[f"change_{lag}y"] = grid["value"] - grid[f"v{lag}"]

    has3 = grid["v3"].notna()
    basis = np.where(has3, grid["value"] - grid["v3"], grid["value"] - grid["v1"])
    basis_from = np.where(has3, grid["v3"], grid["v1"])
    limit = np.where(
        grid["abs_threshold"].notna(),
        grid["abs_threshold"],
        grid["rel_threshold"] * np.abs(np.nan_to_num(basis_from)),
    )
    up = basis > 0
    better = np.where(grid["polarity"] == "higher_is_better", up, ~up)
    grid["trend"] = np.select(
        [
            np.isnan(basis),
            np.abs(basis) <= limit + EPSILON,
            grid["polarity"] == "neither",
            better,
        ],
        [None, "stable", np.where(up, "increasing", "decreasing"), "improving"],
        default="worsening",
    )
    grid = grid.sort_values(["ons_code", "indicator", "year"])

    def clean(x: object) -> object:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

    rows = []
    for r in grid.itertuples(index=False):
        rows.append(
            ComparisonRow(
                indicator=r.indicator,
                year=int(r.year),
                ons_code=r.ons_code,
                value=clean(r.value),
                missing_reason=clean(r.missing_reason),
                england=clean(r.england),
                region=clean(r.region),
                neighbours_mean=clean(r.neighbours_mean),
                neighbours_n=0 if clean(r.neighbours_n) is None else int(r.neighbours_n),
                rank=None if clean(r.rank) is None else int(r.rank),
                of=None if clean(r.of) is None else int(r.of),
                quartile=clean(r.quartile),
                change_1y=clean(r.change_1y),
                change_3y=clean(r.change_3y),
                trend=clean(r.trend),
            )
        )
    return rows


def pandas_comparisons(raw_dir: Path, catalogue: Catalogue, register: AreaRegister) -> list[ComparisonRow]:
    return comparisons(load_observations(raw_dir, catalogue, register), catalogue, register)
