"""Writes for inspection frameworks: loading a framework file, one transaction with its audit record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from areasend.core import audit
from areasend.domain.frameworks import (
    VOCABULARY_KINDS,
    Framework,
    FrameworkFileError,
    Problem,
    load_framework_file,
    load_framework_text,
    read_framework_file,
    shipped_framework_files,
    undeclared_rule_problems,
)
from areasend.domain.frameworks.editions import edition_problems

from .models import Criterion, FrameworkVersion, VocabularyTerm

MSG_CHANGED_WITHOUT_NEW_VERSION = (
    "{framework_id} version {version} is already loaded with different content "
    "(loaded sha256 {loaded}, this file {new}): a changed framework needs a new version number"
)
MSG_NO_VOCABULARIES = (
    "{framework_id} version {version} declares no vocabularies: add a 'vocabularies' section "
    "(sectors, age phases, evidence sources, activity types and plan statuses) before loading it"
)


@dataclass(frozen=True)
class LoadResult:
    framework_id: str
    version: int
    title: str
    action: Literal["loaded", "unchanged"]
    record: FrameworkVersion

    def line(self) -> str:
        verb = "Loaded" if self.action == "loaded" else "Already loaded, unchanged:"
        return f"{verb} {self.framework_id} version {self.version} ({self.title})"


def _text_and_name(path_or_text: str | Path, filename: str | None) -> tuple[str, str]:
    """A ``Path`` (or a one-line string naming an existing file) is read; other strings are the text."""
    if isinstance(path_or_text, Path) or (
        "\n" not in path_or_text and path_or_text.strip() and Path(path_or_text).is_file()
    ):
        path = Path(path_or_text)
        return read_framework_file(path), filename or path.name
    return path_or_text, filename or "<text>"


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def framework_load(*, path_or_text: str | Path, actor: Any, filename: str | None = None) -> LoadResult:
    """Validate a framework file and store it, with its raw text and checksum, as a read-only version,
    and its criteria and vocabulary terms as read-only rows, in one transaction.

    The same version with the same checksum is a no-op; the same version with different content is
    refused (``ValidationError``), and so is a new version that declares no vocabularies; a new
    version loads beside the old ones. An invalid file raises
    :class:`~areasend.domain.frameworks.FrameworkFileError` listing every problem, and so does a new
    version that leaves a regime rule undeclared (publication, sign-off, plan and action statuses,
    what each visit scale judges): versions loaded before the rules were declared borrow them from a
    later version, a new one must declare its own.
    """
    text, name = _text_and_name(path_or_text, filename)
    framework = load_framework_text(text, name)
    digest = checksum(text)
    try:
        with transaction.atomic():
            return _store(framework, text, digest, name, actor)
    except IntegrityError:
        # Another process loaded the same version between our check and insert: compare again.
        with transaction.atomic():
            return _store(framework, text, digest, name, actor)


def _store(framework: Framework, text: str, digest: str, name: str, actor: Any) -> LoadResult:
    existing = FrameworkVersion.objects.filter(framework_id=framework.id, version=framework.version).first()
    if existing is not None:
        if existing.sha256 != digest:
            raise ValidationError(
                MSG_CHANGED_WITHOUT_NEW_VERSION.format(
                    framework_id=framework.id,
                    version=framework.version,
                    loaded=existing.sha256[:12],
                    new=digest[:12],
                ),
                code="changed_without_new_version",
            )
        return LoadResult(framework.id, framework.version, framework.title, "unchanged", existing)
    if framework.vocabularies is None:
        raise ValidationError(
            MSG_NO_VOCABULARIES.format(framework_id=framework.id, version=framework.version),
            code="no_vocabularies",
        )
    undeclared = undeclared_rule_problems(framework, text, name)
    if undeclared:
        raise FrameworkFileError(undeclared)
    _check_editions(framework, name)
    record = FrameworkVersion(
        framework_id=framework.id,
        version=framework.version,
        title=framework.title,
        source_name=name[:255],
        raw_text=text,
        sha256=digest,
        parsed=framework.model_dump(mode="json", by_alias=True),
        in_force_from=framework.in_force_from,
        in_force_to=framework.in_force_to,
        loaded_by=actor if getattr(actor, "pk", None) else None,
    )
    record.full_clean()
    record.save()
    criteria = _materialise_criteria(record, framework)
    terms = _materialise_vocabularies(record, framework)
    audit.record(
        actor=actor,
        action="frameworks.load",
        obj=record,
        changes={
            "framework_id": framework.id,
            "version": framework.version,
            "sha256": digest,
            "source": name,
            "criteria": criteria,
            "vocabulary_terms": terms,
        },
    )
    return LoadResult(framework.id, framework.version, framework.title, "loaded", record)


def _check_editions(framework: Framework, name: str) -> None:
    """The new version's in-force dates must fit the loaded editions of its framework: no two in force
    on one day, no days with none in force between them (ADR 26). The loaded versions are locked so
    that two loads at once cannot both fit on their own and overlap together."""
    loaded = list(
        FrameworkVersion.objects.select_for_update()
        .filter(framework_id=framework.id)
        .only("framework_id", "version", "in_force_from", "in_force_to")
    )
    problems = edition_problems(framework.id, [*loaded, framework])
    if problems:
        raise FrameworkFileError([Problem(name, "in_force_from", message) for message in problems])


def _materialise_criteria(record: FrameworkVersion, framework: Framework) -> int:
    """The version's criteria as rows, parents first (each level in one statement), in tree order."""
    walked = list(framework.walk_nodes())
    created: dict[str, Criterion] = {}
    for depth in sorted({d for d, _ in walked}):
        level = [
            Criterion(
                framework_version=record,
                code=node.ref,
                parent=created[node.parent] if node.parent is not None else None,
                kind=node.kind,
                text=node.text,
                source=node.source_text,
                confidence=node.confidence,
                order=order,
            )
            for order, (d, node) in enumerate(walked)
            if d == depth
        ]
        created.update((row.code, row) for row in Criterion.objects.bulk_create(level))
    return len(created)


def _materialise_vocabularies(record: FrameworkVersion, framework: Framework) -> int:
    rows = [
        VocabularyTerm(
            framework_version=record,
            vocabulary=kind,
            code=term.code,
            label=term.label,
            description=term.description or "",
            source=term.source_text,
            order=order,
        )
        for kind in VOCABULARY_KINDS
        for order, term in enumerate(framework.vocabulary(kind))
    ]
    return len(VocabularyTerm.objects.bulk_create(rows))


def load_shipped_frameworks(*, actor: Any = None) -> list[LoadResult]:
    """Load every framework file that ships with areasend (idempotent; used by ``areasend demo``)."""
    files = [(load_framework_file(path), path) for path in shipped_framework_files()]
    # each framework's versions in order, so that an edition is ended before the next one is loaded
    files.sort(key=lambda item: (item[0].id, item[0].version))
    return [framework_load(path_or_text=path, actor=actor) for _, path in files]
