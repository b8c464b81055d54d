from django.apps import AppConfig


class FollowUpConfig(AppConfig):
    name = "areasend.followup"
    label = "followup"
    verbose_name = "Follow-up plans and visits"

    def ready(self) -> None:
        from . import guards, page_sections  # noqa: F401  (register the inspection page sections and guards)
