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


def history_table(rows: Iterable[HistoryRow], area: Any) -> dict[str, Any]:
    body = []
    for row in rows:
        outcome: list[Any] = [row.outcome, *row.details]
        if row.record.reliability == PublishedInspection.SCRAPED:
            outcome.append(c.tag("From a scraped report", "govuk-tag--yellow"))
        body.append(c.row(c.lines(row.what, c.hint(row.framework)), _dates(row.record), c.lines(*outcome)))
    return {
        "caption": f"Published inspections of {area.name}",
        "caption_classes": "govuk-visually-hidden",
        "head": c.head("Inspection", "Dates", "Outcome"),
        "rows": body,
        "attributes": {"id": "history-table"},
    }
