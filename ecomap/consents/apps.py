from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "ecomap.consents"
    label = "consents"
    verbose_name = "Consent and disclosure"

    def ready(self):
        from . import demo, panels  # noqa: F401  (overview panel, Today section, demo builder)
