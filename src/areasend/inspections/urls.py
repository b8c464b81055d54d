from django.urls import path

from . import correction_views, postponement_views, views

app_name = "inspections"
urlpatterns = [
    path("inspections/", views.inspection_list, name="list"),
    path("inspections/new/", views.inspection_create, name="create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="detail"),
    path("inspections/<int:pk>/move/<str:target>/", views.inspection_move, name="move"),
    path("inspections/<int:pk>/postpone/", postponement_views.inspection_postpone, name="postpone"),
    path("inspections/<int:pk>/events/", views.event_record, name="event"),
    path("inspections/<int:pk>/outcome/", views.outcome_record, name="outcome"),
    path("inspections/<int:pk>/team/", views.team_assign, name="team"),
    path("inspections/<int:pk>/team/<int:user_pk>/remove/", views.team_remove, name="team-remove"),
    path("inspections/<int:pk>/conflicts/", views.conflict_declare, name="conflict"),
    path("inspections/<int:pk>/activities/", views.activity_add, name="activity"),
    path("inspections/<int:pk>/findings/", views.finding_add, name="finding"),
    path("inspections/<int:pk>/sign-offs/", views.sign_off, name="sign-off"),
    path("inspections/<int:pk>/notes/", views.note_add, name="note"),
    # one recorded date, decision (or the outcome) and finding: its history, its corrections
    path("inspections/<int:pk>/events/<str:name>/", correction_views.event_detail, name="event-detail"),
    path(
        "inspections/<int:pk>/events/<str:name>/correct/",
        correction_views.event_correct,
        name="event-correct",
    ),
    path(
        "inspections/<int:pk>/events/<str:name>/withdraw/",
        correction_views.event_withdraw,
        name="event-withdraw",
    ),
    path(
        "inspections/<int:pk>/findings/<int:finding_pk>/",
        correction_views.finding_detail,
        name="finding-detail",
    ),
    path(
        "inspections/<int:pk>/findings/<int:finding_pk>/correct/",
        correction_views.finding_correct,
        name="finding-correct",
    ),
    path(
        "inspections/<int:pk>/findings/<int:finding_pk>/withdraw/",
        correction_views.finding_withdraw,
        name="finding-withdraw",
    ),
]
