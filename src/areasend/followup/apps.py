from django.apps import AppConfig


class FollowUpConfig(AppConfig):
    name = "areasend.followup"
    label = "followup"
    verbose_name = "Follow-up plans and visits"

    def ready(self) -> None:
        from areasend import access

        from . import guards, page_sections  # noqa: F401  (register the inspection page sections and guards)

        access.register_parent("followup.plan", lambda plan: plan.inspection)
        access.register_parent("followup.visit", lambda visit: visit.inspection)
        access.register_parent("followup.plansubmission", lambda submission: submission.plan)
        access.register_parent("followup.planaction", lambda action: action.plan)
        access.register_parent("followup.visitjudgement", lambda judgement: judgement.visit)
