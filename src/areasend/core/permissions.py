"""Deny by default: every view declares the permission it needs.

A view is reachable only if it is decorated with `public` or `requires(<permission>)`. The
route-permission test walks the URL resolver and fails on any route without a declaration.

Permissions are plain strings (``"areas.view"``); which roles grant them is in
``areasend.accounts.roles``. Object-level scope (which areas or inspections) is applied by
selectors, never here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

PUBLIC = "public"
PERMISSION_ATTRIBUTE = "areasend_permission"

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def public(view: ViewFunc) -> ViewFunc:
    """Mark a view as open to everyone, signed in or not (published reports, health check)."""
    setattr(view, PERMISSION_ATTRIBUTE, PUBLIC)
    return view


def requires(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    """Require sign-in and a role that grants `permission`; otherwise redirect (anonymous) or 403."""
    if not permission or permission == PUBLIC:
        raise ValueError("requires() needs a real permission; use @public for public views")

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_permission(request.user, permission):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        setattr(wrapper, PERMISSION_ATTRIBUTE, permission)
        return wrapper  # type: ignore[return-value]

    return decorator


def declared_permission(callback: Callable[..., Any]) -> str | None:
    """The permission a URL callback declares, or None when it declares nothing."""
    found = getattr(callback, PERMISSION_ATTRIBUTE, None)
    if found is None and hasattr(callback, "view_class"):
        found = getattr(callback.view_class, PERMISSION_ATTRIBUTE, None)
    return found


def has_permission(user: Any, permission: str) -> bool:
    from areasend.accounts.roles import user_permissions

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    granted = user_permissions(user)
    return "*" in granted or permission in granted


if TYPE_CHECKING:
    from django.contrib.auth.models import User

    class SignedInRequest(HttpRequest):
        """The request a `@requires` view receives: its user is signed in."""

        user: User

else:
    SignedInRequest = HttpRequest
