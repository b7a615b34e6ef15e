from django.apps import AppConfig


class MutualAidConfig(AppConfig):
    name = "ecomap.mutualaid"
    label = "mutualaid"
    verbose_name = "Mutual support"

    def ready(self):
        from . import demo, panels, warning_signs  # noqa: F401  (demo data, panels)

        warning_signs.rules()  # a broken rules file stops the start, naming the file and field
