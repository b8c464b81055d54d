"""Each national figure's words, read from the framework files (each framework's
``national_history``): what it counts, by which date, on what basis and from which sources; and the
rows each counts. Nothing here knows a regime."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from areasend.areas.successors import SUCCESSORS_SOURCE
from areasend.frameworks.selectors import available_editions, available_frameworks
from areasend.frameworks.words import in_words

if TYPE_CHECKING:  # the schema (pydantic) loads when the history is read, not with the app
    from areasend.domain.frameworks import Framework

from .figure_types import (
    ALL_FRAMEWORKS,
    CONFIDENCE_ORDER,
    DUE,
    ESTIMATE,
    HISTORY_RECORD,
    PUBLICATION,
    RULE,
    START,
    Count,
    Part,
    Words,
    published,
    started,
)
from .models import PublishedInspection


def latest_frameworks() -> list[Framework]:
    """The latest edition of every framework, loaded or shipped, in the order the frameworks came into
    force (their first editions)."""
    found = available_frameworks()
    spans = framework_spans()
    return sorted(found.values(), key=lambda f: (spans[f.id][0], f.id))


def framework_spans() -> dict[str, tuple[date, date | None]]:
    """When each framework was in force, across its editions: its first day, and its last (or None)."""
    return {
        key: (chain[0].in_force_from, chain[-1].in_force_to) for key, chain in available_editions().items()
    }


def unique(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for group in groups for s in group))


def weakest(*values: str | None) -> str | None:
    given = [v for v in values if v in CONFIDENCE_ORDER]
    return min(given, key=CONFIDENCE_ORDER.index) if given else None


def name_of(fw: Framework) -> str:
    return fw.short_title or fw.title


def part_of(name: str, label: str) -> str:
    """A national figure's label for one framework's part of it, as the framework's own figures read."""
    return f"{name}: {label[0].lower()}{label[1:]}"


# -- the figures every framework adds to --------------------------------------------------------------


def national_words(labels: dict[str, str]) -> dict[str, Words]:
    common: dict[str, Any] = {"framework_id": None, "framework": ALL_FRAMEWORKS, "sources": (HISTORY_RECORD,)}
    return {
        "areas_inspected": Words(
            key="areas_inspected",
            label=labels["areas_inspected"],
            unit="areas",
            counts="Current local areas with at least one full inspection, under any framework, "
            "started by the date. Each area is counted once, however many inspections it had; an "
            "inspection of an area since reorganised counts for the current area that replaced it "
            "(for an area that split, the successor holding most of it), so no more areas are "
            "counted than the register's current areas.",
            dated_by=START,
            basis=ESTIMATE,
            basis_text="Counted from the areas the rows are recorded against, each former area mapped "
            "to its successor as the register records the reorganisation.",
            framework_id=None,
            framework=ALL_FRAMEWORKS,
            sources=(HISTORY_RECORD, SUCCESSORS_SOURCE),
        ),
        "inspections_started": Words(
            key="inspections_started",
            label=labels["inspections_started"],
            unit="inspections",
            counts="Full inspections, under any framework, started by the date.",
            dated_by=START,
            basis=ESTIMATE,
            basis_text="Counted from the rows as recorded; where a start date is not recorded, the "
            "date of publication stands in for it.",
            **common,
        ),
        "reports_published": Words(
            key="reports_published",
            label=labels["reports_published"],
            unit="reports",
            counts="Reports of full inspections, under any framework, published by the date.",
            dated_by=PUBLICATION,
            basis=ESTIMATE,
            basis_text="Counted from the rows as recorded, with their dates of publication.",
            **common,
        ),
        "next_inspections_due": Words(
            key="next_inspections_due",
            label=labels["next_inspections_due"],
            unit="areas",
            counts="Areas whose latest full inspection report published by the date gives a next full "
            "inspection due in the twelve months after the date.",
            dated_by=DUE,
            basis=ESTIMATE,
            basis_text="The date recorded with the report: taken from the report, or worked out from "
            "its outcome and the framework's interval to the next full inspection.",
            **common,
        ),
        "scraped_rows_counted": Words(
            key="scraped_rows_counted",
            label=labels["scraped_rows_counted"],
            unit="rows",
            counts="Rows of the history (full inspections and visits) started by the date that were "
            "scraped from published reports rather than taken from official statistics.",
            dated_by=START,
            basis=ESTIMATE,
            basis_text="Rows read from the text of published reports: check them before relying on them.",
            **common,
        ),
    }


