from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Call and selection")

    def ready(self):
        from common import sections

        from . import documents, steps
        from .selectors import public_calls
        from .services import anonymise_applicant, erase_due_calls, export_applicant

        documents.register()

        sections.contribute(sections.PUBLIC_CALLS, public_calls)
        sections.contribute(sections.ANONYMISE, anonymise_applicant)
        sections.contribute(sections.LEARNER_EXPORT, export_applicant)
        sections.contribute(sections.PROJECT_STEPS, steps.project_steps)
        sections.contribute(sections.RETENTION, erase_due_calls)
