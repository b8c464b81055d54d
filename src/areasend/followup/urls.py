from django.urls import path

from . import correction_views, views, views_documents

PLAN = "inspections/<int:pk>/plans/<int:plan_pk>"
SUBMISSION = f"{PLAN}/submissions/<int:submission_pk>"
ACTION = f"{PLAN}/actions/<int:action_pk>"
JUDGEMENT = "inspections/<int:pk>/visits/<int:visit_pk>/judgements/<int:finding_pk>"
OVERALL = "inspections/<int:pk>/visits/<int:visit_pk>/overall"

app_name = "followup"
urlpatterns = [
    path("inspections/<int:pk>/plans/", views.plan_open, name="plan-open"),
    path("inspections/<int:pk>/plans/<int:plan_pk>/submit/", views.plan_submit, name="plan-submit"),
    path("inspections/<int:pk>/plans/<int:plan_pk>/actions/", views.plan_action_add, name="plan-action"),
    path(
        "inspections/<int:pk>/plans/<int:plan_pk>/actions/<int:action_pk>/progress/",
        views.plan_action_progress,
        name="action-progress",
    ),
    path("inspections/<int:pk>/plans/<int:plan_pk>/review/", views.plan_review, name="plan-review"),
    path(
        "inspections/<int:pk>/plans/<int:plan_pk>/documents/",
        views_documents.plan_document_add,
        name="plan-document-add",
    ),
    path(
        "inspections/<int:pk>/plans/<int:plan_pk>/documents/<int:document_pk>/",
        views_documents.plan_document,
        name="plan-document",
    ),
    path("inspections/<int:pk>/visits/", views.visit_schedule, name="visit-schedule"),
    path("inspections/<int:pk>/visits/<int:visit_pk>/judge/", views.visit_judge, name="visit-judge"),
    path("inspections/<int:pk>/visits/<int:visit_pk>/dates/", views.visit_dates, name="visit-dates"),
    # one submission, action or judgement: its history, its corrections
    path(f"{SUBMISSION}/", correction_views.submission_detail, name="submission-detail"),
    path(f"{SUBMISSION}/correct/", correction_views.submission_correct, name="submission-correct"),
    path(f"{SUBMISSION}/withdraw/", correction_views.submission_withdraw, name="submission-withdraw"),
    path(f"{SUBMISSION}/review/correct/", correction_views.review_correct, name="review-correct"),
    path(f"{ACTION}/", correction_views.action_detail, name="action-detail"),
    path(f"{ACTION}/correct/", correction_views.action_correct, name="action-correct"),
    path(f"{ACTION}/withdraw/", correction_views.action_withdraw, name="action-withdraw"),
    path(f"{JUDGEMENT}/", correction_views.judgement_detail, name="judgement-detail"),
    path(f"{JUDGEMENT}/correct/", correction_views.judgement_correct, name="judgement-correct"),
    path(f"{JUDGEMENT}/withdraw/", correction_views.judgement_withdraw, name="judgement-withdraw"),
    path(f"{OVERALL}/", correction_views.overall_detail, name="overall-detail"),
    path(f"{OVERALL}/correct/", correction_views.overall_correct, name="overall-correct"),
]
