from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "areasend.core"
    label = "core"
    verbose_name = "Platform core"
