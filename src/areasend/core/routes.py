"""The inventory of routes and the permission each declares (used by tests and `areasend routes`)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from ninja.openapi.views import default_home

from .permissions import declared_permission


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    permission: str | None


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{namespace}:{ns}" if namespace and ns else (ns or namespace),
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry.callback


def _ninja_path_view(callback: Any) -> Any:
    for cell in getattr(callback, "__closure__", None) or ():
        if hasattr(cell.cell_contents, "operations"):
            return cell.cell_contents
    return None


def _ninja_permission(callback: Any) -> str | None:
    """The permissions of every operation behind a django-ninja route, joined; None if any has none."""
    if isinstance(callback, functools.partial) and callback.func is default_home:
        return "none (always 404: the API's root only anchors its paths)"
    path_view = _ninja_path_view(callback)
    if path_view is None:
        return None
    operations = path_view.operations
    found = []
    for operation in operations:
        auths = [a for a in (operation.auth_callbacks or []) if getattr(a, "permission", None)]
        if not auths or len(auths) != len(operation.auth_callbacks):
            return None
        found.append(f"{'/'.join(operation.methods)} {auths[0].permission}")
    return "; ".join(found) if found else None


def all_routes(urlconf: str | None = None) -> list[Route]:
    routes = []
    for pattern, name, callback in _walk(get_resolver(urlconf).url_patterns):
        permission = declared_permission(callback)
        if permission is None:
            permission = _ninja_permission(callback)
        routes.append(Route(pattern=pattern, name=name, permission=permission))
    return routes


def undeclared_routes(urlconf: str | None = None) -> list[Route]:
    return [route for route in all_routes(urlconf) if not route.permission]
