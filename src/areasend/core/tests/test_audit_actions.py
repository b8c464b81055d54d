"""Every audit action is one of the enumerated list, in the source and when a record is written."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction

from areasend.core import audit
from areasend.core.audit import AuditAction, UnknownAuditAction, action_label
from areasend.core.models import AuditEvent

PACKAGE = Path(audit.__file__).resolve().parents[1]


def _is_record_call(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr == "record" and isinstance(func.value, ast.Name) and func.value.id == "audit"
    return isinstance(func, ast.Name) and func.id == "record"


def _assigned_values(scope: ast.AST, name: str) -> list[ast.expr]:
    return [
        node.value
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
    ]


def _actions(expr: ast.expr, scope: ast.AST) -> Iterator[tuple[str, str]]:
    """(kind, text) for each action an expression can hold: literal, prefix, member or unresolved."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield "literal", expr.value
    elif isinstance(expr, ast.IfExp):
        yield from _actions(expr.body, scope)
        yield from _actions(expr.orelse, scope)
    elif isinstance(expr, ast.JoinedStr):
        first = expr.values[0] if expr.values else None
        prefix = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
        yield "prefix", prefix
    elif isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name | ast.Attribute):
        owner = expr.value.attr if isinstance(expr.value, ast.Attribute) else expr.value.id
        yield ("member", expr.attr) if owner == "AuditAction" else ("unresolved", ast.unparse(expr))
    elif isinstance(expr, ast.Name):
        values = _assigned_values(scope, expr.id)
        if not values:
            yield "unresolved", expr.id
        for value in values:
            yield from _actions(value, scope)
    else:
        yield "unresolved", ast.unparse(expr)


def _record_calls() -> Iterator[tuple[str, int, str, str]]:
    """(file, line, kind, text) for the action of every `audit.record(...)` call in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == Path(__file__).resolve() or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not _is_record_call(node):
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            if action is None:
                continue
            enclosing = [s for s in scopes if s.lineno <= node.lineno <= (s.end_lineno or s.lineno)]
            scope = min(enclosing, key=lambda s: (s.end_lineno or 0) - s.lineno) if enclosing else tree
            for kind, text in _actions(action, scope):
                yield str(path.relative_to(PACKAGE)), node.lineno, kind, text


def test_every_audit_action_in_the_source_is_in_the_enumeration() -> None:
    calls = list(_record_calls())
    values = set(AuditAction.values)
    problems = []
    for where, line, kind, text in calls:
        if kind == "literal" and text not in values:
            problems.append(f"{where}:{line}: {text!r} is not in AuditAction")
        elif kind == "prefix" and not (text and any(v.startswith(text) for v in values)):
            problems.append(f"{where}:{line}: no AuditAction starts with {text!r}")
        elif kind == "member" and text not in AuditAction.names:
            problems.append(f"{where}:{line}: AuditAction has no member {text}")
        elif kind == "unresolved":
            problems.append(f"{where}:{line}: the action {text} cannot be checked; name it with a literal")
    assert not problems, "\n".join(problems)
    found = {text for _, _, kind, text in calls if kind == "literal"}
    # The walk really reaches the call sites: services, views (a variable) and f-strings alike.
    assert {"inspection.create", "plan.submit", "partner.update", "calendar_feed.replace"} <= found
    assert ("prefix", "datapack.line_") in {(kind, text) for _, _, kind, text in calls}
    assert len(found) >= 30


def test_every_action_has_a_label_for_the_audit_log() -> None:
    for member in AuditAction:
        assert member.label and member.label != member.value
        assert action_label(member.value) == member.label
    assert action_label("retired.action") == "retired.action"


@pytest.mark.django_db
def test_an_unknown_action_is_refused_and_nothing_is_written() -> None:
    before = AuditEvent.objects.count()
    with transaction.atomic(), pytest.raises(UnknownAuditAction, match=r"'inspection\.teleport' is not"):
        audit.record(actor=None, action="inspection.teleport")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_member_and_its_string_are_the_same_action() -> None:
    with transaction.atomic():
        by_member = audit.record(actor=None, action=AuditAction.PLAN_SUBMIT, object_repr="plan")
        by_string = audit.record(actor=None, action="plan.submit", object_repr="plan")
    stored = AuditEvent.objects.filter(pk__in=[by_member.pk, by_string.pk]).values_list("action", flat=True)
    assert list(stored) == ["plan.submit", "plan.submit"]


@pytest.mark.django_db
def test_the_audit_log_page_shows_each_action_by_its_label(page_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    from areasend.conftest import signed_in

    signed_in(page_client, admin_user)
    html = page_client.get("/audit/?action=user.create").content.decode()
    assert "User created" in html
    assert "<code>user.create</code>" in html
