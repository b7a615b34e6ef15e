from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "ecomap.network"
    label = "network"
    verbose_name = "Network assessment"

    def ready(self):
        from . import demo, panels  # noqa: F401  (demo networks; overview panel)
