"""Security events for the audit log: log-in, log-out, failed log-in, lock-out (ONC 170.315(d)(2))."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ecomap.audit import services as audit


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    audit.record("ecomap.auth.login", actor=user)


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("ecomap.auth.logout", actor=user)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # The name typed is kept in the audit database (never in application logs): it is how a
    # reviewer sees someone trying many accounts.
    audit.record("ecomap.auth.login_failed", actor="anonymous", outcome="denied",
                 data={"username": str(credentials.get("username", ""))[:150]})


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    audit.record("ecomap.auth.locked_out", actor="anonymous", outcome="denied",
                 data={"username": str(username or "")[:150]})
