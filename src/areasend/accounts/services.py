"""Writes for accounts: users, role assignments, passwords and API tokens. Each call is one transaction
with its audit record.

Two kinds of caller:

- programme administrators, on the user pages: `user_add`, `role_add`, `role_remove`,
  `user_deactivate`, `user_reactivate`, `password_reset`, `api_token_issue` and `api_token_revoke` take
  the acting user and check them through the access policy (`Action.USERS_MANAGE`) before they
  change anything;
- the system: `user_create`, `role_assign` and `api_token_create` serve the command line
  (`areasend users`) and the demo, run by whoever runs the server, so they check no actor.

`password_set` is the one change made by someone not signed in: the set-password link is what lets
them make it.
"""

from __future__ import annotations

import secrets
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from areasend.access import AccessDenied, Action, check
from areasend.access.policy import ADMINISTRATORS_ONLY
from areasend.core import audit

from .grades import store_grade
from .models import AREA_REQUIRED, ApiToken, RoleAssignment, hash_token
from .roles import ADMINISTRATOR, AREA_SCOPED_ROLES, ROLE_LABELS

if TYPE_CHECKING:
    from areasend.areas.models import LocalArea

# Messages: tests import these and assert them exactly.
UNKNOWN_ROLE = "Unknown role {role!r}: choose one of {choices}."
USERNAME_TAKEN = "A user called {username!r} already exists."
UNKNOWN_USER = "There is no user called {username!r}."
ADMINISTRATOR_HAS_NO_AREA = "A programme administrator acts for every area: choose “Every area”."
ROLE_HELD = "{user} is already {role} for {scope}."
LAST_ROLE = "This is {user}’s only role: give them another role first, or deactivate them."
LAST_ADMINISTRATOR = (
    "{user} is the last active programme administrator: make someone else an administrator first."
)
CANNOT_DEACTIVATE_YOURSELF = "You cannot deactivate your own account: ask another administrator."
CANNOT_RESET_YOUR_OWN_PASSWORD = (
    "You cannot reset your own password here: it would sign you out before you saw the link. "  # noqa: S105
    "Ask another administrator."
)
ALREADY_DEACTIVATED = "{user} is already deactivated."
ALREADY_ACTIVE = "{user} is already active."
DEACTIVATED_USER = "{user} is deactivated: reactivate them first."
TOKEN_ALREADY_REVOKED = "This API token was already revoked."  # noqa: S105 - a message
ROLE_ALREADY_REMOVED = "This role was already removed."
LINK_NOT_VALID = (
    "This set-password link has expired or has already been used. "
    "Ask a programme administrator for a new one."
)
SET_PASSWORD_KEY_SEPARATOR = "."  # noqa: S105 - between the user id and the token


def _check_role(role: str) -> None:
    if role not in ROLE_LABELS:
        raise ValidationError(UNKNOWN_ROLE.format(role=role, choices=", ".join(ROLE_LABELS)))


def _scope_text(area: LocalArea | None) -> str:
    return area.name if area is not None else "every area"


def _forget_roles(user: Any) -> None:
    """Drop the roles and scope cached on the user object, so the next question reads them again."""
    for cached in ("_areasend_roles", "_areasend_scope"):
        if hasattr(user, cached):
            delattr(user, cached)


# --- the system: the command line and the demo ---------------------------------------------------


def user_create(
    *,
    username: str,
    role: str,
    area: Any = None,
    password: str | None = None,
    email: str = "",
    actor: Any = None,
    grade: str = "",
) -> AbstractBaseUser:
    User = get_user_model()
    _check_role(role)
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
        store_grade(user=user, grade=grade, actor=actor)
    return user


def role_assign(*, user: Any, role: str, area: Any = None, actor: Any = None) -> RoleAssignment:
    _check_role(role)
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
    _forget_roles(user)
    return assignment


def _new_token(user: Any) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, key_hash=hash_token(token), prefix=token[:8])
    return token, record


def api_token_create(*, user: Any, actor: Any = None) -> str:
    """Create a token for `user` and return it; it cannot be read back later."""
    with transaction.atomic():
        token, record = _new_token(user)
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


# --- programme administrators: the user pages ----------------------------------------------------


def _check_role_area(role: str, area: LocalArea | None) -> None:
    """An area partnership officer names one area; an administrator names none; the others may."""
    _check_role(role)
    if role in AREA_SCOPED_ROLES and area is None:
        raise ValidationError({"area": AREA_REQUIRED})
    if role == ADMINISTRATOR and area is not None:
        raise ValidationError({"area": ADMINISTRATOR_HAS_NO_AREA})


