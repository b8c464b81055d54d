"""Test helpers: an installation with framework versions loaded before criteria and vocabulary rows.

The fixtures are the shipped files as they were then (area-send-2023 version 6, local-area-send-2016
version 4, without vocabularies). `install_legacy_version` stores one as the loader did then (the
row alone), then runs the data migration that gives such versions their rows.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from areasend.domain.frameworks import load_framework_text
from areasend.frameworks.models import FrameworkVersion
from areasend.frameworks.services import checksum

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY_2023 = FIXTURES / "area-send-2023-v6.yaml"
LEGACY_2016 = FIXTURES / "local-area-send-2016-v4.yaml"


@cache
def historical_apps(app: str, migration: str) -> Apps:
    """The models as they were right after ``migration`` (what a data migration sees)."""
    return MigrationExecutor(connection).loader.project_state((app, migration)).apps


def run_data_migration(app: str, migration: str, function: str) -> None:
    module = importlib.import_module(f"areasend.{app}.migrations.{migration}")
    getattr(module, function)(historical_apps(app, migration), None)


def store_as_before(path: Path) -> FrameworkVersion:
    """The version row alone, as the loader stored it before rows existed."""
    text = path.read_text(encoding="utf-8")
    framework = load_framework_text(text, path.name)
    record = FrameworkVersion(
        framework_id=framework.id,
        version=framework.version,
        title=framework.title,
        source_name=path.name,
        raw_text=text,
        sha256=checksum(text),
        parsed=framework.model_dump(mode="json", by_alias=True),
        in_force_from=framework.in_force_from,
        in_force_to=framework.in_force_to,
    )
    record.save()
    return record


def install_legacy_version(path: Path) -> FrameworkVersion:
    record = store_as_before(path)
    run_data_migration("frameworks", "0003_rows_for_loaded_versions", "materialise")
    return record


def legacy_versions() -> dict[str, Any]:
    return {record.framework_id: record for record in map(install_legacy_version, (LEGACY_2023, LEGACY_2016))}
