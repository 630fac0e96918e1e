from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Reminders: what each person should do, gathered once a day into one email through the outbox."""

    name = "notifications"
    verbose_name = _("Reminders")
