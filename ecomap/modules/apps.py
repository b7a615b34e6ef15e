from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "ecomap.modules"
    label = "modules"
    verbose_name = "Structured modules"

    def ready(self):
        from . import definitions, demo, panels  # noqa: F401  (demo data; overview and Today panels)

        # Every module file is read by the content check at start-up (ecomap.E100), naming the
        # file and the field of a broken definition.
        definitions.register()
