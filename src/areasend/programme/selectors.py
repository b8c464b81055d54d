"""Reads for the programme: open milestones across the inspections a user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from areasend.inspections.models import Inspection
from areasend.inspections.selectors import inspections_visible_to

from .models import OpenMilestone


@dataclass(frozen=True)
class DueMilestone:
    """An open milestone as of a given day: `status` is "overdue" once its due date has passed."""

    inspection: Inspection
    key: str
    label: str
    due: dt.date
    rule: str
    source: str
    status: str
    owed_by: str

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


def _as_of(row: OpenMilestone, today: dt.date) -> DueMilestone:
    from areasend.inspections.frameworks import framework_of
    from areasend.inspections.presentation import in_words

    return DueMilestone(
        inspection=row.inspection,
        key=row.key,
        label=row.label,
        due=row.due,
        rule=in_words(framework_of(row.inspection), row.rule),
        source=row.source,
        status="overdue" if row.due < today else row.status,
        owed_by=row.owed_by,
    )


def open_milestones(*, user: Any, today: dt.date, region: str = "", owed_by: str = "") -> list[DueMilestone]:
    """Every milestone not yet met across the inspections the user may see, soonest first."""
    rows = OpenMilestone.objects.filter(inspection__in=inspections_visible_to(user)).select_related(
        "inspection__area", "inspection__framework"
    )
    if region:
        rows = rows.filter(inspection__area__region_name=region)
    if owed_by:
        rows = rows.filter(owed_by=owed_by)
    return [_as_of(row, today) for row in rows.order_by("due", "inspection_id", "key")]


def milestones_to_remind(*, today: dt.date) -> list[DueMilestone]:
    """Every open milestone of every inspection that is due (not merely projected) or overdue."""
    rows = OpenMilestone.objects.select_related("inspection__area", "inspection__framework")
    found = [_as_of(row, today) for row in rows.order_by("due", "inspection_id", "key")]
    return [m for m in found if m.status in {"due", "overdue"}]


def open_plan_actions(*, user: Any, today: dt.date, region: str = "") -> list[DueMilestone]:
    """Every plan action in force not yet complete (at its document's last action status) across the
    inspections the user may see, as deadlines the partnership owes (overdue once its date has
    passed)."""
    from areasend.followup.models import PlanAction
    from areasend.followup.rules import action_is_done

    actions = PlanAction.objects.in_force().filter(plan__inspection__in=inspections_visible_to(user))
    actions = actions.select_related("plan__inspection__area", "plan__inspection__framework", "owner")
    if region:
        actions = actions.filter(plan__inspection__area__region_name=region)
    open_actions = [action for action in actions.order_by("due_on", "pk") if not action_is_done(action)]
    return [
        DueMilestone(
            inspection=action.plan.inspection,
            key=f"plan-action-{action.pk}",
            label=f"{action.plan.title}: {action.text[:120]}",
            due=action.due_on,
            rule=f"A plan action owned by {action.owner.name}",
            source="",
            status="overdue" if action.due_on < today else "due",
            owed_by="area",
        )
        for action in open_actions
    ]
