from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "areasend.history"
    label = "history"
    verbose_name = "Inspection history"

    def ready(self) -> None:
        from . import page_sections  # noqa: F401  (registers the area page section)
