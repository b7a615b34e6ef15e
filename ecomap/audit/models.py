"""The audit log: one append-only row per read or change of a client's record, and per security event.

Fields follow ASTM E2147-18 7.1.1, 7.1.2, 7.1.6-7.1.9 as ONC 170.315(d)(2) asks
(see ../shared/research/clinical.md 6.4-6.5): when, which client, what action, who, which object,
from where. Each row holds the hash of the one before it in its *lane*, so any later alteration,
insertion or deletion breaks a chain and `verify_chain()` reports where.

Lanes: a writer takes a free lane (an `AuditChainHead` row) with `FOR UPDATE SKIP LOCKED` and
chains its entry onto it, so concurrent writers use different lanes and none ever waits for another
(a new lane is added when every lane is busy: there are as many as the most transactions that
were ever writing at once). `seq` orders all lanes' entries; on PostgreSQL it comes from a
sequence, so it has gaps where a transaction rolled back. Each lane is gap-free.

Why lanes rather than one chain sealed into blocks after the fact: every entry stays linked when
it is written, so removing the newest entries, or one that no block covers yet, is caught as
surely as before; a sealer on PostgreSQL could not tell a deleted unsealed entry from the gap a
rolled-back transaction leaves, and would need a "safe horizon" past in-flight transactions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecomap.core.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

__all__ = ["AppendOnlyError", "AuditChainHead", "AuditEntry", "Outcome"]


class AuditQuerySet(AppendOnlyQuerySet):
    # bulk_create would bypass the chain; bulk_update goes through update(), which refuses.
    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError(_("Audit entries are written one at a time by the audit service."))


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Denied")
    ERROR = "error", _("Error")


class AuditEntry(AppendOnlyModel):
    # Entries written since lanes exist have id == seq; older ones have id >= seq.
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time (UTC)"), db_index=True)
    # The (actor, time) and (client, time) indexes below serve every lookup by actor or client,
    # so the foreign keys have none of their own: each index is one more write per entry.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("user"), db_index=False,
    )
    # Kept verbatim, so the entry still names its author if the account is renamed.
    actor_username = models.CharField(_("user name"), max_length=150)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("client"), db_index=False,
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices,
                               default=Outcome.SUCCESS)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    purpose = models.CharField(_("purpose of use"), max_length=40, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    ip = models.CharField(_("source address"), max_length=64, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    # Not unique: verification recomputes every hash; an index would only cost each write.
    hash = models.CharField(max_length=64, editable=False)
    # The chain this entry extends and the seq of its predecessor there (0: the lane's first).
    # Not hashed (entries from before lanes keep their hashes); prev_hash is what proves the link,
    # prev_seq only lets verification name a missing entry.
    lane = models.PositiveIntegerField(default=1, editable=False)
    prev_seq = models.PositiveBigIntegerField(null=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["client", "occurred_at"], name="audit_client_time"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """One lane: the seq and hash of its last entry. Its pk is the entries' `lane`.

    A writer locks the lane it appends to until its transaction ends (so two entries never claim
    the same predecessor), but takes it with SKIP LOCKED: nobody waits for a busy lane. The head
    lets verification notice entries removed from the end of a lane. Rows are never deleted and
    never move backwards (database triggers).
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit lane")

    def __str__(self):
        return f"audit lane {self.pk} at {self.seq}"
