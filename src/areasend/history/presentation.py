"""The area page's inspection history as GOV.UK table parameters (each row already described in
its framework's words by ``selectors.history_rows_for_area``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString

from areasend.core import components as c

from .models import PublishedInspection
from .selectors import HistoryRow


def _dates(row: PublishedInspection) -> SafeString:
    started = f"Started {date_format(row.started_on, 'j F Y')}" if row.started_on else "Start date not known"
    published = (
        f"Published {date_format(row.published_on, 'j F Y')}" if row.published_on else "Not yet published"
    )
    return c.lines(started, published)


CORRECTED_WORDS = {"started_on": "start date", "ended_on": "end date", "outcome": "outcome"}


def correction_text(corrected: dict[str, Any]) -> SafeString:
    """The note on a row areasend corrected: what, from which source, how far it can be relied on."""
    what = " and ".join(CORRECTED_WORDS.get(name, name) for name in corrected.get("fields", []))
    said = f"{what.capitalize()} corrected by areasend from: {corrected.get('source', '')}"
    confidence = f"Confidence: {corrected.get('confidence', '')}."
    return c.lines(
        c.tag("Corrected", "govuk-tag--blue"),
        c.hint(said),
        c.hint(confidence),
        c.hint(corrected.get("note", "")),
    )


def history_table(rows: Iterable[HistoryRow], area: Any) -> dict[str, Any]:
    body = []
    for row in rows:
        outcome: list[Any] = [row.outcome, *row.details]
        if row.record.reliability == PublishedInspection.SCRAPED:
            outcome.append(c.tag("From a scraped report", "govuk-tag--yellow"))
        if row.record.corrected:
            outcome.append(correction_text(row.record.corrected))
        body.append(c.row(c.lines(row.what, c.hint(row.framework)), _dates(row.record), c.lines(*outcome)))
    return {
        "caption": f"Published inspections of {area.name}",
        "caption_classes": "govuk-visually-hidden",
        "head": c.head("Inspection", "Dates", "Outcome"),
        "rows": body,
        "attributes": {"id": "history-table"},
    }
