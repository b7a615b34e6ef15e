from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "ecomap.measures"
    label = "measures"
    verbose_name = "Questionnaires"

    def ready(self):
        from . import checks, demo, panels  # noqa: F401  (definition check; demo; overview panel)
