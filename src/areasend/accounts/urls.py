from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("set-password/<str:token>/", views.set_password, name="set-password"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_new, name="user-create"),
    path("users/<int:user_pk>/", views.user_detail, name="user-detail"),
    path("users/<int:user_pk>/roles/add/", views.role_add, name="role-add"),
    path("users/<int:user_pk>/grade/", views.grade_change, name="grade-change"),
    path("users/<int:user_pk>/roles/<int:pk>/remove/", views.role_remove, name="role-remove"),
    path("users/<int:user_pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:user_pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("users/<int:user_pk>/password/", views.password_reset, name="password-reset"),
    path("users/<int:user_pk>/password/link/", views.password_link, name="password-link"),
    path("users/<int:user_pk>/tokens/new/", views.token_create, name="token-create"),
    path("users/<int:user_pk>/tokens/created/", views.token_created, name="token-created"),
    path("users/<int:user_pk>/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
