from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grant and budget")

    def ready(self):
        from common import sections

        from . import contributions, documents, reporting, steps

        documents.register()

        sections.contribute(sections.FINAL_REPORT, reporting.final_report_sections)
        sections.contribute(sections.ANONYMISATION_HOLD, contributions.accounts_hold)
        sections.contribute(sections.PARTICIPANT_RECORD, contributions.participant_record)
        sections.contribute(sections.PROJECT_STEPS, steps.project_steps)
