"""Reads for accounts. User administration is for programme administrators: anyone else gets nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet

from areasend.access import Action, decide
from areasend.areas.models import LIVE, LocalArea

from .models import ApiToken, RoleAssignment


def _may_manage(viewer: Any) -> bool:
    return bool(decide(viewer, Action.USERS_MANAGE, None))


def users_for_administration(*, viewer: Any, query: str = "") -> QuerySet[User]:
    """Every user, active or not, with their roles and areas; those whose username, name or e-mail
    address contains `query` when one is given. Nothing for a viewer who may not manage users."""
    if not _may_manage(viewer):
        return User.objects.none()
    users = User.objects.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("area").order_by("role", "area__name"),
        )
    )
    query = query.strip()
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(email__icontains=query)
        )
    return users.order_by("username")


def user_for_administration(*, viewer: Any, pk: int) -> User | None:
    return users_for_administration(viewer=viewer).filter(pk=pk).first()


def assignment_of(*, user: User, pk: int) -> RoleAssignment | None:
    return RoleAssignment.objects.select_related("user", "area").filter(user=user, pk=pk).first()


def roles_of(user: User) -> list[RoleAssignment]:
    return list(user.role_assignments.select_related("area").order_by("role", "area__name"))


def tokens_of(user: User) -> list[ApiToken]:
    """The user's API tokens, newest first, revoked ones too."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def token_of(*, user: User, pk: int) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(user=user, pk=pk).first()


def assignable_areas() -> QuerySet[LocalArea]:
    """The areas a role may name: the live ones, by name."""
    return LocalArea.objects.filter(status=LIVE).order_by("name")
