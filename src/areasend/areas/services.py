"""Writes for the register of local areas. Each call is one transaction with its audit record."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from areasend.core import audit

from .models import LocalArea, Partner, StatisticalNeighbour
from .reference_data import (
    DATA_DIR,
    SHIPPED_FROM_SHARED,
    ReferenceData,
    read_reference_data,
    resolve_la_number,
)

AREA_FIELDS = [
    "la_number",
    "name",
    "la_type",
    "region_code",
    "region_name",
    "status",
    "operational_from",
    "terminated_on",
    "ofsted_urn",
    "population_0_25",
]


@dataclass
class ImportReport:
    areas_created: int = 0
    areas_updated: int = 0
    areas_unchanged: int = 0
    neighbour_sets_replaced: int = 0
    neighbours_unchanged: int = 0
    partners_created: int = 0
    live_areas: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.areas_created or self.areas_updated or self.neighbour_sets_replaced or self.partners_created
        )

    def lines(self) -> list[str]:
        if not self.changed:
            return [
                f"No changes: {self.areas_unchanged} areas ({self.live_areas} live), "
                f"{self.neighbours_unchanged} statistical-neighbour lists and partners already up to date."
            ]
        return [
            f"Areas: {self.areas_created} created, {self.areas_updated} updated, "
            f"{self.areas_unchanged} unchanged ({self.live_areas} live).",
            f"Statistical neighbours: {self.neighbour_sets_replaced} lists written, "
            f"{self.neighbours_unchanged} unchanged.",
            f"Partners: {self.partners_created} created.",
        ]


def areas_import(*, directory: Path = DATA_DIR, actor: Any = None) -> ImportReport:
    """Load the register from the reference files. Idempotent; all or nothing."""
    data = read_reference_data(directory)
    with transaction.atomic():
        report = _apply(data)
        if report.changed:
            audit.record(
                actor=actor,
                action="areas.import",
                object_type="areas.localarea",
                object_repr="Register of local areas",
                changes={
                    "areas_created": report.areas_created,
                    "areas_updated": report.areas_updated,
                    "neighbour_sets_replaced": report.neighbour_sets_replaced,
                    "partners_created": report.partners_created,
                    "source": str(directory),
                },
            )
    return report


def _apply(data: ReferenceData) -> ImportReport:
    report = ImportReport()
    existing = {a.ons_code: a for a in LocalArea.objects.all()}
    by_code: dict[str, LocalArea] = {}
    for record in data.areas:
        extra = data.extras.get(record.ons_code)
        values = {
            "la_number": record.la_number,
            "name": record.name,
            "la_type": record.la_type,
            "region_code": record.region_code,
            "region_name": record.region_name,
            "status": record.status,
            "operational_from": record.operational_from,
            "terminated_on": record.terminated_on,
            "ofsted_urn": extra.ofsted_urn if extra else "",
            "population_0_25": extra.population_0_25 if extra else None,
        }
        area = existing.get(record.ons_code)
        if area is None:
            area = LocalArea(ons_code=record.ons_code, **values)
            area.full_clean()
            area.save()
            report.areas_created += 1
        elif any(getattr(area, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(area, key, value)
            area.full_clean()
            area.save()
            report.areas_updated += 1
        else:
            report.areas_unchanged += 1
        by_code[record.ons_code] = area
        if record.status == "live":
            report.live_areas += 1

    number_to_code = {n: a.ons_code for n, a in resolve_la_number(data.areas).items()}
    for model, rows in data.neighbours.items():
        wanted: dict[str, list[tuple[int, str, str]]] = {}
        for row in rows:
            area_code = number_to_code[row.la_number]
            wanted.setdefault(area_code, []).append(
                (row.rank, number_to_code[row.neighbour_la_number], row.closeness)
            )
        current: dict[str, list[tuple[int, str, str]]] = {}
        for link in StatisticalNeighbour.objects.filter(model=model).select_related("area", "neighbour"):
            current.setdefault(link.area.ons_code, []).append(
                (link.rank, link.neighbour.ons_code, link.closeness)
            )
        for area_code, links in wanted.items():
            if sorted(links) == sorted(current.get(area_code, [])):
                report.neighbours_unchanged += 1
                continue
            area = by_code[area_code]
            StatisticalNeighbour.objects.filter(area=area, model=model).delete()
            StatisticalNeighbour.objects.bulk_create(
                StatisticalNeighbour(
                    area=area, neighbour=by_code[code], model=model, rank=rank, closeness=closeness
                )
                for rank, code, closeness in sorted(links)
            )
            report.neighbour_sets_replaced += 1

    report.partners_created += _ensure_partners(data, by_code)
    return report


def _ensure_partners(data: ReferenceData, by_code: dict[str, LocalArea]) -> int:
    """Create each live area's local-authority and ICB partners where missing; never undo edits."""
    created = 0
    have = set(Partner.objects.values_list("area__ons_code", "kind", "code"))
    for code, area in by_code.items():
        if area.is_live and (code, Partner.LOCAL_AUTHORITY, code) not in have:
            partner = Partner(area=area, kind=Partner.LOCAL_AUTHORITY, name=area.name, code=code)
            partner.full_clean()
            partner.save()
            created += 1
    for icb in data.icbs:
        if (icb.ons_code, Partner.ICB, icb.icb_code) in have:
            continue
        area = by_code[icb.ons_code]
        if not area.is_live:
            continue
        if not Partner.objects.filter(area=area, kind=Partner.ICB, name=icb.icb_name).exists():
            partner = Partner(
                area=area, kind=Partner.ICB, name=icb.icb_name, code=icb.icb_code, notes=icb.note
            )
            partner.full_clean()
            partner.save()
        have.add((icb.ons_code, Partner.ICB, icb.icb_code))
        created += 1
    return created


