"""Follow-up visits on a referral; each may raise warning-sign alerts."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecomap.clients.access import client_view
from ecomap.core.refusal import Refusal, refused

from .. import referrals
from ..forms.follow_ups import FollowUpForm
from ..models import ReferralStatus
from .common import referral_of


@client_view
@require_http_methods(["GET", "POST"])
def follow_up_new(request, client, referral_pk):
    referral = referral_of(client, referral_pk)
    if referral.status != ReferralStatus.ACTIVE:
        messages.error(request, _("This referral has ended; follow-ups are closed."))
        return redirect("mutualaid_client:referral", client_pk=client.pk,
                        referral_pk=referral.pk)
    last = referral.follow_ups.first()
    initial = {"seen_on": timezone.localdate()}
    if last:  # carry forward what tends to persist between visits
        initial.update(home_group=last.home_group, sponsor=last.sponsor,
                       sponsor_since=last.sponsor_since, service=last.service,
                       service_note=last.service_note, step=last.step)
    form = FollowUpForm(request.POST or None, initial=initial)
    context = {"client": client, "referral": referral, "form": form, "last": last,
               "prompts": referrals.feedback_prompts(last)}
    if request.method == "POST" and form.is_valid():
        try:
            _visit, alerts = referrals.record_follow_up(
                referral, actor=request.user, values=form.cleaned_data,
                next_follow_up_on=form.cleaned_data.get("next_follow_up_on"))
        except Refusal as error:
            return refused(request, error, "mutualaid/client/follow_up_form.html", context,
                           form=form)
        messages.success(request, _("Follow-up recorded."))
        for alert in alerts:
            messages.warning(request, _("Warning sign: %(reason)s") % {"reason": alert.reason})
        return redirect("mutualaid_client:referral", client_pk=client.pk,
                        referral_pk=referral.pk)
    return render(request, "mutualaid/client/follow_up_form.html", context,
                  status=400 if request.method == "POST" else 200)
