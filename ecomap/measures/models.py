"""A questionnaire given to a client: the answers, and the scores they gave at the time.

A draft holds answers so far and may change until it is completed. A completed administration never
changes: its answers and scores are frozen (the scores as they were computed when it was completed,
with the definition's version), so the history is exact even if a definition is later corrected.
The only change allowed afterwards is the "entered in error" mark, with its reason, who and when;
a correction is a new administration.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.core.append_only import AppendOnlyModel, AppendOnlyQuerySet


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


class AdministrationQuerySet(AppendOnlyQuerySet):
    def counted(self):
        """Completed administrations that count (not marked as entered in error)."""
        return self.filter(status=Status.COMPLETED, entered_in_error=False)


class Administration(AppendOnlyModel):
    # A draft may change until it is completed; then only the "entered in error" mark is written.
    frozen_when = ("status", "completed")
    amendable_fields = ("entered_in_error", "error_reason", "error_marked_by", "error_marked_at")

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

    def clean(self):
        if self.administered_on and self.administered_on > timezone.localdate():
            raise ValidationError({"administered_on": _("The date cannot be in the future.")})

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT
