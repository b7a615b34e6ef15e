"""The Django admin, for administrators only; `AdminConfig.default_site` makes it `admin.site`.

Apps register their models on `django.contrib.admin.site`, with the audited `ModelAdmin` of
`ecomap.audit.admin_mixins`, so no app below this one imports it.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class EcomapAdminSite(admin.AdminSite):
    site_header = _("ecomap administration")
    site_title = _("ecomap admin")
    index_title = _("Administration")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.role == "admin")

