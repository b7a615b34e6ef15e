from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SiteConfig(AppConfig):
    default = True
    name = "ecomap.site"
    label = "site"
    verbose_name = "Site"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site as `admin.site`: apps register on it without importing us."""

    default = False
    default_site = "ecomap.site.admin_site.EcomapAdminSite"
