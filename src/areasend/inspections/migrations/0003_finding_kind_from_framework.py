"""A finding's kind is a finding kind of its inspection's framework version (checked by the service
that adds it), no longer one of a list fixed in code. Stored kinds are unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_move_follow_up_and_programme_models"),
    ]

    operations = [
        migrations.AlterField(
            model_name="finding",
            name="kind",
            field=models.CharField(help_text="A finding kind key of the framework", max_length=30),
        ),
    ]
