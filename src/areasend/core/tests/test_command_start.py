"""Starting an `areasend` command loads Django and the models, not the libraries behind pages.

PDF (WeasyPrint), XLSX (openpyxl), DuckDB, calendar feeds (icalendar), the JSON API (django-ninja)
and the framework schema (pydantic) are imported by the code that uses them, so a small command
such as `areasend calendar add-working-days` starts without them; `areasend --help` lists the
commands without setting up the apps at all.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core import checks
from django.core.checks.registry import registry
from django.core.management import ManagementUtility, call_command, get_commands, load_command_class
from django.core.management.base import SystemCheckError

from areasend.cli import commands_by_app, help_text
from areasend.core.management import COMMAND_CHECKS

# Loaded on demand only: none of them when a command starts.
ON_DEMAND = (
    "weasyprint",
    "openpyxl",
    "duckdb",
    "pandas",
    "numpy",
    "icalendar",
    "ninja",
    "pydantic",
    "requests",
    "areasend.urls",
    "areasend.analytics.pack",
    "areasend.domain.frameworks",
)

# Runs in a fresh interpreter, as the `areasend` entry point does: the CLI's own settings, then
# `--help`, then a command; then the features, to show they still work and load what they need.
PROBE = """
import contextlib, io, json, sys
from areasend.cli import main

ON_DEMAND = {on_demand!r}

def loaded():
    return sorted(name for name in ON_DEMAND if name in sys.modules)

report = {{}}
out = io.StringIO()
with contextlib.redirect_stdout(out):
    main(["--help"])
    report["help"] = loaded()
    report["help_set_up_the_models"] = "django.db.models" in sys.modules
    main(["calendar", "add-working-days", "2025-01-06", "5"])
    report["command"] = loaded()
report["output"] = out.getvalue()

from areasend.analytics.pack import build_pack
from areasend.datapack import exports

xlsx = exports.xlsx_bytes(build_pack("E06000017", None, ()))
report["xlsx_is_a_zip"] = xlsx.startswith(b"PK")

from django.urls import get_resolver

report["routes"] = len(get_resolver().url_patterns)
report["after_use"] = loaded()
print(json.dumps(report))
"""


def test_a_command_starts_without_the_libraries_behind_pages(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env["AREASEND_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(on_demand=ON_DEMAND)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert "Available subcommands:" in report["output"] and "[datapack]" in report["output"]
    assert report["output"].endswith("2025-01-13\n")
    assert report["help"] == [] and not report["help_set_up_the_models"]
    assert report["command"] == []
    # The probe sees the libraries once the features are used: XLSX, DuckDB, the pages and the API.
    assert report["xlsx_is_a_zip"] and report["routes"] > 5
    assert {"openpyxl", "duckdb", "ninja", "pydantic", "areasend.urls"} <= set(report["after_use"])


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [False, True])
def test_help_lists_what_djangos_help_lists(monkeypatch: pytest.MonkeyPatch, terminal: bool) -> None:
    monkeypatch.delenv("DJANGO_COLORS", raising=False)
    if terminal:  # app headings in colour, as Django colours them
        monkeypatch.setattr(sys, "stdout", _Terminal())
    ours = help_text() or ""
    assert ours == ManagementUtility(["areasend", "help"]).main_help_text()
    assert ("\x1b[" in ours) is terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", ours)
    assert "\n[frameworks]\n    calendar\n    frameworks\n    timeline\n" in plain


def test_help_leaves_apps_it_cannot_read_to_django() -> None:
    assert (commands_by_app(["areasend.core"]) or {})["demo"] == "areasend.core"
    assert commands_by_app(["areasend.core.apps.CoreConfig"]) is None
    assert commands_by_app(["areasend.no_such_app"]) is None


def test_every_product_command_runs_the_checks_except_the_url_checks() -> None:
    product = {name: app for name, app in get_commands().items() if app.startswith("areasend.")}
    assert {"calendar", "datapack", "demo", "frameworks", "timeline"} <= product.keys()
    for name, app in product.items():
        command = load_command_class(app, name)
        assert command.requires_system_checks == COMMAND_CHECKS, name
    assert checks.Tags.urls not in COMMAND_CHECKS
    assert set(registry.tags_available()) - {checks.Tags.urls} <= set(COMMAND_CHECKS)


@pytest.fixture
def registered_check():  # type: ignore[no-untyped-def]
    added: list[Callable[..., list[checks.CheckMessage]]] = []

    def register(tag: str) -> None:
        def failing(app_configs, **kwargs):  # type: ignore[no-untyped-def]
            return [checks.Error(f"a failing {tag} check", id=f"test.E{len(added)}")]

        checks.register(failing, tag)
        added.append(failing)

    yield register
    for check in added:
        registry.registered_checks.discard(check)


def test_a_failing_model_check_still_stops_a_product_command(registered_check) -> None:  # type: ignore[no-untyped-def]
    registered_check(checks.Tags.models)
    with pytest.raises(SystemCheckError, match="a failing models check"):
        call_command("calendar", "add-working-days", "2025-01-06", "5", skip_checks=False)


def test_a_product_command_leaves_the_url_checks_to_check_and_runserver(registered_check, capsys) -> None:  # type: ignore[no-untyped-def]
    registered_check(checks.Tags.urls)
    call_command("calendar", "add-working-days", "2025-01-06", "5", skip_checks=False)
    assert capsys.readouterr().out == "2025-01-13\n"
    with pytest.raises(SystemCheckError, match="a failing urls check"):
        call_command("check")
