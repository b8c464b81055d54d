"""Reads for inspection history: an area's history, and (from ``figures``) the national figures as
of a date.

Nothing here knows a regime: each row is read in its framework's own terms (labels from the file),
and each framework's ``national_history`` names the figures its inspections add to the national
picture (the outcome counts, the reports requiring a document, the visits and their results).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from areasend.areas.models import LocalArea
from areasend.frameworks.selectors import available_frameworks

if TYPE_CHECKING:  # the schema (pydantic) loads when the history is read, not with the app
    from areasend.domain.frameworks import Framework

from .figures import figure_labels, national_figures, national_stats
from .models import PublishedInspection

__all__ = ["figure_labels", "history_for_area", "history_rows_for_area", "national_figures", "national_stats"]


def history_for_area(*, area: LocalArea) -> list[PublishedInspection]:
    return list(PublishedInspection.objects.filter(area=area).order_by("started_on", "published_on", "kind"))


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
