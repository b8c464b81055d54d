from django.urls import path

from . import views, views_deadlines

app_name = "inspections"
urlpatterns = [
    path("inspections/", views.inspection_list, name="list"),
    path("inspections/new/", views.inspection_create, name="create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="detail"),
    path("inspections/<int:pk>/move/<str:target>/", views.inspection_move, name="move"),
    path("inspections/<int:pk>/events/", views.event_record, name="event"),
    path("inspections/<int:pk>/outcome/", views.outcome_record, name="outcome"),
    path("inspections/<int:pk>/team/", views.team_assign, name="team"),
    path("inspections/<int:pk>/team/<int:user_pk>/remove/", views.team_remove, name="team-remove"),
    path("inspections/<int:pk>/conflicts/", views.conflict_declare, name="conflict"),
    path("inspections/<int:pk>/activities/", views.activity_add, name="activity"),
    path("inspections/<int:pk>/findings/", views.finding_add, name="finding"),
    path("inspections/<int:pk>/sign-offs/", views.sign_off, name="sign-off"),
    path("inspections/<int:pk>/notes/", views.note_add, name="note"),
    path("inspections/<int:pk>/plans/", views.plan_open, name="plan-open"),
    path("inspections/<int:pk>/plans/<int:plan_pk>/submit/", views.plan_submit, name="plan-submit"),
    path("inspections/<int:pk>/plans/<int:plan_pk>/actions/", views.plan_action_add, name="plan-action"),
    path(
        "inspections/<int:pk>/plans/<int:plan_pk>/actions/<int:action_pk>/progress/",
        views.plan_action_progress,
        name="action-progress",
    ),
    path("inspections/<int:pk>/plans/<int:plan_pk>/review/", views.plan_review, name="plan-review"),
    path("inspections/<int:pk>/visits/", views.visit_schedule, name="visit-schedule"),
    path("inspections/<int:pk>/visits/<int:visit_pk>/judge/", views.visit_judge, name="visit-judge"),
    path("inspections/<int:pk>/visits/<int:visit_pk>/dates/", views.visit_dates, name="visit-dates"),
    path("deadlines/", views_deadlines.deadlines, name="deadlines"),
    path("deadlines/calendar/", views_deadlines.calendar_settings, name="calendar-settings"),
    path("calendar/<str:token>.ics", views_deadlines.calendar_feed, name="calendar-feed"),
]
