"""Writes for inspection history: the idempotent import of Ofsted's published data.

The files' columns are stored in the framework files' own keys (``data/framework_keys.yaml`` says
which column means which key); the follow-up documents an outcome requires come from the framework
file's ``required_when``.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db import transaction

from areasend.areas.models import LocalArea
from areasend.core import audit
from areasend.domain.intake import IntakeError
from areasend.frameworks.selectors import available_editions

if TYPE_CHECKING:  # the schema (pydantic) loads when the history is imported, not with the app
    from areasend.domain.frameworks import Framework

from .models import PublishedInspection
from .reference_data import DATA_DIR, SHIPPED_FROM_SHARED, InspectionRow, read_history
from .visit_due import visit_due

KEYS_NAME = "framework_keys.yaml"
KEYS_FILE = DATA_DIR / KEYS_NAME  # used when the directory imported from has none of its own
# Stored as read, whatever the framework.
COPIED_FIELDS = (
    "framework_id",
    "started_on",
    "ended_on",
    "published_on",
    "outcome_text",
    "next_inspection_interval",
    "next_inspection_by",
    "report_url",
    "reliability",
    "corrected",
)
ROW_FIELDS = frozenset(f.name for f in fields(InspectionRow))
VISIT_ROW = "visit"  # the kind the file reader gives a row that describes a follow-up visit

BAD_KEYS = "{file}: {where}: {problem}"


class FrameworkKeysError(ValueError):
    """The keys file names a field the reader does not give, or a key the framework does not have."""


def framework_keys(path: Path = KEYS_FILE) -> dict[str, dict[str, Any]]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): v or {} for k, v in loaded.items()}


def framework_keys_problems(
    keys: dict[str, dict[str, Any]], frameworks: dict[str, Framework]
) -> list[tuple[str, str]]:
    """(where, problem) for every field and key of the keys file that does not exist."""
    found: list[tuple[str, str]] = []

    def field_of(where: str, name: object) -> None:
        if name not in ROW_FIELDS:
            found.append((where, f"{name!r} is not a field of the rows the file reader gives"))

    for framework_id, spec in keys.items():
        fw = frameworks.get(framework_id)
        if fw is None:
            found.append((framework_id, "is not a framework areasend knows"))
            continue
        outcome = spec.get("outcome") or {}
        if outcome:
            field_of(f"{framework_id}.outcome.field", outcome.get("field"))
        for value, key in (outcome.get("values") or {}).items():
            if fw.outcome(key) is None:
                found.append((f"{framework_id}.outcome.values.{value}", f"{key!r} is not an outcome"))
        for name, kind in (spec.get("finding_counts") or {}).items():
            field_of(f"{framework_id}.finding_counts.{name}", name)
            if fw.finding_kind(kind) is None:
                found.append((f"{framework_id}.finding_counts.{name}", f"{kind!r} is not a finding kind"))
        visit = fw.visit(spec["visit"]) if spec.get("visit") else None
        if spec.get("visit") and visit is None:
            found.append((f"{framework_id}.visit", f"{spec['visit']!r} is not a follow-up visit"))
        options = {o.key for s in (visit.judgement_scales if visit else ()) for o in s.options}
        result = spec.get("visit_result") or {}
        if result:
            field_of(f"{framework_id}.visit_result.field", result.get("field"))
        overall = visit.overall_scale if visit else None
        for value, key in (result.get("values") or {}).items():
            if overall is None or overall.option(key) is None:
                found.append(
                    (f"{framework_id}.visit_result.values.{value}", f"{key!r} is not an overall result")
                )
        for name, key in (spec.get("judgement_counts") or {}).items():
            field_of(f"{framework_id}.judgement_counts.{name}", name)
            if key not in options:
                found.append((f"{framework_id}.judgement_counts.{name}", f"{key!r} is not a judgement"))
        next_visit = spec.get("next_visit") or {}
        if next_visit:
            if "field" in next_visit:  # without a field, the due date is worked out from the framework
                field_of(f"{framework_id}.next_visit.field", next_visit.get("field"))
            if fw.visit(next_visit.get("visit", "")) is None:
                found.append(
                    (
                        f"{framework_id}.next_visit.visit",
                        f"{next_visit.get('visit')!r} is not a follow-up visit",
                    )
                )
    return found


def documents_required(framework: Framework, events: dict[str, Any]) -> list[str]:
    """The follow-up documents the framework requires after these events (its ``required_when``)."""
    return [
        d.key
        for d in framework.follow_up_documents
        if all(str(events.get(name, "")) in values for name, values in d.required_when.items())
    ]


def row_values(
    row: InspectionRow,
    spec: dict[str, Any],
    framework: Framework | None,
    editions: Sequence[Framework] | None = None,
) -> dict[str, Any]:
    """A row of Ofsted's files as the national history stores it, in the framework's keys.
    ``editions`` (all versions of the framework; default: ``framework`` alone) give the rule for when
    the next follow-up visit is due: that of the version in force for the inspection (ADR 26)."""
    values: dict[str, Any] = {name: getattr(row, name) for name in COPIED_FIELDS}
    visit_row = row.kind == VISIT_ROW
    values["kind"] = spec.get("visit", row.kind) if visit_row else PublishedInspection.FULL
    values.update(
        outcome_key="",
        outcome=None,
        documents_required=None,
        findings={},
        visit_result="",
        judgements={},
        next_visit="",
        next_visit_by=None,
    )
    if visit_row:
        result = spec.get("visit_result") or {}
        if result:
            raw = getattr(row, result["field"])
            values["visit_result"] = (result.get("values") or {}).get(raw, raw or "")
        for name, key in (spec.get("judgement_counts") or {}).items():
            if getattr(row, name) is not None:
                values["judgements"][key] = getattr(row, name)
        return values
    outcome_spec = spec.get("outcome") or {}
    if outcome_spec:
        raw = getattr(row, outcome_spec["field"])
        mapped = (outcome_spec.get("values") or {}).get(raw, raw) if raw is not None else None
        outcome = framework.outcome(mapped) if framework is not None and mapped is not None else None
        if outcome is not None and framework is not None:
            values.update(
                outcome_key=outcome.key,
                outcome=outcome.number,
                documents_required=documents_required(framework, {"outcome": outcome.key}),
            )
    for name, kind in (spec.get("finding_counts") or {}).items():
        if getattr(row, name) is not None:
            values["findings"][kind] = getattr(row, name)
    next_visit = spec.get("next_visit") or {}
    if next_visit and "field" in next_visit:
        if getattr(row, next_visit["field"]) is not None:
            values.update(next_visit=next_visit["visit"], next_visit_by=getattr(row, next_visit["field"]))
    elif next_visit and values["outcome_key"]:
        versions = list(editions) if editions else ([framework] if framework is not None else [])
        due = visit_due(
            versions,
            next_visit["visit"],
            area_code=row.area_code,
            started=row.started_on,
            ended=row.ended_on,
            published=row.published_on,
            outcome=values["outcome_key"],
        )
        if due is not None:
            values.update(next_visit=next_visit["visit"], next_visit_by=due)
    return values


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
    editions = available_editions()
    frameworks = {key: chain[-1] for key, chain in editions.items()}
    keys_file = directory / KEYS_NAME if (directory / KEYS_NAME).is_file() else KEYS_FILE
    keys = framework_keys(keys_file)
    wrong = framework_keys_problems(keys, frameworks)
    if wrong:
        raise FrameworkKeysError(
            "\n".join(BAD_KEYS.format(file=keys_file.name, where=w, problem=p) for w, p in wrong)
        )
    area_ids = {a.ons_code: a.pk for a in areas}
    report = HistoryImportReport()
    with transaction.atomic():
        existing = {(p.source, p.source_key): p for p in PublishedInspection.objects.all()}
        saved: dict[tuple[str, str], PublishedInspection] = {}
        for row in rows:
            values = row_values(
                row,
                keys.get(row.framework_id, {}),
                frameworks.get(row.framework_id),
                editions.get(row.framework_id),
            )
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
