"""Existing lines of enquiry: each is attached to an inspection and linked to a criterion row.

Before this, a line hung on its area and named its criterion as text ("2023:H1.1", "2016:A"; the
year names the framework: 2016 local-area-send-2016, 2023 area-send-2023), and the inspection page
showed every accepted line the area ever had.

- Inspection: the area's most recent inspection (latest created) that runs under the framework the
  line's criterion belongs to. A line about the 2023 criteria is never attached to a 2016
  inspection. When the area has no such inspection, the line is kept with no inspection: an
  area-level proposal, shown on the area's data pack page only (it can still be reviewed there).
- Criterion: the criterion with that code in the attached inspection's framework version, or, for an
  area-level line, in the latest loaded version of that framework.
- A line whose criterion cannot be found (an unknown year, a framework that is not loaded, a code no
  loaded version has) is kept, not lost and not a failed migration: its text stays in
  `unmapped_criterion` and it has no criterion, which the data pack page shows as a flag. Such a
  line can be rejected but not accepted. Nothing is deleted either way.

Run again (reversing to 0002 first), it only revisits lines that still have no criterion.
"""

from django.db import migrations

FRAMEWORK_OF_YEAR = {"2016": "local-area-send-2016", "2023": "area-send-2023"}


def attach_and_map(apps, schema_editor):
    LineOfEnquiry = apps.get_model("datapack", "LineOfEnquiry")
    Inspection = apps.get_model("inspections", "Inspection")
    FrameworkVersion = apps.get_model("frameworks", "FrameworkVersion")
    Criterion = apps.get_model("frameworks", "Criterion")
    lines = LineOfEnquiry.objects.filter(criterion__isnull=True).exclude(unmapped_criterion="").order_by("pk")
    for line in lines:
        year, _, code = line.unmapped_criterion.partition(":")
        framework_id = FRAMEWORK_OF_YEAR.get(year)
        if framework_id is None:
            continue
        inspection = line.inspection
        if inspection is None:
            inspection = (
                Inspection.objects.filter(area_id=line.area_id, framework__framework_id=framework_id)
                .order_by("-created_at", "-pk")
                .first()
            )
        if inspection is not None:
            version_id = inspection.framework_id
        else:
            version_id = (
                FrameworkVersion.objects.filter(framework_id=framework_id)
                .order_by("-version")
                .values_list("pk", flat=True)
                .first()
            )
        criterion = Criterion.objects.filter(framework_version_id=version_id, code=code).first()
        line.inspection = inspection
        if criterion is not None:
            line.criterion = criterion
            line.unmapped_criterion = ""
        line.save(update_fields=["inspection", "criterion", "unmapped_criterion"])


class Migration(migrations.Migration):
    dependencies = [
        ("datapack", "0002_lines_belong_to_inspections"),
    ]

    operations = [
        migrations.RunPython(attach_and_map, migrations.RunPython.noop),
    ]
