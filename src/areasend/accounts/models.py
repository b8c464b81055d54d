from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from areasend.domain.inspectorates import GRADES, grade_text

from .roles import AREA_SCOPED_ROLES, ROLE_CHOICES, ROLE_LABELS

GRADE_CHOICES = [(g.key, grade_text(g.key)) for g in GRADES.values()]

AREA_REQUIRED = "An area partnership officer must be assigned to an area."


class RoleAssignment(models.Model):
    """A user acts in a role, for one area or (national roles only) for every area."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=30, choices=ROLE_CHOICES)
    area = models.ForeignKey(
        "areas.LocalArea", null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "area"], name="unique_role_per_area"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(area__isnull=True), name="unique_national_role"
            ),
        ]

    def __str__(self) -> str:
        scope = self.area.name if self.area is not None else "all areas"
        return f"{self.user} – {ROLE_LABELS.get(self.role, self.role)} ({scope})"

    def clean(self) -> None:
        if self.role in AREA_SCOPED_ROLES and self.area_id is None:
            raise ValidationError({"area": AREA_REQUIRED})


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} token {self.prefix}…"


class InspectorProfile(models.Model):
    """An inspector's grade, and so their inspectorate (areasend.domain.inspectorates.GRADES): what the
    framework's team roles are checked against when they join a team."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inspector_profile"
    )
    grade = models.CharField(max_length=40, choices=GRADE_CHOICES)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} – {grade_text(self.grade)}"

    @property
    def inspectorate(self) -> str:
        grade = GRADES.get(self.grade)
        return grade.inspectorate if grade is not None else ""
