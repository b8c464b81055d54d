"""Documents the partnership attaches to its follow-up plans: the plan itself as sent, or evidence of
its progress. Checked by content before anything is stored (core.uploads); one transaction with the
audit record, and a stored file that the transaction then refuses is removed again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from areasend.access import Action, check
from areasend.core import audit
from areasend.core.uploads import check_upload
from areasend.inspections.services import count_change

from .models import Plan, PlanDocument
from .services import _count_plan_change, _lock_plan

# The kinds of file a plan takes: documents, as the partnership writes and publishes them.
PLAN_DOCUMENT_KINDS = ("pdf", "docx")
DESCRIPTION_MAX = 200
DESCRIPTION_TOO_LONG = "The description must be 200 characters or fewer"


def plan_document_attach(
    *,
    plan: Plan,
    upload: Any,
    actor: User,
    description: str = "",
    expected_version: int | None = None,
) -> PlanDocument:
    """Attach an uploaded document to `plan` (by whoever may prepare the plan: its area's officers)."""
    check(actor, Action.PLAN_SUBMIT, plan)
    if len(description.strip()) > DESCRIPTION_MAX:
        raise ValidationError({"description": DESCRIPTION_TOO_LONG})
    checked = check_upload(upload, kinds=PLAN_DOCUMENT_KINDS, max_bytes=settings.MAX_UPLOAD_BYTES)
    name = (getattr(upload, "name", "") or "document").replace("\\", "/").rsplit("/", 1)[-1][:200]
    document = PlanDocument(
        plan=plan,
        name=name,
        description=description.strip(),
        kind=checked.kind.key,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    with transaction.atomic():
        _lock_plan(plan, expected_version)
        document.file.save(f"upload.{checked.kind.extension}", upload, save=False)
        stored = document.file.name or ""
        try:
            document.save()
            _count_plan_change(plan)
            count_change(plan.inspection)
            audit.record(
                actor=actor,
                action="plan.document_attach",
                obj=plan,
                changes={
                    "document": document.pk,
                    "name": name,
                    "kind": checked.kind.key,
                    "sha256": checked.sha256,
                },
            )
        except BaseException:
            document.file.storage.delete(stored)
            raise
    return document
