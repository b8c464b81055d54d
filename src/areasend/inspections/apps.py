from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "areasend.inspections"
    label = "inspections"
    verbose_name = "Inspections"

    def ready(self) -> None:
        from . import page_sections  # noqa: F401  (registers the area page section)
