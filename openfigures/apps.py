from django.apps import AppConfig


class OpenFiguresConfig(AppConfig):
    name = "openfigures"
    verbose_name = "Open figures"
