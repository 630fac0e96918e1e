from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparationConfig(AppConfig):
    name = "preparation"
    verbose_name = _("Preparation before departure")

    def ready(self):
        from common import sections

        from . import documents, steps
        from .services import anonymise_learner, export_learner

        documents.register()
        sections.contribute(sections.ANONYMISE, anonymise_learner)
        sections.contribute(sections.LEARNER_EXPORT, export_learner)
        sections.contribute(sections.FLOW_FIGURES, steps.flow_figures)
        sections.contribute(sections.PROJECT_STEPS, steps.project_steps)
