"""Side effects after commit, background jobs through the database worker, and the job's page."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import transaction
from django.template.loader import render_to_string
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from areasend.areas.models import LocalArea
from areasend.conftest import make_user, signed_in
from areasend.core import jobs
from areasend.core.models import AuditEvent, JobRun
from areasend.core.selectors import latest_job_on

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REFUSED = "The area has no published data for that period."


@task()
def count_to(*, job_id: int, n: int, fail: str = "") -> int:
    """A job for the tests: counts to `n`, failing at 2 when asked."""
    with jobs.job_running(job_id) as job:
        job.report(done=0, total=n, unit="steps")
        for step in range(1, n + 1):
            if step == 2 and fail == "unexpected":
                raise RuntimeError("internal detail: /srv/areasend/secret.py line 12")
            if step == 2 and fail == "refused":
                raise jobs.JobFailed(REFUSED)
            job.report(done=step, message=f"Step {step} done")
    return n


@pytest.fixture
def database_worker(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Jobs queued in the database, run by `areasend worker --once` inside the test's transaction."""
    from django_tasks_db.management.commands import db_worker

    # The worker drops connections left in a transaction; here that transaction is the test's own.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with override_settings(TASKS=DATABASE_TASKS):
        yield


def test_a_side_effect_waits_for_its_transaction_to_commit(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            jobs.on_commit(partial(send_mail, "Subject", "Body", "from@example.org", ["to@example.org"]))
            assert mail.outbox == []
        assert mail.outbox == []  # the surrounding transaction has not committed yet
    assert [m.subject for m in mail.outbox] == ["Subject"]


def test_a_side_effect_of_a_rolled_back_transaction_never_happens(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        jobs.on_commit(partial(send_mail, "Subject", "Body", "from@example.org", ["to@example.org"]))
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_job_is_enqueued_only_when_its_start_commits(
    admin_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.job_start(task=count_to, title="Count", actor=admin_user, arguments={"n": 3})
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.task_result_id) == (JobRun.QUEUED, "")
    assert AuditEvent.objects.filter(action="job.start", object_id=str(job.pk), actor=admin_user).exists()
    callbacks[0]()  # the commit
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.unit) == (JobRun.SUCCEEDED, 3, 3, "steps")
    assert job.task_result_id
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at


@pytest.mark.django_db
def test_a_job_started_in_a_rolled_back_transaction_never_runs(
    admin_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        jobs.job_start(task=count_to, title="Count", actor=admin_user, arguments={"n": 3})
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_the_database_worker_runs_a_queued_job(
    admin_user: Any, database_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    area = LocalArea.objects.get(ons_code="E10000012")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(task=count_to, title="Count", actor=admin_user, obj=area, arguments={"n": 4})
    job.refresh_from_db()
    queued = DBTaskResult.objects.get(id=job.task_result_id)
    assert queued.status == "READY"
    assert job.status == JobRun.QUEUED  # nothing runs until a worker takes it
    assert (job.object_type, job.object_id) == ("areas.localarea", str(area.pk))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", "--once", verbosity=0)
    queued.refresh_from_db()
    job.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == 4
    assert (job.status, job.done, job.total, job.message) == (JobRun.SUCCEEDED, 4, 4, "Step 4 done")


@pytest.mark.django_db
def test_a_failure_in_the_worker_is_recorded_with_a_message_not_a_traceback(  # type: ignore[no-untyped-def]
    admin_user, database_worker, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        crashed = jobs.job_start(
            task=count_to, title="Count", actor=admin_user, arguments={"n": 3, "fail": "unexpected"}
        )
        refused = jobs.job_start(
            task=count_to, title="Count", actor=admin_user, arguments={"n": 3, "fail": "refused"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", "--once", verbosity=0)
    crashed.refresh_from_db()
    refused.refresh_from_db()
    assert (crashed.status, crashed.done) == (JobRun.FAILED, 1)
    assert crashed.error == jobs.UNEXPECTED_ERROR.format(id=crashed.pk)
    assert "secret" not in crashed.error
    assert (refused.status, refused.error) == (JobRun.FAILED, REFUSED)
    stored = DBTaskResult.objects.get(id=crashed.task_result_id)
    assert stored.status == "FAILED"
    assert "internal detail" in stored.traceback  # kept for the service team, never shown on a page


@pytest.mark.django_db
def test_a_task_that_fails_before_it_starts_fails_its_job(
    admin_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(task=count_to, title="Count", actor=admin_user, arguments={})  # no `n`
    job.refresh_from_db()
    assert (job.status, job.error) == (JobRun.FAILED, jobs.UNEXPECTED_ERROR.format(id=job.pk))


@pytest.mark.django_db
def test_run_now_runs_in_this_process_and_returns_the_finished_job(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = jobs.job_run_now(task=count_to, title="Count", actor=None, arguments={"n": 2})
    assert callbacks == []  # nothing was queued
    assert (job.status, job.done, job.started_by) == (JobRun.SUCCEEDED, 2, None)
    failed = jobs.job_run_now(task=count_to, title="Count", actor=None, arguments={"n": 2, "fail": "refused"})
    assert (failed.status, failed.error) == (JobRun.FAILED, REFUSED)


@pytest.mark.django_db
def test_the_job_page_is_for_whoever_started_it_and_administrators(page_client: Any, admin_user: Any) -> None:
    owner = make_user("job-owner", "inspector")
    other = make_user("someone-else", "inspector")
    job = JobRun.objects.create(task_name="x.y", title="Rebuild the data pack", started_by=owner)
    url = f"/jobs/{job.pk}/"
    assert page_client.get(url).status_code == 302  # sign in first
    signed_in(page_client, other)
    assert page_client.get(url).status_code == 404
    signed_in(page_client, owner)
    assert page_client.get(url).status_code == 200
    signed_in(page_client, admin_user)
    assert page_client.get(url).status_code == 200
    assert page_client.get("/jobs/999999/").status_code == 404


@pytest.mark.django_db
def test_the_job_page_refreshes_itself_until_the_job_finishes(page_client: Any, admin_user: Any) -> None:
    job = JobRun.objects.create(
        task_name="x.y",
        title="Send deadline reminders",
        started_by=admin_user,
        status=JobRun.RUNNING,
        done=3,
        total=12,
        unit="inspections",
        message="40 deadlines checked, 2 reminders sent.",
    )
    signed_in(page_client, admin_user)
    html = page_client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<strong class="govuk-tag">Running</strong>' in html
    assert "3 of 12 inspections (25%)" in html
    assert "40 deadlines checked, 2 reminders sent." in html
    JobRun.objects.filter(pk=job.pk).update(status=JobRun.SUCCEEDED, done=12, message="Reminders: 2 sent.")
    html = page_client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in html
    assert '<strong class="govuk-tag govuk-tag--green">Finished</strong>' in html
    assert 'class="govuk-panel govuk-panel--confirmation"' in html
    assert "Reminders: 2 sent." in html


@pytest.mark.django_db
def test_a_failed_job_page_shows_the_message_and_no_traceback(
    page_client: Any, admin_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            task=count_to, title="Count", actor=admin_user, arguments={"n": 3, "fail": "unexpected"}
        )
    signed_in(page_client, admin_user)
    html = page_client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in html
    assert "The job stopped because of an unexpected error." in html
    assert "Traceback" not in html and "internal detail" not in html


@pytest.mark.django_db
def test_a_page_can_embed_the_latest_job_on_its_object(
    admin_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    area = LocalArea.objects.get(ons_code="E10000012")
    officer = make_user("essex-officer", "area_officer", "E10000012")
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_start(task=count_to, title="Count", actor=admin_user, obj=area, arguments={"n": 1})
        newest = jobs.job_start(task=count_to, title="Count", actor=admin_user, obj=area, arguments={"n": 2})
    assert latest_job_on(viewer=admin_user, obj=area) == newest
    assert latest_job_on(viewer=admin_user, obj=area, task_name=count_to.module_path) == newest
    assert latest_job_on(viewer=officer, obj=area) is None  # started by someone else
    newest.refresh_from_db()
    html = render_to_string("core/_job_status.html", {"job": newest, "link": True})
    assert f'href="/jobs/{newest.pk}/"' in html
    assert "2 of 2 steps (100%)" in html
    assert "Essex" in html
