"""Case sampling: a suggestion of up to six children whose experience inspectors track, chosen to
cover the list's age bands, needs, settings (alternative provision, further education and post-16
first) and social care, with the reason for each pick in words; and thematic samples drawn the
same way from the children a theme selects (themes.yaml).

Pure and reproducible: the same list, date and seed give the same picks. The greedy choice takes,
at each step, the children who cover the most of what the sample does not yet cover (settings to
cover and social care count most, then age bands, then needs by how common they are), and draws
among equals with the seeded generator. Rows with errors can be left out (``exclude_rows``); an
inspector may swap any child (``swap``).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .derived import NOT_KNOWN, Child, children, labels
from .reading import AnnexAList
from .schema import DATA_DIR

Stratum = tuple[str, str]  # (dimension, code)


@dataclass(frozen=True)
class Pick:
    row: int
    covers: tuple[Stratum, ...]
    rationale: str


@dataclass(frozen=True)
class Sample:
    seed: int
    theme: str | None
    candidates: int
    picks: tuple[Pick, ...]
    not_covered: tuple[str, ...]  # what the list has but the sample could not include, in words

    @property
    def rows(self) -> list[int]:
        return [p.row for p in self.picks]

    def as_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "theme": self.theme,
            "candidates": self.candidates,
            "picks": [{"row": p.row, "rationale": p.rationale} for p in self.picks],
            "not_covered": list(self.not_covered),
        }


@functools.cache
def design() -> dict[str, Any]:
    with (DATA_DIR / "themes.yaml").open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def themes() -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in design()["themes"]}


def _words(stratum: Stratum) -> str:
    dimension, code = stratum
    if dimension == "social_care":
        return "known to children's social care"
    text = labels(dimension).get(code, code)
    if dimension == "need":
        return f"primary need {text.lower()}"
    if dimension == "age_band":
        return text.lower()
    return f"setting: {text.lower()}" if dimension == "setting" else text


def _strata(child: Child) -> tuple[Stratum, ...]:
    found: list[Stratum] = []
    if child.age_band != NOT_KNOWN:
        found.append(("age_band", child.age_band))
    if child.need != NOT_KNOWN:
        found.append(("need", child.need))
    if child.setting != NOT_KNOWN:
        found.append(("setting", child.setting))
    if child.social_care == "yes":
        found.append(("social_care", "yes"))
    return tuple(found)


def _weights(pool: list[Child]) -> dict[Stratum, float]:
    """How much covering each stratum present in the pool is worth."""
    to_cover = design()["settings_to_cover"]
    present = Counter(s for c in pool for s in _strata(c))
    weights: dict[Stratum, float] = {}
    needs = [s for s, _ in present.most_common() if s[0] == "need"]
    for stratum in present:
        dimension, code = stratum
        if dimension == "setting":
            weights[stratum] = 8.0 if code in to_cover else 1.0
        elif dimension == "social_care":
            weights[stratum] = 8.0
        elif dimension == "age_band":
            weights[stratum] = 4.0
        else:  # needs: the most common first
            weights[stratum] = 2.0 + 1.0 / (1 + needs.index(stratum))
    return weights


def _choose(pool: list[Child], size: int, seed: int) -> tuple[list[Pick], list[Stratum]]:
    rng = random.Random(seed)
    weights = _weights(pool)
    by_strata: dict[tuple[Stratum, ...], list[Child]] = {}
    for child in pool:
        by_strata.setdefault(_strata(child), []).append(child)
    covered: set[Stratum] = set()
    picks: list[Pick] = []
    for _ in range(min(size, len(pool))):

        def score(key: tuple[Stratum, ...]) -> float:
            return sum(weights[s] for s in key if s not in covered)

        open_keys = [k for k, rows in by_strata.items() if rows]
        best = max(score(k) for k in open_keys)
        key = rng.choice([k for k in open_keys if score(k) == best])
        group = by_strata[key]
        child = group.pop(rng.randrange(len(group)))
        new = tuple(s for s in key if s not in covered)
        covered.update(key)
        picks.append(Pick(child.row, key, _rationale(key, new)))
    missing = sorted((s for s in weights if s not in covered), key=lambda s: -weights[s])
    return picks, missing


def _rationale(key: tuple[Stratum, ...], new: tuple[Stratum, ...]) -> str:
    about = "; ".join(_words(s) for s in key) or "no age, need or setting recorded"
    if not new:
        return f"{about[0].upper()}{about[1:]}. Adds no group the sample lacked: picked at random among the rest."
    return f"{about[0].upper()}{about[1:]}. Picked to include {', '.join(_words(s) for s in new)}."


def suggest_sample(
    annex_list: AnnexAList,
    *,
    reference_date: dt.date,
    seed: int,
    size: int | None = None,
    exclude_rows: Collection[int] = (),
) -> Sample:
    pool = [c for c in children(annex_list, reference_date) if c.row not in exclude_rows]
    return _sample(pool, seed, size, None)


def thematic_sample(
    annex_list: AnnexAList,
    theme: str,
    *,
    reference_date: dt.date,
    seed: int,
    size: int | None = None,
    exclude_rows: Collection[int] = (),
) -> Sample:
    spec = themes()[theme]
    if annex_list.number not in spec.get("lists", (1, 2)):
        raise ValueError(f"the theme {spec['label']!r} does not apply to List {annex_list.number}")
    pool = [
        c
        for c in children(annex_list, reference_date)
        if c.row not in exclude_rows and _in_theme(c, spec, reference_date)
    ]
    return _sample(pool, seed, size, theme)


def _in_theme(child: Child, spec: Mapping[str, Any], reference_date: dt.date) -> bool:
    if "age_bands" in spec and child.age_band not in spec["age_bands"]:
        return False
    if "settings" in spec and child.setting not in spec["settings"]:
        return False
    if "social_care" in spec and child.social_care not in spec["social_care"]:
        return False
    if spec.get("suspended_or_excluded") and not (
        (child.suspensions or 0) > 0 or (child.exclusions or 0) > 0
    ):
        return False
    days = spec.get("plan_issued_within_days")
    if days is not None:
        issued = child.plan_issued
        if issued is None or not 0 <= (reference_date - issued).days <= int(days):
            return False
    return True


def _sample(pool: list[Child], seed: int, size: int | None, theme: str | None) -> Sample:
    picks, missing = _choose(pool, size or int(design()["size"]), seed)
    return Sample(seed, theme, len(pool), tuple(picks), tuple(_words(s) for s in missing))


def swap(sample: Sample, out_row: int, in_row: int, reason: str) -> Sample:
    """The sample with one child swapped for another, the inspector's reason recorded."""
    if out_row not in sample.rows:
        raise ValueError(f"row {out_row} is not in the sample")
    if in_row in sample.rows:
        raise ValueError(f"row {in_row} is already in the sample")
    if not reason.strip():
        raise ValueError("give the reason for the swap")
    picks = tuple(
        Pick(in_row, (), f"Swapped in by an inspector: {reason.strip()}") if p.row == out_row else p
        for p in sample.picks
    )
    return Sample(sample.seed, sample.theme, sample.candidates, picks, sample.not_covered)
