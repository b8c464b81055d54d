from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "areasend.core"
    label = "core"
    verbose_name = "Platform core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .jobs import connect_signals

        connect_signals()
