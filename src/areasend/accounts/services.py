"""Writes for accounts: users, role assignments and API tokens. Each call is one transaction."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from areasend.core import audit

from .models import ApiToken, RoleAssignment, hash_token
from .roles import AREA_SCOPED_ROLES, ROLE_LABELS

UNKNOWN_ROLE = "Unknown role {role!r}: choose one of {choices}."
USERNAME_TAKEN = "A user called {username!r} already exists."
UNKNOWN_USER = "There is no user called {username!r}."


def user_create(
    *,
    username: str,
    role: str,
    area: Any = None,
    password: str | None = None,
    email: str = "",
    actor: Any = None,
) -> AbstractBaseUser:
    User = get_user_model()
    if role not in ROLE_LABELS:
        raise ValidationError(UNKNOWN_ROLE.format(role=role, choices=", ".join(ROLE_LABELS)))
    if User.objects.filter(username=username).exists():
        raise ValidationError(USERNAME_TAKEN.format(username=username))
    with transaction.atomic():
        user = User(username=username, email=email)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
        assignment = RoleAssignment(user=user, role=role, area=area)
        assignment.full_clean()
        assignment.save()
        audit.record(
            actor=actor,
            action="user.create",
            obj=user,
            changes={"role": role, "area": area.ons_code if area else None},
        )
    return user


def role_assign(*, user: Any, role: str, area: Any = None, actor: Any = None) -> RoleAssignment:
    if role not in ROLE_LABELS:
        raise ValidationError(UNKNOWN_ROLE.format(role=role, choices=", ".join(ROLE_LABELS)))
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, area=area)
        if created:
            assignment.full_clean()
            audit.record(
                actor=actor,
                action="role.assign",
                obj=user,
                changes={"role": role, "area": area.ons_code if area else None},
            )
    if hasattr(user, "_areasend_roles"):
        del user._areasend_roles
    return assignment


def api_token_create(*, user: Any, actor: Any = None) -> str:
    """Create a token for `user` and return it; it cannot be read back later."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(user=user, key_hash=hash_token(token), prefix=token[:8])
        audit.record(actor=actor, action="api_token.create", obj=user, changes={"prefix": record.prefix})
    return token


def api_token_user(token: str) -> Any:
    """The active user a token belongs to, or None. Records when the token was last used."""
    if not token:
        return None
    found = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


def role_scoped_area_required(role: str) -> bool:
    return role in AREA_SCOPED_ROLES
