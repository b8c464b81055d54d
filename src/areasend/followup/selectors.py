"""Reads for follow-up plans and visits."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from areasend.inspections.models import Inspection

from .models import Plan, PlanAction


def overdue_actions(*, inspection: Inspection, today: dt.date) -> list[PlanAction]:
    return list(
        PlanAction.objects.filter(plan__inspection=inspection, due_on__lt=today)
        .exclude(status=PlanAction.COMPLETE)
        .select_related("plan", "owner")
    )


def open_plans(inspection: Inspection) -> QuerySet[Plan]:
    return Plan.objects.filter(inspection=inspection).exclude(status=Plan.ACCEPTED)
