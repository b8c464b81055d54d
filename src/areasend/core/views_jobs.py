"""The page of a background job: its status and progress, refreshed while it runs."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .permissions import requires
from .selectors import job_for_viewer

# Seconds between refreshes of a job's page while the job is queued or running.
REFRESH_SECONDS = 3


@requires("jobs.view")
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_for_viewer(viewer=request.user, job_id=job_id)
    if job is None:
        raise Http404("No such job")
    return render(request, "core/job_status.html", {"job": job, "refresh_seconds": REFRESH_SECONDS})
