"""The national figures page's comparison with Ofsted's official statistics: for each official
count, a GOV.UK table of the official number beside the one counted here, part by part."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format

from areasend.core import components as c

from .figure_types import INSPECTED, PUBLISHED
from .official import Comparison, official_comparisons

AGREES = "Agrees"
DIFFERS = "Differs"
COUNT_BY_WORDS = {INSPECTED: "inspection", PUBLISHED: "publication"}


def _period(comparison: Comparison) -> str:
    official = comparison.official
    since, until = date_format(official.since, "j F Y"), date_format(official.until, "j F Y")
    return f"{since} to {until}, by date of {COUNT_BY_WORDS.get(official.count_by, official.count_by)}"


def _row(label: str, official: int, counted: int) -> list[dict[str, Any]]:
    agrees = official == counted
    tag = c.tag(AGREES, "govuk-tag--green") if agrees else c.tag(DIFFERS, "govuk-tag--red")
    return c.row(
        label, c.cell(f"{official:,}", format="numeric"), c.cell(f"{counted:,}", format="numeric"), tag
    )


def comparison_table(comparison: Comparison, n: int) -> dict[str, Any]:
    rows = [_row(p.label, p.official, p.counted) for p in comparison.parts]
    rows.append(_row(comparison.total.label, comparison.total.official, comparison.total.counted))
    return {
        "caption": f"{comparison.figure_label} ({comparison.framework}): {_period(comparison)}",
        "caption_classes": "govuk-table__caption--s",
        "head": c.head(
            "Part", c.cell("Official", format="numeric"), c.cell("Counted here", format="numeric"), "Result"
        ),
        "rows": rows,
        "first_cell_is_header": True,
        "attributes": {"id": f"official-{n}"},
    }


def official_section(framework_id: str | None = None) -> list[dict[str, Any]]:
    """Each official count (of the framework, when one is chosen): its release, what it says, and the
    table comparing it."""
    shown = []
    for n, comparison in enumerate(official_comparisons(), start=1):
        official = comparison.official
        if framework_id is not None and official.framework_id != framework_id:
            continue
        shown.append(
            {
                "title": official.title,
                "url": official.url,
                "note": official.note,
                "agrees": comparison.agrees,
                "table": comparison_table(comparison, n),
            }
        )
    return shown
