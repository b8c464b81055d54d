from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("<str:ons_code>/", views.area_detail, name="detail"),
    path("<str:ons_code>/partners/add/", views.partner_edit, name="partner-add"),
    path("<str:ons_code>/partners/<int:partner_id>/", views.partner_edit, name="partner-edit"),
    path("<str:ons_code>/partners/<int:partner_id>/remove/", views.partner_delete, name="partner-delete"),
]
