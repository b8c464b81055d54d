"""Lines of enquiry gain an inspection and a criterion row; the criterion text they named is kept in
`unmapped_criterion` until 0003 maps it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("datapack", "0001_initial"),
        ("frameworks", "0003_rows_for_loaded_versions"),
        ("inspections", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="lineofenquiry", old_name="criterion", new_name="unmapped_criterion"
        ),
        migrations.AlterField(
            model_name="lineofenquiry",
            name="unmapped_criterion",
            field=models.CharField(
                blank=True,
                help_text="The criterion a line kept before criteria were rows named, when no loaded version has it",
                max_length=40,
            ),
        ),
        migrations.AddField(
            model_name="lineofenquiry",
            name="inspection",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for an area-level proposal kept before lines belonged to inspections",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines_of_enquiry",
                to="inspections.inspection",
            ),
        ),
        migrations.AddField(
            model_name="lineofenquiry",
            name="criterion",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="frameworks.criterion",
            ),
        ),
    ]
