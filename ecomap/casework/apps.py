from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "ecomap.casework"
    label = "casework"
    verbose_name = "Case management"

    def ready(self):
        from . import content, demo, panels  # noqa: F401  (panels, Today sections, demo builder)

        content.register()  # checked at start-up: a broken file stops it, naming file and field
