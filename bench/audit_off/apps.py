import os

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class AuditOffConfig(AppConfig):
    """Replaces the audit write with a no-op (loaded only by bench.settings_audit_off)."""

    name = "bench.audit_off"
    label = "bench_audit_off"

    def ready(self):
        if settings.ENVIRONMENT == "production" or os.environ.get("ECOMAP_ENV") == "production":
            raise ImproperlyConfigured("The audit can never be switched off in production.")
        if os.environ.get("ECOMAP_AUDIT_DISABLED_FOR_BENCH") != "true":
            raise ImproperlyConfigured("ECOMAP_AUDIT_DISABLED_FOR_BENCH=true is required.")
        from ecomap.audit import models, services

        def record(action, *, actor, **kwargs):  # the signature callers use; nothing written
            return models.AuditEntry(action=action)

        # Callers use `services.record(...)` (module attribute), so this reaches all of them.
        services.record = record
