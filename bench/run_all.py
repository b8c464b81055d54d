"""Run every benchmark: each `bench/*_bench.py` and `bench/cli_startup.py` in its own process (`make bench`).

    .venv/bin/python bench/run_all.py [extra arguments passed to every benchmark]

Each benchmark prints its table and rewrites its own section of docs/benchmarks.md.
Exit status is non-zero when a benchmark fails (an assertion or an error), not when a speed
target is missed: the tables say that.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
OTHER_BENCHMARKS = ("cli_startup.py",)


def main(argv: list[str]) -> int:
    modules = sorted(BENCH_DIR.glob("*_bench.py")) + [BENCH_DIR / name for name in OTHER_BENCHMARKS]
    failed = []
    for module in modules:
        print(f"\n=== {module.name} ===", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(module), *argv], check=False)  # noqa: S603
        print(
            f"--- {module.name}: exit {result.returncode} in {time.perf_counter() - start:.1f} s", flush=True
        )
        if result.returncode != 0:
            failed.append(module.name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    print(f"\nAll {len(modules)} benchmark(s) ran.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
