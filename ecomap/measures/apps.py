from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "ecomap.measures"
    label = "measures"
    verbose_name = "Questionnaires"

    def ready(self):
        from . import demo, instruments, panels  # noqa: F401  (demo data; overview panel)

        # The definitions are read, and checked at start-up, by the content registry (ecomap.E100).
        instruments.register()
