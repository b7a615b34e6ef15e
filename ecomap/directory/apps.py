from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "ecomap.directory"
    label = "directory"
    verbose_name = "Services and resources"
