from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    """After the stage, per learner: how the school recognises what they learned, and what became of them."""

    name = "alumni"
    verbose_name = _("Recognition and graduates' paths")

    def ready(self):
        from common import sections

        from . import contributions

        sections.contribute(sections.FINAL_REPORT, contributions.final_report_sections)
        sections.contribute(sections.PUBLIC_RESULTS, contributions.public_results)
        sections.contribute(sections.ANONYMISE, contributions.forget_learner)
        sections.contribute(sections.PARTICIPANT_RECORD, contributions.participant_record)
        sections.contribute(sections.LEARNER_EXPORT, contributions.export_learner)
