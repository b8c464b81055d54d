from django.urls import path

from . import views, views_documents

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
]
