from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    """The lasting partnership: local employers (accounts.Organisation of kind "employer") with their sector,
    the qualifications they hire for, commitments and contacts; job and apprenticeship offers; introductions of
    graduates (only with their consent); agreements with partners and employers, and which may be shown."""

    name = "employers"
    verbose_name = _("Employers and partners")

    def ready(self):
        from common import sections

        from . import contributions

        sections.contribute(sections.PUBLIC_RESULTS, contributions.public_results)
        sections.contribute(sections.ATTENTION, contributions.attention)
        sections.contribute(sections.ANONYMISE, contributions.forget_learner)
        sections.contribute(sections.LEARNER_EXPORT, contributions.export_learner)
