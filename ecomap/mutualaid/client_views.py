"""A client's mutual support: the profile, fellowships ranked by fit, meetings that fit, the planned
meetings' calendar, referrals with their follow-ups, and the warning-sign alerts.

Every view resolves the client through `client_view` (outsiders get 404) and every referral and
alert through that client; every read and change is audited.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecomap.audit import services as audit
from ecomap.clients.access import client_view

from . import attendance_svg, ics, matching, referrals, warning_signs
from .client_forms import (
    ChooseForm,
    EndReferralForm,
    ExperienceFormSet,
    FollowUpForm,
    PointForm,
    ProfileForm,
    ReferralForm,
    ResolveAlertForm,
    experience_initial,
)
from .models import Alert, AlertStatus, Fellowship, Meeting, Referral, ReferralStatus


def _read(request, client, what: str, obj=None, **data):
    audit.record(f"ecomap.mutualaid.{what}", actor=request.user, client=client, obj=obj,
                 data=data or None)


def _refused(request, error: referrals.ReferralError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _home(client):
    return redirect("mutualaid_client:home", client_pk=client.pk)


def _is_id(value: str) -> bool:
    """A primary key as typed in a URL or form: ASCII digits that fit the column ("²" is a digit
    to str.isdigit)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def _fellowships():
    return list(Fellowship.objects.filter(in_catalogue=True, audience="self"))


@client_view
def home(request, client):
    profile = referrals.profile_of(client)
    fits = matching.rank(profile, _fellowships())[:5] if profile else []
    planned = list(profile.planned_meetings.select_related("fellowship")) if profile else []
    chosen = list(profile.chosen.all()) if profile else []
    client_referrals = list(Referral.objects.filter(client=client).select_related(
        "fellowship", "contact", "first_meeting"))
    alerts = list(Alert.objects.filter(client=client).exclude(status=AlertStatus.RESOLVED)
                  .select_related("referral__fellowship"))
    _read(request, client, "viewed")
    return render(request, "mutualaid/client/home.html", {
        "client": client, "profile": profile, "fits": fits, "planned": planned,
        "chosen": chosen, "referrals": client_referrals, "alerts": alerts,
        "rules": warning_signs.rules(), "today": timezone.localdate(),
    })


@client_view
@require_http_methods(["GET", "POST"])
def profile_edit(request, client):
    profile = referrals.profile_of(client)
    form = ProfileForm(request.POST or None, instance=profile)
    experience = ExperienceFormSet(request.POST or None, prefix="experience",
                                   initial=None if request.POST else experience_initial(profile))
    if request.method == "POST" and form.is_valid() and experience.is_valid():
        items = [item for item in (f.as_item() for f in experience.forms) if item]
        try:
            referrals.save_profile(client, actor=request.user, values=form.cleaned_data,
                                   experience=items)
        except referrals.ReferralError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("mutualaid_client:match", client_pk=client.pk)
    if request.method == "GET":
        _read(request, client, "profile_viewed", profile)
    invalid = request.method == "POST"
    return render(request, "mutualaid/client/profile.html", {
        "client": client, "form": form, "experience": experience, "profile": profile,
    }, status=400 if invalid else 200)


@client_view
@require_http_methods(["GET", "POST"])
def match(request, client):
    """Fellowships ranked by fit with their reasons; the client's choice; then meetings of the
    chosen fellowships that fit the profile, nearest and soonest first."""
    profile = referrals.profile_of(client)
    if profile is None:
        messages.info(request, _("Fill in the profile first: matching starts from it."))
        return redirect("mutualaid_client:profile", client_pk=client.pk)
    fits = matching.rank(profile, _fellowships())
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
    _read(request, client, "matched", profile, chosen=[f.slug for f in chosen])
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
    meeting = Meeting.objects.filter(pk=pk).first() if _is_id(pk) else None
    if profile is None or meeting is None:
        messages.error(request, _("Choose a meeting from the list."))
        return _home(client)
    try:
        referrals.plan_meeting(profile, meeting, actor=request.user,
                               planned=request.POST.get("action") != "remove")
    except referrals.ReferralError as error:
        _refused(request, error)
    back = request.POST.get("back", "")
    base = reverse("mutualaid_client:home", kwargs={"client_pk": client.pk})
    if back.startswith(base) and url_has_allowed_host_and_scheme(back, None):
        return redirect(back)
    return _home(client)


@client_view
def calendar(request, client):
    """The planned meetings as an .ics file for the client's own calendar."""
    profile = referrals.profile_of(client)
    meetings = list(profile.planned_meetings.select_related("fellowship")) if profile else []
    if not meetings:
        messages.info(request, _("No meetings planned yet: plan some from the meetings that "
                                 "fit."))
        return _home(client)
    body, skipped = ics.calendar(meetings, timezone.now(), domain=request.get_host())
    _read(request, client, "calendar_exported", profile,
          meetings=[m.pk for m in meetings if m not in skipped])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    return response


