from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ecomap.audit"
    label = "audit"
    verbose_name = "Audit log"
