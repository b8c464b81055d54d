"""Lines of enquiry an inspector keeps for an area, proposed from the data pack's rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from areasend.areas.models import LocalArea


class LineOfEnquiry(models.Model):
    """A hypothesis for an inspection to test, linked to a framework criterion and a sector.

    Proposed by the data pack's rules (rule id and version kept), then accepted, edited (accepted with
    new wording; the rule's wording is kept in `original_text`) or rejected by an inspector.

    Linked to the area only for now. When the inspections app ships its first migration, add a
    nullable `inspection` foreign key here (and a selector by inspection); until then the inspection
    page calls `selectors.accepted_lines_for_area(area)`.
    """

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    EDITED = "edited"
    REJECTED = "rejected"
    STATUS_CHOICES = [
        (PROPOSED, "Proposed"),
        (ACCEPTED, "Accepted"),
        (EDITED, "Accepted with changes"),
        (REJECTED, "Rejected"),
    ]
    SECTOR_CHOICES = [("education", "Education"), ("health", "Health"), ("social_care", "Social care")]

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="lines_of_enquiry")
    text = models.TextField()
    original_text = models.TextField(blank=True, help_text="The wording the rule proposed")
    criterion = models.CharField(max_length=20, help_text="Framework criterion, for example 2023:H1.1")
    sector = models.CharField(max_length=20, choices=SECTOR_CHOICES)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PROPOSED, db_index=True)
    rule_id = models.CharField(max_length=60, blank=True)
    rule_version = models.PositiveIntegerField(null=True, blank=True)
    indicator = models.CharField(max_length=60, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    period = models.CharField(max_length=20, blank=True, help_text="The data pack period it came from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area", "criterion", "id"]
        verbose_name_plural = "lines of enquiry"

    def __str__(self) -> str:
        return f"{self.area.name}: {self.criterion} {self.text[:60]}"

    @property
    def is_accepted(self) -> bool:
        return self.status in (self.ACCEPTED, self.EDITED)
