"""The deployment check that the agency is named (`ecomap check --deploy`, id ecomap.W020)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


# It reads the database: `check --deploy` is run on a migrated one.
@register(Tags.security, deploy=True)
def agency_check(app_configs, **kwargs):
    from .models import Agency

    try:
        configured = Agency.current().configured
    except DatabaseError:  # not migrated yet: only the settings can name it
        configured = bool(settings.AGENCY_NAME.strip())
    if configured:
        return []
    return [Warning(
        "No agency is configured: consents and documents cannot name who discloses.",
        hint="Record the agency in the admin site (Accounts > Agency), or set ECOMAP_AGENCY_NAME "
             "(and _ADDRESS, _PHONE, _PRIVACY_OFFICER_NAME, _PRIVACY_OFFICER_CONTACT).",
        id="ecomap.W020")]
