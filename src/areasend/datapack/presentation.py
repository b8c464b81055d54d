"""A data pack (analytics JSON) arranged for the page, the PDF and the spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from areasend.analytics.catalogue import Indicator, default_catalogue
from areasend.analytics.formatting import format_change, format_value
from areasend.core import components as c

from .charts import AREA, ENGLAND, NEIGHBOURS, REGION, Series, bar_chart, line_chart

NEED_GROUP = "needs"
NEED_ABBREVIATIONS = {"spld": "SpLD", "other": "Other"}


def need_abbreviation(code: str) -> str:
    """need_semh_pct → SEMH: the usual short names, used on the chart's axis."""
    key = code.removeprefix("need_").removesuffix("_pct")
    return NEED_ABBREVIATIONS.get(key, key.upper())


TREND_TEXT = {
    "improving": "Improving",
    "worsening": "Worsening",
    "stable": "Stable",
    "increasing": "Increasing",
    "decreasing": "Decreasing",
}


def _share(ind: Indicator) -> bool:
    return ind.unit == "flag"


def _row(ind: Indicator, e: dict[str, Any]) -> dict[str, Any]:
    share = _share(ind)
    return {
        "code": ind.code,
        "title": ind.title,
        "abbreviation": need_abbreviation(ind.code) if ind.group == NEED_GROUP else "",
        "description": ind.description,
        "period": e["period"] or "–",
        "value": format_value(ind, e["value"]) if e["value"] is not None else "",
        "missing_reason": e["missing_reason"],
        "england": format_value(ind, e["england"], share=share),
        "region": format_value(ind, e["region"], share=share),
        "neighbours": format_value(ind, e["neighbours_mean"], share=share),
        "rank": f"{e['rank']} of {e['of']}" if e["rank"] is not None else "",
        "quartile": e["quartile"] or "",
        "change_1y": format_change(ind, e["change_1y"]) if e["change_1y"] is not None else "",
        "change_3y": format_change(ind, e["change_3y"]) if e["change_3y"] is not None else "",
        "trend": TREND_TEXT.get(e["trend"] or "", ""),
        "trend_key": e["trend"] or "",
        "polarity": ind.polarity,
        "source": ind.source,
        "link": ind.link,
        "history": [
            {
                "period": p["period"],
                "value": format_value(ind, p["value"])
                if p["value"] is not None
                else (p["missing_reason"] or ""),
                "england": format_value(ind, p["england"], share=share),
                "region": format_value(ind, p["region"], share=share),
                "neighbours": format_value(ind, p["neighbours_mean"], share=share),
            }
            for p in e["history"]
        ],
        "chart": _line_chart(ind, e),
    }


def _line_chart(ind: Indicator, e: dict[str, Any]) -> Any:
    history = e["history"]
    if ind.unit == "flag" or sum(1 for p in history if p["value"] is not None) < 2:
        return None
    series = [
        Series("This area", [p["value"] for p in history], *AREA),
        Series("England", [p["england"] for p in history], *ENGLAND),
        Series("Region", [p["region"] for p in history], *REGION),
        Series("Neighbours' mean", [p["neighbours_mean"] for p in history], *NEIGHBOURS),
    ]
    return line_chart(
        chart_id=f"chart-{ind.code.replace('_', '-')}",
        title=f"{ind.title}, {history[0]['period']} to {history[-1]['period']}",
        description="The figures are in the table beside the chart.",
        periods=[p["period"] for p in history],
        series=series,
        label=lambda v: format_value(ind, v),
    )


def _need_chart(rows: list[tuple[Indicator, dict[str, Any]]]) -> Any:
    if not any(e["value"] is not None for _, e in rows):
        return None
    return bar_chart(
        chart_id="chart-primary-need",
        title=f"Primary need of EHC plans, {rows[0][1]['period']}: this area and England",
        description="The figures are in the table beside the chart.",
        categories=[need_abbreviation(ind.code) for ind, _ in rows],
        series=[
            Series("This area", [e["value"] for _, e in rows], *AREA),
            Series("England", [e["england"] for _, e in rows], *ENGLAND),
        ],
        label=lambda v: f"{v:.1f}%",
    )


