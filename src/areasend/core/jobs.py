"""Side effects after commit, and background jobs whose progress the page that started them shows.

- `on_commit(effect)`: a side effect (an e-mail, a call to another service) happens only once the
  current transaction commits, and never when it rolls back. Every side effect goes through it.
- `enqueue_on_commit(task, **kwargs)`: the same for a background task (django-tasks).
- `job_start(...)` records a `JobRun` (with its audit row) and enqueues its task on commit; a worker
  (`areasend worker`) runs it. `job_run_now(...)` records one and runs it in this process instead.
- A job task takes `job_id` and reports through `job_running`::

      @task()
      def rebuild_things(*, job_id: int, area: str) -> None:
          with job_running(job_id) as job:
              job.report(done=0, total=len(items), unit="items")
              ...

  A job that cannot go on raises `JobFailed` with words safe to show to the person who started it;
  any other error is logged with its traceback and the page shows `UNEXPECTED_ERROR`, never the
  traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_finished

from . import audit
from .models import JobRun
from .request_context import new_request_id, reset_request_id, set_request_id

logger = logging.getLogger(__name__)

UNEXPECTED_ERROR = (
    "The job stopped because of an unexpected error. Anything it finished before stopping is kept. "
    "Try again later, or ask the service team about job {id}."
)
NOT_QUEUED = "The job could not be queued. Try again later, or ask the service team about job {id}."
MESSAGE_LENGTH = JobRun._meta.get_field("message").max_length or 500


class JobFailed(Exception):
    """Raised inside a job to stop it with a message that is safe to show on its page."""


def on_commit(effect: Callable[[], Any], *, using: str | None = None) -> None:
    """Run `effect` once the current transaction commits (at once when there is none)."""
    transaction.on_commit(effect, using=using)


def enqueue_on_commit(task: Task[..., Any], /, **kwargs: Any) -> None:
    """Enqueue `task` with `kwargs` once the current transaction commits; never if it rolls back."""
    on_commit(partial(task.enqueue, **kwargs))


def _new_job(*, task: Task[..., Any], title: str, actor: Any, obj: models.Model | None) -> JobRun:
    job = JobRun(
        task_name=task.module_path,
        title=title,
        started_by=actor if getattr(actor, "pk", None) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
    )
    job.full_clean()
    job.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.JOB_START,
        obj=job,
        changes={"task": job.task_name, "on": f"{job.object_type} {job.object_id}".strip()},
    )
    return job


def _enqueue(task: Task[..., Any], job_id: int, arguments: dict[str, Any]) -> None:
    try:
        result = task.enqueue(job_id=job_id, **arguments)
    except Exception:
        logger.exception("Job %s could not be queued", job_id)
        _finish(job_id, JobRun.FAILED, error=NOT_QUEUED.format(id=job_id))
        raise
    JobRun.objects.filter(pk=job_id, task_result_id="").update(task_result_id=str(result.id))


def job_start(
    *,
    task: Task[..., Any],
    title: str,
    actor: Any,
    obj: models.Model | None = None,
    arguments: dict[str, Any] | None = None,
) -> JobRun:
    """Record a job started by `actor` (None for the system) on `obj`; its task is enqueued on commit.

    `arguments` must be JSON values; the task receives them as keyword arguments beside `job_id`.
    """
    with transaction.atomic():
        job = _new_job(task=task, title=title, actor=actor, obj=obj)
        on_commit(partial(_enqueue, task, job.pk, dict(arguments or {})))
    return job


def job_run_now(
    *,
    task: Task[..., Any],
    title: str,
    actor: Any,
    obj: models.Model | None = None,
    arguments: dict[str, Any] | None = None,
) -> JobRun:
    """Record a job and run its task here and now (commands' `--now`); returns it finished."""
    with transaction.atomic():
        job = _new_job(task=task, title=title, actor=actor, obj=obj)
    try:
        task.call(job_id=job.pk, **(arguments or {}))
    except Exception:
        if not _fail_if_unfinished(job.pk):  # else `job_running` has logged and recorded it
            logger.exception("Job %s failed", job.pk)
    job.refresh_from_db()
    return job


def job_progress(
    *,
    job_id: int,
    done: int,
    total: int | None = None,
    unit: str | None = None,
    message: str | None = None,
) -> None:
    """Record how far a running job has got; the job's page shows it on its next refresh."""
    changes: dict[str, Any] = {"done": max(0, done)}
    if total is not None:
        changes["total"] = max(0, total)
    if unit is not None:
        changes["unit"] = unit[:40]
    if message is not None:
        changes["message"] = message[:MESSAGE_LENGTH]
    JobRun.objects.filter(pk=job_id).update(**changes)


@dataclass
class JobProgress:
    """What a running job holds to report its progress."""

    job_id: int

    def report(
        self, *, done: int, total: int | None = None, unit: str | None = None, message: str | None = None
    ) -> None:
        job_progress(job_id=self.job_id, done=done, total=total, unit=unit, message=message)


def _finish(job_id: int, status: str, *, error: str = "") -> None:
    JobRun.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), error=error[:500])


def _fail_if_unfinished(job_id: int) -> bool:
    """Mark a job failed when its task failed before it could say so itself; True if it had not."""
    return bool(
        JobRun.objects.filter(pk=job_id)
        .exclude(status__in=JobRun.FINISHED)
        .update(status=JobRun.FAILED, finished_at=timezone.now(), error=UNEXPECTED_ERROR.format(id=job_id))
    )


def record_failed_task(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """`task_finished` receiver: a job whose task failed early (bad arguments, missing code) fails too."""
    job_id = task_result.kwargs.get("job_id")
    if task_result.status == TaskResultStatus.FAILED and isinstance(job_id, int):
        _fail_if_unfinished(job_id)


def connect_signals() -> None:
    task_finished.connect(record_failed_task, dispatch_uid="areasend.core.jobs.record_failed_task")


@contextmanager
def job_running(job_id: int) -> Iterator[JobProgress]:
    """Mark the job running for the block, then finished or failed (with a message safe to show)."""
    if not JobRun.objects.filter(pk=job_id).update(
        status=JobRun.RUNNING, started_at=timezone.now(), finished_at=None, error=""
    ):
        raise JobRun.DoesNotExist(f"No job {job_id}")
    token = set_request_id(new_request_id(f"job{job_id}-"))
    try:
        yield JobProgress(job_id)
    except JobFailed as failure:
        _finish(job_id, JobRun.FAILED, error=str(failure))
        raise
    except Exception:
        logger.exception("Job %s failed", job_id)
        _finish(job_id, JobRun.FAILED, error=UNEXPECTED_ERROR.format(id=job_id))
        raise
    else:
        _finish(job_id, JobRun.SUCCEEDED)
    finally:
        reset_request_id(token)
