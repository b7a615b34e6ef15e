from django.apps import AppConfig


class MutualAidConfig(AppConfig):
    name = "ecomap.mutualaid"
    label = "mutualaid"
    verbose_name = "Mutual support"
