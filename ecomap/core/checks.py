"""Deployment checks, shown by `ecomap check --deploy` beside Django's own (ids ecomap.W00x)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def deployment_checks(app_configs, **kwargs):
    warnings = []
    if not settings.PRODUCTION:
        warnings.append(Warning(
            "ECOMAP_ENV is not 'production': the strict start-up checks are off.",
            hint="Set ECOMAP_ENV=production on a server holding real records.", id="ecomap.W001"))
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        warnings.append(Warning(
            "Mail is printed to the console: password-reset mails will not reach anyone.",
            hint="Set ECOMAP_EMAIL_HOST (and _USER, _PASSWORD, _PORT).", id="ecomap.W002"))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        warnings.append(Warning(
            "The database is SQLite.",
            hint="Set DATABASE_URL to a PostgreSQL database for production.", id="ecomap.W003"))
    if settings.TIME_ZONE != "UTC":
        warnings.append(Warning("TIME_ZONE is not UTC; audit times must be stored in UTC.",
                                id="ecomap.W004"))
    if settings.SESSION_IDLE_MINUTES > 30:
        warnings.append(Warning(
            f"Sessions last {settings.SESSION_IDLE_MINUTES} idle minutes.",
            hint="HIPAA 164.312(a)(2)(iii) automatic logoff: 30 minutes or less is usual.",
            id="ecomap.W005"))
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        warnings.append(Warning("ECOMAP_FROM_EMAIL is not set.", id="ecomap.W006"))
    return warnings
