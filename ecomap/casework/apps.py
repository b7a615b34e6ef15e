from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "ecomap.casework"
    label = "casework"
    verbose_name = "Case management"