def _administrator_ids() -> set[int]:
    """The active programme administrators (by role or as superusers), their rows locked until commit."""
    by_role = set(
        RoleAssignment.objects.select_for_update()
        .filter(role=ADMINISTRATOR, user__is_active=True)
        .values_list("user_id", flat=True)
    )
    superusers = set(User.objects.filter(is_superuser=True, is_active=True).values_list("pk", flat=True))
    return by_role | superusers


def _lock_administrators(actor: User) -> set[int]:
    """Lock the administrators' rows and re-check, on them, that the actor is still one of them."""
    administrators = _administrator_ids()
    if actor.pk not in administrators:
        raise AccessDenied(ADMINISTRATORS_ONLY)
    return administrators


def _lock_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def set_password_path(user: User) -> str:
    """The path of a set-password link for `user`: one key, the user's id and a token that stops
    working once the password changes (so once it is used) or after `PASSWORD_RESET_TIMEOUT`."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:set-password", args=[f"{uid}{SET_PASSWORD_KEY_SEPARATOR}{token}"])


def _end_sessions(user: User) -> int:
    """Delete every stored session of `user` and return how many there were.

    Sessions kept in the database (Django's default, and areasend's) are read and the user's deleted.
    With any other session store nothing is stored to delete; an inactive user is refused on their
    next request all the same, because authentication never returns an inactive user.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    model = store.get_model_class()
    decoder = store()
    keys = [
        session.session_key
        for session in model.objects.filter(expire_date__gt=timezone.now()).only(
            "session_key", "session_data"
        )
        if str(decoder.decode(session.session_data).get(SESSION_KEY, "")) == str(user.pk)
    ]
    model.objects.filter(session_key__in=keys).delete()
    return len(keys)


def user_add(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    role: str,
    area: LocalArea | None = None,
    grade: str = "",
) -> tuple[User, str]:
    """Create a user with one role and no usable password; return them and their set-password link.

    The administrator never chooses or sees the password: the new user chooses their own with the link
    (the password rules are applied then). The full name is kept whole in `first_name`, as GOV.UK asks
    for a full name in one field; `get_full_name()` reads it back.
    """
    check(actor, Action.USERS_MANAGE, None)
    username = username.strip()
    _check_role_area(role, area)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN.format(username=username)})
    with transaction.atomic():
        _lock_administrators(actor)
        user = User(username=username, first_name=full_name.strip(), email=email.strip())
        user.set_unusable_password()
        user.full_clean()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # the same username, created a moment ago by someone else
            raise ValidationError({"username": USERNAME_TAKEN.format(username=username)}) from exc
        assignment = RoleAssignment(user=user, role=role, area=area)
        assignment.full_clean()
        assignment.save()
        audit.record(
            actor=actor,
            action="user.create",
            obj=user,
            changes={"role": role, "area": area.ons_code if area else None, "email": user.email},
        )
        store_grade(user=user, grade=grade, actor=actor)
    return user, set_password_path(user)


def role_add(*, actor: User, user: User, role: str, area: LocalArea | None = None) -> RoleAssignment:
    """Give `user` another role, for one area or (national roles) for every area."""
    check(actor, Action.USERS_MANAGE, user)
    _check_role_area(role, area)
    with transaction.atomic():
        _lock_administrators(actor)
        locked = _lock_user(user)
        if RoleAssignment.objects.filter(user=locked, role=role, area=area).exists():
            raise ValidationError(
                ROLE_HELD.format(user=_name(locked), role=ROLE_LABELS[role], scope=_scope_text(area))
            )
        assignment = RoleAssignment(user=locked, role=role, area=area)
        assignment.full_clean()
        assignment.save()
        audit.record(
            actor=actor,
            action="role.assign",
            obj=locked,
            changes={"role": role, "area": area.ons_code if area else None},
        )
    _forget_roles(user)
    return assignment


def role_remove(*, actor: User, assignment: RoleAssignment) -> None:
    """Take one role away. Never a user's only role, nor the last active administrator's administrator role."""
    user = assignment.user
    check(actor, Action.USERS_MANAGE, user)
    with transaction.atomic():
        administrators = _lock_administrators(actor)
        locked = _lock_user(user)
        found = RoleAssignment.objects.filter(pk=assignment.pk, user=locked).first()
        if found is None:
            raise ValidationError(ROLE_ALREADY_REMOVED)
        others = RoleAssignment.objects.filter(user=locked).exclude(pk=found.pk)
        if not others.exists():
            raise ValidationError(LAST_ROLE.format(user=_name(locked)))
        still_administrator = locked.is_superuser or others.filter(role=ADMINISTRATOR).exists()
        if found.role == ADMINISTRATOR and not still_administrator and not administrators - {locked.pk}:
            raise ValidationError(LAST_ADMINISTRATOR.format(user=_name(locked)))
        found.delete()
        audit.record(
            actor=actor,
            action="role.remove",
            obj=locked,
            changes={"role": found.role, "area": found.area.ons_code if found.area else None},
        )
    _forget_roles(user)


