"""The national history in the framework files' own keys: the import's key file, the data migration
that filled the keys for rows stored before them, and the area page that reads them with labels."""

from __future__ import annotations

import importlib
import shutil
from copy import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from areasend.conftest import signed_in
from areasend.frameworks.selectors import available_frameworks
from areasend.history.models import PublishedInspection
from areasend.history.reference_data import DATA_DIR
from areasend.history.services import (
    FrameworkKeysError,
    framework_keys,
    framework_keys_problems,
    history_import,
)

pytestmark = pytest.mark.django_db

FILL = importlib.import_module("areasend.history.migrations.0003_fill_framework_keys")
AFTER_3 = importlib.import_module(
    "areasend.history.migrations.0006_strategic_plan_update_after_outcomes_1_and_2"
)
NEW = (
    "kind",
    "outcome_key",
    "outcome",
    "documents_required",
    "findings",
    "visit_result",
    "judgements",
    "next_visit",
)


def test_every_field_and_key_of_the_key_file_exists() -> None:
    keys = framework_keys()
    assert set(keys) == {"local-area-send-2016", "area-send-2023"}
    assert framework_keys_problems(keys, available_frameworks()) == []


def test_a_key_the_framework_does_not_have_stops_the_import(tmp_path: Path) -> None:
    keys = framework_keys()
    keys["local-area-send-2016"]["visit"] = "revisiting"
    keys["local-area-send-2016"]["finding_counts"] = {"weaknesses": "significant_weakness"}
    assert framework_keys_problems(keys, available_frameworks()) == [
        (
            "local-area-send-2016.finding_counts.weaknesses",
            "'weaknesses' is not a field of the rows the file reader gives",
        ),
        ("local-area-send-2016.visit", "'revisiting' is not a follow-up visit"),
        ("local-area-send-2016.visit_result.values.all", "'sufficient_in_all' is not an overall result"),
        ("local-area-send-2016.visit_result.values.some", "'sufficient_in_some' is not an overall result"),
        ("local-area-send-2016.visit_result.values.none", "'sufficient_in_none' is not an overall result"),
        (
            "local-area-send-2016.judgement_counts.weaknesses_sufficient",
            "'sufficient_progress' is not a judgement",
        ),
        (
            "local-area-send-2016.judgement_counts.weaknesses_insufficient",
            "'insufficient_progress' is not a judgement",
        ),
    ]
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "framework_keys.yaml").write_text(
        "local-area-send-2016:\n  outcome: {field: wsoa, values: {true: wsoa_needed}}\n"
    )
    before = PublishedInspection.objects.count()
    with pytest.raises(FrameworkKeysError) as caught:
        history_import(directory=data)
    assert str(caught.value).splitlines() == [
        "framework_keys.yaml: local-area-send-2016.outcome.field: 'wsoa' is not a field of the rows the file reader gives",
        "framework_keys.yaml: local-area-send-2016.outcome.values.True: 'wsoa_needed' is not an outcome",
    ]
    assert PublishedInspection.objects.count() == before


def test_the_import_stores_each_regime_in_its_own_keys() -> None:
    durham = PublishedInspection.objects.get(
        area__ons_code="E06000047", kind="full", framework_id="local-area-send-2016"
    )
    assert (durham.outcome_key, durham.outcome, durham.documents_required) == ("wsoa_required", 2, ["wsoa"])
    assert set(durham.findings) == {"significant_weakness"} and durham.findings["significant_weakness"] > 0
    revisit = PublishedInspection.objects.get(area__ons_code="E06000047", kind="revisit")
    assert revisit.visit_result in {"sufficient_in_all", "sufficient_in_some", "sufficient_in_none"}
    assert set(revisit.judgements) <= {"sufficient_progress", "insufficient_progress"}
    bracknell = PublishedInspection.objects.get(area__ons_code="E06000036", framework_id="area-send-2023")
    assert (bracknell.outcome_key, bracknell.outcome) == ("widespread_systemic_failings", 3)
    # after outcome 3 the reports ask for a priority action plan, not an updated strategic plan
    assert bracknell.documents_required == ["priority_action_plan"]
    assert bracknell.next_visit == "monitoring_inspection" and bracknell.next_visit_by is not None


class _Rows:
    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def all(self) -> list[Any]:
        return self.rows

    def filter(self, **kwargs: Any) -> Any:
        return SimpleNamespace(first=lambda: None)


class _Apps3:
    """The rows as migration 0006 reads them (outcome 3 of the 2023 framework)."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def get_model(self, app: str, name: str) -> Any:
        rows = self.rows

        def filter_(**kwargs: Any) -> list[Any]:
            return [r for r in rows if all(getattr(r, k) == v for k, v in kwargs.items())]

        for row in rows:
            row.save = lambda **kwargs: None
        return SimpleNamespace(objects=SimpleNamespace(filter=filter_))


def _apps(rows: list[Any]) -> Any:
    models = {
        ("history", "PublishedInspection"): SimpleNamespace(objects=_Rows(rows)),
        ("inspections", "Inspection"): SimpleNamespace(objects=_Rows([])),
        ("inspections", "Finding"): SimpleNamespace(objects=_Rows([])),
    }
    return SimpleNamespace(get_model=lambda app, name: models[(app, name)])


def test_the_data_migration_gives_the_old_columns_the_keys_the_import_gives() -> None:
    """Every stored row, taken back to the old columns and filled again, gets the same keys."""
    stored = list(PublishedInspection.objects.all())
    rows = []
    for record in stored:
        row = SimpleNamespace(
            **{f.attname: getattr(record, f.attname) for f in PublishedInspection._meta.concrete_fields},
            **dict.fromkeys(
                ("wsoa_required", "significant_weaknesses", "priority_action_plan_required"), None
            ),
            **dict.fromkeys(("weaknesses_sufficient", "weaknesses_insufficient"), None),
            revisit_result="",
            save=lambda: None,
        )
        rows.append(row)
    FILL.unfill(_apps(rows), None)
    old = [copy(row) for row in rows]
    assert {r.revisit_result for r in old if r.kind == "revisit"} == {"all", "some", "none"}
    assert sum(r.wsoa_required is True for r in old) == 82
    for row in rows:  # the new columns as they were before the migration
        row.outcome_key, row.documents_required, row.findings = "", None, {}
        row.visit_result, row.judgements, row.next_visit = "", {}, ""
        if row.framework_id == "local-area-send-2016":
            row.outcome = None
    FILL.fill(_apps(rows), None)
    AFTER_3.forwards(_Apps3(rows), None)  # and the strategic plan only after outcomes 1 and 2
    assert [tuple(getattr(r, name) for name in NEW) for r in rows] == [
        tuple(getattr(r, name) for name in NEW) for r in stored
    ]


def test_the_area_page_reads_each_row_with_its_frameworks_labels(page_client: Any, viewer: Any) -> None:
    signed_in(page_client, viewer)
    section = page_client.get("/areas/E06000036/").content.decode().split('id="inspection-history"')[1]
    assert "Area SEND inspection (2023)" in section and "Widespread and/or systemic failings" in section
    due = PublishedInspection.objects.get(
        area__ons_code="E06000036", framework_id="area-send-2023"
    ).next_visit_by
    assert due is not None and f"Monitoring inspection by {due:%B %Y}" in section
    section = page_client.get("/areas/E06000047/").content.decode().split('id="inspection-history"')[1]
    assert "Local area SEND inspection (2016)" in section and "Revisit" in section
    assert "Written statement of action required" in section and "area of significant weakness" in section
    assert "sufficient progress" in section
