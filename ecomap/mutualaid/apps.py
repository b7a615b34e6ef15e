from django.apps import AppConfig


class MutualAidConfig(AppConfig):
    name = "ecomap.mutualaid"
    label = "mutualaid"
    verbose_name = "Mutual support"

    def ready(self):
        from . import demo  # noqa: F401  (demo meeting feed)
