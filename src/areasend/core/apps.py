from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "areasend.core"
    label = "core"
    verbose_name = "Platform core"

    def ready(self) -> None:
        from .jobs import connect_signals

        connect_signals()
