"""Roles and the permissions they grant.

A user's role assignments (``RoleAssignment``) name the role and, where the role is scoped, the
area it applies to. Which objects a user sees is decided by selectors from the same assignments.
"""

from __future__ import annotations

from typing import Any

ADMINISTRATOR = "administrator"
INSPECTOR = "inspector"
AREA_OFFICER = "area_officer"
VIEWER = "viewer"

ROLE_LABELS = {
    ADMINISTRATOR: "Programme administrator",
    INSPECTOR: "Inspector",
    AREA_OFFICER: "Area partnership officer",
    VIEWER: "Read-only viewer (DfE / NHS England)",
}

# Roles whose assignment may omit an area, meaning "every area".
NATIONAL_ROLES = {ADMINISTRATOR, INSPECTOR, VIEWER}
# Roles that must always name the area they act for.
AREA_SCOPED_ROLES = {AREA_OFFICER}

# Managing users, their roles, passwords and API tokens: no role grants it but the administrator's "*".
MANAGE_USERS = "users.manage"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ADMINISTRATOR: frozenset({"*"}),
    INSPECTOR: frozenset(
        {
            "home.view",
            "areas.view",
            "frameworks.view",
            "inspections.view",
            "inspections.change",
            "inspections.view_private_notes",
            "datapack.view",
            "datapack.enquiries.view",
            "datapack.enquiries.change",
            "deadlines.view",
            "jobs.view",
        }
    ),
    AREA_OFFICER: frozenset(
        {
            "home.view",
            "areas.view",
            "frameworks.view",
            "inspections.view",
            "plans.submit",
            "datapack.view",  # their own area's data pack, without the lines of enquiry inspectors keep
            "deadlines.view",
            "jobs.view",
        }
    ),
    VIEWER: frozenset(
        {
            "home.view",
            "areas.view",
            "frameworks.view",
            "inspections.view",
            "datapack.view",
            "datapack.enquiries.view",
            "deadlines.view",
            "jobs.view",
        }
    ),
}

ROLE_CHOICES = [(key, ROLE_LABELS[key]) for key in (ADMINISTRATOR, INSPECTOR, AREA_OFFICER, VIEWER)]


def user_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_areasend_roles", None)
    if cached is None:
        cached = set(user.role_assignments.values_list("role", flat=True))
        if user.is_superuser:
            cached.add(ADMINISTRATOR)
        user._areasend_roles = cached
    return set(cached)


def user_permissions(user: Any) -> set[str]:
    granted: set[str] = set()
    for role in user_roles(user):
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return granted
