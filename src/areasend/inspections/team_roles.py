"""Who may hold a team role: the inspector's grade (and so inspectorate) against the grades the
framework's team role names."""

from __future__ import annotations

from django.contrib.auth.models import User

from areasend.accounts.grades import grade_of
from areasend.domain.frameworks import TeamRole
from areasend.domain.inspectorates import grade_text

from .errors import InspectionError

# Guard messages: tests import and assert these exactly.
NO_GRADE = (
    "{user} cannot join an inspection team until their inspector’s grade is recorded "
    "(a programme administrator records it on their user page)."
)
WRONG_GRADE = "{user} cannot be the {role}: the role is held by {grades}, and {user} is {grade}."


def check_grade(user: User, role: TeamRole) -> None:
    """The user's grade is one of those the role names. A role that names none (a file written before
    grades were declared, or a regime whose inspectorate's grades areasend does not list) is open to
    any inspector."""
    if not role.grades:
        return
    grade = grade_of(user)
    name = user.get_full_name() or user.get_username()
    if grade is None:
        raise InspectionError(NO_GRADE.format(user=name))
    if grade.key not in role.grades:
        raise InspectionError(
            WRONG_GRADE.format(
                user=name,
                role=role.title,
                grades=" or ".join(grade_text(key) for key in role.grades),
                grade=grade_text(grade.key),
            )
        )
