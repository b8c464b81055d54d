from django.urls import include, path

from areasend.api import api

urlpatterns = [
    path("", include("areasend.core.urls")),
    path("", include("areasend.accounts.urls")),
    path("areas/", include("areasend.areas.urls")),
    path("areas/<str:ons_code>/data-pack/", include("areasend.datapack.urls")),
    path("frameworks/", include("areasend.frameworks.urls")),
    path("national/", include("areasend.history.urls")),
    path("", include("areasend.inspections.urls")),
    path("", include("areasend.followup.urls")),
    path("", include("areasend.programme.urls")),
    path("api/", api.urls),
]

handler403 = "areasend.core.errors.permission_denied"
handler404 = "areasend.core.errors.page_not_found"
handler500 = "areasend.core.errors.server_error"
