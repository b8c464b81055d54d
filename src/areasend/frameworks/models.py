from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from areasend.domain.vocabulary import VOCABULARY_KEYS

if TYPE_CHECKING:  # the schema (pydantic) is imported where a framework is read, not with the models
    from areasend.domain.frameworks import Framework

READ_ONLY = "A loaded framework version is read-only: load a new version instead of changing this one."
ROWS_READ_ONLY = (
    "Criteria and vocabulary terms are written only by loading their framework version: "
    "load a new version instead of changing them."
)


class FrameworkVersionReadOnly(RuntimeError):
    pass


class FrameworkVersion(models.Model):
    """One version of an inspection framework file, stored exactly as loaded (read-only once loaded).

    ``raw_text`` is the file as it was, ``sha256`` its checksum, ``parsed`` the validated framework as
    JSON (what pages and timelines read). A changed file is a new version, never an edit.
    """

    framework_id = models.CharField(max_length=60, db_index=True)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    source_name = models.CharField(max_length=255, blank=True, help_text="The file it was loaded from")
    raw_text = models.TextField()
    sha256 = models.CharField(max_length=64)
    parsed = models.JSONField()
    in_force_from = models.DateField()
    in_force_to = models.DateField(null=True, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["framework_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["framework_id", "version"], name="unique_framework_version"),
        ]

    def __str__(self) -> str:
        return f"{self.framework_id} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise FrameworkVersionReadOnly(READ_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrameworkVersionReadOnly(READ_ONLY)

    def framework(self) -> Framework:
        """The framework as the domain model (validated again from the stored JSON)."""
        from areasend.domain.frameworks import Framework

        return Framework.model_validate(self.parsed)


class _LoadedRow(models.Model):
    """A row materialised from a framework version by the loader (in bulk): never saved or deleted
    one by one, so it always says what the file said."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise FrameworkVersionReadOnly(ROWS_READ_ONLY)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrameworkVersionReadOnly(ROWS_READ_ONLY)


class Criterion(_LoadedRow):
    """A key question or evaluation criterion of one framework version (a node of its file)."""

    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=40, help_text="The node's ref in the file, for example H1.1")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=20, help_text="heading, question, criterion or aspect")
    text = models.TextField()
    source = models.TextField()
    confidence = models.CharField(max_length=10)
    order = models.PositiveIntegerField(help_text="Position in the tree, depth first")

    class Meta:
        ordering = ["framework_version", "order"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "code"], name="unique_criterion_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class VocabularyTerm(_LoadedRow):
    """One term of one vocabulary (sectors, age phases ...) of one framework version."""

    SECTOR = "sector"
    AGE_PHASE = "age_phase"
    EVIDENCE_SOURCE = "evidence_source"
    ACTIVITY_TYPE = "activity_type"
    PLAN_STATUS = "plan_status"
    FINDING_KIND = "finding_kind"
    # The kinds of vocabulary are part of the framework schema (a new kind needs code; a new term
    # or a new criterion needs only a new file version).
    VOCABULARY_CHOICES = [(kind, key.replace("_", " ").capitalize()) for kind, key in VOCABULARY_KEYS.items()]

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="vocabulary_terms"
    )
    vocabulary = models.CharField(max_length=20, choices=VOCABULARY_CHOICES)
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.TextField()
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework_version", "vocabulary", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework_version", "vocabulary", "code"], name="unique_term_per_vocabulary"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vocabulary} {self.code}"
