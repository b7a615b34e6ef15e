"""Fellowships ranked by fit, the meetings that fit, the meetings the client plans to attend and
their calendar."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecomap.clients.access import client_view
from ecomap.core.refusal import Refusal, refused

from .. import ics, matching, referrals
from ..forms.profile import ChooseForm, PointForm
from ..models import Meeting
from .common import home, is_id, self_help_fellowships
from .profile import HOME, home_context


@client_view
@require_http_methods(["GET", "POST"])
def match(request, client):
    """Fellowships ranked by fit with their reasons; the client's choice; then meetings of the
    chosen fellowships that fit the profile, nearest and soonest first."""
    profile = referrals.profile_of(client)
    if profile is None:
        messages.info(request, _("Fill in the profile first: matching starts from it."))
        return redirect("mutualaid_client:profile", client_pk=client.pk)
    fits = matching.rank(profile, self_help_fellowships())
    chosen = list(profile.chosen.all())
    choose = ChooseForm(request.POST or None, initial={"chosen": chosen})
    if request.method == "POST":
        if choose.is_valid():
            referrals.choose_fellowships(profile, list(choose.cleaned_data["chosen"]),
                                         actor=request.user)
            messages.success(request, _("Choice saved."))
            return redirect("mutualaid_client:match", client_pk=client.pk)
        messages.error(request, _("The choice could not be saved."))
    point = PointForm(request.GET or None)
    if request.GET and point.is_valid() and point.cleaned_data.get("lat") is not None:
        profile.latitude, profile.longitude = point.cleaned_data["lat"], point.cleaned_data["lng"]
    result = matching.meetings_for(profile, [f.pk for f in chosen], timezone.now())
    online = matching.online_for(profile, [f.pk for f in chosen], timezone.now())
    planned = set(profile.planned_meetings.values_list("pk", flat=True))
    return render(request, "mutualaid/client/match.html", {
        "client": client, "profile": profile, "fits": fits, "choose": choose, "point": point,
        "chosen": chosen, "result": result, "online": online, "planned": planned,
        "query": matching.meeting_query(profile, [f.pk for f in chosen]),
        "back": request.get_full_path(),
    }, status=400 if point.errors or choose.errors else 200)


@client_view
@require_POST
def plan(request, client):
    """Add a meeting to (or take it off) the meetings the client plans to attend."""
    profile = referrals.profile_of(client)
    pk = request.POST.get("meeting", "")
    meeting = Meeting.objects.filter(pk=pk).first() if is_id(pk) else None
    if profile is None or meeting is None:
        messages.error(request, _("Choose a meeting from the list."))
        return home(client)
    try:
        referrals.plan_meeting(profile, meeting, actor=request.user,
                               planned=request.POST.get("action") != "remove")
    except Refusal as error:
        return refused(request, error, HOME, home_context(client))
    back = request.POST.get("back", "")
    base = reverse("mutualaid_client:home", kwargs={"client_pk": client.pk})
    if back.startswith(base) and url_has_allowed_host_and_scheme(back, None):
        return redirect(back)
    return home(client)


@client_view
def calendar(request, client):
    """The planned meetings as an .ics file for the client's own calendar."""
    profile = referrals.profile_of(client)
    meetings = list(profile.planned_meetings.select_related("fellowship")) if profile else []
    if not meetings:
        messages.info(request, _("No meetings planned yet: plan some from the meetings that "
                                 "fit."))
        return home(client)
    body, _skipped = ics.calendar(meetings, timezone.now(), domain=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    return response
