from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ecomap.core"
    label = "core"
    verbose_name = "ecomap core"

    def ready(self):
        from . import append_only, checks  # noqa: F401  (the SQLite guard, the deployment checks)
        from .content import registry

        registry.register_check()