PARTNER_FIELDS = ["kind", "name", "code", "notes"]


def partner_save(*, partner: Partner, actor: Any) -> Partner:
    """Create or update a partner of an area."""
    creating = partner.pk is None
    before = {} if creating else dict(Partner.objects.filter(pk=partner.pk).values(*PARTNER_FIELDS).get())
    partner.full_clean()
    with transaction.atomic():
        partner.save()
        audit.record(
            actor=actor,
            action="partner.create" if creating else "partner.update",
            obj=partner,
            changes=audit.model_changes(partner, PARTNER_FIELDS, before),
        )
    return partner


PARTNER_IN_USE = (
    "{partner} cannot be removed: inspection findings or plan actions name it as responsible. "
    "Change those first."
)


def partner_delete(*, partner: Partner, actor: Any) -> None:
    if (
        partner.kind == Partner.LOCAL_AUTHORITY
        and partner.area.partners.filter(kind=Partner.LOCAL_AUTHORITY).count() == 1
    ):
        raise ValidationError("An area must keep its local authority partner.")
    try:
        with transaction.atomic():
            audit.record(actor=actor, action="partner.delete", obj=partner, changes={"name": partner.name})
            partner.delete()
    except ProtectedError:
        raise ValidationError(PARTNER_IN_USE.format(partner=partner.name)) from None


def refresh_reference_data(*, shared_data_dir: Path, destination: Path = DATA_DIR) -> list[str]:
    """Copy the register's reference files from the shared data folder (a build-time step).

    Files are checked before anything is replaced, so a bad source leaves the shipped copies alone:
    by the register's reader, and by loading the data pack's statistics with them (the data pack
    reads its register and statistical neighbours from these files too).
    """
    missing = [rel for rel in SHIPPED_FROM_SHARED.values() if not (shared_data_dir / rel).is_file()]
    if missing:
        raise FileNotFoundError(f"Not found under {shared_data_dir}: {', '.join(missing)}")
    staging = destination / ".staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        for name, rel in SHIPPED_FROM_SHARED.items():
            shutil.copyfile(shared_data_dir / rel, staging / name)
        for extra in destination.glob("la_icb.csv"):
            shutil.copyfile(extra, staging / extra.name)
        read_reference_data(staging)
        from areasend.analytics.ingest import load_database  # DuckDB: only when refreshing

        load_database(register_dir=staging).close()
        copied = []
        for name in SHIPPED_FROM_SHARED:
            shutil.copyfile(staging / name, destination / name)
            copied.append(name)
        return copied
    finally:
        shutil.rmtree(staging, ignore_errors=True)
