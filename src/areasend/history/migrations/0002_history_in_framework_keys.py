"""The national history in each framework's own keys: the outcome key, the follow-up documents it
requires, findings by kind, a visit's key (as the row's kind), result and judgements, and the visit
a row's next visit date is for. The columns named after one regime are filled into these by the next
migration and then removed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publishedinspection",
            name="kind",
            field=models.CharField(
                help_text="'full', or the key of a follow-up visit of the framework", max_length=60
            ),
        ),
        migrations.AddField(
            model_name="publishedinspection",
            name="outcome_key",
            field=models.CharField(blank=True, help_text="An outcome key of the framework", max_length=60),
        ),
        migrations.AlterField(
            model_name="publishedinspection",
            name="outcome",
            field=models.PositiveSmallIntegerField(blank=True, help_text="The outcome's number", null=True),
        ),
        migrations.AddField(
            model_name="publishedinspection",
            name="documents_required",
            field=models.JSONField(
                blank=True,
                help_text="Keys of the follow-up documents the outcome requires (null: not known)",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="publishedinspection",
            name="findings",
            field=models.JSONField(
                blank=True, default=dict, help_text="Finding kind key -> number of findings"
            ),
        ),
        migrations.AddField(
            model_name="publishedinspection",
            name="visit_result",
            field=models.CharField(
                blank=True, help_text="The visit's overall judgement option", max_length=60
            ),
        ),
        migrations.AddField(
            model_name="publishedinspection",
            name="judgements",
            field=models.JSONField(
                blank=True, default=dict, help_text="Per-finding judgement option key -> number of findings"
            ),
        ),
        migrations.AddField(
            model_name="publishedinspection",
            name="next_visit",
            field=models.CharField(
                blank=True, help_text="The follow-up visit next_visit_by is for", max_length=60
            ),
        ),
        migrations.RenameField(
            model_name="publishedinspection",
            old_name="next_monitoring_by",
            new_name="next_visit_by",
        ),
    ]
