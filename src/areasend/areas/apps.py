from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "areasend.areas"
    label = "areas"
    verbose_name = "Register of local areas"

    def ready(self) -> None:
        from areasend import access

        access.register_area("areas.localarea")
        access.register_parent("areas.partner", lambda partner: partner.area)
