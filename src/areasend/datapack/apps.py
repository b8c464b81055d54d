from django.apps import AppConfig


class DatapackConfig(AppConfig):
    name = "areasend.datapack"
    label = "datapack"
    verbose_name = "Pre-inspection data pack"

    def ready(self) -> None:
        from areasend import access

        from . import page_sections  # noqa: F401  (registers the area and inspection page sections)

        access.register_parent("datapack.lineofenquiry", lambda line: line.area)
