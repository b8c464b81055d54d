from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "areasend.frameworks"
    label = "frameworks"
    verbose_name = "Inspection frameworks"
