"""The updated strategic plan is asked for after outcomes 1 and 2 of the 2023 framework, not after
outcome 3 (the published reports: ADR 26). Rows stored before recorded it as required after every
outcome; this migration takes it out of the documents required after outcome 3. The next history
import would do the same. Reversible: it is put back (first, as it was).
"""

from django.db import migrations

FRAMEWORK = "area-send-2023"
OUTCOME = "widespread_systemic_failings"
DOCUMENT = "strategic_plan_update"


def _rows(apps):
    PublishedInspection = apps.get_model("history", "PublishedInspection")
    return PublishedInspection.objects.filter(framework_id=FRAMEWORK, outcome_key=OUTCOME)


def forwards(apps, schema_editor):
    for row in _rows(apps):
        if row.documents_required and DOCUMENT in row.documents_required:
            row.documents_required = [d for d in row.documents_required if d != DOCUMENT]
            row.save(update_fields=["documents_required"])


def backwards(apps, schema_editor):
    for row in _rows(apps):
        if row.documents_required is not None and DOCUMENT not in row.documents_required:
            row.documents_required = [DOCUMENT, *row.documents_required]
            row.save(update_fields=["documents_required"])


class Migration(migrations.Migration):
    dependencies = [("history", "0005_published_rows_keep_their_corrections")]

    operations = [migrations.RunPython(forwards, backwards)]
