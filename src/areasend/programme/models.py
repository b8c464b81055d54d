"""The national programme's working records: each user's calendar feed, the reminders sent, and the
stored read model of open milestones (one row per milestone not yet met, refreshed after each
committed change to an inspection)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from areasend.inspections.models import Inspection


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A user's private ICS feed address; replacing the token revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed for {self.user}"


class ReminderSent(models.Model):
    """One reminder e-mail, recorded so that running the reminder command again never repeats it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="+")
    milestone = models.CharField(max_length=80)
    due_on = models.DateField()
    kind = models.CharField(max_length=20)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "milestone", "due_on", "kind", "recipient"], name="unique_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.milestone} to {self.recipient}"


class OpenMilestone(models.Model):
    """A milestone of an inspection's timeline not yet met: the stored read model behind the deadlines
    page, the calendar feeds and the reminders.

    Rows are rebuilt from the inspection's timeline after each committed change to it (timelines stay
    computed from events); `status` is the timeline's status without a date ("due" or "projected"), so
    a row is overdue when its due date is before the day it is read, with no refresh needed each day.
    """

    DUE = "due"
    PROJECTED = "projected"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="open_milestones")
    key = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    due = models.DateField(db_index=True)
    rule = models.CharField(max_length=300)
    source = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20)
    owed_by = models.CharField(max_length=40, db_index=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "inspection", "key"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "key"], name="unique_open_milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.label} due {self.due}"
