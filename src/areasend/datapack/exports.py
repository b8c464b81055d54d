"""Downloads of a data pack: PDF (WeasyPrint, from the page's own HTML) and XLSX (openpyxl)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from areasend.analytics.catalogue import default_catalogue

from .presentation import page_context

PRINT_CSS = Path(__file__).resolve().parent / "static" / "datapack" / "print.css"


def filename(pack: dict[str, Any], extension: str) -> str:
    return f"data-pack-{pack['area']['ons_code']}-{date.today().isoformat()}.{extension}"


def pack_html(pack: dict[str, Any], *, lines: list[Any] | None = None, inspection: Any = None) -> str:
    """The standalone HTML the PDF is made from: the same `_pack.html` the web page includes, with
    the accepted lines of enquiry of ``inspection``."""
    context = page_context(pack, for_print=True) | {
        "stored_lines": lines or [],
        "inspection": inspection,
        "generated_on": date.today(),
    }
    return render_to_string("datapack/pdf.html", context)


def pdf_bytes(pack: dict[str, Any], *, lines: list[Any] | None = None, inspection: Any = None) -> bytes:
    from weasyprint import CSS, HTML

    html = HTML(string=pack_html(pack, lines=lines, inspection=inspection))
    return html.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])  # type: ignore[no-any-return]


INDICATOR_COLUMNS = [
    ("Code", "code"),
    ("Indicator", "title"),
    ("Period", "period"),
    ("Value", "value"),
    ("Why missing", "missing_reason"),
    ("England", "england"),
    ("Region", "region"),
    ("Statistical neighbours' mean", "neighbours_mean"),
    ("Neighbours with a figure", "neighbours_n"),
    ("National rank (1 = best)", "rank"),
    ("Areas ranked", "of"),
    ("Quartile band (A best)", "quartile"),
    ("Change on 1 year", "change_1y"),
    ("Change on 3 years", "change_3y"),
    ("Trend", "trend"),
    ("Better when", "polarity"),
    ("Sector", "sector"),
    ("Framework criteria", "criteria"),
    ("Source", "source"),
    ("Link", "link"),
]
NUMBER_KEYS = {"value", "england", "region", "neighbours_mean", "change_1y", "change_3y"}


def _number_format(decimals: int) -> str:
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def _fit(sheet: Any, widths: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width


def xlsx_bytes(pack: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    catalogue = default_catalogue()
    book = Workbook()
    area = pack["area"]

    summary = book.active
    summary.title = "Summary"
    summary.append(["Pre-inspection data pack"])
    summary["A1"].font = Font(bold=True, size=14)
    for label, value in (
        ("Area", area["name"]),
        ("ONS code", area["ons_code"]),
        ("DfE LA number", area["la_number"]),
        ("Region", area["region_name"]),
        ("Period", pack["period"] or "Latest published"),
        ("Statistical neighbours", ", ".join(n["name"] for n in area["neighbours"])),
        ("Catalogue version", pack["catalogue_version"]),
        ("Rules version", pack["rules_version"]),
        ("Caution", pack["caution"]),
        ("Criteria of framework", catalogue.framework(pack["framework"]).title),
        ("How lines are chosen", pack.get("score_definition") or ""),
    ):
        summary.append([label, value])
    summary["B10"].alignment = Alignment(wrap_text=True)
    summary["B12"].alignment = Alignment(wrap_text=True)
    _fit(summary, {1: 24, 2: 100})

    indicators = book.create_sheet("Indicators")
    indicators.append([label for label, _ in INDICATOR_COLUMNS])
    for cell in indicators[1]:
        cell.font = Font(bold=True)
    for e in pack["indicators"]:
        ind = catalogue.by_code[e["code"]]
        row = []
        for _, key in INDICATOR_COLUMNS:
            value = e[key]
            row.append("; ".join(value) if isinstance(value, list) else value)
        indicators.append(row)
        fmt = _number_format(ind.decimals) if ind.unit != "flag" else "0.00"
        for column, (_, key) in enumerate(INDICATOR_COLUMNS, start=1):
            if key in NUMBER_KEYS:
                indicators.cell(row=indicators.max_row, column=column).number_format = fmt
    indicators.freeze_panes = "C2"
    _fit(indicators, {1: 34, 2: 60, 19: 50, 20: 60})

    history = book.create_sheet("History")
    history.append(
        [
            "Code",
            "Indicator",
            "Period",
            "Value",
            "Why missing",
            "England",
            "Region",
            "Statistical neighbours' mean",
        ]
    )
    for cell in history[1]:
        cell.font = Font(bold=True)
    for e in pack["indicators"]:
        for p in e["history"]:
            history.append(
                [
                    e["code"],
                    e["title"],
                    p["period"],
                    p["value"],
                    p["missing_reason"],
                    p["england"],
                    p["region"],
                    p["neighbours_mean"],
                ]
            )
    history.freeze_panes = "D2"
    _fit(history, {1: 34, 2: 60})

    lines = book.create_sheet("Lines of enquiry")
    lines.append(
        [
            "Line of enquiry",
            "Criterion",
            "Sector",
            "Figures cited",
            "Rule",
            "Rule version",
            "Criterion text",
            "Score",
        ]
    )
    for cell in lines[1]:
        cell.font = Font(bold=True)
    for line in pack["lines_of_enquiry"]:
        lines.append(
            [
                line["text"],
                line["criterion"],
                line["sector"],
                "\n".join(item["summary"] for item in line["evidence"]),
                line["rule_id"],
                line["rule_version"],
                line["criterion_text"],
                line.get("score"),
            ]
        )
    for row in lines.iter_rows(min_row=2):
        for cell in row[:4]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _fit(lines, {1: 90, 2: 12, 3: 14, 4: 70, 5: 30})

    sources = book.create_sheet("Sources")
    sources.append(["Dataset", "Title", "Publisher", "Link", "File"])
    for cell in sources[1]:
        cell.font = Font(bold=True)
    for source in pack["sources"]:
        sources.append(
            [source["dataset"], source["title"], source["publisher"], source["link"], source["file"]]
        )
    _fit(sources, {1: 24, 2: 80, 3: 40, 4: 70, 5: 60})

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
