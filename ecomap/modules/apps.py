from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "ecomap.modules"
    label = "modules"
    verbose_name = "Structured modules"

    def ready(self):
        from . import definitions, demo, panels  # noqa: F401  (demo data; overview and Today panels)

        # Read every module file now: a broken definition stops start-up, naming file and field.
        definitions.registry()
