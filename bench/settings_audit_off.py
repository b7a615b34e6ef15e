"""Bench settings variant: the app with its audit writes switched off, to measure what they cost.

Only bench/audit.py uses it, with ECOMAP_AUDIT_DISABLED_FOR_BENCH=true. It refuses to load
without that, and always with ECOMAP_ENV=production: an unaudited app must never serve anyone.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from ecomap.settings import *  # noqa: F403
from ecomap.settings import ENVIRONMENT, INSTALLED_APPS

if ENVIRONMENT == "production" or os.environ.get("ECOMAP_ENV") == "production":
    raise ImproperlyConfigured("The audit can never be switched off in production.")
if os.environ.get("ECOMAP_AUDIT_DISABLED_FOR_BENCH") != "true":
    raise ImproperlyConfigured("bench.settings_audit_off is for bench/audit.py only "
                               "(ECOMAP_AUDIT_DISABLED_FOR_BENCH=true).")

INSTALLED_APPS = [*INSTALLED_APPS, "bench.audit_off"]
