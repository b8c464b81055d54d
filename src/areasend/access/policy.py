"""The access policy.

A user's roles grant permissions (`accounts.roles`); their role assignments give their scope (which
areas, and for an inspector which inspections, through the teams they are in). An action needs one
permission and one relation between the user and the object:

- ``area``: the object's area is one the user acts for (national roles act for every area);
- ``inspection``: the user may see the object's inspection (every inspection for administrators and
  national viewers; an inspector's own teams' and assigned areas'; an area officer's area's);
- ``team``: the user is in the object's inspection team;
- ``area_officer``: the user is a partnership officer of the object's area;
- ``administrator``: the user is a programme administrator, whatever the object (user and role
  administration); it needs no object, since creating a user has none yet.

Administrators pass every relation. The policy knows no model: each app registers which of its
models is an area or an inspection, and how its other models lead to one (`register_parent`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from areasend.accounts.roles import (
    ADMINISTRATOR,
    AREA_OFFICER,
    INSPECTOR,
    NATIONAL_ROLES,
    VIEWER,
    user_permissions,
    user_roles,
)

NOT_SIGNED_IN = "Sign in to do this."
NO_PERMISSION = "Your role does not allow you to {what}."
NOT_YOUR_AREA_SCOPE = "You do not act for {area}."
NOT_VISIBLE = "You cannot see this inspection."
NOT_IN_TEAM = "Only the inspection's team can do this."
NOT_YOUR_AREA = "Only the area's partnership officers can do this."
NO_SUBJECT = "There is nothing here to {what}."
ADMINISTRATORS_ONLY = "Only programme administrators can do this."

# The relation no role but the administrator's passes (administrators pass every relation).
ADMINISTRATOR_RELATION = "administrator"


class Action(StrEnum):
    """Everything the policy is asked about: value, the permission it needs, the relation it needs."""

    AREA_VIEW = "area.view"
    DATAPACK_VIEW = "datapack.view"
    ENQUIRY_VIEW = "datapack.enquiries.view"
    ENQUIRY_CHANGE = "datapack.enquiries.change"
    INSPECTION_CREATE = "inspection.create"
    INSPECTION_VIEW = "inspection.view"
    INSPECTION_CHANGE = "inspection.change"
    TEAM_MANAGE = "inspection.team"
    NOTES = "inspection.notes"
    CONFLICT_DECLARE = "inspection.conflict"
    PLAN_SUBMIT = "plan.submit"
    PLAN_REVIEW = "plan.review"
    VISIT_CHANGE = "visit.change"
    USERS_MANAGE = "users.manage"


@dataclass(frozen=True)
class _Rule:
    permission: str
    relation: str
    what: str


RULES: dict[Action, _Rule] = {
    Action.AREA_VIEW: _Rule("areas.view", "area", "see this area"),
    Action.DATAPACK_VIEW: _Rule("datapack.view", "area", "read this area's data pack"),
    Action.ENQUIRY_VIEW: _Rule("datapack.enquiries.view", "area", "see the lines of enquiry inspectors keep"),
    Action.ENQUIRY_CHANGE: _Rule("datapack.enquiries.change", "area", "review lines of enquiry"),
    Action.INSPECTION_CREATE: _Rule("inspections.create", "area", "plan inspections"),
    Action.INSPECTION_VIEW: _Rule("inspections.view", "inspection", "see inspections"),
    Action.INSPECTION_CHANGE: _Rule("inspections.change", "team", "change inspections"),
    Action.TEAM_MANAGE: _Rule("inspections.create", "inspection", "choose inspection teams"),
    Action.NOTES: _Rule("inspections.view_private_notes", "team", "read or write private notes"),
    Action.CONFLICT_DECLARE: _Rule("inspections.change", "area", "declare conflicts of interest"),
    Action.PLAN_SUBMIT: _Rule("plans.submit", "area_officer", "prepare or submit follow-up plans"),
    Action.PLAN_REVIEW: _Rule("inspections.change", "team", "review follow-up plans"),
    Action.VISIT_CHANGE: _Rule("inspections.change", "team", "record follow-up visits"),
    Action.USERS_MANAGE: _Rule("users.manage", ADMINISTRATOR_RELATION, "manage users and their roles"),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


class AccessDenied(PermissionDenied):
    """The actor may not take this action on this object; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class Scope:
    """What a signed-in user acts on, read once per request from their role assignments."""

    user_id: int | None
    active: bool
    roles: frozenset[str]
    permissions: frozenset[str]
    every_area: bool  # a national role
    area_ids: frozenset[int]  # areas named in any assignment
    officer_area_ids: frozenset[int]  # areas they are a partnership officer for
    every_inspection: bool  # administrators and national viewers
    inspection_area_ids: frozenset[int] = field(default=frozenset())  # areas whose inspections they see

    @property
    def is_admin(self) -> bool:
        return ADMINISTRATOR in self.roles

    def may(self, permission: str) -> bool:
        return "*" in self.permissions or permission in self.permissions


