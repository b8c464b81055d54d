"""The `administrator` relation: user administration is for programme administrators, whatever
permissions a role is given by mistake."""

from __future__ import annotations

from typing import Any

import pytest

from areasend.access import Action, decide
from areasend.access.policy import (
    ADMINISTRATOR_RELATION,
    ADMINISTRATORS_ONLY,
    NO_PERMISSION,
    NOT_SIGNED_IN,
    RULES,
)
from areasend.accounts import roles
from areasend.conftest import make_user


def test_user_administration_needs_its_permission_and_the_administrator_relation() -> None:
    rule = RULES[Action.USERS_MANAGE]
    assert (rule.permission, rule.relation) == (roles.MANAGE_USERS, ADMINISTRATOR_RELATION)
    granted = {role for role, perms in roles.ROLE_PERMISSIONS.items() if roles.MANAGE_USERS in perms}
    assert granted == set()  # only the administrator's "*" grants it
    assert roles.ROLE_PERMISSIONS[roles.ADMINISTRATOR] == frozenset({"*"})


@pytest.mark.django_db
def test_only_administrators_pass_and_no_object_is_needed(
    admin_user: Any, inspector: Any, viewer: Any, essex_officer: Any
) -> None:
    assert decide(admin_user, Action.USERS_MANAGE, None)
    assert decide(admin_user, Action.USERS_MANAGE, inspector)
    for user in (inspector, viewer, essex_officer):
        refused = decide(user, Action.USERS_MANAGE, admin_user)
        assert not refused
        assert refused.reason == NO_PERMISSION.format(what=RULES[Action.USERS_MANAGE].what)


@pytest.mark.django_db
def test_a_role_given_the_permission_by_mistake_is_still_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    widened = dict(roles.ROLE_PERMISSIONS)
    widened[roles.INSPECTOR] = roles.ROLE_PERMISSIONS[roles.INSPECTOR] | {roles.MANAGE_USERS}
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", widened)
    inspector = make_user("widened-inspector", roles.INSPECTOR)
    refused = decide(inspector, Action.USERS_MANAGE, None)
    assert not refused and refused.reason == ADMINISTRATORS_ONLY


@pytest.mark.django_db
def test_an_inactive_administrator_is_refused(admin_user: Any) -> None:
    admin_user.is_active = False
    refused = decide(admin_user, Action.USERS_MANAGE, None)
    assert not refused and refused.reason == NOT_SIGNED_IN


@pytest.mark.django_db
def test_other_relations_still_need_an_object(inspector: Any) -> None:
    refused = decide(inspector, Action.AREA_VIEW, None)
    assert not refused and refused.reason.startswith("There is nothing here to")
