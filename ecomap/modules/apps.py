from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "ecomap.modules"
    label = "modules"
    verbose_name = "Structured modules"