def page_context(pack: dict[str, Any], *, for_print: bool = False) -> dict[str, Any]:
    """Groups of indicator rows (with charts and tables) and the lines of enquiry, ready to render.

    `for_print` (the PDF) leaves out the links that only work on the web page.
    """
    catalogue = default_catalogue()
    by_code = catalogue.by_code
    groups: list[dict[str, Any]] = []
    for key, title in catalogue.groups.items():
        members = [(by_code[e["code"]], e) for e in pack["indicators"] if e["group"] == key]
        if not members:
            continue
        groups.append(
            {
                "id": f"group-{key}",
                "key": key,
                "title": title,
                "rows": [_row(ind, e) for ind, e in members],
                "bar_chart": _need_chart(members) if key == NEED_GROUP else None,
            }
        )
    area = pack["area"]
    for group in groups:
        group["table"] = summary_table(group, area, for_print=for_print)
        if group["bar_chart"]:
            group["need_table"] = need_table(group, area)
        for row in group["rows"]:
            if row["chart"] or len(row["history"]) > 1:  # the rows the pack shows a chart or history for
                row["table"] = history_table(row, area)
    # Sector labels from the vocabulary of the framework the pack was made for.
    lines = [
        line | {"sector_text": catalogue.sector_label(line["framework"], line["sector"])}
        for line in pack["lines_of_enquiry"]
    ]
    framework_title = catalogue.framework(pack["framework"]).title
    return {
        "pack": pack,
        "groups": groups,
        "lines": lines,
        "framework_title": framework_title,
        "for_print": for_print,
    }


# --- the GOV.UK tables of the pack ---------------------------------------------------------------


def _numeric(*values: Any) -> list[dict[str, Any]]:
    return [c.cell(value, format="numeric") for value in values]


def _band(quartile: str) -> Any:
    return c.tag(quartile, f"app-band app-band--{quartile.lower()}") if quartile else "–"


def _trend(row: Mapping[str, Any]) -> Any:
    change = ""
    if row["change_3y"]:
        change = format_html('<span class="govuk-body-s">{} in 3 years</span>', row["change_3y"])
    elif row["change_1y"]:
        change = format_html('<span class="govuk-body-s">{} in 1 year</span>', row["change_1y"])
    return c.lines(row["trend"] or "–", change)


def summary_table(group: Mapping[str, Any], area: Mapping[str, Any], *, for_print: bool) -> dict[str, Any]:
    """One group's indicators against England, the region and the statistical neighbours."""
    rows = []
    for row in group["rows"]:
        name: Any = row["title"]
        if (row["chart"] or len(row["history"]) > 1) and not for_print:
            name = c.link(f"#{row['code']}", row["title"])
        value = row["value"] or format_html(
            '<span class="app-missing">{}</span>', capfirst(row["missing_reason"])
        )
        rows.append(
            [
                c.cell(name, classes="app-indicator-name"),
                c.cell(row["period"]),
                *_numeric(value, row["england"], row["region"], row["neighbours"], row["rank"] or "–"),
                c.cell(_band(row["quartile"])),
                c.cell(_trend(row)),
            ]
        )
    return {
        "caption": f"{group['title']}: {area['name']} against England, {area['region_name']} and its "
        "statistical neighbours",
        "caption_classes": "govuk-table__caption--s",
        "head": c.head(
            "Indicator",
            "Period",
            *_numeric(area["name"], "England", "Region", "Neighbours", "Rank"),
            "Band",
            "Trend",
        ),
        "rows": rows,
        "first_cell_is_header": True,
        "classes": "app-summary-table",
    }