_ANONYMOUS = Scope(None, False, frozenset(), frozenset(), False, frozenset(), frozenset(), False)


def scope_of(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _ANONYMOUS
    cached = getattr(user, "_areasend_scope", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    roles = frozenset(user_roles(user))
    assignments = list(user.role_assignments.values_list("role", "area_id"))
    every_area = ADMINISTRATOR in roles or any(a is None and r in NATIONAL_ROLES for r, a in assignments)
    scope = Scope(
        user_id=user.pk,
        active=True,
        roles=roles,
        permissions=frozenset(user_permissions(user)),
        every_area=every_area,
        area_ids=frozenset(a for _, a in assignments if a is not None),
        officer_area_ids=frozenset(a for r, a in assignments if r == AREA_OFFICER and a is not None),
        every_inspection=ADMINISTRATOR in roles or any(r == VIEWER and a is None for r, a in assignments),
        inspection_area_ids=frozenset(
            a for r, a in assignments if a is not None and r in {AREA_OFFICER, VIEWER, INSPECTOR}
        ),
    )
    user._areasend_scope = scope
    return scope


# --- what an object is, registered by the apps that own the models ---------------------------------

_AREA_MODELS: set[str] = set()
_INSPECTION_MODELS: set[str] = set()
_PARENTS: dict[str, Callable[[Any], Any]] = {}


def _label(obj: Any) -> str:
    meta = getattr(obj, "_meta", None)
    return str(meta.label_lower) if meta is not None else type(obj).__name__


def register_area(label: str) -> None:
    _AREA_MODELS.add(label)


def register_inspection(label: str) -> None:
    _INSPECTION_MODELS.add(label)


def register_parent(label: str, parent: Callable[[Any], Any]) -> None:
    """`parent(obj)` returns the area, inspection or other registered object `obj` belongs to."""
    _PARENTS[label] = parent


def _inspection_of(obj: Any) -> Any:
    seen = 0
    while obj is not None and seen < 5:
        label = _label(obj)
        if label in _INSPECTION_MODELS:
            return obj
        if label in _AREA_MODELS or label not in _PARENTS:
            return None
        obj = _PARENTS[label](obj)
        seen += 1
    return None


def _area_id_of(obj: Any) -> int | None:
    seen = 0
    while obj is not None and seen < 5:
        label = _label(obj)
        if label in _AREA_MODELS:
            return int(obj.pk)
        if label in _INSPECTION_MODELS:
            return int(obj.area_id)
        if label not in _PARENTS:
            return None
        obj = _PARENTS[label](obj)
        seen += 1
    return None


def _in_team(scope: Scope, inspection: Any) -> bool:
    return bool(inspection.team.filter(user_id=scope.user_id).exists())


def _relation(scope: Scope, relation: str, obj: Any) -> bool:
    if scope.is_admin:
        return True
    if relation == ADMINISTRATOR_RELATION:
        return False
    if relation == "area":
        area_id = _area_id_of(obj)
        return area_id is not None and (scope.every_area or area_id in scope.area_ids)
    inspection = _inspection_of(obj)
    if inspection is None:
        return False
    if relation == "inspection":
        if scope.every_inspection or inspection.area_id in scope.inspection_area_ids:
            return True
        return INSPECTOR in scope.roles and _in_team(scope, inspection)
    if relation == "team":
        return _in_team(scope, inspection)
    if relation == "area_officer":
        return inspection.area_id in scope.officer_area_ids
    raise ValueError(f"Unknown relation {relation!r}")


_REFUSALS = {
    "area": NOT_YOUR_AREA_SCOPE,
    "inspection": NOT_VISIBLE,
    "team": NOT_IN_TEAM,
    "area_officer": NOT_YOUR_AREA,
    ADMINISTRATOR_RELATION: ADMINISTRATORS_ONLY,
}


def decide(user: Any, action: Action, obj: Any) -> Decision:
    """May `user` take `action` on `obj`? Allowed, or refused with the reason."""
    rule = RULES[action]
    scope = scope_of(user)
    if not scope.active:
        return Decision(False, NOT_SIGNED_IN)
    if not scope.may(rule.permission):
        return Decision(False, NO_PERMISSION.format(what=rule.what))
    if obj is None and rule.relation != ADMINISTRATOR_RELATION:
        return Decision(False, NO_SUBJECT.format(what=rule.what))
    if _relation(scope, rule.relation, obj):
        return ALLOW
    area = getattr(obj, "name", None) or "this area"
    return Decision(False, _REFUSALS[rule.relation].format(area=area))


def check(user: Any, action: Action, obj: Any) -> None:
    """Raise `AccessDenied` unless `user` may take `action` on `obj`."""
    decision = decide(user, action, obj)
    if not decision:
        raise AccessDenied(decision.reason)
