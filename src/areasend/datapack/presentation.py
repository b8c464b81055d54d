"""A data pack (analytics JSON) arranged for the page, the PDF and the spreadsheet."""

from __future__ import annotations

from typing import Any

from areasend.analytics.catalogue import Indicator, default_catalogue
from areasend.analytics.formatting import format_change, format_value

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


def page_context(pack: dict[str, Any]) -> dict[str, Any]:
    """Groups of indicator rows (with charts and tables) and the lines of enquiry, ready to render."""
    catalogue = default_catalogue()
    by_code = catalogue.by_code
    groups = []
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
    # Sector labels from the vocabulary of the framework the pack was made for.
    lines = [
        line | {"sector_text": catalogue.sector_label(line["framework"], line["sector"])}
        for line in pack["lines_of_enquiry"]
    ]
    framework_title = catalogue.framework(pack["framework"]).title
    return {"pack": pack, "groups": groups, "lines": lines, "framework_title": framework_title}
