from django.contrib.admin import site as admin_site  # an EcomapAdminSite (ecomap.site.apps)

from .admin_mixins import AuditedModelAdmin, ReadOnlyAdminMixin
from .models import AuditEntry


class AuditEntryAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Read-only: nobody can add, change or delete an entry, through the admin or otherwise."""

    list_display = ("seq", "occurred_at", "actor_username", "action", "outcome", "client",
                    "object_type", "object_id")
    list_filter = ("outcome", "actor_role")
    search_fields = ("action", "actor_username", "request_id", "object_id")
    date_hierarchy = "occurred_at"
    list_select_related = ("client",)

    def audit_client(self, obj):
        return obj.client

    def get_actions(self, request):
        return {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super(AuditedModelAdmin, self).change_view(request, object_id, form_url,
                                                          extra_context)


admin_site.register(AuditEntry, AuditEntryAdmin)
