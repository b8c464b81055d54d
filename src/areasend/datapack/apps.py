from django.apps import AppConfig


class DatapackConfig(AppConfig):
    name = "areasend.datapack"
    label = "datapack"
    verbose_name = "Pre-inspection data pack"

    def ready(self) -> None:
        from areasend import access
        from areasend.inspections.registry import after_create

        from . import page_sections  # noqa: F401  (registers the area and inspection page sections)
        from .receivers import propose_lines_for_new_inspection

        access.register_parent("datapack.lineofenquiry", lambda line: line.inspection or line.area)
        # A new inspection gets its lines of enquiry proposed from its area's data pack.
        after_create(propose_lines_for_new_inspection)
