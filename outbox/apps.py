from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        from common import sections

        from . import services

        # The foundation's mail (accounts: password resets, mentors' invitations) leaves through here, without
        # accounts importing the outbox (tests/test_layering.py).
        sections.contribute(sections.SEND_MAIL, services.send_about)
