from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "ecomap.network"
    label = "network"
    verbose_name = "Network assessment"
