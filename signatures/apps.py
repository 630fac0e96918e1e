from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Signatures")

    def ready(self):
        from common import sections

        from .report import final_report_sections
        from .services import receipt_signing

        sections.contribute(sections.FINAL_REPORT, final_report_sections)
        sections.contribute(sections.RECEIPT_SIGNATURES, receipt_signing)
