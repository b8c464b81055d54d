"""The service navigation: each entry shows only to users whose roles grant its permission."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from .permissions import has_permission

# (label, URL name, permission). Apps add their entries here.
NAVIGATION: list[tuple[str, str, str]] = [
    ("Areas", "areas:list", "areas.view"),
    ("Inspections", "inspections:list", "inspections.view"),
    ("Deadlines", "programme:deadlines", "deadlines.view"),
    ("Frameworks", "frameworks:list", "frameworks.view"),
    ("National figures", "history:national", "frameworks.view"),  # every signed-in role (ADR 0022)
    ("Users", "accounts:user-list", "users.manage"),
    ("Audit log", "core:audit-log", "audit.view"),
]


def nav_items(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for label, url_name, permission in NAVIGATION:
        if not has_permission(user, permission):
            continue
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "href": href, "prefix": href})
    return items
