"""Criteria and vocabulary rows for the framework versions loaded before there were such rows.

Criteria come from each version's stored ``parsed`` JSON (its ``nodes``, in tree order) and finding
kinds from its ``finding_kinds``, exactly as loading would make them.

Versions loaded before framework files declared vocabularies (area-send-2023 up to version 6,
local-area-send-2016 up to version 4) ran under the sectors, age phases, activity types and plan
statuses that were then fixed in areasend's code, and their records (timetable activities, plans)
use those codes. Those versions get exactly those terms (``LEGACY_TERMS``, copied here so that the
migration never changes), with a source that says so. Evidence sources were not recorded anywhere
then, so those versions have none. A version whose stored JSON does declare vocabularies gets its
own.
"""

from django.db import migrations

LEGACY_SOURCE = "areasend's fixed list, used before framework files declared vocabularies"
LEGACY_TERMS = {
    "sector": [
        ("education", "Education"),
        ("health", "Health"),
        ("social_care", "Social care"),
        ("alternative_provision", "Alternative provision"),
    ],
    "age_phase": [
        ("early_years", "Early years"),
        ("school", "School"),
        ("further_education", "Further education"),
    ],
    "activity_type": [
        ("leaders_meeting", "Meeting with leaders"),
        ("elected_members_meeting", "Meeting with elected members"),
        ("provider_visit", "Provider visit"),
        ("parents_meeting", "Meeting with parents and carers"),
        ("parents_webinar", "Webinar with parents and carers"),
        ("children_meeting", "Meeting with children and young people"),
        ("keep_in_touch", "Keep-in-touch meeting"),
        ("case_tracking", "Case tracking meeting"),
        ("final_feedback", "Final feedback"),
        ("other", "Other"),
    ],
    "plan_status": [
        ("drafting", "Being drafted"),
        ("submitted", "Submitted, awaiting review"),
        ("not_fit_for_purpose", "Not fit for purpose: resubmission due"),
        ("fit_for_purpose", "Fit for purpose"),
        ("escalated", "Still not fit for purpose: referred to DfE"),
    ],
}
FILE_KEYS = {
    "sector": "sectors",
    "age_phase": "age_phases",
    "evidence_source": "evidence_sources",
    "activity_type": "activity_types",
    "plan_status": "plan_statuses",
}


def _source(value):
    return "; ".join(value) if isinstance(value, list) else str(value or "")


def _tree_order(nodes):
    """Nodes depth first from the roots, as the loader walks them."""
    children = {}
    for node in nodes:
        children.setdefault(node.get("parent"), []).append(node)
    ordered = []

    def visit(node):
        ordered.append(node)
        for child in children.get(node["ref"], []):
            visit(child)

    for root in children.get(None, []):
        visit(root)
    return ordered


def materialise(apps, schema_editor):
    FrameworkVersion = apps.get_model("frameworks", "FrameworkVersion")
    Criterion = apps.get_model("frameworks", "Criterion")
    VocabularyTerm = apps.get_model("frameworks", "VocabularyTerm")
    for record in FrameworkVersion.objects.order_by("pk"):
        parsed = record.parsed
        if not Criterion.objects.filter(framework_version=record).exists():
            created = {}
            for order, node in enumerate(_tree_order(parsed.get("nodes", []))):
                created[node["ref"]] = Criterion.objects.create(
                    framework_version=record,
                    code=node["ref"],
                    parent=created.get(node.get("parent")),
                    kind=node["kind"],
                    text=node["text"],
                    source=_source(node.get("source")),
                    confidence=node.get("confidence", ""),
                    order=order,
                )
        if VocabularyTerm.objects.filter(framework_version=record).exists():
            continue
        rows = [
            VocabularyTerm(
                framework_version=record,
                vocabulary="finding_kind",
                code=kind["key"],
                label=kind["label"],
                source=_source(kind.get("source")),
                order=order,
            )
            for order, kind in enumerate(parsed.get("finding_kinds", []))
        ]
        declared = parsed.get("vocabularies")
        for vocabulary, file_key in FILE_KEYS.items():
            if declared:
                terms = [
                    (t["code"], t["label"], t.get("description") or "", _source(t.get("source")))
                    for t in declared[file_key]
                ]
            else:
                terms = [(code, label, "", LEGACY_SOURCE) for code, label in LEGACY_TERMS.get(vocabulary, [])]
            rows += [
                VocabularyTerm(
                    framework_version=record,
                    vocabulary=vocabulary,
                    code=code,
                    label=label,
                    description=description,
                    source=source,
                    order=order,
                )
                for order, (code, label, description, source) in enumerate(terms)
            ]
        VocabularyTerm.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0002_criteria_and_vocabulary_terms"),
    ]

    operations = [
        migrations.RunPython(materialise, migrations.RunPython.noop),
    ]
