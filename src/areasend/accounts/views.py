from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from areasend.access import AccessDenied
from areasend.core import components as c
from areasend.core.forms import ConfirmForm
from areasend.core.pages import form_page, posted
from areasend.core.permissions import SignedInRequest, public, requires

from . import grades, presentation, selectors, services
from .forms import GradeForm, RoleAddForm, SetPasswordForm, SignInForm, UserCreateForm, UserSearchForm
from .presentation import display_name
from .roles import MANAGE_USERS, ROLE_LABELS

USERS_PER_PAGE = 50
# The one secret (a set-password link or an API token) waiting to be shown on the next page, once.
SHOWN_ONCE = "accounts.shown_once"
LINK = "set-password link"
TOKEN = "API token"  # noqa: S105 - the name of a kind of secret


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


# --- user administration (programme administrators) -----------------------------------------------


def _link_days() -> int:
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // (24 * 60 * 60))


def _managed_user(request: SignedInRequest, user_pk: int) -> User:
    user = selectors.user_for_administration(viewer=request.user, pk=user_pk)
    if user is None:
        raise Http404("No such user")
    return user


def _user_url(user: User) -> str:
    return reverse("accounts:user-detail", args=[user.pk])


def _breadcrumbs(user: User | None = None) -> dict[str, Any]:
    items: list[tuple[str, str] | str] = [
        ("Home", reverse("core:home")),
        ("Users", reverse("accounts:user-list")),
    ]
    if user is not None:
        items.append((display_name(user), _user_url(user)))
    return c.breadcrumbs(*items)


def _keep_to_show_once(request: SignedInRequest, user: User, kind: str, secret: str) -> None:
    request.session[SHOWN_ONCE] = {"user": user.pk, "kind": kind, "secret": secret}


def _take_to_show(request: SignedInRequest, user: User, kind: str) -> str | None:
    """The secret kept for this page, taken out of the session so that it is shown only once."""
    held = request.session.pop(SHOWN_ONCE, None)
    if isinstance(held, dict) and held.get("user") == user.pk and held.get("kind") == kind:
        return str(held["secret"])
    return None


@requires(MANAGE_USERS)
def user_list(request: SignedInRequest) -> HttpResponse:
    form = UserSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_bound and form.is_valid() else ""
    users = selectors.users_for_administration(viewer=request.user, query=query)
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "query": query,
        "count": page.paginator.count,
        "table": presentation.users_table(page),
        "pagination": c.pagination(page, lambda n: "?" + urlencode({"page": n, "q": query})),
    }
    return render(request, "accounts/user_list.html", context, status=400 if form.errors else 200)


@requires(MANAGE_USERS)
def user_new(request: SignedInRequest) -> HttpResponse:
    form = UserCreateForm(posted(request), areas=selectors.assignable_areas())
    created: list[User] = []

    def perform(data: dict[str, Any]) -> str:
        user, link = services.user_add(
            actor=request.user,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            role=data["role"],
            area=form.chosen_area(),
            grade=data.get("grade") or "",
        )
        created.append(user)
        _keep_to_show_once(request, user, LINK, request.build_absolute_uri(link))
        return f"{display_name(user)} created"

    back = reverse("accounts:user-list")
    return form_page(
        request,
        form=form,
        heading="Create a user",
        button="Create user",
        perform=perform,
        success_url=lambda: reverse("accounts:password-link", args=[created[0].pk]),
        cancel_url=back,
        intro=(
            "You do not choose their password. Once the account is created you get a set-password link "
            "to send them: with it they choose their own password, under the service’s password rules, "
            "so nobody else ever knows it. The link works once, for "
            f"{_link_days()} days."
        ),
        context={"breadcrumbs": _breadcrumbs()},
        refused=(AccessDenied,),
    )


@requires(MANAGE_USERS)
def user_detail(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)
    context = {
        "managed": user,
        "name": display_name(user),
        "is_self": user.pk == request.user.pk,
        "breadcrumbs": _breadcrumbs(),
        "facts": presentation.user_facts(user, grades.grade_of(user)),
        "roles_table": presentation.roles_table(user, selectors.roles_of(user)),
        "tokens_table": presentation.tokens_table(user, selectors.tokens_of(user)),
    }
    return render(request, "accounts/user_detail.html", context)


def _confirm_page(
    request: HttpRequest,
    user: User,
    *,
    heading: str,
    button: str,
    intro: str,
    perform: Any,
    warning: bool = False,
    success_url: str = "",
) -> HttpResponse:
    back = _user_url(user)
    return form_page(
        request,
        form=ConfirmForm(posted(request)),
        heading=heading,
        button=button,
        button_classes="govuk-button--warning" if warning else "",
        perform=perform,
        success_url=success_url or back,
        cancel_url=back,
        caption=display_name(user),
        intro=intro,
        context={"breadcrumbs": _breadcrumbs(user)},
        refused=(AccessDenied,),
        refresh=(user,),
    )


@requires(MANAGE_USERS)
def role_add(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)
    form = RoleAddForm(posted(request), areas=selectors.assignable_areas())

    def perform(data: dict[str, Any]) -> str:
        assignment = services.role_add(
            actor=request.user, user=user, role=data["role"], area=form.chosen_area()
        )
        return f"{display_name(user)} is now {presentation.role_text(assignment)}"

    back = _user_url(user)
    return form_page(
        request,
        form=form,
        heading="Give another role",
        button="Give role",
        perform=perform,
        success_url=back,
        cancel_url=back,
        caption=display_name(user),
        context={"breadcrumbs": _breadcrumbs(user)},
        refused=(AccessDenied,),
    )


