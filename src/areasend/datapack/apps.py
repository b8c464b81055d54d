from django.apps import AppConfig


class DatapackConfig(AppConfig):
    name = "areasend.datapack"
    label = "datapack"
    verbose_name = "Pre-inspection data pack"

    def ready(self) -> None:
        from . import page_sections  # noqa: F401  (registers the area and inspection page sections)
