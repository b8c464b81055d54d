from __future__ import annotations

from django.db import models

LIVE = "live"
TERMINATED = "terminated"


class LocalArea(models.Model):
    """An English upper-tier local authority area: the unit an area SEND inspection looks at."""

    STATUS_CHOICES = [(LIVE, "Live"), (TERMINATED, "Terminated")]

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    la_number = models.CharField("DfE LA number", max_length=3, blank=True, db_index=True)
    name = models.CharField(max_length=120)
    la_type = models.CharField("type", max_length=60)
    region_code = models.CharField(max_length=9)
    region_name = models.CharField(max_length=60, db_index=True)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=LIVE, db_index=True)
    operational_from = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    population_0_25 = models.PositiveIntegerField("population aged 0 to 25", null=True, blank=True)

    class Meta:
        ordering = ["name", "ons_code"]

    def __str__(self) -> str:
        return self.name if self.status == LIVE else f"{self.name} (until {self.terminated_on:%Y})"

    @property
    def is_live(self) -> bool:
        return self.status == LIVE


class StatisticalNeighbour(models.Model):
    """One of an area's ten closest areas in a DfE children's services statistical-neighbour model."""

    MODEL_2025 = "2025-05"
    MODEL_2021 = "2021-04"
    MODEL_CHOICES = [(MODEL_2025, "May 2025 model"), (MODEL_2021, "April 2021 model")]

    area = models.ForeignKey(LocalArea, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(LocalArea, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=7, choices=MODEL_CHOICES)
    rank = models.PositiveSmallIntegerField()
    closeness = models.CharField(max_length=30)

    class Meta:
        ordering = ["area", "model", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["area", "model", "rank"], name="unique_neighbour_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name} #{self.rank} {self.neighbour.name} ({self.model})"


class Partner(models.Model):
    """A body in the local area partnership: the local authority, its integrated care board(s), others."""

    LOCAL_AUTHORITY = "local_authority"
    ICB = "icb"
    OTHER = "other"
    KIND_CHOICES = [
        (LOCAL_AUTHORITY, "Local authority"),
        (ICB, "Integrated care board"),
        (OTHER, "Other partner"),
    ]

    area = models.ForeignKey(LocalArea, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=12, blank=True, help_text="ONS code, for example E54000026")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["area", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "kind", "name"], name="unique_partner_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
