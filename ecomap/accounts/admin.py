from django.contrib.admin import site as admin_site  # an EcomapAdminSite (ecomap.site.apps)
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ecomap.audit.admin_mixins import AuditedModelAdmin

from .models import Agency, Team, User


class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ("role", "team", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "team", "password1",
                                                 "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate accounts instead; their audit trail points at them


class TeamAdmin(AuditedModelAdmin):
    list_display = ("name",)


class AgencyAdmin(AuditedModelAdmin):
    """The one agency row: added once, then edited; never deleted (documents name it)."""

    list_display = ("name", "phone", "privacy_officer_name")

    def has_add_permission(self, request):
        return not Agency.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


admin_site.register(User, UserAdmin)
admin_site.register(Agency, AgencyAdmin)
admin_site.register(Team, TeamAdmin)