def shares(
    fw: Framework, mine: list[PublishedInspection], labels: dict[str, str]
) -> list[tuple[Words, Count]]:
    """A framework's part of the national counts of full inspections (not printed by `areasend stats`)."""
    name = name_of(fw)
    full = [r for r in mine if r.is_full]
    common: dict[str, Any] = {"framework_id": fw.id, "framework": name, "in_stats": False, "basis": ESTIMATE}
    return [
        (
            Words(
                key="inspections_started",
                label=part_of(name, labels["inspections_started"]),
                unit="inspections",
                counts=f"Full inspections under the {name} framework started by the date.",
                dated_by=START,
                basis_text="Counted from the rows as recorded; where a start date is not recorded, the "
                "date of publication stands in for it.",
                sources=(HISTORY_RECORD,),
                **common,
            ),
            Count(full, started),
        ),
        (
            Words(
                key="reports_published",
                label=part_of(name, labels["reports_published"]),
                unit="reports",
                counts=f"Reports of full inspections under the {name} framework published by the date.",
                dated_by=PUBLICATION,
                basis_text="Counted from the rows as recorded, with their dates of publication.",
                sources=(HISTORY_RECORD,),
                **common,
            ),
            Count(full, published),
        ),
    ]


# -- the figures each framework's file names ----------------------------------------------------------


