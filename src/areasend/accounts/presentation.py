"""The GOV.UK component parameters of the user administration pages, built from rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from areasend.core import components as c
from areasend.domain.inspectorates import Grade, grade_text

from .models import ApiToken, RoleAssignment
from .roles import ROLE_LABELS


def _when(value: Any) -> str:
    return date_format(localtime(value), "j F Y H:i") if value else "Never"


def display_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def role_text(assignment: RoleAssignment) -> str:
    scope = assignment.area.name if assignment.area is not None else "every area"
    return f"{ROLE_LABELS.get(assignment.role, assignment.role)} – {scope}"


def status_tag(user: User) -> SafeString:
    if user.is_active:
        return c.tag("Active", "govuk-tag--green")
    return c.tag("Deactivated", "govuk-tag--grey")


def users_table(users: Iterable[User]) -> dict[str, Any]:
    rows = []
    for user in users:
        roles = [role_text(a) for a in user.role_assignments.all()]
        rows.append(
            c.row(
                c.link(reverse("accounts:user-detail", args=[user.pk]), user.get_username()),
                user.get_full_name() or "–",
                user.email or "–",
                c.lines(*roles) if roles else "No role",
                status_tag(user),
            )
        )
    return {
        "caption": "Users",
        "caption_classes": "govuk-visually-hidden",
        "head": c.head("Username", "Name", "Email address", "Roles", "Status"),
        "rows": rows or [c.row(c.cell("No users match.", colspan=5))],
        "attributes": {"id": "users"},
    }


def user_facts(user: User, grade: Grade | None = None) -> dict[str, Any]:
    return {
        "rows": [
            c.summary_row("Username", user.get_username()),
            c.summary_row("Full name", user.get_full_name() or "Not given"),
            c.summary_row("Email address", user.email or "Not given"),
            c.summary_row("Status", status_tag(user)),
            c.summary_row(
                "Inspector’s grade",
                grade_text(grade.key) if grade is not None else "Not recorded",
                actions=[
                    c.summary_action(
                        reverse("accounts:grade-change", args=[user.pk]),
                        "Change",
                        visually_hidden_text="inspector’s grade",
                    )
                ],
            ),
            c.summary_row("Password", "Set" if user.has_usable_password() else "Not set yet"),
            c.summary_row("Last signed in", _when(user.last_login)),
            c.summary_row("Account created", _when(user.date_joined)),
        ],
        "attributes": {"id": "user-facts"},
    }


def roles_table(user: User, assignments: Iterable[RoleAssignment]) -> dict[str, Any]:
    rows = []
    for assignment in assignments:
        remove = reverse("accounts:role-remove", args=[user.pk, assignment.pk])
        rows.append(
            c.row(
                ROLE_LABELS.get(assignment.role, assignment.role),
                assignment.area.name if assignment.area is not None else "Every area",
                c.cell(c.link(remove, "Remove", visually_hidden_text=role_text(assignment))),
            )
        )
    return {
        "caption": "Roles",
        "caption_classes": "govuk-visually-hidden",
        "head": c.head("Role", "Area", c.cell(c.visually_hidden("Actions"))),
        "rows": rows or [c.row(c.cell("No roles.", colspan=3))],
        "attributes": {"id": "roles"},
    }


def tokens_table(user: User, tokens: Iterable[ApiToken]) -> dict[str, Any]:
    rows = []
    for token in tokens:
        if token.revoked_at is None:
            status: Any = c.tag("Active", "govuk-tag--green")
            revoke = reverse("accounts:token-revoke", args=[user.pk, token.pk])
            action: Any = c.link(revoke, "Revoke", visually_hidden_text=f"token {token.prefix}")
        else:
            status = c.lines(c.tag("Revoked", "govuk-tag--grey"), c.hint(_when(token.revoked_at)))
            action = ""
        rows.append(
            c.row(
                format_html("<code>{}…</code>", token.prefix),
                _when(token.created_at),
                _when(token.last_used_at),
                status,
                action,
            )
        )
    return {
        "caption": "API tokens",
        "caption_classes": "govuk-visually-hidden",
        "head": c.head(
            "Token starts", "Created", "Last used", "Status", c.cell(c.visually_hidden("Actions"))
        ),
        "rows": rows or [c.row(c.cell("No API tokens.", colspan=5))],
        "attributes": {"id": "tokens"},
    }
