"""A client's referrals to fellowships: making one, its page with the attendance chart, ending it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecomap.clients.access import client_view
from ecomap.core.refusal import Refusal, refused

from .. import attendance_svg, referrals, warning_signs
from ..forms.alerts import ResolveAlertForm
from ..forms.referrals import EndReferralForm, ReferralForm
from ..models import Meeting
from .common import is_id, referral_of

REFERRAL = "mutualaid/client/referral.html"


@client_view
@require_http_methods(["GET", "POST"])
def referral_new(request, client):
    profile = referrals.profile_of(client)
    today = timezone.localdate()
    planned = list(profile.planned_meetings.select_related("fellowship")) if profile else []
    meeting = None
    if is_id(request.GET.get("meeting", "")):
        meeting = Meeting.objects.filter(pk=request.GET["meeting"], active=True).first()
    meetings = planned + ([meeting] if meeting and meeting not in planned else [])
    initial = {"referred_on": today, "next_follow_up_on": today + timedelta(days=14)}
    if meeting:
        initial.update(fellowship=meeting.fellowship, first_meeting=meeting)
    elif is_id(request.GET.get("fellowship", "")):
        initial["fellowship"] = request.GET["fellowship"]
    form = ReferralForm(request.POST or None, initial=initial, meetings=meetings)
    context = {"client": client, "form": form, "profile": profile}
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.refer(client, actor=request.user, values=form.cleaned_data)
        except Refusal as error:
            return refused(request, error, "mutualaid/client/referral_form.html", context,
                           form=form)
        messages.success(request, _("Referral to %(f)s recorded.") % {
            "f": referral.fellowship.name})
        return redirect("mutualaid_client:referral", client_pk=client.pk,
                        referral_pk=referral.pk)
    return render(request, "mutualaid/client/referral_form.html", context,
                  status=400 if request.method == "POST" else 200)


def referral_context(client, referral, *, end_form=None) -> dict:
    """The referral's page: also shown again, with the reasons, when an action on it is refused."""
    follow_ups = list(referral.follow_ups.all())
    alerts = list(referral.alerts.select_related("acknowledged_by", "resolved_by"))
    series = referrals.attendance_series(referral, follow_ups)
    flagged = {a.follow_up_id for a in alerts if a.rule in ("attendance_falling", "no_meetings")}
    return {
        "client": client, "referral": referral, "follow_ups": follow_ups, "alerts": alerts,
        "series": series, "chart": attendance_svg.render(series, flagged=flagged),
        "prompts": referrals.feedback_prompts(follow_ups[0] if follow_ups else None),
        "rules": warning_signs.rules(),
        "end_form": end_form or EndReferralForm(initial={"ended_on": timezone.localdate()}),
        "resolve_form": ResolveAlertForm(), "today": timezone.localdate(),
    }


@client_view
def referral_detail(request, client, referral_pk):
    return render(request, REFERRAL, referral_context(client, referral_of(client, referral_pk)))


@client_view
@require_POST
def referral_end(request, client, referral_pk):
    referral = referral_of(client, referral_pk)
    form = EndReferralForm(request.POST)
    if not form.is_valid():
        return render(request, REFERRAL, referral_context(client, referral, end_form=form),
                      status=400)
    try:
        referrals.end_referral(referral, actor=request.user, **form.cleaned_data)
    except Refusal as error:
        return refused(request, error, REFERRAL,
                       referral_context(client, referral, end_form=form), form=form)
    messages.success(request, _("Referral ended."))
    return redirect("mutualaid_client:referral", client_pk=client.pk, referral_pk=referral.pk)
