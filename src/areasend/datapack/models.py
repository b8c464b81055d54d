"""Lines of enquiry an inspection keeps, proposed from its area's data pack."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models

from areasend.areas.models import LocalArea
from areasend.frameworks.selectors import term_labels


class LineOfEnquiry(models.Model):
    """A hypothesis for an inspection to test, linked to a criterion of the inspection's framework
    version and to one of that version's sectors.

    Proposed by the data pack's rules (rule id and version kept, and the version of the rule set:
    a line keeps the rule set it was built with when a new one ships), then accepted, edited (accepted with
    new wording; the rule's wording is kept in `original_text`) or rejected by an inspector.

    A line belongs to an inspection. Lines kept before lines belonged to inspections, whose area had
    no inspection under their criterion's framework, have no inspection: they are area-level
    proposals, shown on the data pack page only. A line from then whose criterion no loaded framework
    version has keeps the code it named in `unmapped_criterion` (and no `criterion`): it can be
    rejected, not accepted.
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

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="lines_of_enquiry")
    inspection = models.ForeignKey(
        "inspections.Inspection",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lines_of_enquiry",
        help_text="Empty for an area-level proposal kept before lines belonged to inspections",
    )
    text = models.TextField()
    original_text = models.TextField(blank=True, help_text="The wording the rule proposed")
    criterion = models.ForeignKey(
        "frameworks.Criterion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unmapped_criterion = models.CharField(
        max_length=40,
        blank=True,
        help_text="The criterion a line kept before criteria were rows named, when no loaded version has it",
    )
    sector = models.CharField(max_length=30, help_text="A sector code of the criterion's framework version")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PROPOSED, db_index=True)
    rule_id = models.CharField(max_length=60, blank=True)
    rule_version = models.PositiveIntegerField(null=True, blank=True)
    rules_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The version of the lines of enquiry rules (the whole rule set) that proposed it",
    )
    indicator = models.CharField(max_length=60, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    period = models.CharField(max_length=20, blank=True, help_text="The data pack period it came from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area", "inspection", "id"]
        verbose_name_plural = "lines of enquiry"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(criterion__isnull=False) | ~models.Q(unmapped_criterion=""),
                name="line_names_a_criterion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area.name}: {self.criterion_code} {self.text[:60]}"

    @property
    def is_accepted(self) -> bool:
        return self.status in (self.ACCEPTED, self.EDITED)

    @property
    def criterion_code(self) -> str:
        return self.criterion.code if self.criterion is not None else self.unmapped_criterion

    @cached_property
    def sector_label(self) -> str:
        """The sector's label in the line's framework version (selectors fill this in for many lines)."""
        version = self.criterion.framework_version_id if self.criterion is not None else None
        if version is None and self.inspection is not None:
            version = self.inspection.framework_id
        return term_labels(version, "sector").get(self.sector, self.sector) if version else self.sector
