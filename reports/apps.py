from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from common import sections

        from . import documents, learner_data, services, steps

        documents.register()
        sections.contribute(sections.PUBLIC_RESULTS, services.public_results)
        sections.contribute(sections.LEARNER_EXPORT, learner_data.learner_data)
        sections.contribute(sections.LEARNER_DOCUMENTS, learner_data.learner_documents)
        sections.contribute(sections.ANONYMISE, learner_data.anonymise_certificates)
        sections.contribute(sections.FLOW_FIGURES, steps.flow_figures)
        sections.contribute(sections.PROJECT_STEPS, steps.project_steps)
