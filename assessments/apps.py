from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from common import sections

        from . import steps

        sections.contribute(sections.PROJECT_STEPS, steps.project_steps)
