"""The national history of published inspections, in each framework's own keys.

A row records what a framework file defines: the outcome (its key and number), the follow-up
documents that outcome requires, the findings counted by kind, and, for a follow-up visit, the
visit's key, its overall result and its per-finding judgements counted by option. Labels, and the
national figures counted from these rows, come from the framework files (``history/selectors.py``).
"""

from __future__ import annotations

from django.db import models

from areasend.areas.models import LocalArea


class PublishedInspection(models.Model):
    """A published full inspection, or a follow-up visit of one (``kind`` is then the visit's key).

    Rows come from Ofsted's published data (imported) or from inspections run in areasend once
    published. Each keeps its source and how far it can be relied on.
    """

    FULL = "full"

    OFFICIAL = "official"
    SCRAPED = "scraped"
    RELIABILITY_CHOICES = [
        (OFFICIAL, "Official statistics or management information"),
        (SCRAPED, "Scraped from published reports: check before relying on it"),
    ]

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="published_inspections")
    framework_id = models.CharField(max_length=60)
    kind = models.CharField(
        max_length=60, help_text="'full', or the key of a follow-up visit of the framework"
    )
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    outcome_key = models.CharField(max_length=60, blank=True, help_text="An outcome key of the framework")
    outcome = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The outcome's number")
    outcome_text = models.TextField(blank=True)
    documents_required = models.JSONField(
        null=True,
        blank=True,
        help_text="Keys of the follow-up documents the outcome requires (null: not known)",
    )
    findings = models.JSONField(default=dict, blank=True, help_text="Finding kind key -> number of findings")
    visit_result = models.CharField(
        max_length=60, blank=True, help_text="The visit's overall judgement option"
    )
    judgements = models.JSONField(
        default=dict, blank=True, help_text="Per-finding judgement option key -> number of findings"
    )
    next_inspection_interval = models.CharField(max_length=20, blank=True)
    next_inspection_by = models.DateField(null=True, blank=True)
    next_visit = models.CharField(
        max_length=60, blank=True, help_text="The follow-up visit next_visit_by is for"
    )
    next_visit_by = models.DateField(null=True, blank=True)
    report_url = models.URLField(max_length=300, blank=True)
    source = models.CharField(max_length=120)
    source_key = models.CharField(max_length=120)
    reliability = models.CharField(max_length=10, choices=RELIABILITY_CHOICES)
    corrected = models.JSONField(
        default=dict,
        blank=True,
        help_text="areasend's correction of the source row: the fields set, their source and confidence",
    )

    class Meta:
        ordering = ["area", "started_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="unique_published_source_row")
        ]

    def __str__(self) -> str:
        when = self.started_on or self.published_on
        what = "full inspection" if self.kind == self.FULL else self.kind.replace("_", " ")
        return f"{self.area.name}: {what} {when or 'date unknown'}"

    @property
    def is_full(self) -> bool:
        return self.kind == self.FULL
