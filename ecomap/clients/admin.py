from django.contrib.admin import site as admin_site  # an EcomapAdminSite (ecomap.site.apps)

from ecomap.audit.admin_mixins import AuditedModelAdmin, ReadOnlyAdminMixin

from .models import CaseloadTransfer, Client


class ClientAdmin(AuditedModelAdmin):
    list_display = ("record_number", "legal_last_name", "legal_first_name", "programme",
                    "status", "primary_practitioner")
    list_filter = ("programme", "status")
    search_fields = ("record_number", "legal_last_name", "legal_first_name", "preferred_name")
    readonly_fields = ("record_number", "version", "created_at", "updated_at")
    list_select_related = ("primary_practitioner",)

    def audit_client(self, obj):
        return obj

    def has_add_permission(self, request):
        return False  # created through the app, so the record number and audit are right

    def has_delete_permission(self, request, obj=None):
        return False  # clients are discharged or archived, never deleted

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # an admin edit also invalidates forms opened elsewhere
        super().save_model(request, obj, form, change)


class CaseloadTransferAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    list_display = ("client", "role", "from_practitioner", "to_practitioner", "transferred_at")
    list_select_related = ("client", "from_practitioner", "to_practitioner")

    def audit_client(self, obj):
        return obj.client



admin_site.register(Client, ClientAdmin)
admin_site.register(CaseloadTransfer, CaseloadTransferAdmin)
