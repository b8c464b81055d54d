"""Reads for inspection history: an area's history and national figures as of a date.

Nothing here knows a regime: each row is read in its framework's own terms (labels from the file),
and each framework's ``national_history`` names the figures its inspections add to the national
picture (the outcome counts, the reports requiring a document, the visits and their results).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from areasend.areas.models import LocalArea
from areasend.frameworks.selectors import available_frameworks

if TYPE_CHECKING:  # the schema (pydantic) loads when the history is read, not with the app
    from areasend.domain.frameworks import Framework

from .models import PublishedInspection


def history_for_area(*, area: LocalArea) -> list[PublishedInspection]:
    return list(PublishedInspection.objects.filter(area=area).order_by("started_on", "published_on", "kind"))


def _frameworks() -> list[Framework]:
    """The latest version of every framework, loaded or shipped, in the order they came into force."""
    found = available_frameworks()
    return sorted(found.values(), key=lambda f: (f.in_force_from, f.id))


# -- an area's history, in each framework's own words ----------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    record: PublishedInspection
    what: str  # "Full inspection", or the visit's title
    framework: str  # the framework's short title
    outcome: str  # the outcome's label, or the visit's result
    details: list[str] = field(default_factory=list)  # findings, documents, judgements, next dates


def _count(number: int, label: str) -> str:
    return f"{number} {label[0].lower()}{label[1:]}" if label else str(number)


def _full_row(record: PublishedInspection, fw: Framework | None) -> HistoryRow:
    outcome = fw.outcome(record.outcome_key or record.outcome or 0) if fw is not None else None
    details: list[str] = []
    for kind, number in (record.findings or {}).items():
        found = fw.finding_kind(kind) if fw is not None else None
        if number:
            details.append(_count(number, found.label if found else kind))
    if record.next_inspection_by:
        details.append(f"Next full inspection by {record.next_inspection_by:%B %Y}")
    if record.next_visit_by:
        visit = fw.visit(record.next_visit) if fw is not None else None
        title = visit.title if visit else "Follow-up visit"
        details.append(f"{title} by {record.next_visit_by:%B %Y}")
    return HistoryRow(
        record=record,
        what="Full inspection",
        framework=(fw.short_title or fw.title) if fw is not None else record.framework_id,
        outcome=outcome.label if outcome is not None else "Outcome not recorded",
        details=details,
    )


def _visit_row(record: PublishedInspection, fw: Framework | None) -> HistoryRow:
    visit = fw.visit(record.kind) if fw is not None else None
    options = {o.key: o.label for s in (visit.judgement_scales if visit else ()) for o in s.options}
    result = options.get(record.visit_result, record.visit_result) or "Result not recorded"
    judged = [
        f"{number} {options.get(key, key).lower()}" for key, number in (record.judgements or {}).items()
    ]
    return HistoryRow(
        record=record,
        what=visit.title if visit else record.kind.replace("_", " ").capitalize(),
        framework=(fw.short_title or fw.title) if fw is not None else record.framework_id,
        outcome=result,
        details=[", ".join(judged)] if judged else [],
    )


def history_rows_for_area(*, area: LocalArea) -> list[HistoryRow]:
    """An area's published inspections and visits, each described with its framework's labels."""
    records = history_for_area(area=area)
    frameworks = available_frameworks() if records else {}
    return [(_full_row if r.is_full else _visit_row)(r, frameworks.get(r.framework_id)) for r in records]


# -- national figures ------------------------------------------------------------------------------


def _started_by(row: PublishedInspection, as_of: date) -> bool:
    """Started on or before the date; where the start is unknown, published on or before it."""
    if row.started_on is not None:
        return row.started_on <= as_of
    return row.published_on is not None and row.published_on <= as_of


def _published_by(row: PublishedInspection, as_of: date) -> bool:
    return row.published_on is not None and row.published_on <= as_of


def _add(stats: dict[str, Any], key: str, value: Any) -> None:
    """Add a framework's figure to the national one of the same name (two frameworks may share it)."""
    if key not in stats:
        stats[key] = value
    elif isinstance(value, dict):
        for name, number in value.items():
            stats[key][name] = stats[key].get(name, 0) + number
    else:
        stats[key] += value


def _framework_figures(fw: Framework, rows: list[PublishedInspection], as_of: date) -> dict[str, Any]:
    """The figures a framework's ``national_history`` names, counted from its rows."""
    history = fw.national_history
    if history is None:
        return {}
    mine = [r for r in rows if r.framework_id == fw.id]
    published = [r for r in mine if r.is_full and _published_by(r, as_of)]
    figures: dict[str, Any] = {}
    for entry in history.documents:
        figures[entry.figure] = sum(entry.document in (r.documents_required or ()) for r in published)
    for visit in history.visits:
        visits = [r for r in mine if r.kind == visit.visit]
        figures[visit.figure] = sum(_started_by(r, as_of) for r in visits)
        spec = fw.visit(visit.visit)
        scale = (
            next((s for s in spec.judgement_scales if s.key == visit.result_scale), None) if spec else None
        )
        if visit.results_figure is not None and scale is not None:
            done = [r for r in visits if _published_by(r, as_of)]
            figures[visit.results_figure] = {
                visit.result_names.get(o.key, o.key): sum(r.visit_result == o.key for r in done)
                for o in scale.options
            }
    if history.outcomes is not None:
        figures[history.outcomes.figure] = {
            str(o.number): sum(r.outcome_key == o.key for r in published) for o in fw.outcomes
        }
        if history.outcomes.unknown_figure is not None:
            figures[history.outcomes.unknown_figure] = sum(not r.outcome_key for r in published)
    return figures


def national_stats(*, as_of: date) -> dict[str, Any]:
    """National figures counted from stored history as of a date (inclusive): the same figures for
    every framework, then those each framework's file names, in the order they came into force."""
    rows = list(PublishedInspection.objects.all())
    full = [r for r in rows if r.is_full]
    started_full = [r for r in full if _started_by(r, as_of)]
    published_full = sorted(
        (r for r in full if _published_by(r, as_of)), key=lambda r: r.published_on or as_of
    )

    latest: dict[int, PublishedInspection] = {}
    for row in published_full:
        latest[row.area_id] = row
    horizon = _one_year_after(as_of)
    due = [r for r in latest.values() if r.next_inspection_by and as_of < r.next_inspection_by <= horizon]

    stats: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "areas_inspected": len({r.area_id for r in started_full}),
        "inspections_started": len(started_full),
        "reports_published": len(published_full),
    }
    for fw in _frameworks():
        for key, value in _framework_figures(fw, rows, as_of).items():
            _add(stats, key, value)
    stats["next_inspections_due"] = len(due)
    stats["scraped_rows_counted"] = sum(
        r.reliability == PublishedInspection.SCRAPED and _started_by(r, as_of) for r in rows
    )
    return stats


def figure_labels() -> dict[str, str]:
    """What each national figure counts, in the words of the framework files (for `areasend stats`)."""
    labels = {
        "as_of": "As of",
        "areas_inspected": "Areas with a full inspection started",
        "inspections_started": "Full inspections started",
        "reports_published": "Full inspection reports published",
        "next_inspections_due": "Areas whose next full inspection is due in the next twelve months",
        "scraped_rows_counted": "Rows from scraped reports counted (less reliable)",
    }
    for fw in _frameworks():
        history = fw.national_history
        if history is None:
            continue
        name = fw.short_title or fw.title
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


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day + timedelta(days=365)