def user_deactivate(*, actor: User, user: User) -> dict[str, int]:
    """Stop `user` signing in or using the API, at once: their sessions end and their API tokens are
    revoked. Returns how many of each. Nobody deactivates themselves or the last administrator."""
    check(actor, Action.USERS_MANAGE, user)
    if user.pk == actor.pk:
        raise ValidationError(CANNOT_DEACTIVATE_YOURSELF)
    with transaction.atomic():
        administrators = _lock_administrators(actor)
        locked = _lock_user(user)
        if not locked.is_active:
            raise ValidationError(ALREADY_DEACTIVATED.format(user=_name(locked)))
        if locked.pk in administrators and not administrators - {locked.pk}:
            raise ValidationError(LAST_ADMINISTRATOR.format(user=_name(locked)))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        now = timezone.now()
        tokens = ApiToken.objects.filter(user=locked, revoked_at__isnull=True).update(revoked_at=now)
        sessions = _end_sessions(locked)
        ended = {"api_tokens_revoked": tokens, "sessions_ended": sessions}
        audit.record(actor=actor, action="user.deactivate", obj=locked, changes={"is_active": False, **ended})
    user.is_active = False
    _forget_roles(user)
    return ended


def user_reactivate(*, actor: User, user: User) -> None:
    """Let a deactivated user sign in again with their password. Revoked API tokens stay revoked."""
    check(actor, Action.USERS_MANAGE, user)
    with transaction.atomic():
        _lock_administrators(actor)
        locked = _lock_user(user)
        if locked.is_active:
            raise ValidationError(ALREADY_ACTIVE.format(user=_name(locked)))
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        audit.record(actor=actor, action="user.reactivate", obj=locked, changes={"is_active": True})
    user.is_active = True
    _forget_roles(user)


def password_reset(*, actor: User, user: User) -> str:
    """Stop `user`'s password working and end their sessions; return a new set-password link.

    Earlier set-password links stop working too (each is tied to the password it replaces).
    """
    check(actor, Action.USERS_MANAGE, user)
    if user.pk == actor.pk:
        raise ValidationError(CANNOT_RESET_YOUR_OWN_PASSWORD)
    with transaction.atomic():
        _lock_administrators(actor)
        locked = _lock_user(user)
        if not locked.is_active:
            raise ValidationError(DEACTIVATED_USER.format(user=_name(locked)))
        locked.set_unusable_password()
        locked.save(update_fields=["password"])
        sessions = _end_sessions(locked)
        audit.record(
            actor=actor, action="user.password_reset", obj=locked, changes={"sessions_ended": sessions}
        )
    user.password = locked.password
    return set_password_path(locked)


def user_for_set_password_key(key: str) -> User | None:
    """The active user a set-password key is for, while it still works; None otherwise."""
    uid, _, token = key.partition(SET_PASSWORD_KEY_SEPARATOR)
    try:
        pk = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def password_set(*, key: str, password: str) -> User:
    """Set the password of the user a set-password link is for, under the password rules
    (`AUTH_PASSWORD_VALIDATORS`). The link stops working once it has been used."""
    user = user_for_set_password_key(key)
    if user is None:
        raise ValidationError(LINK_NOT_VALID)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    with transaction.atomic():
        locked = _lock_user(user)
        if not locked.is_active or not default_token_generator.check_token(
            locked, key.partition(SET_PASSWORD_KEY_SEPARATOR)[2]
        ):
            raise ValidationError(LINK_NOT_VALID)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        audit.record(actor=locked, action="user.password_set", obj=locked)
    return locked


def api_token_issue(*, actor: User, user: User) -> str:
    """Create an API token for `user` and return it, to be shown once: only its hash is stored."""
    check(actor, Action.USERS_MANAGE, user)
    with transaction.atomic():
        _lock_administrators(actor)
        locked = _lock_user(user)
        if not locked.is_active:
            raise ValidationError(DEACTIVATED_USER.format(user=_name(locked)))
        token, record = _new_token(locked)
        audit.record(actor=actor, action="api_token.create", obj=locked, changes={"prefix": record.prefix})
    return token


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Stop an API token working, at once."""
    check(actor, Action.USERS_MANAGE, token.user)
    with transaction.atomic():
        _lock_administrators(actor)
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise ValidationError(TOKEN_ALREADY_REVOKED)
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor, action="api_token.revoke", obj=locked.user, changes={"prefix": locked.prefix}
        )
    token.revoked_at = locked.revoked_at
