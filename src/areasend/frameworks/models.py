from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:  # the schema (pydantic) is imported where a framework is read, not with the models
    from areasend.domain.frameworks import Framework

READ_ONLY = "A loaded framework version is read-only: load a new version instead of changing this one."


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
