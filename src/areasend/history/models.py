from __future__ import annotations

from django.db import models

from areasend.areas.models import LocalArea

FRAMEWORK_2016 = "local-area-send-2016"
FRAMEWORK_2023 = "area-send-2023"


class PublishedInspection(models.Model):
    """A published inspection outcome: a full inspection, a revisit or a monitoring inspection.

    Rows come from Ofsted's published data (imported) or from inspections run in areasend once
    published. Each keeps its source and how far it can be relied on.
    """

    FULL = "full"
    REVISIT = "revisit"
    MONITORING = "monitoring"
    KIND_CHOICES = [(FULL, "Full inspection"), (REVISIT, "Revisit"), (MONITORING, "Monitoring inspection")]

    ALL = "all"
    SOME = "some"
    NONE = "none"
    REVISIT_RESULT_CHOICES = [
        (ALL, "Sufficient progress in all areas of weakness"),
        (SOME, "Sufficient progress in some areas of weakness"),
        (NONE, "Sufficient progress in none of the areas of weakness"),
    ]

    OFFICIAL = "official"
    SCRAPED = "scraped"
    RELIABILITY_CHOICES = [
        (OFFICIAL, "Official statistics or management information"),
        (SCRAPED, "Scraped from published reports: check before relying on it"),
    ]

    OUTCOME_LABELS = {
        1: "Typically positive experiences and outcomes",
        2: "Inconsistent experiences and outcomes",
        3: "Widespread and/or systemic failings",
    }

    area = models.ForeignKey(LocalArea, on_delete=models.PROTECT, related_name="published_inspections")
    framework_id = models.CharField(max_length=60)
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    wsoa_required = models.BooleanField(null=True, blank=True)
    significant_weaknesses = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome_text = models.TextField(blank=True)
    priority_action_plan_required = models.BooleanField(null=True, blank=True)
    next_inspection_interval = models.CharField(max_length=20, blank=True)
    next_inspection_by = models.DateField(null=True, blank=True)
    next_monitoring_by = models.DateField(null=True, blank=True)
    revisit_result = models.CharField(max_length=4, choices=REVISIT_RESULT_CHOICES, blank=True)
    weaknesses_sufficient = models.PositiveSmallIntegerField(null=True, blank=True)
    weaknesses_insufficient = models.PositiveSmallIntegerField(null=True, blank=True)
    report_url = models.URLField(max_length=300, blank=True)
    source = models.CharField(max_length=120)
    source_key = models.CharField(max_length=120)
    reliability = models.CharField(max_length=10, choices=RELIABILITY_CHOICES)

    class Meta:
        ordering = ["area", "started_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="unique_published_source_row")
        ]

    def __str__(self) -> str:
        when = self.started_on or self.published_on
        return f"{self.area.name}: {self.get_kind_display()} {when or 'date unknown'}"

    @property
    def outcome_label(self) -> str:
        return self.OUTCOME_LABELS.get(self.outcome or 0, "")
