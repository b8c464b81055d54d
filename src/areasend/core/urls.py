from django.urls import path

from . import views, views_jobs

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit-log"),
    path("jobs/<int:job_id>/", views_jobs.job_status, name="job-status"),
]