def need_table(group: Mapping[str, Any], area: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of the primary need chart."""
    rows = [
        [
            c.cell(
                f"{row['abbreviation']}: {row['title'].replace('Primary need: ', '').replace(' (% of EHC plans)', '')}"
            ),
            *_numeric(row["value"] or row["missing_reason"], row["england"]),
        ]
        for row in group["rows"]
    ]
    return {
        "caption": f"Primary need, {group['rows'][0]['period']}: data for the chart",
        "caption_classes": "govuk-table__caption--s",
        "head": c.head("Primary need", *_numeric(area["name"], "England")),
        "rows": rows,
        "first_cell_is_header": True,
        "classes": "app-data-table",
    }


def history_table(row: Mapping[str, Any], area: Mapping[str, Any]) -> dict[str, Any]:
    """An indicator's figures over time (beside its chart, when it has one)."""
    return {
        "caption": f"{row['title']}: data for the chart" if row["chart"] else row["title"],
        "caption_classes": "govuk-table__caption--s",
        "head": c.head("Period", *_numeric(area["name"], "England", "Region", "Neighbours")),
        "rows": [
            [c.cell(p["period"]), *_numeric(p["value"], p["england"], p["region"], p["neighbours"])]
            for p in row["history"]
        ],
        "first_cell_is_header": True,
        "classes": "app-data-table",
    }


def pack_summary(pack: Mapping[str, Any], period: str | None) -> dict[str, Any]:
    area = pack["area"]
    return {
        "rows": [
            c.summary_row("ONS code", area["ons_code"]),
            c.summary_row("DfE LA number", area["la_number"]),
            c.summary_row("Region", area["region_name"]),
            c.summary_row("Statistical neighbours", ", ".join(n["name"] for n in area["neighbours"])),
            c.summary_row(
                "Figures shown", f"Latest published for {period} or earlier" if period else "Latest published"
            ),
            c.summary_row("Criteria", default_catalogue().framework(pack["framework"]).title),
        ],
        "attributes": {"id": "pack-summary"},
    }


def stored_lines_table(area: Any, lines: Iterable[Any], *, can_change: bool) -> dict[str, Any]:
    head = c.head("Line of enquiry", "Criterion", "Status")
    if can_change:
        head.append(c.cell(c.visually_hidden("Actions")))
    rows = []
    for number, line in enumerate(lines, 1):
        hint = line.sector_label
        if line.rules_version is not None:
            hint += f"; proposed by the lines of enquiry rules, version {line.rules_version}"
        row = c.row(
            c.lines(line.text, c.hint(hint)),
            line.criterion_code,
            c.tag(line.get_status_display(), f"app-status app-status--{line.status}"),
        )
        if can_change:
            review = reverse("datapack:line-review", args=[area.ons_code, line.pk])
            row.append(c.cell(c.link(review, "Review", visually_hidden_text=f"line {number}")))
        rows.append(row)
    return {
        "caption": f"Lines of enquiry kept for {area.name}",
        "caption_classes": "govuk-visually-hidden",
        "head": head,
        "rows": rows,
        "attributes": {"id": "stored-lines-table"},
    }


def line_facts(line: Any) -> dict[str, Any]:
    if line.criterion is not None:
        criterion: Any = f"{line.criterion.code}: {line.criterion.text}"
    else:
        criterion = c.lines(
            line.unmapped_criterion, c.tag("Not a criterion of any loaded framework", "govuk-tag--red")
        )
    rows = [c.summary_row("Criterion", criterion)]
    if line.inspection is not None:
        rows.append(c.summary_row("Inspection", str(line.inspection)))
    rows += [
        c.summary_row("Sector", line.sector_label),
        c.summary_row("Status", line.get_status_display()),
    ]
    if line.rule_id:
        rows.append(c.summary_row("Proposed by rule", f"{line.rule_id} (version {line.rule_version})"))
    if line.rules_version is not None:
        rows.append(c.summary_row("Lines of enquiry rules", f"Version {line.rules_version}"))
    return {"rows": rows}
