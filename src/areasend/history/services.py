"""Writes for inspection history: the idempotent import of Ofsted's published data."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from django.db import transaction

from areasend.areas.models import LocalArea
from areasend.core import audit
from areasend.domain.intake import IntakeError

from .models import PublishedInspection
from .reference_data import DATA_DIR, SHIPPED_FROM_SHARED, InspectionRow, read_history

ROW_FIELDS = [
    f.name
    for f in fields(InspectionRow)
    if f.name not in {"source", "source_key", "line", "area_code", "follows_key"}
]


@dataclass
class HistoryImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    scraped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        total = self.created + self.updated + self.unchanged
        if not self.changed:
            return [f"No changes: {total} published inspections and revisits already up to date."]
        return [
            f"Published inspections and revisits: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged ({self.scraped} from scraped reports, flagged as less reliable)."
        ]


def history_import(*, directory: Path = DATA_DIR, actor: Any = None) -> HistoryImportReport:
    areas = list(LocalArea.objects.all())
    by_number: dict[str, LocalArea] = {}
    for area in areas:
        if area.la_number and (area.la_number not in by_number or area.is_live):
            by_number[area.la_number] = area
    number_to_code = {n: a.ons_code for n, a in by_number.items()}
    code_to_name = {a.ons_code: a.name for a in areas}
    rows, problems = read_history(directory, number_to_code, code_to_name)
    if problems:
        raise IntakeError(problems)
    area_ids = {a.ons_code: a.pk for a in areas}
    report = HistoryImportReport()
    with transaction.atomic():
        existing = {(p.source, p.source_key): p for p in PublishedInspection.objects.all()}
        saved: dict[tuple[str, str], PublishedInspection] = {}
        for row in rows:
            values = {name: getattr(row, name) for name in ROW_FIELDS}
            values["area_id"] = area_ids[row.area_code]
            values["follows"] = saved.get((row.source, row.follows_key)) if row.follows_key else None
            record = existing.get((row.source, row.source_key))
            if record is None:
                record = PublishedInspection(source=row.source, source_key=row.source_key, **values)
                record.full_clean()
                record.save()
                report.created += 1
            elif any(getattr(record, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(record, key, value)
                record.full_clean()
                record.save()
                report.updated += 1
            else:
                report.unchanged += 1
            if row.reliability == PublishedInspection.SCRAPED:
                report.scraped += 1
            saved[(row.source, row.source_key)] = record
        if report.changed:
            audit.record(
                actor=actor,
                action="history.import",
                object_type="history.publishedinspection",
                object_repr="Published inspection history",
                changes={"created": report.created, "updated": report.updated, "source": str(directory)},
            )
    return report


def refresh_history_data(*, shared_data_dir: Path, destination: Path = DATA_DIR) -> list[str]:
    """Copy Ofsted's published data from the shared data folder (a build-time step)."""
    missing = [rel for rel in SHIPPED_FROM_SHARED.values() if not (shared_data_dir / rel).is_file()]
    if missing:
        raise FileNotFoundError(f"Not found under {shared_data_dir}: {', '.join(missing)}")
    for name, rel in SHIPPED_FROM_SHARED.items():
        shutil.copyfile(shared_data_dir / rel, destination / name)
    return list(SHIPPED_FROM_SHARED)
