"""Writes for lines of enquiry. Each call is one transaction with its audit record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from areasend.areas.models import LocalArea
from areasend.core import audit

from .models import LineOfEnquiry
from .selectors import pack_for_area

LINE_FIELDS = ["text", "status", "criterion", "sector"]
DECISIONS = ("accept", "reject", "reopen")
EMPTY_TEXT = "Enter the line of enquiry"
UNKNOWN_DECISION = "Choose accept, reject or reopen"


def lines_propose(
    *,
    area: LocalArea,
    actor: Any,
    period: str | None = None,
    previous_weaknesses: Sequence[str] = (),
) -> list[LineOfEnquiry]:
    """Store the data pack's lines of enquiry for the area as 'proposed'.

    A line the rules proposed before (same rule, indicator and wording) is not stored twice, whatever
    an inspector has since decided about it.
    """
    pack = pack_for_area(area=area, period=period, previous_weaknesses=previous_weaknesses)
    existing = set(
        LineOfEnquiry.objects.filter(area=area).values_list("rule_id", "indicator", "original_text")
    )
    created: list[LineOfEnquiry] = []
    with transaction.atomic():
        for item in pack["lines_of_enquiry"]:
            key = (item["rule_id"], item["indicator"] or "", item["text"])
            if key in existing:
                continue
            existing.add(key)
            line = LineOfEnquiry(
                area=area,
                text=item["text"],
                original_text=item["text"],
                criterion=item["criterion"],
                sector=item["sector"],
                rule_id=item["rule_id"],
                rule_version=item["rule_version"],
                indicator=item["indicator"] or "",
                evidence=item["evidence"],
                period=pack["period"] or "",
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            line.full_clean()
            line.save()
            created.append(line)
        if created:
            audit.record(
                actor=actor,
                action="datapack.lines_propose",
                obj=area,
                changes={"proposed": len(created), "rules_version": pack["rules_version"]},
            )
    return created


def line_review(*, line: LineOfEnquiry, actor: Any, decision: str, text: str | None = None) -> LineOfEnquiry:
    """An inspector's decision on a line: accept (as worded, or edited), reject, or reopen."""
    if decision not in DECISIONS:
        raise ValidationError(UNKNOWN_DECISION)
    before = {name: getattr(line, name) for name in LINE_FIELDS}
    if text is not None:
        text = text.strip()
        if not text:
            raise ValidationError({"text": EMPTY_TEXT})
        line.text = text
    if decision == "accept":
        line.status = LineOfEnquiry.EDITED if line.text != line.original_text else LineOfEnquiry.ACCEPTED
    elif decision == "reject":
        line.status = LineOfEnquiry.REJECTED
    else:
        line.status = LineOfEnquiry.PROPOSED
    line.full_clean()
    with transaction.atomic():
        line.save()
        audit.record(
            actor=actor,
            action=f"datapack.line_{decision}",
            obj=line,
            changes=audit.model_changes(line, LINE_FIELDS, before),
        )
    return line
