from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from common import sections

        from . import documents, services

        documents.register()
        sections.contribute(sections.PUBLIC_RESULTS, services.public_results)
