from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "ecomap.clients"
    label = "clients"
    verbose_name = "Clients"

    def ready(self):
        from . import panels  # noqa: F401  (overview panels and Today sections)
