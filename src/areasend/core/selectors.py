"""Reads for the platform: which background jobs a viewer may follow."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import JobRun
from .permissions import has_permission

# Administrators hold every permission; nobody else is granted this one, so others see their own jobs.
VIEW_EVERY_JOB = "jobs.view_all"


def jobs_visible_to(viewer: Any) -> models.QuerySet[JobRun]:
    """The jobs `viewer` may follow: those they started, or every job for administrators."""
    if not getattr(viewer, "is_authenticated", False):
        return JobRun.objects.none()
    jobs = JobRun.objects.select_related("started_by")
    if has_permission(viewer, VIEW_EVERY_JOB):
        return jobs
    return jobs.filter(started_by=viewer)


def job_for_viewer(*, viewer: Any, job_id: int) -> JobRun | None:
    return jobs_visible_to(viewer).filter(pk=job_id).first()


def latest_job_on(*, viewer: Any, obj: models.Model, task_name: str = "") -> JobRun | None:
    """The newest job on `obj` that `viewer` may follow (optionally of one task), for embedding in its page."""
    jobs = jobs_visible_to(viewer).filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    if task_name:
        jobs = jobs.filter(task_name=task_name)
    return jobs.first()
