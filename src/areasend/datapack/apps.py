from django.apps import AppConfig


class DatapackConfig(AppConfig):
    name = "areasend.datapack"
    label = "datapack"
    verbose_name = "Pre-inspection data pack"

    def ready(self) -> None:
        from areasend.inspections import hooks

        from . import page_sections  # noqa: F401  (registers the area page section and the inspection's lines)
        from .services import lines_propose_for_new_inspection

        # A new inspection gets its lines of enquiry proposed from its area's data pack.
        hooks.after_create(lines_propose_for_new_inspection)
