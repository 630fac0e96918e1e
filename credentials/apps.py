from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "What learners carry away"

    def ready(self):
        from common import sections

        from . import contributions

        sections.contribute(sections.ANONYMISE, contributions.forget_learner)
