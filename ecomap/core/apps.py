from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ecomap.core"
    label = "core"
    verbose_name = "ecomap core"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
