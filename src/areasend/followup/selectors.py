"""Reads for follow-up plans and visits."""

from __future__ import annotations

import datetime as dt

from areasend.inspections.models import Inspection

from . import rules
from .models import Plan, PlanAction


def overdue_actions(*, inspection: Inspection, today: dt.date) -> list[PlanAction]:
    """Actions in force past their date that have not reached their document's last action status."""
    found = (
        PlanAction.objects.in_force()
        .filter(plan__inspection=inspection, due_on__lt=today)
        .select_related("plan", "owner")
    )
    overdue = []
    for action in found:
        action.plan.inspection = inspection
        if not rules.action_is_done(action):
            overdue.append(action)
    return overdue


def open_plans(inspection: Inspection) -> list[Plan]:
    """The inspection's plans that are not complete (accepted, or submitted if never reviewed)."""
    plans = list(Plan.objects.filter(inspection=inspection))
    for plan in plans:
        plan.inspection = inspection
    return [plan for plan in plans if not rules.is_complete(plan)]