def framework_figures(
    fw: Framework, mine: list[PublishedInspection], labels: dict[str, str]
) -> list[tuple[Words, Count]]:
    """The figures a framework's ``national_history`` names, with the rows each counts."""
    from areasend.domain.timeline import describe_conditions  # with the schema, when figures are read

    history = fw.national_history
    if history is None:
        return []
    name = name_of(fw)
    common: dict[str, Any] = {"framework_id": fw.id, "framework": name}
    full = [r for r in mine if r.is_full]
    found: list[tuple[Words, Count]] = []
    for entry in history.documents:
        document = fw.document(entry.document)
        title = document.title if document else entry.document
        when = in_words(fw, describe_conditions(document.required_when)) if document else ""
        required = [r for r in full if entry.document in (r.documents_required or ())]
        found.append(
            (
                Words(
                    key=entry.figure,
                    label=labels[entry.figure],
                    unit="reports",
                    counts=f"Reports of full inspections under the {name} framework published by the "
                    f"date whose outcome requires a {title}"
                    + (f" (the framework requires one {when})." if when else "."),
                    dated_by=PUBLICATION,
                    basis=RULE,
                    basis_text=f"Which outcomes require a {title} is a rule of the framework file, "
                    "from its sources; each report is counted by its recorded outcome.",
                    sources=unique(document.source if document else (), history.source),
                    confidence=weakest(document.confidence if document else None, history.confidence),
                    **common,
                ),
                Count(required, published),
            )
        )
    for visit in history.visits:
        spec = fw.visit(visit.visit)
        title = spec.title if spec else visit.visit
        visits = [r for r in mine if r.kind == visit.visit]
        found.append(
            (
                Words(
                    key=visit.figure,
                    label=labels[visit.figure],
                    unit="visits",
                    counts=f"{title}s under the {name} framework started by the date.",
                    dated_by=START,
                    basis=ESTIMATE,
                    basis_text="Counted from the visits as recorded; where a start date is not recorded, "
                    "the date of publication stands in for it.",
                    sources=unique(history.source),
                    confidence=history.confidence,
                    **common,
                ),
                Count(visits, started),
            )
        )
        scale = (
            next((s for s in spec.judgement_scales if s.key == visit.result_scale), None) if spec else None
        )
        if visit.results_figure is None or scale is None:
            continue
        names = {o.key: visit.result_names.get(o.key, o.key) for o in scale.options}
        found.append(
            (
                Words(
                    key=visit.results_figure,
                    label=labels[visit.results_figure],
                    unit="visits",
                    counts=f"{title}s under the {name} framework published by the date, by their "
                    f"result ({scale.label}).",
                    dated_by=PUBLICATION,
                    basis=RULE,
                    basis_text=f"The results are the framework's own ({scale.label}), from its sources; "
                    "each visit is counted by its recorded result.",
                    sources=unique(spec.source if spec else (), history.source),
                    confidence=weakest(spec.confidence if spec else None, history.confidence),
                    parts=tuple(Part(names[o.key], o.label) for o in scale.options),
                    **common,
                ),
                Count(
                    visits,
                    published,
                    part=lambda r, names=names: names.get(r.visit_result),  # type: ignore[misc]
                    names=tuple(names.values()),
                ),
            )
        )
    if history.outcomes is not None:
        numbers = {o.key: str(o.number) for o in fw.outcomes}
        found.append(
            (
                Words(
                    key=history.outcomes.figure,
                    label=labels[history.outcomes.figure],
                    unit="reports",
                    counts=f"Reports of full inspections under the {name} framework published by the "
                    "date, by their outcome.",
                    dated_by=PUBLICATION,
                    basis=RULE,
                    basis_text="The outcomes are the framework's own, from its sources; each report is "
                    "counted by its recorded outcome.",
                    sources=unique(*(o.source for o in fw.outcomes), history.source),
                    confidence=weakest(*(o.confidence for o in fw.outcomes), history.confidence),
                    parts=tuple(Part(str(o.number), o.label) for o in fw.outcomes),
                    **common,
                ),
                Count(
                    full,
                    published,
                    part=lambda r, numbers=numbers: numbers.get(r.outcome_key),  # type: ignore[misc]
                    names=tuple(numbers.values()),
                ),
            )
        )
        if history.outcomes.unknown_figure is not None:
            found.append(
                (
                    Words(
                        key=history.outcomes.unknown_figure,
                        label=labels[history.outcomes.unknown_figure],
                        unit="reports",
                        counts=f"Reports of full inspections under the {name} framework published by "
                        "the date whose outcome is not recorded.",
                        dated_by=PUBLICATION,
                        basis=ESTIMATE,
                        basis_text="Reports whose outcome could not be read from the record.",
                        sources=(HISTORY_RECORD,),
                        **common,
                    ),
                    Count([r for r in full if not r.outcome_key], published),
                )
            )
    return found


def figure_labels(frameworks: Sequence[Framework] | None = None) -> dict[str, str]:
    """What each national figure counts, in the words of the framework files (for `areasend stats`)."""
    labels = {
        "as_of": "As of",
        "areas_inspected": "Areas with a full inspection started",
        "inspections_started": "Full inspections started",
        "reports_published": "Full inspection reports published",
        "next_inspections_due": "Areas whose next full inspection is due in the next twelve months",
        "scraped_rows_counted": "Rows from scraped reports counted (less reliable)",
    }
    for fw in latest_frameworks() if frameworks is None else frameworks:
        history = fw.national_history
        if history is None:
            continue
        name = name_of(fw)
        if history.outcomes is not None:
            labels.setdefault(history.outcomes.figure, f"{name}: published reports by outcome")
            if history.outcomes.unknown_figure is not None:
                labels.setdefault(
                    history.outcomes.unknown_figure,
                    f"{name}: published reports whose outcome is not recorded",
                )
        for entry in history.documents:
            document = fw.document(entry.document)
            title = document.title if document else entry.document
            labels.setdefault(entry.figure, f"{name}: published reports requiring a {title}")
        for visit in history.visits:
            spec = fw.visit(visit.visit)
            title = spec.title if spec else visit.visit
            labels.setdefault(visit.figure, f"{name}: {title.lower()}s started")
            if visit.results_figure is not None:
                labels.setdefault(visit.results_figure, f"{name}: published {title.lower()}s by result")
    return labels
