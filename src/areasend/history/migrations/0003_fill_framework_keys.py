"""Fill the framework-keyed columns of the history rows stored before them.

Until now the history had columns for each regime's facts: ``wsoa_required`` and
``significant_weaknesses`` (2016), ``revisit_result`` and the revisit's counts of weaknesses with
sufficient and insufficient progress (2016), the outcome number, ``priority_action_plan_required``
and ``next_monitoring_by`` (2023). This migration writes the same facts in the keys of the framework
files as they were when it was written (``KEYS``, copied here so that the migration never changes).
Rows added by publishing an inspection in areasend take their outcome key and findings from the
inspection itself. Reversible: the old columns are filled back from the new ones.
"""

from collections import Counter

from django.db import migrations

AREASEND_SOURCE = "areasend"
KEYS = {
    "local-area-send-2016": {
        "outcome": {True: ("wsoa_required", 2), False: ("wsoa_not_required", 1)},
        "documents": {"wsoa_required": ["wsoa"], "wsoa_not_required": []},
        "finding": "significant_weakness",
        "visit": "revisit",
        "results": {"all": "sufficient_in_all", "some": "sufficient_in_some", "none": "sufficient_in_none"},
        "sufficient": "sufficient_progress",
        "insufficient": "insufficient_progress",
    },
    "area-send-2023": {
        "outcomes": {1: "typically_positive", 2: "inconsistent", 3: "widespread_systemic_failings"},
        "documents": {
            "typically_positive": ["strategic_plan_update"],
            "inconsistent": ["strategic_plan_update"],
            "widespread_systemic_failings": ["strategic_plan_update", "priority_action_plan"],
        },
        "plan": "priority_action_plan",
        "visit": "monitoring_inspection",
        "old_visit_kind": "monitoring",
    },
}


def _inspection_of(row, Inspection):
    if row.source != AREASEND_SOURCE or not row.source_key.startswith("inspection:"):
        return None
    return Inspection.objects.filter(pk=row.source_key.split(":", 1)[1]).first()


def fill(apps, schema_editor):
    PublishedInspection = apps.get_model("history", "PublishedInspection")
    Inspection = apps.get_model("inspections", "Inspection")
    Finding = apps.get_model("inspections", "Finding")
    for row in PublishedInspection.objects.all():
        keys = KEYS.get(row.framework_id)
        if keys is None:
            continue
        if row.kind == "full":
            if "outcome" in keys and row.wsoa_required is not None:
                row.outcome_key, row.outcome = keys["outcome"][row.wsoa_required]
            elif "outcomes" in keys and row.outcome is not None:
                row.outcome_key = keys["outcomes"].get(row.outcome, "")
            if row.significant_weaknesses is not None and "finding" in keys:
                row.findings = {keys["finding"]: row.significant_weaknesses}
            inspection = _inspection_of(row, Inspection)
            if inspection is not None:
                row.outcome_key = inspection.outcome or row.outcome_key
                row.findings = dict(
                    Counter(Finding.objects.filter(inspection=inspection).values_list("kind", flat=True))
                )
            if row.outcome_key in keys["documents"]:
                row.documents_required = keys["documents"][row.outcome_key]
            if row.next_visit_by is not None:
                row.next_visit = keys["visit"]
        else:
            if row.kind == keys.get("old_visit_kind"):
                row.kind = keys["visit"]
            if "results" in keys:
                row.visit_result = keys["results"].get(row.revisit_result, "")
                judged = {}
                if row.weaknesses_sufficient is not None:
                    judged[keys["sufficient"]] = row.weaknesses_sufficient
                if row.weaknesses_insufficient is not None:
                    judged[keys["insufficient"]] = row.weaknesses_insufficient
                row.judgements = judged
        row.save()


def unfill(apps, schema_editor):
    PublishedInspection = apps.get_model("history", "PublishedInspection")
    for row in PublishedInspection.objects.all():
        keys = KEYS.get(row.framework_id)
        if keys is None:
            continue
        if row.kind == "full":
            if "outcome" in keys and row.outcome_key:
                row.wsoa_required = row.outcome_key == keys["outcome"][True][0]
                row.outcome = None
            if "finding" in keys and keys["finding"] in (row.findings or {}):
                row.significant_weaknesses = row.findings[keys["finding"]]
            if "plan" in keys and row.documents_required is not None:
                row.priority_action_plan_required = keys["plan"] in row.documents_required
        else:
            if row.kind == keys["visit"] and "old_visit_kind" in keys:
                row.kind = keys["old_visit_kind"]
            if "results" in keys:
                back = {v: k for k, v in keys["results"].items()}
                row.revisit_result = back.get(row.visit_result, "")
                row.weaknesses_sufficient = (row.judgements or {}).get(keys["sufficient"])
                row.weaknesses_insufficient = (row.judgements or {}).get(keys["insufficient"])
        row.save()


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0002_history_in_framework_keys"),
        ("inspections", "0003_merge_follow_up_move_and_framework_codes"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
