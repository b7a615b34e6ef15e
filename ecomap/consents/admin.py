from django.contrib import admin
from django.contrib.admin import site as admin_site  # an EcomapAdminSite (ecomap.site.apps)

from ecomap.audit.admin_mixins import AuditedModelAdmin, ReadOnlyAdminMixin

from .models import Consent, ConsentRecipient, Disclosure


class ConsentRecipientInline(admin.TabularInline):
    """Read-only here: recipients are part of what the client signed."""

    model = ConsentRecipient
    extra = 0
    can_delete = False
    fields = ("designation", "kind", "name", "relationship", "address", "participants")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsentAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Read-only: a consent is kept as signed (append-only); it is revoked through the app."""

    list_display = ("pk", "client", "consent_type", "signed_on", "expires_on", "revoked_on")
    list_filter = ("consent_type", "signed_by")
    search_fields = ("client__record_number", "client__legal_last_name", "recipients__name")
    list_select_related = ("client",)
    raw_id_fields = ("client",)
    readonly_fields = ("client", "created_by", "created_at", "updated_at", "revoked_on",
                       "revoked_at", "revoked_by", "revocation_method", "revocation_note")
    inlines = [ConsentRecipientInline]

    def audit_client(self, obj):
        return obj.client


class DisclosureAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Read-only: the disclosure log is evidence."""

    list_display = ("pk", "client", "disclosed_at", "recipient_name", "purpose", "basis")
    list_filter = ("basis", "purpose", "method")
    search_fields = ("client__record_number", "recipient_name")
    list_select_related = ("client",)
    date_hierarchy = "disclosed_at"

    def audit_client(self, obj):
        return obj.client


admin_site.register(Consent, ConsentAdmin)
admin_site.register(Disclosure, DisclosureAdmin)
