"""ModelAdmin pieces for the admin site: every change and client read through the admin is audited."""

from __future__ import annotations

from django.contrib import admin

from . import services as audit


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes an audit entry for every change made through the admin, with the fields changed.

    `audit_client(obj)` names the client an object belongs to, so admin reads of client
    records are audited against that client too.
    """

    def audit_client(self, obj):
        return None

    def _action(self, verb):
        return f"ecomap.admin.{self.model._meta.label_lower}.{verb}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit.record(self._action("viewed"), actor=request.user,
                             client=self.audit_client(obj), obj=obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        audit.record(self._action("changed" if change else "added"), actor=request.user,
                     client=self.audit_client(obj), obj=obj,
                     changes=audit.diff(before, audit.snapshot(obj)))

    def delete_model(self, request, obj):
        audit.record(self._action("deleted"), actor=request.user,
                     client=self.audit_client(obj), obj=obj, data={"before": audit.snapshot(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdminMixin:
    """For records that are evidence (audit entries, disclosures, transfers): view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
