from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparationConfig(AppConfig):
    name = "preparation"
    verbose_name = _("Preparation before departure")

    def ready(self):
        from . import documents

        documents.register()
