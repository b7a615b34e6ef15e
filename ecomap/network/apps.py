from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "ecomap.network"
    label = "network"
    verbose_name = "Network assessment"

    def ready(self):
        from ecomap.core.content import registry

        from . import demo, interventions, panels  # noqa: F401  (demo networks; overview panel)

        registry.register(interventions.CONTENT_KEY, interventions.load_rules)
