"""A client's mutual support at a glance, and their profile (what matching starts from)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecomap.clients.access import client_view
from ecomap.core.refusal import Refusal, refused

from .. import matching, referrals, warning_signs
from ..forms.profile import ExperienceFormSet, ProfileForm, experience_initial
from ..models import Alert, AlertStatus, FellowshipReferral
from .common import self_help_fellowships

HOME = "mutualaid/client/home.html"


def home_context(client) -> dict:
    """The client's mutual-support page: also shown again, with the reasons, when an action on it
    is refused."""
    profile = referrals.profile_of(client)
    return {
        "client": client, "profile": profile,
        "fits": matching.rank(profile, self_help_fellowships())[:5] if profile else [],
        "planned": list(profile.planned_meetings.select_related("fellowship")) if profile else [],
        "chosen": list(profile.chosen.all()) if profile else [],
        "referrals": list(FellowshipReferral.objects.filter(client=client).select_related(
            "fellowship", "contact", "first_meeting")),
        "alerts": list(Alert.objects.filter(client=client).exclude(status=AlertStatus.RESOLVED)
                       .select_related("referral__fellowship")),
        "rules": warning_signs.rules(), "today": timezone.localdate(),
    }


@client_view
def home(request, client):
    return render(request, HOME, home_context(client))


@client_view
@require_http_methods(["GET", "POST"])
def profile_edit(request, client):
    profile = referrals.profile_of(client)
    form = ProfileForm(request.POST or None, instance=profile)
    experience = ExperienceFormSet(request.POST or None, prefix="experience",
                                   initial=None if request.POST else experience_initial(profile))
    context = {"client": client, "form": form, "experience": experience, "profile": profile}
    if request.method == "POST" and form.is_valid() and experience.is_valid():
        items = [item for item in (f.as_item() for f in experience.forms) if item]
        try:
            referrals.save_profile(client, actor=request.user, values=form.cleaned_data,
                                   experience=items)
        except Refusal as error:
            return refused(request, error, "mutualaid/client/profile.html", context, form=form)
        messages.success(request, _("Profile saved."))
        return redirect("mutualaid_client:match", client_pk=client.pk)
    return render(request, "mutualaid/client/profile.html", context,
                  status=400 if request.method == "POST" else 200)
