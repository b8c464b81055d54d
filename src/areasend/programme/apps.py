from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "areasend.programme"
    label = "programme"
    verbose_name = "Programme: deadlines, feeds and reminders"

    def ready(self) -> None:
        from . import milestones

        milestones.connect()
