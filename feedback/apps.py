from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback from learners and hosts")

    def ready(self):
        from common import sections

        from . import report

        sections.contribute(sections.FINAL_REPORT, report.final_report_sections)
        sections.contribute(sections.ANONYMISE, report.forget_learner)
        sections.contribute(sections.LEARNER_EXPORT, report.export_learner)
