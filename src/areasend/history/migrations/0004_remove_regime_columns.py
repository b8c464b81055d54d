"""Remove the columns named after one regime, now that their facts are in framework keys."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0003_fill_framework_keys"),
    ]

    operations = [
        migrations.RemoveField(model_name="publishedinspection", name="wsoa_required"),
        migrations.RemoveField(model_name="publishedinspection", name="significant_weaknesses"),
        migrations.RemoveField(model_name="publishedinspection", name="priority_action_plan_required"),
        migrations.RemoveField(model_name="publishedinspection", name="revisit_result"),
        migrations.RemoveField(model_name="publishedinspection", name="weaknesses_sufficient"),
        migrations.RemoveField(model_name="publishedinspection", name="weaknesses_insufficient"),
    ]
