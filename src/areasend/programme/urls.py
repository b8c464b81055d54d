from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("deadlines/", views.deadlines, name="deadlines"),
    path("deadlines/calendar/", views.calendar_settings, name="calendar-settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
