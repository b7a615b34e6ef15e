from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "ecomap.measures"
    label = "measures"
    verbose_name = "Questionnaires"
