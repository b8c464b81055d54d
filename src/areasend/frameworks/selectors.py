"""Reads for inspection frameworks.

Frameworks are national reference data: every user allowed ``frameworks.view`` sees all of them, so
the selectors take the viewer only to keep the same shape as every other app's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from django.db import DatabaseError
from django.db.models import QuerySet
from django.http import Http404

from areasend.domain.vocabulary import VocabularyKind

if TYPE_CHECKING:  # the schema (pydantic) loads where frameworks are read, not with the selectors
    from areasend.domain.frameworks import Framework

from .models import Criterion, FrameworkVersion, VocabularyTerm


def loaded_versions(*, user: Any = None) -> QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.order_by("framework_id", "-version")


def latest_versions(*, user: Any = None) -> list[FrameworkVersion]:
    """The highest loaded version of each framework."""
    latest: dict[str, FrameworkVersion] = {}
    for record in loaded_versions(user=user).defer("raw_text", "parsed"):
        latest.setdefault(record.framework_id, record)
    return sorted(latest.values(), key=lambda r: (r.in_force_from, r.framework_id))


def framework_get(*, user: Any = None, framework_id: str, version: int | None = None) -> FrameworkVersion:
    """The latest (or the given) loaded version of a framework; 404 when there is none."""
    records = FrameworkVersion.objects.filter(framework_id=framework_id)
    if version is not None:
        records = records.filter(version=version)
    record = records.order_by("-version").first()
    if record is None:
        raise Http404("No such framework version")
    return record


def other_versions(*, user: Any = None, framework_id: str) -> list[int]:
    return list(
        FrameworkVersion.objects.filter(framework_id=framework_id)
        .order_by("-version")
        .values_list("version", flat=True)
    )


def previous_in_force(*, user: Any = None, record: FrameworkVersion) -> FrameworkVersion | None:
    """The loaded version in force before ``record``: the latest version of the edition before it,
    or, for a framework's first edition, the version of it that ``record`` replaced (ADR 26)."""
    from areasend.domain.frameworks.editions import previous_edition

    records = list(FrameworkVersion.objects.filter(framework_id=record.framework_id).defer("raw_text"))
    return previous_edition(records, record)


# -- criteria and vocabularies of a loaded version (rows written by the loader) ---------------------


def criteria_of(version: FrameworkVersion | int) -> QuerySet[Criterion]:
    """A version's key questions and evaluation criteria, in tree order."""
    return Criterion.objects.filter(framework_version=version).order_by("order")


def criterion_get(*, version: FrameworkVersion | int, code: str) -> Criterion | None:
    return Criterion.objects.filter(framework_version=version, code=code).first()


def vocabulary(version: FrameworkVersion | int, kind: VocabularyKind) -> QuerySet[VocabularyTerm]:
    """One vocabulary of a version (its sectors, say), in file order."""
    return VocabularyTerm.objects.filter(framework_version=version, vocabulary=kind).order_by("order")


def term_get(*, version: FrameworkVersion | int, kind: VocabularyKind, code: str) -> VocabularyTerm | None:
    return VocabularyTerm.objects.filter(framework_version=version, vocabulary=kind, code=code).first()


def term_choices(version: FrameworkVersion | int, kind: VocabularyKind) -> list[tuple[str, str]]:
    """(code, label) of every term of a vocabulary: the options a form offers."""
    return list(vocabulary(version, kind).values_list("code", "label"))


def term_labels(version: FrameworkVersion | int, kind: VocabularyKind) -> dict[str, str]:
    return dict(term_choices(version, kind))


def term_labels_of(version: FrameworkVersion | int, codes: dict[VocabularyKind, str]) -> dict[str, str]:
    """The label of one code in each of several vocabularies, in one query (codes it lacks are left out)."""
    rows = VocabularyTerm.objects.filter(framework_version=version, vocabulary__in=list(codes)).values_list(
        "vocabulary", "code", "label"
    )
    return {kind: label for kind, code, label in rows if codes.get(kind) == code}  # type: ignore[call-overload]


@dataclass(frozen=True)
class KnownFramework:
    framework_id: str
    version: int
    title: str
    where: Literal["loaded", "shipped", "loaded and shipped"]


def _loaded_or_empty() -> list[FrameworkVersion]:
    """Loaded versions, or none when the database has not been set up (commands still work)."""
    try:
        return list(FrameworkVersion.objects.defer("raw_text").order_by("framework_id", "version"))
    except DatabaseError:
        return []


def known_frameworks() -> list[KnownFramework]:
    """Every framework version that is loaded or ships with areasend, one per id and version."""
    found: dict[tuple[str, int], KnownFramework] = {}
    for record in _loaded_or_empty():
        found[(record.framework_id, record.version)] = KnownFramework(
            record.framework_id, record.version, record.title, "loaded"
        )
    for framework in _shipped_all():
        key = (framework.id, framework.version)
        where: Literal["loaded", "shipped", "loaded and shipped"] = (
            "loaded and shipped" if key in found else "shipped"
        )
        found[key] = KnownFramework(framework.id, framework.version, framework.title, where)
    return [found[key] for key in sorted(found)]


