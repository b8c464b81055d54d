"""What the partnership owes after an inspection, and the visits that judge its progress.

A follow-up document (a Written Statement of Action, a priority action plan, a strategic plan update)
is submitted, reviewed and carried out action by action; a follow-up visit (a revisit, a monitoring
inspection, an engagement meeting) judges progress on each weakness. Which documents and visits an
inspection owes, and how they are judged, comes from its framework version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from areasend.areas.models import Partner
from areasend.inspections.models import Finding, Inspection, Withdrawable, WithdrawableQuerySet


class Plan(models.Model):
    """A follow-up document the partnership owes: WSOA, priority action plan, strategic plan update.

    Its status is a plan status of the framework version; which statuses it moves through, and the
    status each review judgement leads to, are the document's in the framework file (``rules.py``).
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="plans")
    document = models.CharField(max_length=60, help_text="Follow-up document key from the framework")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=30, help_text="A plan status code of the framework")
    version = models.PositiveIntegerField(
        default=1, help_text="One more with every change; an edit made from an older version is refused"
    )

    class Meta:
        ordering = ["inspection", "document"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "document"], name="unique_plan_document")
        ]

    def __str__(self) -> str:
        return self.title


class PlanSubmission(Withdrawable):
    """One submission of a plan and its review; a withdrawn one keeps its number."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    submitted_on = models.DateField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    judgement = models.CharField(max_length=40, blank=True)
    feedback = models.TextField(blank=True)

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_submission_number")]

    def __str__(self) -> str:
        return f"{self.plan} submission {self.number}"


class PlanAction(Withdrawable):
    """One action in a plan; its status only moves forward, and it is overdue after its date until it
    reaches the last status. The statuses, in order, are the document's ``action_statuses``. A
    withdrawn action is never overdue."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField()
    owner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    milestone = models.CharField(max_length=200, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=30, help_text="An action status code of the plan's document")

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "due_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Visit(models.Model):
    """A follow-up visit: a revisit (2016), a monitoring inspection or an engagement meeting (2023)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="visits")
    visit = models.CharField(max_length=60, help_text="Visit key from the framework")
    notified_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    overall = models.CharField(max_length=60, blank=True, help_text="Overall judgement option key")
    reason_for_difference = models.TextField(
        blank=True,
        help_text="Why the overall judgement differs from what the judgement of each finding gives",
    )
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.visit} {self.starts_on or ''}"


class VisitJudgement(models.Model):
    """The judgement of one finding at a visit (sufficient / insufficient progress; effective action)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="judgements")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="judgements")
    judgement = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "finding"], name="unique_judgement_per_finding")
        ]

    def __str__(self) -> str:
        return f"{self.finding}: {self.judgement}"


def _document_path(document: PlanDocument, filename: str) -> str:
    """Stored under the plan, by a random name: the name the user gave is kept only as text."""
    return f"plans/{document.plan_id}/{uuid.uuid4().hex}.{document.kind}"


class PlanDocument(models.Model):
    """A document attached to a plan by the partnership (the plan itself, or evidence of its progress),
    stored through Django's storage API outside the web root and served only through a page that checks
    who may see the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_document_path, max_length=300)
    name = models.CharField(max_length=200, help_text="The file's name as uploaded")
    description = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, help_text="The kind of file, judged by its content")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
