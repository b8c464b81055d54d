"""The GOV.UK component parameters of the register's pages (tables and summary lists), built from rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format

from areasend.core import components as c

from .models import LocalArea, Partner, StatisticalNeighbour


def _day(value: Any) -> str:
    return date_format(value, "j F Y")


def area_list_table(areas: Iterable[LocalArea]) -> dict[str, Any]:
    rows = [
        c.row(
            c.link(reverse("areas:detail", args=[area.ons_code]), str(area)),
            area.ons_code,
            area.la_number or "–",
            area.region_name,
        )
        for area in areas
    ]
    return {
        "caption": "Local areas",
        "caption_classes": "govuk-visually-hidden",
        "head": c.head("Area", "ONS code", "DfE number", "Region"),
        "rows": rows or [c.row(c.cell("No areas match.", colspan=4))],
    }


def area_facts(area: LocalArea, predecessors: Iterable[LocalArea]) -> dict[str, Any]:
    rows = [
        c.summary_row("ONS code", area.ons_code),
        c.summary_row("DfE LA number", area.la_number or "Not known"),
        c.summary_row("Type", area.la_type),
        c.summary_row("Region", f"{area.region_name} ({area.region_code})"),
        c.summary_row("Ofsted URN", area.ofsted_urn or "Not known"),
        c.summary_row("Population aged 0 to 25", area.population_0_25 or "Not known"),
    ]
    if area.operational_from:
        rows.append(c.summary_row("In operation from", _day(area.operational_from)))
    rows += [
        c.summary_row("Earlier code", f"{old.ons_code} (until {_day(old.terminated_on)})")
        for old in predecessors
    ]
    return {"rows": rows, "attributes": {"id": "area-codes"}}


def partners_table(area: LocalArea, partners: Iterable[Partner], *, can_change: bool) -> dict[str, Any]:
    head = c.head("Partner", "Kind", "Code")
    if can_change:
        head.append(c.cell(c.visually_hidden("Actions")))
    rows = []
    for partner in partners:
        name: Any = partner.name
        if partner.notes:
            name = c.lines(partner.name, c.hint(partner.notes))
        row = c.row(name, partner.get_kind_display(), partner.code or "–")
        if can_change:
            edit = reverse("areas:partner-edit", args=[area.ons_code, partner.pk])
            row.append(c.cell(c.link(edit, "Change", visually_hidden_text=partner.name)))
        rows.append(row)
    return {
        "caption": "Partners in the local area partnership",
        "caption_classes": "govuk-visually-hidden",
        "head": head,
        "rows": rows or [c.row(c.cell("No partners recorded.", colspan=len(head)))],
        "attributes": {"id": "partners"},
    }


def neighbours_table(
    links: Iterable[StatisticalNeighbour], visible_area_ids: set[int] | None
) -> dict[str, Any]:
    rows = []
    for link in links:
        name: Any = str(link.neighbour)
        if visible_area_ids is None or link.neighbour_id in visible_area_ids:
            name = c.link(reverse("areas:detail", args=[link.neighbour.ons_code]), name)
        rows.append(c.row(c.cell(link.rank, format="numeric"), name, link.closeness))
    return {
        "caption": "Statistical neighbours, May 2025 model",
        "caption_classes": "govuk-visually-hidden",
        "head": c.head(c.cell("Rank", format="numeric"), "Area", "Closeness"),
        "rows": rows or [c.row(c.cell("No statistical neighbours in this model.", colspan=3))],
        "attributes": {"id": "statistical-neighbours"},
    }
