from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from common import sections

        from . import contributions, documents

        documents.register()

        # The learners' pages (participants, below this app): their personal-data panels and log.
        sections.contribute(sections.PARTICIPANT_DATA, contributions.participant_data)
        sections.contribute(sections.PERSONAL_DATA_LOG, contributions.log)
