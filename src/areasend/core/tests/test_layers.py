"""Apps import only the apps below them: what hangs from an inspection registers itself instead."""

from __future__ import annotations

import ast
from pathlib import Path

import areasend

ROOT = Path(areasend.__file__).parent

# app -> apps it must never import (the ones that hang from it)
ABOVE = {
    "domain": {
        "core",
        "accounts",
        "areas",
        "history",
        "frameworks",
        "inspections",
        "followup",
        "programme",
        "datapack",
        "api",
        "analytics",
    },
    "inspections": {"followup", "programme", "datapack", "api"},
    "followup": {"programme", "datapack", "api"},
    "programme": {"datapack", "api"},
}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_app_imports_an_app_that_hangs_from_it() -> None:
    problems = []
    for app, forbidden in ABOVE.items():
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for module in _imports(path):
                parts = module.split(".")
                if parts[0] == "areasend" and len(parts) > 1 and parts[1] in forbidden:
                    problems.append(f"{path.relative_to(ROOT)} imports {module}")
    assert problems == []


def test_the_layer_check_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from areasend.followup.models import Plan\nimport areasend.programme.models\n")
    assert _imports(bad) == {"areasend.followup.models", "areasend.programme.models"}
