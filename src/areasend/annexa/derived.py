"""What the profile and the case sample read from each row: age band, need, phase, setting
group, social care, suspensions, exclusions and absence, as codes with the words pages show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .checks import age_on, is_yes, parse_date, percentage
from .reading import AnnexAList
from .schema import age_bands, match_key, vocabularies, yes_no_words

NOT_KNOWN = "not_known"
NOT_KNOWN_LABEL = "Not known or not recognised"


@dataclass(frozen=True, slots=True)
class Child:
    """One row as the profile and the sample see it (no identifier beyond the row number)."""

    row: int
    age: int | None
    age_band: str
    need: str
    phase: str
    setting: str
    social_care: str  # yes, no or not_known
    social_care_team: str | None
    suspensions: int | None
    exclusions: int | None
    absence: float | None
    plan_issued: dt.date | None


def band_of(age: int | None) -> str:
    if age is None:
        return NOT_KNOWN
    for band in age_bands():
        if band.min <= age <= band.max:
            return band.code
    return NOT_KNOWN


def yes_no(value: str | None) -> str:
    if value is None:
        return NOT_KNOWN
    if is_yes(value):
        return "yes"
    return "no" if value.lower() in yes_no_words()[1] else NOT_KNOWN


def _count(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def children(annex_list: AnnexAList, reference_date: dt.date) -> list[Child]:
    needs, phases = vocabularies()["needs"].lookup, vocabularies()["phases"].lookup
    c = annex_list.columns
    n = len(annex_list)
    blank: list[str | None] = [None] * n
    plan = c.get("plan_issued", blank)
    found = []
    for i, row in enumerate(annex_list.rows):
        age = age_on(parse_date(c["date_of_birth"][i]), reference_date)
        need_value, phase_value = c["primary_need"][i], c["main_phase"][i]
        need = needs.get(match_key(need_value)) if need_value else None
        phase = phases.get(match_key(phase_value)) if phase_value else None
        found.append(
            Child(
                row=row,
                age=age,
                age_band=band_of(age),
                need=need.code if need else NOT_KNOWN,
                phase=phase.code if phase else NOT_KNOWN,
                setting=phase.group if phase else NOT_KNOWN,
                social_care=yes_no(c["social_care"][i]),
                social_care_team=c["social_care_team"][i],
                suspensions=_count(c["suspensions"][i]),
                exclusions=_count(c["permanent_exclusions"][i]),
                absence=percentage(c["absence"][i]),
                plan_issued=parse_date(plan[i]),
            )
        )
    return found


def labels(dimension: str) -> dict[str, str]:
    """code -> words, for one of the dimensions children are grouped on."""
    if dimension == "age_band":
        return {b.code: b.label for b in age_bands()} | {NOT_KNOWN: NOT_KNOWN_LABEL}
    if dimension == "need":
        return {t.code: t.label for t in vocabularies()["needs"].terms} | {NOT_KNOWN: NOT_KNOWN_LABEL}
    if dimension == "phase":
        return {t.code: t.label for t in vocabularies()["phases"].terms} | {NOT_KNOWN: NOT_KNOWN_LABEL}
    if dimension == "setting":
        return dict(vocabularies()["phases"].groups) | {NOT_KNOWN: NOT_KNOWN_LABEL}
    if dimension == "social_care":
        return {"yes": "Known to children's social care", "no": "Not known to children's social care",
                NOT_KNOWN: "Not recorded"}  # fmt: skip
    raise KeyError(dimension)
