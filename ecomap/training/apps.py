from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "ecomap.training"
    label = "training"
    verbose_name = "Practitioner training"

    def ready(self):
        from ecomap.core.content import registry

        from . import content, demo, panels  # noqa: F401  (demo data, the Today panel)

        # Loaded by the content check at start-up: a broken programme file names its field.
        registry.register(content.KEY, content.load)
