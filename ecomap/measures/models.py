"""A questionnaire given to a client: the answers, and the scores they gave at the time.

A draft holds answers so far and may change until it is completed. A completed administration never
changes: its answers and scores are frozen (the scores as they were computed when it was completed,
with the definition's version), so the history is exact even if a definition is later corrected.
The only change allowed afterwards is the "entered in error" mark, with its reason, who and when;
a correction is a new administration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FrozenError(TypeError):
    pass


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


ERROR_FIELDS = {"entered_in_error", "error_reason", "error_marked_by", "error_marked_at"}


class AdministrationQuerySet(models.QuerySet):
    def counted(self):
        """Completed administrations that count (not marked as entered in error)."""
        return self.filter(status=Status.COMPLETED, entered_in_error=False)

    def delete(self):
        if self.filter(status=Status.COMPLETED).exists():
            raise FrozenError("Completed administrations are never deleted.")
        return super().delete()


class Administration(models.Model):
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="administrations")
    instrument = models.CharField(_("questionnaire"), max_length=60)
    instrument_title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    administered_on = models.DateField(_("date given"))
    answers = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    administered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    entered_in_error = models.BooleanField(_("entered in error"), default=False)
    error_reason = models.TextField(_("reason"), blank=True)
    error_marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        related_name="+", null=True, blank=True)
    error_marked_at = models.DateTimeField(null=True, blank=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["administered_on", "pk"]
        verbose_name = _("questionnaire administration")
        indexes = [models.Index(fields=["client", "instrument", "status"],
                                name="administration_client_instr")]

    def __str__(self):
        return f"{self.instrument_title} {self.administered_on:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = getattr(self, "_stored_status", None)
            if stored is None:
                stored = type(self).objects.filter(pk=self.pk).values_list(
                    "status", flat=True).first()
            update_fields = kwargs.get("update_fields")
            if stored == Status.COMPLETED and (
                    update_fields is None or not set(update_fields) <= ERROR_FIELDS):
                raise FrozenError("A completed administration cannot be changed; give the "
                                  "questionnaire again, or mark this one as entered in error.")
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args, **kwargs):
        if self.status == Status.COMPLETED or getattr(self, "_stored_status", None) == \
                Status.COMPLETED:
            raise FrozenError("Completed administrations are never deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = getattr(instance, "status", None) if "status" in field_names \
            else None
        return instance
