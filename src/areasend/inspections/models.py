"""One inspection of one area under one framework version, from planning to the last follow-up.

What differs between regimes (states, events, deadlines, outcomes, team roles, plans, visits and
their judgements) comes from the framework version the inspection started under.
"""

from __future__ import annotations

from functools import cached_property
from typing import Self, TypeVar

from django.conf import settings
from django.db import models

from areasend.areas.models import LocalArea, Partner
from areasend.domain.vocabulary import VocabularyKind
from areasend.frameworks.selectors import term_labels, term_labels_of

_Record = TypeVar("_Record", bound=models.Model)


class WithdrawableQuerySet(models.QuerySet[_Record]):
    def in_force(self) -> Self:
        """The records not withdrawn: what counts, what guards check and what reports show."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self) -> Self:
        return self.filter(withdrawn_at__isnull=False)


class Withdrawable(models.Model):
    """A record that can be withdrawn with a reason. A withdrawn record stays stored, marked with who
    withdrew it, when and why, and counts for nothing (`in_force()` leaves it out); its history is in
    the audit log (see `corrections`)."""

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Inspection(models.Model):
    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="inspections")
    framework = models.ForeignKey("frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=40)
    title = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=60, blank=True, help_text="Outcome key from the framework")
    version = models.PositiveIntegerField(
        default=1, help_text="One more with every change; an edit made from an older version is refused"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or f"{self.area.name} ({self.framework.framework_id})"


class InspectionEvent(models.Model):
    """Something that happened (a date) or was decided (a choice) that the timeline runs from."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=60)
    on = models.DateField(null=True, blank=True)
    choice = models.CharField(max_length=60, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "name"], name="unique_event_per_inspection")
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.on or self.choice}"


class TeamMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_places")
    role = models.CharField(max_length=40, help_text="Team role key from the framework")

    class Meta:
        ordering = ["inspection", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["inspection", "user"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.user} as {self.role}"


class ConflictOfInterest(models.Model):
    """An inspector's declared link with an area (worked there, family, governance...)."""

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    area = models.ForeignKey(LocalArea, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspector", "area"], name="unique_conflict")]

    def __str__(self) -> str:
        return f"{self.inspector} – {self.area}: {self.reason}"


class Activity(models.Model):
    """One entry in the inspection's timetable.

    Its kind, sector and phase are codes of the inspection's framework version's vocabularies
    (activity types, sectors, age phases), checked by `services.activity_add`.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="activities")
    on = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    activity_type = models.CharField(max_length=40, help_text="An activity type code of the framework")
    title = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, blank=True, help_text="A sector code of the framework")
    phase = models.CharField(max_length=30, blank=True, help_text="An age phase code of the framework")
    participants = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=200, blank=True)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["on", "starts_at", "id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.on} {self.starts_at:%H:%M} {self.title}"

    @cached_property
    def labels(self) -> dict[str, str]:
        """The labels of its kind, sector and phase in the framework version's vocabularies."""
        wanted: dict[VocabularyKind, str] = {
            "activity_type": self.activity_type,
            "sector": self.sector,
            "age_phase": self.phase,
        }
        found = term_labels_of(self.inspection.framework_id, wanted)
        return {
            "activity_type": found.get("activity_type", self.activity_type),
            "sector": found.get("sector", self.sector),
            "phase": found.get("age_phase", self.phase),
        }


class Finding(Withdrawable):
    """A significant weakness (2016), an area for priority action or an area for improvement (2023):
    `kind` is a finding kind of the inspection's framework version, checked by `services.finding_add`.
    A withdrawn finding keeps its number and is left out of counts, guards and the report."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=30, help_text="A finding kind code of the framework")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    responsible = models.ManyToManyField(Partner, related_name="findings")

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind", "number"], name="unique_finding_number")
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.number}"

    @cached_property
    def kind_label(self) -> str:
        return term_labels(self.inspection.framework_id, "finding_kind").get(self.kind, self.kind)


class InspectorNote(models.Model):
    """Inspectors' working notes: never shown to the area or to read-only viewers."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.created_at:%Y-%m-%d}"


class SignOff(models.Model):
    """One organisation's sign-off of the report: `inspectorate` is one of the framework version's
    sign-off organisations (checked by `services.sign_off`); publication needs those its state requires."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sign_offs")
    inspectorate = models.CharField(max_length=60, help_text="A sign-off organisation of the framework")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "inspectorate"], name="unique_sign_off")]

    def __str__(self) -> str:
        return f"{self.inspectorate} signed off by {self.user}"


class Postponement(models.Model):
    """An inspection postponed: moved back (from `from_state` to `to_state`), why, the new date planned
    for the stage it left, and the dates it cleared (by event name; they stay in the audit log)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="postponements")
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    reason = models.TextField()
    planned_for = models.DateField(help_text="The new date, recorded as the framework's postponement event")
    cleared = models.JSONField(default=dict, blank=True, help_text="Event name -> the date it had")
    postponed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    postponed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "postponed_at", "id"]

    def __str__(self) -> str:
        return f"{self.inspection} postponed to {self.planned_for}"