def available_editions() -> dict[str, list[Framework]]:
    """Every version of each framework, loaded or shipped (a loaded one wins over the shipped file of
    the same version), as its editions in the order they came into force (ADR 26)."""
    from areasend.domain.frameworks.editions import editions

    found: dict[tuple[str, int], Framework] = {(f.id, f.version): f for f in _shipped_all()}
    for record in _loaded_or_empty():
        found[(record.framework_id, record.version)] = _framework_of_record(record)
    grouped: dict[str, list[Framework]] = {}
    for key in sorted(found):
        grouped.setdefault(key[0], []).append(found[key])
    return {key: editions(versions) for key, versions in grouped.items()}


def available_frameworks() -> dict[str, Framework]:
    """For timelines and figures: the latest edition of each framework, loaded or shipped."""
    return {key: chain[-1] for key, chain in available_editions().items()}


def version_in_force(
    *, framework_id: str, day: dt.date | None, or_latest: bool = True
) -> FrameworkVersion | None:
    """The loaded version of a framework that applies on ``day``: the latest version of the edition in
    force then. When ``day`` is None or no edition is in force then: the latest edition, or None
    without ``or_latest``."""
    from areasend.domain.frameworks.editions import edition_on, edition_or_current

    records = list(FrameworkVersion.objects.filter(framework_id=framework_id).defer("raw_text", "parsed"))
    if not or_latest:
        return edition_on(records, day) if day is not None else None
    return edition_or_current(records, day)


_FROM_RECORDS: dict[str, Framework] = {}


def _framework_of_record(record: FrameworkVersion) -> Framework:
    """A loaded version's framework, validated from its stored JSON once per checksum."""
    found = _FROM_RECORDS.get(record.sha256)
    if found is None:
        found = _FROM_RECORDS.setdefault(record.sha256, record.framework())
    return found


def _shipped_all() -> list[Framework]:
    """Every shipped framework file, each parsed once per content."""
    from areasend.domain.frameworks import shipped_framework_files

    found: list[Framework] = []
    for path in shipped_framework_files():
        text = path.read_text(encoding="utf-8")
        found.append(_parse(hashlib.sha256(text.encode("utf-8")).hexdigest(), text, str(path)))
    return found


def _shipped() -> dict[str, Framework]:
    """The shipped frameworks by id: the latest edition of each (ADR 26)."""
    from areasend.domain.frameworks.editions import by_framework, editions

    return {key: editions(versions)[-1] for key, versions in by_framework(_shipped_all()).items()}


def framework_for_display(framework_id: str, version: int | None = None) -> Framework | None:
    """A framework by id (and version), loaded or shipped; None when neither has it."""
    if version is None:
        return available_frameworks().get(framework_id)
    for record in _loaded_or_empty():
        if record.framework_id == framework_id and record.version == version:
            return _framework_of_record(record)
    return next((f for f in _shipped_all() if f.id == framework_id and f.version == version), None)


# -- the regime rules of versions loaded before the rules were declared ----------------------------


@lru_cache(maxsize=64)
def _parse(sha256: str, raw_text: str, name: str) -> Framework:
    from areasend.domain.frameworks import load_framework_text

    return load_framework_text(raw_text, name)


def _later_versions(framework_id: str, version: int) -> list[Framework]:
    """Versions of a framework after ``version``, loaded or shipped, lowest first."""
    found: dict[int, Framework] = {}
    try:
        records = list(
            FrameworkVersion.objects.filter(framework_id=framework_id, version__gt=version)
            .only("framework_id", "version", "sha256", "raw_text")
            .order_by("version")
        )
    except DatabaseError:
        records = []
    for record in records:
        found[record.version] = _parse(record.sha256, record.raw_text, f"{framework_id} v{record.version}")
    for shipped in _shipped_all():
        if shipped.id == framework_id and shipped.version > version:
            found.setdefault(shipped.version, shipped)
    return [found[v] for v in sorted(found)]


def with_declared_rules(framework: Framework) -> Framework:
    """The framework as inspections run under it: a version loaded before the regime rules were
    declared in the files borrows them from the first later version that declares them (ADR 18)."""
    from areasend.domain.frameworks import declares_rules, with_rules_from

    if declares_rules(framework):
        return framework
    for later in _later_versions(framework.id, framework.version):
        if declares_rules(later):
            return with_rules_from(framework, later)
    return framework


def with_declared_date_rules(framework: Framework) -> Framework:
    """The framework with date rules: a version loaded before events declared them borrows those of
    the shipped file of the same framework, when that is a later version (ADR 19)."""
    from areasend.domain.frameworks.date_order import declares_date_rules, with_date_rules_from

    if declares_date_rules(framework):
        return framework
    shipped = _shipped().get(framework.id)
    return framework if shipped is None else with_date_rules_from(framework, shipped)
