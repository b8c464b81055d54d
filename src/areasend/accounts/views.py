from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseBase

from areasend.core.permissions import public

from .forms import SignInForm


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
