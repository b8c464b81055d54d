"""The area page's inspection history as GOV.UK table parameters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.defaultfilters import pluralize
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from areasend.core import components as c

from .models import PublishedInspection

FRAMEWORK_2016 = "local-area-send-2016"


def _dates(row: PublishedInspection) -> SafeString:
    started = f"Started {date_format(row.started_on, 'j F Y')}" if row.started_on else "Start date not known"
    published = (
        f"Published {date_format(row.published_on, 'j F Y')}" if row.published_on else "Not yet published"
    )
    return c.lines(started, published)


def _outcome(row: PublishedInspection) -> list[Any]:
    if row.kind == PublishedInspection.REVISIT:
        text = row.get_revisit_result_display() or "Result not recorded"
        if row.weaknesses_sufficient is not None:
            text += f" ({row.weaknesses_sufficient} sufficient, {row.weaknesses_insufficient} insufficient)"
        return [text]
    if row.framework_id == FRAMEWORK_2016:
        if row.wsoa_required:
            text = "Written statement of action required"
            if row.significant_weaknesses:
                count = row.significant_weaknesses
                text += f" ({count} significant weakness{pluralize(count, 'es')})"
            return [text]
        return ["No written statement of action required"] if row.wsoa_required is False else []
    parts: list[Any] = [row.outcome_label or "Outcome not recorded"]
    if row.next_inspection_by:
        parts.append(f"Next full inspection by {date_format(row.next_inspection_by, 'F Y')}")
    if row.next_monitoring_by:
        parts.append(f"Monitoring inspection by {date_format(row.next_monitoring_by, 'F Y')}")
    return parts


def history_table(rows: Iterable[PublishedInspection], area: Any) -> dict[str, Any]:
    body = []
    for row in rows:
        framework = "2016 framework" if row.framework_id == FRAMEWORK_2016 else "2023 framework"
        outcome = _outcome(row)
        if row.reliability == "scraped":
            outcome.append(c.tag("From a scraped report", "govuk-tag--yellow"))
        body.append(c.row(c.lines(row.get_kind_display(), c.hint(framework)), _dates(row), c.lines(*outcome)))
    return {
        "caption": f"Published inspections of {area.name}",
        "caption_classes": "govuk-visually-hidden",
        "head": c.head("Inspection", "Dates", "Outcome"),
        "rows": body,
        "attributes": {"id": "history-table"},
    }
