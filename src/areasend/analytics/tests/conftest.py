"""Fixtures: the shipped raw files loaded once per test session."""

from __future__ import annotations

from typing import Any

import pytest

from areasend.analytics.ingest import RAW_DIR, load_database
from areasend.analytics.pack import DataPackBuilder

ESSEX = "E10000012"
BARNSLEY = "E08000038"
BARNSLEY_OLD = "E08000016"
WESTMINSTER = "E09000033"
RUTLAND = "E06000017"
SAMPLE_AREAS = {ESSEX: "881", BARNSLEY: "370", WESTMINSTER: "213", RUTLAND: "857"}


@pytest.fixture(scope="session")
def builder() -> DataPackBuilder:
    db = load_database(RAW_DIR)
    try:
        return DataPackBuilder.from_database(db)
    finally:
        db.close()


@pytest.fixture(scope="session")
def packs(builder: DataPackBuilder) -> dict[str, dict[str, Any]]:
    return builder.all_packs()


def entry(pack: dict[str, Any], code: str) -> dict[str, Any]:
    return next(e for e in pack["indicators"] if e["code"] == code)
