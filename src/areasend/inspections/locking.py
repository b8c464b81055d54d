"""Locking an inspection for a change, and counting the change (see ADR 16): every service that
changes an inspection locks its row, checks its guards on what is stored, and adds one to its
version in the same transaction."""

from __future__ import annotations

from django.db.models import F

from .errors import StaleVersion
from .models import Inspection

STALE_INSPECTION = (
    "This inspection was changed by someone else since you opened this page: "
    "check what changed and try again."
)


def lock_inspection(inspection: Inspection, *, expected_version: int | None = None) -> Inspection:
    """Re-read the inspection's row under a lock, inside the caller's transaction, so that guards are
    checked on what is stored rather than on what a page read earlier (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite lets one writer in at a time). The caller's object is refreshed in place.

    Given `expected_version` (what the caller read), refuses when the stored version differs."""
    fresh = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection.state, inspection.outcome, inspection.title = fresh.state, fresh.outcome, fresh.title
    inspection.updated_at, inspection.version = fresh.updated_at, fresh.version
    if expected_version is not None and expected_version != fresh.version:
        raise StaleVersion(STALE_INSPECTION)
    return inspection


def count_change(inspection: Inspection) -> None:
    """One more change to the inspection: its version goes up by one, in the service's transaction and
    on the row it has locked (so it rolls back with a refusal)."""
    Inspection.objects.filter(pk=inspection.pk).update(version=F("version") + 1)
    inspection.version += 1
