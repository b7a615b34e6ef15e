from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "ecomap.consents"
    label = "consents"
    verbose_name = "Consent and disclosure"
