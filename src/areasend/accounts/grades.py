"""Inspectors' grades: the grade (and so the inspectorate) of each inspector, which the framework's
team roles are checked against (see areasend.domain.inspectorates). Administrators record it on the
user pages (`grade_set`); the command line and the demo record it when they create a user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from areasend.access import Action, check
from areasend.core import audit
from areasend.domain.inspectorates import GRADES, Grade

from .models import InspectorProfile

# Messages: tests import these and assert them exactly.
UNKNOWN_GRADE = "{grade!r} is not an inspector's grade: choose one of {grades}."


def grade_of(user: Any) -> Grade | None:
    """The user's grade, or None when none is recorded."""
    profile = InspectorProfile.objects.filter(user_id=user.pk).first()
    return GRADES.get(profile.grade) if profile is not None else None


def store_grade(*, user: Any, grade: str, actor: Any = None) -> bool:
    """Record `grade` for `user` ('' forgets it) inside the caller's transaction, with its audit record;
    returns whether anything changed."""
    if grade and grade not in GRADES:
        raise ValidationError({"grade": UNKNOWN_GRADE.format(grade=grade, grades=", ".join(GRADES))})
    profile = InspectorProfile.objects.select_for_update().filter(user_id=user.pk).first()
    before = profile.grade if profile is not None else ""
    if before == grade:
        return False
    if not grade:
        InspectorProfile.objects.filter(user_id=user.pk).delete()
    elif profile is None:
        InspectorProfile.objects.create(user=user, grade=grade)
    else:
        profile.grade = grade
        profile.save(update_fields=["grade", "updated_at"])
    audit.record(actor=actor, action="user.grade", obj=user, changes={"grade": [before, grade]})
    return True


def grade_set(*, actor: User, user: User, grade: str) -> bool:
    """An administrator records (or, with '', forgets) an inspector's grade."""
    check(actor, Action.USERS_MANAGE, user)
    with transaction.atomic():
        return store_grade(user=user, grade=grade, actor=actor)
