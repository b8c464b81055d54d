"""Benchmark: how long an `areasend` command takes to start, now and before the start-up work.

    .venv/bin/python bench/cli_startup.py [--repeat N] [--baseline COMMIT] [--no-docs]

Runs `areasend --help` and `areasend calendar add-working-days 2025-01-06 5` as new processes, for
this checkout and for the baseline commit (the code before command start-up was made lazy), checked
out into a temporary git worktree and run with the same virtualenv (`PYTHONPATH=<worktree>/src`).
The two are run alternately, one warm-up each (it also compiles the baseline's bytecode), then
`--repeat` timed runs each: the median wall time and the median CPU time (user + system) of the
child. Both must print the same output, or the benchmark fails. It also records the ten most
expensive imports of `areasend --help` (`python -X importtime`, cumulative) before and after.

Prints the tables and writes the 'Command-line start-up' section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from machine import machine_description, update_benchmarks_doc  # noqa: E402

SECTION = "Command-line start-up"
# The code before command start-up was made lazy ("Who owes a milestone is answered once, by the
# framework"): the parent of the first start-up commit.
BASELINE_COMMIT = "adef6ffb2301f38f84aced4338fe2e2cf1914836"
COMMANDS = {
    "areasend --help": ["--help"],
    "areasend calendar add-working-days 2025-01-06 5": ["calendar", "add-working-days", "2025-01-06", "5"],
}
HELP = "areasend --help"
TARGET_HELP_SPEEDUP = 2.0
IMPORT_RUNS = 5
TOP_IMPORTS = 10
# Libraries a command start should not need; the table says which each version imports.
LIBRARIES = ("weasyprint", "openpyxl", "duckdb", "pandas", "icalendar", "ninja", "pydantic", "requests")
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)$")


@contextmanager
def baseline_checkout(commit: str) -> Iterator[Path]:
    """The baseline commit in a temporary detached git worktree, removed afterwards."""
    parent = Path(tempfile.mkdtemp(prefix="areasend-baseline-"))
    tree = parent / "tree"
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(tree), commit], check=True)  # noqa: S603
    try:
        yield tree
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=False)  # noqa: S603
        subprocess.run([*git, "worktree", "prune"], check=False)  # noqa: S603
        shutil.rmtree(parent, ignore_errors=True)


def program() -> list[str]:
    """The installed `areasend` entry point of this virtualenv (else `python -m areasend.cli`)."""
    script = Path(sys.executable).with_name("areasend")
    return [str(script)] if script.exists() else [sys.executable, "-m", "areasend.cli"]


def environment(src: Path, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(PYTHONPATH=str(src), AREASEND_DATA_DIR=str(data_dir))
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the child (user + system) and its standard output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True, env=env, check=False, timeout=300)  # noqa: S603
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout


def time_commands(versions: dict[str, dict[str, str]], repeat: int) -> dict[str, dict[str, dict[str, float]]]:
    """{command: {version: {"wall": median, "cpu": median}}}, the versions run alternately."""
    results: dict[str, dict[str, dict[str, float]]] = {}
    for label, args in COMMANDS.items():
        argv = [*program(), *args]
        outputs = {name: run_once(argv, env)[2] for name, env in versions.items()}  # warm-up
        # Both versions must do the same work: the same output, except that `--help` lists the commands
        # each version has (a later version may add some), so there both must print the full listing.
        same = (
            all("Available subcommands:" in out and "[django]" in out for out in outputs.values())
            if label == HELP
            else len(set(outputs.values())) == 1
        )
        if not same:
            raise SystemExit(f"`{label}` prints different output before and after:\n{outputs}")
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
        for _ in range(repeat):
            for name, env in versions.items():
                wall, cpu, _out = run_once(argv, env)
                samples[name].append((wall, cpu))
        results[label] = {
            name: {
                "wall": statistics.median(w for w, _ in runs),
                "cpu": statistics.median(c for _, c in runs),
            }
            for name, runs in samples.items()
        }
    return results


def import_profile(
    env: dict[str, str], args: list[str], runs: int = IMPORT_RUNS
) -> tuple[dict[str, float], set[str]]:
    """Median cumulative import time (ms) of each import not nested in another, and every module."""
    cumulative: dict[str, list[float]] = {}
    modules: set[str] = set()
    argv = [sys.executable, "-X", "importtime", "-m", "areasend.cli", *args]
    for _ in range(runs):
        result = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)  # noqa: S603
        for line in result.stderr.splitlines():
            match = IMPORT_LINE.match(line)
            if not match:
                continue
            modules.add(match.group(4))
            if match.group(3) == "":
                cumulative.setdefault(match.group(4), []).append(int(match.group(2)) / 1000)
    return {name: statistics.median(values) for name, values in cumulative.items()}, modules


def libraries_imported(modules: set[str]) -> str:
    found = [lib for lib in LIBRARIES if lib in modules]
    return ", ".join(found) if found else "none of them"


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def report(
    baseline: str,
    timings: dict[str, dict[str, dict[str, float]]],
    imports: dict[str, tuple[dict[str, float], set[str]]],
    calendar_modules: dict[str, set[str]],
    repeat: int,
    load: float,
) -> tuple[str, bool]:
    short = baseline[:7]
    rows: list[tuple[str, ...]] = [("Command", "Measure", f"Before ({short})", "After", "Speed-up", "Target")]
    for label, by_version in timings.items():
        for measure, name in (("wall", "wall time"), ("cpu", "CPU time")):
            before, after = by_version["before"][measure], by_version["after"][measure]
            target = f"≥ {TARGET_HELP_SPEEDUP:.0f}×" if label == HELP and measure == "wall" else ""
            rows.append(
                (f"`{label}`", name, f"{before:.3f} s", f"{after:.3f} s", f"{before / after:.1f}×", target)
            )
    for label, modules in (
        (HELP, {v: imports[v][1] for v in ("before", "after")}),
        (next(k for k in COMMANDS if k != HELP), calendar_modules),
    ):
        rows.append(
            (
                f"`{label}`",
                "libraries imported",
                libraries_imported(modules["before"]),
                libraries_imported(modules["after"]),
                "",
                "",
            )
        )
    help_speedup = timings[HELP]["before"]["wall"] / timings[HELP]["after"]["wall"]
    met = help_speedup >= TARGET_HELP_SPEEDUP

    lines = table(rows)
    lines += [
        "",
        f"Median of {repeat} runs of each command as a new process (the installed `areasend` entry point), "
        "after one warm-up each; before and after run alternately in the same benchmark run. 'Before' is "
        f"commit {short} checked out into a temporary git worktree and run with the same virtualenv. "
        f"CPU time is the child's user + system time. Libraries looked for: {', '.join(LIBRARIES)}. "
        f"Load average when the runs began: {load:.1f} (other work on the machine slows wall times most).",
    ]
    for version, title in (("before", f"before ({short})"), ("after", "after")):
        cumulative = imports[version][0]
        top = sorted(cumulative.items(), key=lambda item: item[1], reverse=True)[:TOP_IMPORTS]
        lines += ["", f"Ten most expensive imports of `areasend --help`, {title}:", ""]
        lines += table([("Import", "Cumulative")] + [(f"`{name}`", f"{ms:.0f} ms") for name, ms in top])
    lines += [
        "",
        f"`python -X importtime`: imports not nested in another import, cumulative time, median of "
        f"{IMPORT_RUNS} runs (importtime itself slows imports down).",
    ]
    return "\n".join(lines), met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--baseline", default=BASELINE_COMMIT, help="the commit to compare with")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    args, _others = parser.parse_known_args(argv)  # run_all.py passes every benchmark's options

    with (
        tempfile.TemporaryDirectory(prefix="areasend-bench-") as data,
        baseline_checkout(args.baseline) as tree,
    ):
        versions = {
            "before": environment(tree / "src", Path(data)),
            "after": environment(ROOT / "src", Path(data)),
        }
        load = os.getloadavg()[0]
        timings = time_commands(versions, args.repeat)
        imports = {name: import_profile(env, COMMANDS[HELP]) for name, env in versions.items()}
        calendar = next(v for k, v in COMMANDS.items() if k != HELP)
        calendar_modules = {name: import_profile(env, calendar, runs=1)[1] for name, env in versions.items()}

    text, met = report(args.baseline, timings, imports, calendar_modules, args.repeat, load)
    print(f"## {SECTION}\n")
    print(text)
    print("\nAll targets met." if met else "\nSome targets NOT met (see table).")
    if not args.no_docs:
        path = update_benchmarks_doc(SECTION, text, machine_description())
        print(f"\nUpdated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
