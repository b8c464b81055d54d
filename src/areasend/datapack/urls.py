from django.urls import path

from . import views

app_name = "datapack"
urlpatterns = [
    path("", views.datapack_page, name="page"),
    path("pdf/", views.datapack_pdf, name="pdf"),
    path("xlsx/", views.datapack_xlsx, name="xlsx"),
    path("lines/propose/", views.lines_propose, name="lines-propose"),
    path("lines/<int:line_id>/", views.line_review, name="line-review"),
]
