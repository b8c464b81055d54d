"""A plan's status is a plan status of its framework version and an action's status an action status
of its plan's document (the framework file says which, and what each means), no longer lists fixed in
code. Stored statuses are unchanged: they are the codes the framework files declare."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0002_plan_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="plan",
            name="status",
            field=models.CharField(help_text="A plan status code of the framework", max_length=30),
        ),
        migrations.AlterField(
            model_name="planaction",
            name="status",
            field=models.CharField(help_text="An action status code of the plan's document", max_length=30),
        ),
    ]
