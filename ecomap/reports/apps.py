from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ecomap.reports"
    label = "reports"
    verbose_name = "Printable documents"