@requires(MANAGE_USERS)
def grade_change(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)
    current = grades.grade_of(user)
    form = GradeForm(posted(request), initial={"grade": current.key if current is not None else ""})

    def perform(data: dict[str, Any]) -> str:
        grades.grade_set(actor=request.user, user=user, grade=data.get("grade") or "")
        chosen = grades.grade_of(user)
        return f"{display_name(user)}: {chosen.label + ', ' + chosen.inspectorate if chosen else 'no grade'}"

    back = _user_url(user)
    return form_page(
        request,
        form=form,
        heading="Change the inspector’s grade",
        button="Save grade",
        perform=perform,
        success_url=back,
        cancel_url=back,
        caption=display_name(user),
        context={"breadcrumbs": _breadcrumbs(user)},
        refused=(AccessDenied,),
    )


@requires(MANAGE_USERS)
def role_remove(request: SignedInRequest, user_pk: int, pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)
    assignment = selectors.assignment_of(user=user, pk=pk)
    if assignment is None:
        raise Http404("No such role")
    described = presentation.role_text(assignment)

    def perform(data: dict[str, Any]) -> str:
        services.role_remove(actor=request.user, assignment=assignment)
        return f"{display_name(user)} is no longer {described}"

    return _confirm_page(
        request,
        user,
        heading=f"Remove the role {described}?",
        button="Remove role",
        intro="What they can see and do changes at their next request.",
        perform=perform,
        warning=True,
    )


@requires(MANAGE_USERS)
def user_deactivate(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)

    def perform(data: dict[str, Any]) -> str:
        ended = services.user_deactivate(actor=request.user, user=user)
        tokens = ended["api_tokens_revoked"]
        return (
            f"{display_name(user)} deactivated: signed out, and {tokens} API "
            f"token{'' if tokens == 1 else 's'} revoked"
        )

    return _confirm_page(
        request,
        user,
        heading=f"Deactivate {display_name(user)}?",
        button="Deactivate",
        intro=(
            "They are signed out at once, their API tokens are revoked, and they cannot sign in until an "
            "administrator reactivates them. Their name stays on everything they have done."
        ),
        perform=perform,
        warning=True,
    )


@requires(MANAGE_USERS)
def user_reactivate(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)

    def perform(data: dict[str, Any]) -> str:
        services.user_reactivate(actor=request.user, user=user)
        return f"{display_name(user)} reactivated"

    return _confirm_page(
        request,
        user,
        heading=f"Reactivate {display_name(user)}?",
        button="Reactivate",
        intro=(
            "They can sign in again with their password, with the roles shown on their page. API tokens "
            "revoked when they were deactivated stay revoked: create a new one if they need it."
        ),
        perform=perform,
    )


@requires(MANAGE_USERS)
def password_reset(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)

    def perform(data: dict[str, Any]) -> str:
        link = services.password_reset(actor=request.user, user=user)
        _keep_to_show_once(request, user, LINK, request.build_absolute_uri(link))
        return f"{display_name(user)}’s password reset"

    return _confirm_page(
        request,
        user,
        heading=f"Reset {display_name(user)}’s password?",
        button="Reset password",
        intro=(
            "Their current password stops working at once and they are signed out. You get a "
            "set-password link to send them, with which they choose a new password themselves: you never "
            "see it. Set-password links made earlier stop working."
        ),
        perform=perform,
        warning=True,
        success_url=reverse("accounts:password-link", args=[user.pk]),
    )


@requires(MANAGE_USERS)
@never_cache
def password_link(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)
    context = {
        "managed": user,
        "name": display_name(user),
        "kind": LINK,
        "secret": _take_to_show(request, user, LINK),
        "link_warning": (
            f"The link works once, for {_link_days()} days. It is shown only on this page. Anyone with it "
            "can set this user’s password, so send it only to them."
        ),
        "breadcrumbs": _breadcrumbs(user),
    }
    return render(request, "accounts/shown_once.html", context)


@requires(MANAGE_USERS)
def token_create(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)
    roles = ", ".join(sorted({ROLE_LABELS[r.role] for r in selectors.roles_of(user)})) or "no role"

    def perform(data: dict[str, Any]) -> str:
        token = services.api_token_issue(actor=request.user, user=user)
        _keep_to_show_once(request, user, TOKEN, token)
        return f"API token created for {display_name(user)}"

    return _confirm_page(
        request,
        user,
        heading=f"Create an API token for {display_name(user)}?",
        button="Create API token",
        intro=(
            f"Whoever holds the token can use the API as {display_name(user)}, with their roles ({roles}). "
            "It is shown once, on the next page: only a fingerprint of it is kept, so it cannot be shown "
            "again. Revoke it here when it is no longer needed."
        ),
        perform=perform,
        success_url=reverse("accounts:token-created", args=[user.pk]),
    )


@requires(MANAGE_USERS)
@never_cache
def token_created(request: SignedInRequest, user_pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)
    context = {
        "managed": user,
        "name": display_name(user),
        "kind": TOKEN,
        "secret": _take_to_show(request, user, TOKEN),
        "breadcrumbs": _breadcrumbs(user),
    }
    return render(request, "accounts/shown_once.html", context)


@requires(MANAGE_USERS)
def token_revoke(request: SignedInRequest, user_pk: int, pk: int) -> HttpResponse:
    user = _managed_user(request, user_pk)
    token = selectors.token_of(user=user, pk=pk)
    if token is None:
        raise Http404("No such API token")

    def perform(data: dict[str, Any]) -> str:
        services.api_token_revoke(actor=request.user, token=token)
        return f"API token {token.prefix}… revoked"

    return _confirm_page(
        request,
        user,
        heading=f"Revoke the API token starting {token.prefix}?",
        button="Revoke token",
        intro="Requests made with it are refused from now on. This cannot be undone.",
        perform=perform,
        warning=True,
    )


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
