from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    CO_OCCURRING = "co_occurring", _("Co-occurring")


# The programmes whose records are substance-use disorder records under 42 CFR Part 2: the one place
# that says so. `Client.is_part2` is what every rule asks.
PART2_PROGRAMMES = frozenset({Programme.SUBSTANCE_USE, Programme.CO_OCCURRING})


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISCHARGED = "discharged", _("Discharged")
    ARCHIVED = "archived", _("Archived")


class CaseloadRole(models.TextChoices):
    PRIMARY = "primary", _("Primary practitioner")
    SECONDARY = "secondary", _("Secondary practitioner")


class ClientQuerySet(models.QuerySet):
    def for_user(self, user) -> ClientQuerySet:
        """The clients `user` may see: the only way client records are looked up.

        Admin: all. Supervisor: clients of their team's practitioners, and their own caseload.
        Practitioner: their caseload (primary or secondary). Anyone else: none.
        """
        from ecomap.accounts.models import Role

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        mine = Q(primary_practitioner=user) | Q(secondary_practitioner=user)
        if user.role == Role.SUPERVISOR:
            if user.team_id is None:
                return self.filter(mine)
            # The team's ids first: filtering through the user join would scan every client of
            # the agency (bench/README.md), while ids use the practitioner indexes.
            team = list(get_user_model().objects.filter(team_id=user.team_id)
                        .values_list("pk", flat=True))
            return self.filter(Q(primary_practitioner__in=team)
                               | Q(secondary_practitioner__in=team) | mine)
        if user.role == Role.PRACTITIONER:
            return self.filter(mine)
        return self.none()


class Client(models.Model):
    record_number = models.CharField(_("record number"), max_length=20, unique=True, editable=False)
    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    preferred_name = models.CharField(
        _("preferred name"), max_length=100, blank=True,
        help_text=_("The name the client wants to be called; shown first everywhere."),
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=60, default="English")
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.ACTIVE)
    admitted_on = models.DateField(_("admitted on"), default=timezone.localdate)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(_("discharge reason"), max_length=200, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    primary_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="primary_clients",
        verbose_name=_("primary practitioner"),
    )
    secondary_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="secondary_clients", verbose_name=_("secondary practitioner"),
    )
    # Optimistic locking: each save must name the version it edited.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "pk"]
        verbose_name = _("client")
        indexes = [
            models.Index(fields=["legal_last_name", "legal_first_name"], name="client_name"),
            models.Index(fields=["primary_practitioner", "status"], name="client_primary_status"),
            models.Index(fields=["secondary_practitioner", "status"],
                         name="client_secondary_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(secondary_practitioner__isnull=True)
                | ~Q(secondary_practitioner=models.F("primary_practitioner")),
                name="client_secondary_differs_from_primary",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def is_part2(self) -> bool:
        """Is this client's record a Part 2 (substance-use disorder programme) record?"""
        return self.programme in PART2_PROGRAMMES

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth:
            if self.date_of_birth > today:
                errors["date_of_birth"] = _("The date of birth cannot be in the future.")
            elif self.date_of_birth.year < 1900:
                errors["date_of_birth"] = _("Enter a date of birth after 1900.")
        if self.discharged_on and self.admitted_on and self.discharged_on < self.admitted_on:
            errors["discharged_on"] = _("The discharge date cannot be before the admission date.")
        if (self.secondary_practitioner_id
                and self.secondary_practitioner_id == self.primary_practitioner_id):
            errors["secondary_practitioner"] = _(
                "The secondary practitioner must be someone other than the primary practitioner."
            )
        if errors:
            raise ValidationError(errors)


class CaseloadTransfer(models.Model):
    """A change of a client's primary or secondary practitioner, kept for the record's history."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="transfers")
    role = models.CharField(_("role"), max_length=10, choices=CaseloadRole.choices)
    from_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("from"),
    )
    to_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="transfers_received", verbose_name=_("to"),
    )
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("transferred by"),
    )
    transferred_at = models.DateTimeField(_("transferred at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["-transferred_at", "-pk"]
        verbose_name = _("caseload transfer")

    def __str__(self):
        return f"{self.get_role_display()} transfer of {self.client_id}"
