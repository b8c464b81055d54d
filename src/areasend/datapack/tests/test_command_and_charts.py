"""`areasend datapack` and the SVG charts."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from areasend.cli import main
from areasend.datapack.charts import AREA, ENGLAND, Series, line_chart


def run_cli(*args: str, capsys: pytest.CaptureFixture[str]) -> subprocess.CompletedProcess[str]:
    """`areasend datapack ARGS` run in this process by the entry point's own code."""
    try:
        main(["datapack", *args])
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    else:
        status = 0
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["areasend", "datapack", *args], status, out, err)


def test_json_to_standard_output(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    call_command("datapack", "E10000012", "--format", "json", "--period", "2023/24")
    pack = json.loads(capfdbinary.readouterr().out)
    assert pack["area"]["name"] == "Essex" and pack["period"] == "2023/24"
    assert {"indicators", "lines_of_enquiry"} <= pack.keys()
    assert pack["framework"] == "area-send-2023"


def test_json_for_the_2016_framework(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    call_command("datapack", "E10000012", "--format", "json", "--framework", "local-area-send-2016")
    pack = json.loads(capfdbinary.readouterr().out)
    assert pack["framework"] == "local-area-send-2016"
    assert pack["lines_of_enquiry"] and {line["criterion"] for line in pack["lines_of_enquiry"]} <= {
        "A",
        "B",
        "C",
    }


def test_xlsx_and_pdf_to_files(tmp_path: Path) -> None:
    call_command(
        "datapack",
        "E06000017",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "r.xlsx"),
        stderr=io.StringIO(),
    )
    assert load_workbook(tmp_path / "r.xlsx")["Summary"]["B2"].value == "Rutland"
    call_command(
        "datapack", "E06000017", "--format", "pdf", "--output", str(tmp_path / "r.pdf"), stderr=io.StringIO()
    )
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args",
    [
        ("E99999999", "--format", "json"),
        ("E10000012", "--format", "json", "--period", "soon"),
        ("E10000012", "--format", "doc"),
        ("E10000012", "--format", "json", "--framework", "area-send-2031"),
    ],
)
def test_bad_arguments_are_command_errors_with_status_2(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("datapack", *args)
    assert caught.value.returncode == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("E99999999", "--format", "json"), "Unknown area code 'E99999999'"),
        (("E10000012",), "the following arguments are required: --format"),
        (("E10000012", "--format", "doc"), "invalid choice: 'doc'"),
        (("E10000012", "--format", "json", "--period", "soon"), "is not a year"),
    ],
)
def test_cli_exits_2_with_one_line_and_no_traceback(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    result = run_cli(*args, capsys=capsys)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_line_chart_is_an_accessible_svg_with_gaps_and_escaped_text() -> None:
    svg = line_chart(
        chart_id="chart-x",
        title="Plans <issued> & on time",
        description="Figures in the table beside.",
        periods=["2021", "2022", "2023", "2024"],
        series=[
            Series("This area", [10.0, None, 30.0, 40.0], *AREA),
            Series("England", [20.0, 25.0, 30.0, 35.0], *ENGLAND),
        ],
        label=lambda v: f"{v:.0f}%",
    )
    assert svg.startswith('<svg class="app-chart" id="chart-x" role="img"')
    assert 'aria-label="Plans &lt;issued&gt; &amp; on time. Figures in the table beside."' in svg
    assert "Plans &lt;issued&gt; &amp; on time" in svg
    # The gap in 2022 splits the area's line: its only polyline joins 2023 and 2024.
    area_lines = [p for p in svg.split("<polyline")[1:] if 'stroke="#1d70b8"' in p]
    assert len(area_lines) == 1 and area_lines[0].count(",") == 2
    assert svg.count("<circle") == 3 + 1  # three area points, one legend marker
    assert ">40%<" in svg
