from django.urls import path

from . import views

app_name = "history"
urlpatterns = [
    path("", views.national, name="national"),
    path("timeliness/", views.timeliness, name="timeliness"),
]
