from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "areasend.inspections"
    label = "inspections"
    verbose_name = "Inspections"

    def ready(self) -> None:
        from areasend import access

        from . import page_sections  # noqa: F401  (registers the area page section)

        access.register_inspection("inspections.inspection")
        for model in ("inspectionevent", "teammember", "activity", "finding", "inspectornote", "signoff"):
            access.register_parent(f"inspections.{model}", lambda obj: obj.inspection)
