from django.apps import AppConfig


class AnnexaConfig(AppConfig):
    name = "areasend.annexa"
    label = "annexa"
    verbose_name = "Annex A child-level lists"
