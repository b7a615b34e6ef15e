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
