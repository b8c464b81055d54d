"""A sign-off names one of its inspection's framework version's sign-off organisations (checked by
the service), no longer one of two names fixed in code. Stored sign-offs are unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_inspection_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="signoff",
            name="inspectorate",
            field=models.CharField(help_text="A sign-off organisation of the framework", max_length=60),
        ),
    ]
