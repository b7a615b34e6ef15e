"""A client's network as recorded over time.

The live network (NetworkMember, MemberTie) is what the practitioner edits during an interview. An
Assessment freezes it, with its metrics, as JSON on a date: later edits never alter a past
assessment, so change over time is exact. Supporter holds the SBNT "network for change" plan.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.core.append_only import AppendOnlyModel

from .choices import (
    Circle,
    Contact,
    MemberKind,
    RecoveryStance,
    Relationship,
    SubstanceUse,
    SupportFunction,
    Valence,
)
from .graph import Member


def _check_functions(values) -> None:
    if not isinstance(values, list) or not set(values) <= set(SupportFunction.values):
        raise ValidationError(_("Choose support functions from the list."))


class NetworkMember(models.Model):
    """A person, group or service in the client's network (an alter; the client is ego)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="network_members")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No length limit: an imported name is kept whole (the interview's form asks for a short one).
    label = models.CharField(_("name or label"),
                             help_text=_("A first name, initials or a role is enough."))
    kind = models.CharField(_("kind"), max_length=10, choices=MemberKind.choices,
                            default=MemberKind.PERSON)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    circle = models.PositiveSmallIntegerField(_("circle of closeness"), choices=Circle.choices,
                                              default=Circle.MIDDLE)
    contact = models.CharField(_("contact"), max_length=10, choices=Contact.choices,
                               default=Contact.MONTHLY)
    support_received = models.JSONField(_("support the client receives"), default=list,
                                        blank=True, validators=[_check_functions])
    support_given = models.JSONField(_("support the client gives"), default=list, blank=True,
                                     validators=[_check_functions])
    valence = models.CharField(_("relationship quality"), max_length=12, choices=Valence.choices,
                               default=Valence.SUPPORTIVE)
    substance_use = models.CharField(_("their drinking or drug use"), max_length=10,
                                     choices=SubstanceUse.choices, default=SubstanceUse.UNKNOWN)
    recovery_stance = models.CharField(_("their reaction to the client's recovery"), max_length=10,
                                       choices=RecoveryStance.choices,
                                       default=RecoveryStance.UNKNOWN)
    could_join_sessions = models.BooleanField(_("could join the client's sessions"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # Members leave a network without being deleted: past assessments and plans refer to them.
    active = models.BooleanField(_("still in the network"), default=True)
    left_on = models.DateField(_("left the network on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["circle", "label", "pk"]
        verbose_name = _("network member")
        indexes = [models.Index(fields=["client", "active"], name="member_client_active")]

    def __str__(self):
        return self.label

    def clean(self):
        for name in ("support_received", "support_given"):
            value = getattr(self, name)
            if isinstance(value, list):
                setattr(self, name, sorted(set(value)))

    @property
    def support_received_labels(self) -> str:
        labels = dict(SupportFunction.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.support_received)

    def as_member(self) -> Member:
        return Member(
            key=str(self.key), label=self.label, kind=self.kind, relationship=self.relationship,
            circle=self.circle, contact=self.contact,
            support_received=frozenset(self.support_received),
            support_given=frozenset(self.support_given), valence=self.valence,
            substance_use=self.substance_use, recovery_stance=self.recovery_stance,
            could_join_sessions=self.could_join_sessions,
        )


class MemberTie(models.Model):
    """Two members know each other (undirected; stored once, lower id first)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="member_ties")
    a = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tie between members")
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], name="membertie_unique_pair"),
            models.CheckConstraint(condition=models.Q(a__lt=models.F("b")),
                                   name="membertie_ordered_pair"),
        ]

    def __str__(self):
        return f"{self.a_id}-{self.b_id}"


class Assessment(AppendOnlyModel):
    """A dated snapshot of the network and its metrics. Never changed or deleted once written
    (append-only: in Python and, through triggers, in the database)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="network_assessments")
    assessed_on = models.DateField(_("date of the assessment"), default=timezone.localdate)
    conducted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    snapshot = models.JSONField(_("network"), editable=False)
    metrics = models.JSONField(_("metrics"), editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("network assessment")
        indexes = [models.Index(fields=["client", "assessed_on"], name="assessment_client_date")]

    def __str__(self):
        return f"{self.assessed_on:%Y-%m-%d}"

    @property
    def network(self):
        from .graph import Network

        return Network.from_dict(self.snapshot)


class SupportKind(models.TextChoices):
    """The kinds of support in the iSBNT 'Recruiting a network' task (research note 4.5)."""

    MORAL = "moral", _("Moral support")
    PROBLEM_SOLVING = "problem_solving", _("Solving problems")
    TASKS = "tasks", _("Help with tasks")
    ORGANISATIONAL = "organisational", _("Organisational help")
    INFORMATION = "information", _("Providing information")
    EMERGENCY = "emergency", _("Emergency help")


class AttitudeToUse(models.TextChoices):
    SUPPORTS_CHANGE = "supports_change", _("Supports change")
    NEUTRAL = "neutral", _("Neutral")
    SUPPORTS_USE = "supports_use", _("Supports drinking or use")


class Supporter(models.Model):
    """A member the client chose for their network for change (SBNT), with the task agreed."""

    member = models.OneToOneField(NetworkMember, on_delete=models.PROTECT,
                                  related_name="supporter")
    role = models.CharField(_("role"), max_length=120,
                            help_text=_("What this person will be for the client, in their words."))
    support_kinds = models.JSONField(_("kinds of support agreed"), default=list)
    attitude_to_use = models.CharField(_("attitude to the client's drinking or use"),
                                       max_length=20, choices=AttitudeToUse.choices)
    contact_details = models.CharField(_("how to reach them"), max_length=200, blank=True)
    agreed_task = models.TextField(_("task agreed"))
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network-for-change supporter")

    def __str__(self):
        return self.role

    def clean(self):
        if not self.support_kinds or not set(self.support_kinds) <= set(SupportKind.values):
            raise ValidationError({"support_kinds": _("Choose at least one kind of support.")})


class TaskOutcome(models.TextChoices):
    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("Not done")


class SupporterReview(models.Model):
    """A later session's review of a supporter's agreed task."""

    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    outcome = models.CharField(_("how the task went"), max_length=10, choices=TaskOutcome.choices)
    note = models.TextField(_("what helped or got in the way"), blank=True)
    next_task = models.TextField(_("task agreed for next time"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("supporter review")

    def __str__(self):
        return f"{self.reviewed_on:%Y-%m-%d} {self.outcome}"


class AcceptedIntervention(models.Model):
    """A recommended network intervention the practitioner took into the client's plan."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="accepted_interventions")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    rule_id = models.CharField(max_length=60)
    intervention = models.CharField(_("intervention"), max_length=200)
    reason = models.TextField(_("why it was recommended"))
    note = models.TextField(_("practitioner's note"), blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("accepted intervention")

    def __str__(self):
        return self.intervention
