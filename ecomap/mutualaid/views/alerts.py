"""Warning-sign alerts on a referral: acknowledging and resolving them (from the referral's page or
from today's list)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecomap.clients.access import client_view
from ecomap.core.refusal import Refusal, refused

from .. import referrals
from ..forms.alerts import ResolveAlertForm
from ..models import Alert
from .common import referral_of
from .referrals import REFERRAL, referral_context


def _alert(client, alert_pk) -> Alert:
    return get_object_or_404(Alert, client=client, pk=alert_pk)


def _after(request, client, alert):
    if request.POST.get("from") == "today":
        return redirect("site:today")
    return redirect("mutualaid_client:referral", client_pk=client.pk,
                    referral_pk=alert.referral_id)


def _refused(request, client, alert, error):
    """The referral's page again, with the reasons the change was refused."""
    referral = referral_of(client, alert.referral_id)
    return refused(request, error, REFERRAL, referral_context(client, referral))


@client_view
@require_POST
def alert_acknowledge(request, client, alert_pk):
    alert = _alert(client, alert_pk)
    try:
        referrals.acknowledge_alert(alert, actor=request.user)
    except Refusal as error:
        return _refused(request, client, alert, error)
    messages.success(request, _("Alert acknowledged."))
    return _after(request, client, alert)


@client_view
@require_POST
def alert_resolve(request, client, alert_pk):
    alert = _alert(client, alert_pk)
    form = ResolveAlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done about it."))
        return _after(request, client, alert)
    try:
        referrals.resolve_alert(alert, actor=request.user,
                                resolution=form.cleaned_data["resolution"])
    except Refusal as error:
        return _refused(request, client, alert, error)
    messages.success(request, _("Alert resolved."))
    return _after(request, client, alert)
