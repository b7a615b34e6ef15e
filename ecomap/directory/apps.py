from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "ecomap.directory"
    label = "directory"
    verbose_name = "Services and resources"

    def ready(self):
        from . import catalogue, demo  # noqa: F401  (demo directory)

        catalogue.catalogue()  # a broken catalogue stops the start, naming the file and field
