"""Each line of enquiry keeps the version of the rule set that proposed it.

Lines already stored get the version that was shipped when they were proposed: rule set version 1
until the migration 0003_attach_lines_to_inspections was applied (the same release brought version
2), version 2 after it. A line with no rule (none is stored without one today) keeps no version.
"""

from django.db import connection, migrations, models
from django.db.migrations.recorder import MigrationRecorder

VERSION_2_ARRIVED_WITH = ("datapack", "0003_attach_lines_to_inspections")


def record_versions(apps, schema_editor):
    LineOfEnquiry = apps.get_model("datapack", "LineOfEnquiry")
    app, name = VERSION_2_ARRIVED_WITH
    applied = (
        MigrationRecorder(schema_editor.connection if schema_editor is not None else connection)
        .migration_qs.filter(app=app, name=name)
        .values_list("applied", flat=True)
        .first()
    )
    lines = LineOfEnquiry.objects.filter(rules_version__isnull=True).exclude(rule_id="")
    if applied is None:
        lines.update(rules_version=2)
        return
    lines.filter(created_at__lt=applied).update(rules_version=1)
    lines.filter(created_at__gte=applied).update(rules_version=2)


class Migration(migrations.Migration):
    dependencies = [
        ("datapack", "0004_sector_from_the_framework_and_a_criterion_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="lineofenquiry",
            name="rules_version",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The version of the lines of enquiry rules (the whole rule set) that proposed it",
                null=True,
            ),
        ),
        migrations.RunPython(record_versions, migrations.RunPython.noop),
    ]