def _referral(client, referral_pk) -> Referral:
    return get_object_or_404(Referral.objects.select_related("fellowship", "contact",
                                                             "first_meeting__fellowship"),
                             client=client, pk=referral_pk)


@client_view
@require_http_methods(["GET", "POST"])
def referral_new(request, client):
    profile = referrals.profile_of(client)
    today = timezone.localdate()
    planned = list(profile.planned_meetings.select_related("fellowship")) if profile else []
    meeting = None
    if _is_id(request.GET.get("meeting", "")):
        meeting = Meeting.objects.filter(pk=request.GET["meeting"], active=True).first()
    meetings = planned + ([meeting] if meeting and meeting not in planned else [])
    initial = {"referred_on": today, "next_follow_up_on": today + timedelta(days=14)}
    if meeting:
        initial.update(fellowship=meeting.fellowship, first_meeting=meeting)
    elif _is_id(request.GET.get("fellowship", "")):
        initial["fellowship"] = request.GET["fellowship"]
    form = ReferralForm(request.POST or None, initial=initial, meetings=meetings)
    if request.method == "GET":
        _read(request, client, "referral_form_viewed", profile)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.refer(client, actor=request.user, values=form.cleaned_data)
        except referrals.ReferralError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Referral to %(f)s recorded.") % {
                "f": referral.fellowship.name})
            return redirect("mutualaid_client:referral", client_pk=client.pk,
                            referral_pk=referral.pk)
    return render(request, "mutualaid/client/referral_form.html", {
        "client": client, "form": form, "profile": profile,
    }, status=400 if request.method == "POST" else 200)


@client_view
def referral_detail(request, client, referral_pk):
    referral = _referral(client, referral_pk)
    follow_ups = list(referral.follow_ups.all())
    alerts = list(referral.alerts.select_related("acknowledged_by", "resolved_by"))
    series = referrals.attendance_series(referral, follow_ups)
    flagged = {a.follow_up_id for a in alerts if a.rule in ("attendance_falling", "no_meetings")}
    _read(request, client, "referral_viewed", referral)
    return render(request, "mutualaid/client/referral.html", {
        "client": client, "referral": referral, "follow_ups": follow_ups, "alerts": alerts,
        "series": series, "chart": attendance_svg.render(series, flagged=flagged),
        "prompts": referrals.feedback_prompts(follow_ups[0] if follow_ups else None),
        "rules": warning_signs.rules(), "end_form": EndReferralForm(
            initial={"ended_on": timezone.localdate()}),
        "resolve_form": ResolveAlertForm(), "today": timezone.localdate(),
    })


@client_view
@require_http_methods(["GET", "POST"])
def follow_up_new(request, client, referral_pk):
    referral = _referral(client, referral_pk)
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
    if request.method == "GET":
        _read(request, client, "follow_up_form_viewed", referral)
    if request.method == "POST" and form.is_valid():
        try:
            _visit, alerts = referrals.record_follow_up(
                referral, actor=request.user, values=form.cleaned_data,
                next_follow_up_on=form.cleaned_data.get("next_follow_up_on"))
        except referrals.ReferralError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Follow-up recorded."))
            for alert in alerts:
                messages.warning(request, _("Warning sign: %(reason)s") % {"reason": alert.reason})
            return redirect("mutualaid_client:referral", client_pk=client.pk,
                            referral_pk=referral.pk)
    return render(request, "mutualaid/client/follow_up_form.html", {
        "client": client, "referral": referral, "form": form, "last": last,
        "prompts": referrals.feedback_prompts(last),
    }, status=400 if request.method == "POST" else 200)


@client_view
@require_POST
def referral_end(request, client, referral_pk):
    referral = _referral(client, referral_pk)
    form = EndReferralForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            referrals.end_referral(referral, actor=request.user, **form.cleaned_data)
        except referrals.ReferralError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Referral ended."))
    return redirect("mutualaid_client:referral", client_pk=client.pk, referral_pk=referral.pk)


def _alert(client, alert_pk) -> Alert:
    return get_object_or_404(Alert, client=client, pk=alert_pk)


def _after_alert(request, client, alert):
    if request.POST.get("from") == "today":
        return redirect("site:today")
    return redirect("mutualaid_client:referral", client_pk=client.pk,
                    referral_pk=alert.referral_id)


@client_view
@require_POST
def alert_acknowledge(request, client, alert_pk):
    alert = _alert(client, alert_pk)
    try:
        referrals.acknowledge_alert(alert, actor=request.user)
    except referrals.ReferralError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Alert acknowledged."))
    return _after_alert(request, client, alert)


@client_view
@require_POST
def alert_resolve(request, client, alert_pk):
    alert = _alert(client, alert_pk)
    form = ResolveAlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done about it."))
    else:
        try:
            referrals.resolve_alert(alert, actor=request.user,
                                    resolution=form.cleaned_data["resolution"])
        except referrals.ReferralError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Alert resolved."))
    return _after_alert(request, client, alert)
