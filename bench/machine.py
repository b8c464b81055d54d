"""What machine a benchmark ran on, and writing results into docs/benchmarks.md by section."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\n"
    "Written by `make bench` (`.venv/bin/python bench/run_all.py`). Each section is replaced by the "
    "benchmark that owns it; numbers are from the machine named in the section.\n"
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_description() -> str:
    return (
        f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {_ram()} RAM; "
        f"Python {platform.python_version()}, duckdb {_version('duckdb')}, pandas {_version('pandas')}, "
        f"Django {_version('django')}, WeasyPrint {_version('weasyprint')}. "
        f"Run on {dt.date.today().isoformat()}."
    )


def update_benchmarks_doc(section: str, table: str, machine: str, path: Path = DOC) -> Path:
    """Replace (or add) the `## section` of docs/benchmarks.md, keeping the other sections."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    body = f"## {section}\n\n{machine}\n\n{table}\n"
    pattern = re.compile(rf"^## {re.escape(section)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: body + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + body
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
