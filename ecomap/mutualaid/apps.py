from django.apps import AppConfig


class MutualAidConfig(AppConfig):
    name = "ecomap.mutualaid"
    label = "mutualaid"
    verbose_name = "Mutual support"

    def ready(self):
        from ecomap.core.content import registry

        from . import catalogue, demo, panels, warning_signs  # noqa: F401  (demo data, panels)

        # Both files are loaded by the content check at start-up (a broken one names its field).
        registry.register(catalogue.KEY, catalogue.load)
        registry.register(warning_signs.KEY, warning_signs.load)
