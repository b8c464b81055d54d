from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from areasend.core.pages import form_page, posted
from areasend.core.permissions import public

from . import services
from .forms import SetPasswordForm, SignInForm


@public
def sign_in(request: HttpRequest) -> HttpResponseBase:
    view = auth_views.LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
    return view(request)


@public
def sign_out(request: HttpRequest) -> HttpResponseBase:
    view = auth_views.LogoutView.as_view(template_name="accounts/signed_out.html")
    return view(request)


# --- the set-password link (no sign-in: the link is what lets its holder in) -----------------------


@public
@never_cache
def set_password(request: HttpRequest, token: str) -> HttpResponse:
    """`token` is the whole key of the link: the user's id and the token proper (see `set_password_path`)."""
    user = services.user_for_set_password_key(token)
    if user is None:
        return render(
            request, "accounts/link_not_valid.html", {"message": services.LINK_NOT_VALID}, status=404
        )

    def perform(data: dict[str, Any]) -> str:
        services.password_set(key=token, password=data["new_password"])
        return "Your password is set: sign in with it"

    return form_page(
        request,
        form=SetPasswordForm(posted(request)),
        heading="Choose your password",
        button="Set password",
        perform=perform,
        success_url=reverse("accounts:sign-in"),
        caption=f"Username: {user.get_username()}",
        intro="This link works once. You sign in with your username and this password.",
    )
