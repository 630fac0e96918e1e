from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from common import sections

        from . import contributions

        # What the learners' pages (participants, below this app) show of their placements.
        sections.contribute(sections.PARTICIPANT_RECORD, contributions.participant_record)
        sections.contribute(sections.PARTICIPANT_ROWS, contributions.participant_rows)
        sections.contribute(sections.PARTICIPANT_FILTERS, contributions.participant_filters)
        sections.contribute(sections.EMERGENCY_CONTACT, contributions.mentor_sees_emergency_contact)
        sections.contribute(sections.ARCHIVE_HOLD, contributions.archive_hold)
