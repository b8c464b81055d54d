"""One access policy: may this user take this action on this object (area, inspection, plan, ...)?

`decide(user, action, obj)` answers with a `Decision` (allowed, and the reason when not);
`check(...)` raises `AccessDenied` with that reason. Services call `check` with their actor before
they change anything; selectors and page helpers use the same answers to filter and to refuse.
"""

from .policy import (
    AccessDenied,
    Action,
    Decision,
    Scope,
    check,
    decide,
    register_area,
    register_inspection,
    register_parent,
    scope_of,
)

__all__ = [
    "AccessDenied",
    "Action",
    "Decision",
    "Scope",
    "check",
    "decide",
    "register_area",
    "register_inspection",
    "register_parent",
    "scope_of",
]
