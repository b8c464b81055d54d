"""Writes for lines of enquiry. Each call is one transaction with its audit record."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from areasend.analytics.errors import CatalogueError
from areasend.core import audit
from areasend.frameworks.selectors import criteria_of, term_labels
from areasend.inspections.models import Inspection
from areasend.inspections.selectors import latest_published_findings

from .models import LineOfEnquiry
from .selectors import pack_for_area

logger = logging.getLogger(__name__)

LINE_FIELDS = ["text", "status", "criterion", "sector"]
DECISIONS = ("accept", "reject", "reopen")
EMPTY_TEXT = "Enter the line of enquiry"
UNKNOWN_DECISION = "Choose accept, reject or reopen"
FRAMEWORK_NOT_COVERED = (
    "The data pack cannot propose lines of enquiry for {framework}: its indicator catalogue does not "
    "name that framework's criteria."
)
UNMAPPED_CRITERION = (
    "This line names criterion {code}, which no loaded framework version has: reject it, and keep the "
    "data pack's lines again for the inspection."
)
SECTOR_NOT_IN_FRAMEWORK = "'{sector}' is not a sector of {framework}: use one of {sectors}."


def lines_propose(
    *,
    inspection: Inspection,
    actor: Any,
    period: str | None = None,
    previous_weaknesses: Sequence[str] = (),
) -> list[LineOfEnquiry]:
    """Store the data pack's lines of enquiry for the inspection as 'proposed', each linked to the
    criterion with its code in the inspection's framework version.

    A line the rules proposed before for this inspection (same rule, indicator and wording) is not
    stored twice, whatever an inspector has since decided about it. A line whose criterion or sector
    the inspection's framework version does not have is left out (and logged).
    """
    version = inspection.framework
    try:
        pack = pack_for_area(
            area=inspection.area,
            period=period,
            previous_weaknesses=previous_weaknesses,
            framework_id=version.framework_id,
        )
    except CatalogueError as exc:
        raise ValidationError(FRAMEWORK_NOT_COVERED.format(framework=version.title)) from exc
    sectors = term_labels(version, "sector")
    criteria = {criterion.code: criterion for criterion in criteria_of(version)}
    existing = set(
        LineOfEnquiry.objects.filter(inspection=inspection).values_list(
            "rule_id", "indicator", "original_text"
        )
    )
    created: list[LineOfEnquiry] = []
    left_out: list[str] = []
    with transaction.atomic():
        for item in pack["lines_of_enquiry"]:
            key = (item["rule_id"], item["indicator"] or "", item["text"])
            if key in existing:
                continue
            existing.add(key)
            criterion = criteria.get(item["criterion"])
            if criterion is None or item["sector"] not in sectors:
                left_out.append(f"{item['rule_id']} ({item['criterion']}, {item['sector']})")
                continue
            line = LineOfEnquiry(
                area=inspection.area,
                inspection=inspection,
                text=item["text"],
                original_text=item["text"],
                criterion=criterion,
                sector=item["sector"],
                rule_id=item["rule_id"],
                rule_version=item["rule_version"],
                rules_version=pack["rules_version"],
                indicator=item["indicator"] or "",
                evidence=item["evidence"],
                period=pack["period"] or "",
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            line.full_clean()
            line.save()
            created.append(line)
        if left_out:
            logger.warning(
                "Lines of enquiry left out for inspection %s: %s has no such criterion or sector: %s",
                inspection.pk,
                version,
                "; ".join(left_out),
            )
        if created:
            audit.record(
                actor=actor,
                action="datapack.lines_propose",
                obj=inspection,
                changes={
                    "area": inspection.area.ons_code,
                    "proposed": len(created),
                    "left_out": len(left_out),
                    "rules_version": pack["rules_version"],
                },
            )
    return created


def lines_propose_for_new_inspection(*, inspection: Inspection, actor: Any) -> None:
    """When an inspection is created (registered in DatapackConfig.ready): its first lines, with the
    area's latest published findings as the previous inspection's weaknesses (never its own, when it
    was recorded and published in the transaction that created it)."""
    own = set(inspection.findings.values_list("text", flat=True))
    weaknesses = [w for w in latest_published_findings(inspection.area) if w not in own]
    lines_propose(inspection=inspection, actor=actor, previous_weaknesses=weaknesses)


def _check_sector(line: LineOfEnquiry) -> None:
    version = line.criterion.framework_version if line.criterion is not None else None
    if version is None:
        return
    sectors = term_labels(version, "sector")
    if line.sector not in sectors:
        raise ValidationError(
            {
                "sector": SECTOR_NOT_IN_FRAMEWORK.format(
                    sector=line.sector,
                    framework=f"{version.title} (version {version.version})",
                    sectors=", ".join(sectors),
                )
            }
        )


def line_review(*, line: LineOfEnquiry, actor: Any, decision: str, text: str | None = None) -> LineOfEnquiry:
    """An inspector's decision on a line: accept (as worded, or edited), reject, or reopen."""
    if decision not in DECISIONS:
        raise ValidationError(UNKNOWN_DECISION)
    if decision == "accept" and line.criterion is None:
        raise ValidationError(UNMAPPED_CRITERION.format(code=line.unmapped_criterion))
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
    _check_sector(line)
    with transaction.atomic():
        line.save()
        audit.record(
            actor=actor,
            action=f"datapack.line_{decision}",
            obj=line,
            changes=audit.model_changes(line, LINE_FIELDS, before),
        )
    return line
