from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """A group of practitioners; its supervisors see the team's practitioners and their clients."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    PRACTITIONER = "practitioner", _("Practitioner")
    CLIENT = "client", _("Client (portal)")


STAFF_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.PRACTITIONER)
# Roles that can hold a caseload.
CASELOAD_ROLES = (Role.PRACTITIONER, Role.SUPERVISOR)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")

    def save(self, *args, **kwargs):
        # The Django admin is for administrators only; the role is the single source of truth.
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_practitioner(self) -> bool:
        return self.role == Role.PRACTITIONER

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def can_hold_caseload(self) -> bool:
        return self.role in CASELOAD_ROLES


class Agency(models.Model):
    """The agency running this installation, as an administrator names it (one row). Documents and
    consents name it as the programme that discloses; a fresh install starts from the settings
    `ECOMAP_AGENCY_*` (see `current()`)."""

    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    privacy_officer_name = models.CharField(
        _("privacy officer"), max_length=120, blank=True,
        help_text=_("Who answers questions about the confidentiality of records (42 CFR part 2)."))
    privacy_officer_contact = models.CharField(
        _("privacy officer's contact"), max_length=200, blank=True,
        help_text=_("A phone number, an email address or a postal address."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agency")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # one agency per installation
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> Agency:
        """The agency the administrator recorded; else one made from the settings (unsaved), whose
        name is empty when neither names it (`configured` is then False)."""
        from django.conf import settings

        agency = cls.objects.filter(pk=1).first()
        if agency is not None:
            return agency
        return cls(**{field: getattr(settings, f"AGENCY_{field.upper()}", "")
                      for field in ("name", "address", "phone", "privacy_officer_name",
                                    "privacy_officer_contact")})

    @property
    def configured(self) -> bool:
        return bool(self.name.strip())

    def as_data(self) -> dict:
        """What a document freezes about the agency when it is made."""
        return {"name": self.name, "address": self.address, "phone": self.phone,
                "privacy_officer_name": self.privacy_officer_name,
                "privacy_officer_contact": self.privacy_officer_contact}
