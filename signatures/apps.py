from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Signatures")

    def ready(self):
        from common import sections

        from . import contributions
        from .report import final_report_sections
        from .services import receipt_signing

        sections.contribute(sections.FINAL_REPORT, final_report_sections)
        sections.contribute(sections.RECEIPT_SIGNATURES, receipt_signing)
        # The learner's export, anonymisation, the daily retention rules and the learner page's note, without
        # privacy importing this app (tests/test_layering.py).
        sections.contribute(sections.LEARNER_EXPORT, contributions.export_learner)
        sections.contribute(sections.ANONYMISE, contributions.forget_learner)
        sections.contribute(sections.RETENTION, contributions.remove_expired)
        sections.contribute(sections.PARTICIPANT_RECORD, contributions.participant_record)
