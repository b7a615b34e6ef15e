from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "ecomap.directory"
    label = "directory"
    verbose_name = "Services and resources"

    def ready(self):
        from ecomap.core.content import registry

        from . import catalogue, demo  # noqa: F401  (demo directory)

        # A broken catalogue stops the start (the content check), naming the file and field.
        registry.register(catalogue.CONTENT_KEY, catalogue.load)
