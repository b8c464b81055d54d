"""Benchmark: pre-inspection data packs for all live areas, DuckDB against a pandas implementation.

    .venv/bin/python bench/datapack_bench.py [--repeat N] [--no-docs] [--no-django]

1. DuckDB (the product): load the raw files, compare, build the JSON packs for all 153 areas.
2. pandas (bench/pandas_datapack.py): the same comparisons from the same raw files, then the same
   pack builder. The comparison rows and the packs of both are asserted equal.
3. Django (when the datapack app is installed): one area's page render and one PDF.

Prints a table and writes the 'Data pack' section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH_DIR))

from machine import machine_description, update_benchmarks_doc  # noqa: E402

from areasend.analytics.catalogue import default_catalogue  # noqa: E402
from areasend.analytics.comparisons import ComparisonRow, build_comparisons, fetch_comparisons  # noqa: E402
from areasend.analytics.enquiry import default_rules  # noqa: E402
from areasend.analytics.ingest import RAW_DIR, load_database  # noqa: E402
from areasend.analytics.pack import DataPackBuilder  # noqa: E402
from areasend.analytics.register import load_register  # noqa: E402

SECTION = "Data pack"
TARGET_TOTAL_SECONDS = 5.0
TARGET_SPEEDUP = 3.0
TARGET_PAGE_SECONDS = 1.0
TARGET_PDF_SECONDS = 3.0
SAMPLE_AREA = "E10000012"  # Essex


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    # A full garbage collection first, untimed. The harness keeps the last rows and packs of both
    # engines for the final comparison; a full collection of that heap takes 0.07-0.1 s on the
    # benchmark machine and otherwise falls at random inside either engine's timed step (in about
    # half of the runs). Each engine still pays for the younger collections its own objects cause.
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def duckdb_rows() -> list[ComparisonRow]:
    db = load_database(RAW_DIR)
    try:
        build_comparisons(db)
        return fetch_comparisons(db)
    finally:
        db.close()


def duckdb_rows_new_engine() -> list[ComparisonRow]:
    """The same, paying for a new DuckDB instance as well (the product shares one per process)."""
    from areasend.analytics import ingest

    ingest._engine = None
    return duckdb_rows()


def pandas_rows() -> list[ComparisonRow]:
    from pandas_datapack import pandas_comparisons

    return pandas_comparisons(RAW_DIR, default_catalogue(), load_register())


def packs_json(rows: list[ComparisonRow]) -> tuple[dict[str, dict[str, Any]], str]:
    builder = DataPackBuilder(default_catalogue(), load_register(), rows, default_rules())
    packs = builder.all_packs()
    return packs, json.dumps(packs)


def close(a: Any, b: Any, tolerance: float = 1e-9) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
    return bool(a == b)


def assert_same_rows(duck: list[ComparisonRow], pand: list[ComparisonRow]) -> None:
    assert len(duck) == len(pand), f"row counts differ: DuckDB {len(duck)}, pandas {len(pand)}"
    by_key = {(r.ons_code, r.indicator, r.year): r for r in pand}
    for row in duck:
        other = by_key[(row.ons_code, row.indicator, row.year)]
        for name in ComparisonRow._fields:
            a, b = getattr(row, name), getattr(other, name)
            assert close(a, b), (
                f"{row.ons_code} {row.indicator} {row.year} {name}: DuckDB {a!r}, pandas {b!r}"
            )


def assert_same_packs(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{path}: keys differ"
        for key in a:
            assert_same_packs(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same_packs(x, y, f"{path}[{index}]")
    else:
        # Packs round derived figures to 6 decimals: a last-bit difference in a mean can round apart.
        assert close(a, b, 2e-6), f"{path}: {a!r} != {b!r}"


def run_engines(repeat: int) -> dict[str, Any]:
    # One untimed warm-up of each (imports, DuckDB and regex caches), then `repeat` timed runs.
    duckdb_rows()
    pandas_rows()
    duck_cmp, duck_all, pand_cmp, pand_all, duck_new = [], [], [], [], []
    duck_result = pand_result = None
    for _ in range(repeat):
        t_rows, rows = timed(duckdb_rows)
        t_packs, (packs, text) = timed(lambda rows=rows: packs_json(rows))
        duck_cmp.append(t_rows)
        duck_all.append(t_rows + t_packs)
        duck_result = (rows, packs, text)
        duck_new.append(timed(duckdb_rows_new_engine)[0])
        t_rows, rows = timed(pandas_rows)
        t_packs, (packs, text) = timed(lambda rows=rows: packs_json(rows))
        pand_cmp.append(t_rows)
        pand_all.append(t_rows + t_packs)
        pand_result = (rows, packs, text)
    assert duck_result is not None and pand_result is not None
    assert_same_rows(duck_result[0], pand_result[0])
    assert_same_packs(duck_result[1], pand_result[1])
    packs = duck_result[1]
    assert len(packs) == 153, f"expected 153 packs, built {len(packs)}"
    return {
        "duck_cmp": statistics.median(duck_cmp),
        "duck_new": statistics.median(duck_new),
        "duck_all": statistics.median(duck_all),
        "pand_cmp": statistics.median(pand_cmp),
        "pand_all": statistics.median(pand_all),
        "rows": len(duck_result[0]),
        "packs": len(packs),
        "lines": sum(len(p["lines_of_enquiry"]) for p in packs.values()),
        "json_bytes": len(duck_result[2]),
    }


def run_django(repeat: int) -> dict[str, float] | None:
    """Page render and PDF for one area, through the Django test client (None when not installed)."""
    try:
        from django_timing import page_and_pdf_times

        import areasend.datapack  # noqa: F401
    except ImportError:
        return None
    return page_and_pdf_times(SAMPLE_AREA, repeat)


def fmt(seconds: float) -> str:
    return f"{seconds:.3f} s"


def report(results: dict[str, Any], django: dict[str, float] | None) -> tuple[str, bool]:
    speed_cmp = results["pand_cmp"] / results["duck_cmp"]
    speed_all = results["pand_all"] / results["duck_all"]
    ok_total = results["duck_all"] <= TARGET_TOTAL_SECONDS
    rows = [
        ("Measure", "DuckDB", "pandas", "Speed-up", "Target"),
        (
            "Raw files → comparison rows (all areas, all periods)",
            fmt(results["duck_cmp"]),
            fmt(results["pand_cmp"]),
            f"{speed_cmp:.1f}×",
            f"≥ {TARGET_SPEEDUP:.0f}×",
        ),
        (
            "The same, starting a new DuckDB instance each time",
            fmt(results["duck_new"]),
            fmt(results["pand_cmp"]),
            f"{results['pand_cmp'] / results['duck_new']:.1f}×",
            "",
        ),
        (
            f"Raw files → JSON packs for all {results['packs']} areas",
            fmt(results["duck_all"]),
            fmt(results["pand_all"]),
            f"{speed_all:.1f}×",
            f"≤ {TARGET_TOTAL_SECONDS:.0f} s",
        ),
    ]
    if django:
        page, pdf = f"< {TARGET_PAGE_SECONDS:.0f} s", f"< {TARGET_PDF_SECONDS:.0f} s"
        rows += [
            ("Essex data-pack page, whole request (warm)", fmt(django["page"]), "", "", page),
            ("Essex data-pack page, first request in a process", fmt(django["page_cold"]), "", "", ""),
            ("Essex data-pack PDF, whole request (warm)", fmt(django["pdf"]), "", "", pdf),
            ("Essex data-pack PDF, first in a process (fonts load)", fmt(django["pdf_cold"]), "", "", ""),
            ("Essex data-pack XLSX, whole request (warm)", fmt(django["xlsx"]), "", "", ""),
        ]
    widths = [max(len(str(r[i])) for r in rows) for i in range(5)]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [
        "",
        f"Comparison rows: {results['rows']:,}; lines of enquiry: {results['lines']:,}; "
        f"JSON: {results['json_bytes'] / 1e6:.1f} MB. Median of the timed runs after one warm-up.",
        "Both engines read the same raw CSV files and feed the same pack builder; the rows and the packs "
        "are asserted equal. 'Raw files → comparison rows' is the engine's own work; the JSON column adds "
        "the shared pack builder (lines of enquiry) and json.dumps. The product keeps one DuckDB instance "
        "per process and gives every load a new, empty database that reads every file again; the second "
        "row also pays for starting the instance.",
    ]
    if speed_cmp < TARGET_SPEEDUP:
        notes.append(
            f"The ≥ {TARGET_SPEEDUP:.0f}× target is not met. At this size (about 4 MB of CSV in 12 files, "
            "31k comparison rows) both engines spend most of their time on fixed costs: opening and "
            "parsing each file, planning each statement, turning rows into Python objects. The pandas "
            "implementation is vectorised, not a loop over areas."
        )
    met = ok_total and speed_cmp >= TARGET_SPEEDUP
    if django:
        met = met and django["page"] < TARGET_PAGE_SECONDS and django["pdf"] < TARGET_PDF_SECONDS
    return "\n".join(lines + notes), met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--no-django", action="store_true", help="skip the page and PDF timings")
    args = parser.parse_args(argv)

    results = run_engines(args.repeat)
    django = None if args.no_django else run_django(args.repeat)
    table, met = report(results, django)
    print(f"## {SECTION}\n")
    print(table)
    print("\nAll targets met." if met else "\nSome targets NOT met (see table).")
    if not args.no_docs:
        path = update_benchmarks_doc(SECTION, table, machine_description())
        print(f"\nUpdated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
