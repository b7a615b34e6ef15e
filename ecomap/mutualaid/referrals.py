"""The client's side of mutual support: the profile, referral to a fellowship, follow-up visits and
the warning-sign alerts they raise.

Each change validates, runs in a transaction and writes an audit entry with the actor passed in; a
rule that refuses a change raises ReferralError (a message for the user) and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ecomap.audit import services as audit
from ecomap.clients.access import read_for_system
from ecomap.consents import services as consents
from ecomap.consents.models import InformationCategory, Method, Purpose, RecipientKind
from ecomap.core.refusal import Problems

from . import warning_signs
from .models import (
    Alert,
    AlertStatus,
    FellowshipReferral,
    FollowUp,
    Handoff,
    Profile,
    ReferralKind,
    ReferralStatus,
    Sponsor,
)
from .services import MutualAidError

PROFILE_FIELDS = [
    "concerns", "concerns_note", "spirituality", "christian_faith", "meditation", "goal",
    "substances", "takes_medication", "mental_health", "attendance", "gender", "lgbtq", "language",
    "wheelchair", "days", "day_parts", "max_km", "travel_note", "location_label", "latitude",
    "longitude",
]
FOLLOW_UP_FIELDS = [
    "seen_on", "meetings_attended", "home_group", "sponsor", "sponsor_since",
    "sponsor_last_contact", "service", "service_note", "step", "member_contacts", "comfort",
    "use_since_last", "last_use_on", "urges", "barriers", "reluctant", "extreme_stress",
    "concerns", "feedback_given",
]
# Programmes worked through steps: the 12-step fellowships, and Celebrate Recovery (twelve steps
# with eight principles, content/fellowships.yaml).
STEP_PHILOSOPHIES = ("spiritual_12_step", "religious")
# Bounds for dates typed by hand: nothing before this, nothing after today.
EARLIEST = date(1900, 1, 1)


class ReferralError(MutualAidError):
    """A rule of referral, follow-up or alert refused the change (a `Refusal`: messages by field
    where one applies)."""


# --- profile -----------------------------------------------------------------------------------


def profile_of(client) -> Profile | None:
    return Profile.objects.filter(client=client).first()


@transaction.atomic
def save_profile(client, *, actor, values: dict, experience: list[dict]) -> Profile:
    """Create or update the client's profile from cleaned form values."""
    profile = Profile.objects.select_for_update().filter(client=client).first()
    created = profile is None
    profile = profile or Profile(client=client, updated_by=actor)
    before = {} if created else audit.snapshot(profile, PROFILE_FIELDS + ["experience"])
    for name in PROFILE_FIELDS:
        setattr(profile, name, values.get(name, getattr(profile, name)))
    if (profile.latitude is None) != (profile.longitude is None):
        raise ReferralError(_("Give both the latitude and the longitude of the starting point, "
                              "or neither."))
    profile.experience = experience
    profile.updated_by = actor
    profile.save()
    after = audit.snapshot(profile, PROFILE_FIELDS + ["experience"])
    audit.record("ecomap.mutualaid.profile_" + ("created" if created else "changed"),
                 actor=actor, client=client, obj=profile, changes=audit.diff(before, after))
    return profile


@transaction.atomic
def choose_fellowships(profile: Profile, fellowships, *, actor) -> None:
    before = sorted(profile.chosen.values_list("slug", flat=True))
    profile.chosen.set(fellowships)
    after = sorted(f.slug for f in fellowships)
    audit.record("ecomap.mutualaid.fellowships_chosen", actor=actor, client=profile.client,
                 obj=profile, changes={"chosen": [before, after]})


@transaction.atomic
def plan_meeting(profile: Profile, meeting, *, actor, planned: bool) -> None:
    if planned and not meeting.active:
        raise ReferralError(_("This meeting is no longer in its feed."))
    (profile.planned_meetings.add if planned else profile.planned_meetings.remove)(meeting)
    audit.record("ecomap.mutualaid.meeting_" + ("planned" if planned else "unplanned"),
                 actor=actor, client=profile.client, obj=profile,
                 data={"meeting": meeting.pk})


# --- referral ----------------------------------------------------------------------------------


def _referral_problems(client, values: dict, today: date) -> Problems:
    problems = Problems()
    fellowship, contact = values["fellowship"], values.get("contact")
    volunteer = contact.name if contact else values.get("contact_name", "").strip()
    meeting = values.get("first_meeting")
    if not EARLIEST <= values["referred_on"] <= today:
        problems.add(_("The referral date cannot be in the future."), field="referred_on")
    if contact and contact.fellowship_id != fellowship.pk:
        problems.add(_("The local contact belongs to another fellowship."), field="contact")
    if contact and not contact.active:
        problems.add(_("This local contact is no longer active."), field="contact")
    if meeting and meeting.fellowship_id != fellowship.pk:
        problems.add(_("The first meeting is a meeting of another fellowship."), field="first_meeting")
    if meeting and not meeting.active:
        problems.add(_("The first meeting is no longer in its feed."), field="first_meeting")
    first_on = values.get("first_meeting_on")
    if first_on and not values["referred_on"] <= first_on <= today + timedelta(days=366):
        problems.add(_("The first meeting must be on or after the referral date, within a "
                          "year."), field="first_meeting_on")
    if meeting and first_on and meeting.day is not None and (first_on.isoweekday() % 7
                                                             != meeting.day):
        problems.add(_("The first meeting is held on %(day)s; pick a date on that day.") % {
            "day": meeting.day_name}, field="first_meeting_on")
    if values["kind"] == ReferralKind.INTENSIVE:
        if not volunteer:
            problems.add(_("An intensive referral links the client to a named volunteer or "
                              "contact: name one, or make a standard referral."), field="contact_name")
        if not (meeting or first_on):
            problems.add(_("An intensive referral plans the first meeting: choose the meeting "
                              "or its date."), field="first_meeting")
    if values["handoff"] != Handoff.NONE and not volunteer:
        problems.add(_("Name the volunteer to be contacted."), field="contact_name")
    if values["handoff"] == Handoff.NONE and values["kind"] == ReferralKind.INTENSIVE:
        problems.add(_("An intensive referral puts the client in touch with the volunteer: "
                          "say who makes the contact."), field="handoff")
    next_on = values["next_follow_up_on"]
    if not values["referred_on"] <= next_on <= today + timedelta(days=366):
        problems.add(_("The first follow-up must be on or after the referral date, within a "
                          "year."), field="next_follow_up_on")
    if FellowshipReferral.objects.filter(client=client, fellowship=fellowship,
                               status=ReferralStatus.ACTIVE).exists():
        problems.add(_("There is already an active referral to %(f)s; end it first.") % {
            "f": fellowship.name}, field="fellowship")
    return problems


def volunteer_recipient(volunteer: str, fellowship) -> str:
    """The recipient a consent must name to let us contact this volunteer: their name with their
    fellowship, because volunteers are often known by a first name ("Sam R.") and two fellowships
    may each have one; a consent naming "Sam R., SMART Recovery" does not reach AA's Sam R."""
    return f"{volunteer}, {fellowship.name}"


def _disclosed_at(day: date) -> datetime:
    """When the contact was made: now for a referral made today, midday of its day otherwise, so
    that the consent is checked as of that day."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def refer(client, *, actor, values: dict) -> FellowshipReferral:
    """Refer the client to a fellowship. When we contact the volunteer for the client, that tells
    them the client is in treatment: the disclosure is checked against the client's consents and
    logged with the notice first, and a refusal stops the referral (42 CFR 2.31-2.32). When the
    client makes the contact, nothing is disclosed."""
    today = timezone.localdate()
    problems = _referral_problems(client, values, today)
    problems.refuse_if_any(ReferralError)
    contact = values.get("contact")
    volunteer = contact.name if contact else values.get("contact_name", "").strip()
    disclosure = None
    if values["handoff"] == Handoff.PRACTITIONER:
        recipient = volunteer_recipient(volunteer, values["fellowship"])
        try:  # outside our transaction, so that a refusal's audit entry is kept
            disclosure = consents.record_disclosure(
                client, actor=actor, recipient_name=recipient,
                recipient_kind=RecipientKind.INDIVIDUAL,
                recipient_address=(contact.phone or contact.email) if contact else "",
                categories=[InformationCategory.SUBSTANCE_USE], purpose=Purpose.REFERRAL,
                description=_("That the client is in treatment and would like to attend "
                              "%(f)s; to arrange a first meeting.") % {
                    "f": values["fellowship"].name},
                method=values.get("contact_method") or Method.PHONE,
                disclosed_at=_disclosed_at(values["referred_on"]))
        except consents.DisclosureRefused as refused:
            raise ReferralError([_("We cannot contact %(v)s for the client: no consent permits "
                                   "it.") % {"v": recipient}, *refused.reasons,
                                 _("Record a consent naming them, or let the client make the "
                                   "contact themselves.")]) from refused
    try:
        with transaction.atomic():
            referral = _create_referral(client, actor, values, contact, volunteer, disclosure)
    except IntegrityError as error:  # a second submission raced past the check above
        raise ReferralError(_("There is already an active referral to %(f)s; end it first.") % {
            "f": values["fellowship"].name}) from error
    return referral


def _create_referral(client, actor, values, contact, volunteer, disclosure) -> FellowshipReferral:
    referral = FellowshipReferral.objects.create(
        client=client, fellowship=values["fellowship"], kind=values["kind"],
        referred_on=values["referred_on"], contact=contact,
        contact_name="" if contact else volunteer, handoff=values["handoff"],
        disclosure=disclosure, first_meeting=values.get("first_meeting"),
        first_meeting_on=values.get("first_meeting_on"),
        handoff_note=values.get("handoff_note", ""),
        follow_up_every_days=values["follow_up_every_days"],
        next_follow_up_on=values["next_follow_up_on"], created_by=actor)
    if referral.first_meeting_id:
        profile = profile_of(client)
        if profile:
            profile.planned_meetings.add(referral.first_meeting)
    audit.record("ecomap.mutualaid.referred", actor=actor, client=client, obj=referral,
                 changes=audit.diff({}, audit.snapshot(referral)))
    return referral


@transaction.atomic
def end_referral(referral: FellowshipReferral, *, actor, ended_on: date,
                 reason: str) -> FellowshipReferral:
    referral = FellowshipReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.ACTIVE:
        raise ReferralError(_("This referral has already ended."))
    if not referral.referred_on <= ended_on <= timezone.localdate():
        raise ReferralError(_("The end date must be between the referral date and today."))
    if not reason.strip():
        raise ReferralError(_("Say why the referral ends."))
    referral.status, referral.ended_on, referral.end_reason = (ReferralStatus.ENDED, ended_on,
                                                               reason.strip())
    referral.next_follow_up_on = None
    referral.save()
    audit.record("ecomap.mutualaid.referral_ended", actor=actor, client=referral.client,
                 obj=referral, changes={"status": [ReferralStatus.ACTIVE, ReferralStatus.ENDED],
                                        "end_reason": ["", referral.end_reason]})
    return referral


# --- follow-up ---------------------------------------------------------------------------------


def _follow_up_problems(referral: FellowshipReferral, values: dict, previous: list[FollowUp],
                        today: date) -> Problems:
    problems = Problems()
    seen = values["seen_on"]
    if not referral.referred_on <= seen <= today:
        problems.add(_("The visit must be between the referral date (%(d)s) and today.") % {
            "d": referral.referred_on.isoformat()}, field="seen_on")
    if previous and seen <= previous[0].seen_on:
        problems.add(_("A visit is already recorded on %(d)s; a follow-up comes after the "
                          "last one.") % {"d": previous[0].seen_on.isoformat()}, field="seen_on")
    for name, label in (("sponsor_since", _("sponsor since")),
                        ("sponsor_last_contact", _("last contact with the sponsor")),
                        ("last_use_on", _("date of last use"))):
        value = values.get(name)
        if value and not EARLIEST <= value <= seen:
            problems.add(_("The %(field)s cannot be after the visit.") % {"field": label}, field=name)
    if values["sponsor"] == Sponsor.NONE and (values.get("sponsor_since")
                                              or values.get("sponsor_last_contact")):
        problems.add(_("No sponsor is recorded, so leave the sponsor dates empty."), field="sponsor")
    if values.get("step") and referral.fellowship.philosophy not in STEP_PHILOSOPHIES:
        problems.add(_("%(f)s has no twelve steps; leave the step empty.") % {
            "f": referral.fellowship.name}, field="step")
    if values["use_since_last"] != "none" and not values.get("last_use_on"):
        problems.add(_("Give the date of the last use."), field="last_use_on")
    if values.get("service_note") and not values.get("service"):
        problems.add(_("Tick 'does service' or leave 'what service' empty."), field="service_note")
    return problems


def record_follow_up(referral: FellowshipReferral, *, actor, values: dict,
                     next_follow_up_on: date | None = None) -> tuple[FollowUp, list[Alert]]:
    """Record a follow-up visit, move the next one on, and raise an alert for each warning sign it
    shows (warning_signs.py), each with its reason."""
    today = timezone.localdate()
    with transaction.atomic():
        referral = FellowshipReferral.objects.select_for_update().select_related(
            "fellowship", "client").get(pk=referral.pk)
        if referral.status != ReferralStatus.ACTIVE:
            raise ReferralError(_("This referral has ended; follow-ups are closed."))
        previous = list(referral.follow_ups.order_by("-seen_on", "-pk"))
        problems = _follow_up_problems(referral, values, previous, today)
        next_on = next_follow_up_on or values["seen_on"] + timedelta(
            days=referral.follow_up_every_days)
        if not values["seen_on"] < next_on <= values["seen_on"] + timedelta(days=366):
            problems.add(_("The next follow-up must come after this visit, within a year."),
                         field="next_follow_up_on")
        problems.refuse_if_any(ReferralError)
        follow_up = FollowUp.objects.create(
            referral=referral, client=referral.client, created_by=actor,
            **{name: values.get(name) if values.get(name) is not None else
               FollowUp._meta.get_field(name).get_default() for name in FOLLOW_UP_FIELDS})
        referral.next_follow_up_on = next_on
        referral.save(update_fields=["next_follow_up_on"])
        alerts = [_raise(referral, sign, follow_up.seen_on, follow_up=follow_up)
                  for sign in warning_signs.signs(follow_up, previous)]
        audit.record("ecomap.mutualaid.follow_up_recorded", actor=actor, client=referral.client,
                     obj=follow_up, changes=audit.diff({}, audit.snapshot(follow_up)),
                     data={"alerts": [a.rule for a in alerts if a], "next": next_on})
    return follow_up, [a for a in alerts if a]


# --- alerts ------------------------------------------------------------------------------------


def _raise(referral: FellowshipReferral, sign, raised_on: date, follow_up=None) -> Alert | None:
    """One alert per cause: a second call with the same sign changes nothing and returns None."""
    if Alert.objects.filter(referral=referral, key=sign.key).exists():
        return None
    try:
        with transaction.atomic():
            return Alert.objects.create(client=referral.client, referral=referral,
                                        follow_up=follow_up, rule=sign.rule.key,
                                        reason=sign.reason, key=sign.key, raised_on=raised_on)
    except IntegrityError:  # raised meanwhile by another run
        return None


def raise_missed_follow_ups(today: date | None = None, *, actor="system:mutualaid_refresh") -> int:
    """An alert for each active referral whose follow-up is overdue beyond the grace days.
    Idempotent: run it as often as you like (the scheduled `mutualaid_refresh` runs it daily)."""
    today = today or timezone.localdate()
    grace = warning_signs.rules()["missed_follow_up"].params["grace_days"]
    due = FellowshipReferral.objects.filter(status=ReferralStatus.ACTIVE,
                                  next_follow_up_on__lt=today - timedelta(days=grace)
                                  ).select_related("client")
    raised = 0
    for referral in due:
        # The task reads each due client's record: through the one access path, audited.
        read_for_system(referral.client, actor=actor, page="task:mutualaid.missed_follow_ups")
        sign = warning_signs.missed(referral, today)
        with transaction.atomic():
            alert = sign and _raise(referral, sign, today)
            if alert:
                raised += 1
                audit.record("ecomap.mutualaid.alert_raised", actor=actor,
                             client=referral.client, obj=alert, data={"rule": alert.rule})
    return raised


@transaction.atomic
def acknowledge_alert(alert: Alert, *, actor) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.OPEN:
        raise ReferralError(_("This alert was already acknowledged or resolved."))
    alert.status, alert.acknowledged_at, alert.acknowledged_by = (
        AlertStatus.ACKNOWLEDGED, timezone.now(), actor)
    alert.save()
    audit.record("ecomap.mutualaid.alert_acknowledged", actor=actor, client=alert.client,
                 obj=alert, changes={"status": [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]})
    return alert


@transaction.atomic
def resolve_alert(alert: Alert, *, actor, resolution: str) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == AlertStatus.RESOLVED:
        raise ReferralError(_("This alert is already resolved."))
    if not resolution.strip():
        raise ReferralError(_("Say what was done about it."))
    before = alert.status
    now = timezone.now()
    if before == AlertStatus.OPEN:  # resolving implies it was seen
        alert.acknowledged_at, alert.acknowledged_by = now, actor
    alert.status, alert.resolved_at, alert.resolved_by = AlertStatus.RESOLVED, now, actor
    alert.resolution = resolution.strip()
    alert.save()
    audit.record("ecomap.mutualaid.alert_resolved", actor=actor, client=alert.client, obj=alert,
                 changes={"status": [before, AlertStatus.RESOLVED],
                          "resolution": ["", alert.resolution]})
    return alert


# --- what the practitioner sees ----------------------------------------------------------------


def attendance_series(referral: FellowshipReferral, follow_ups: list[FollowUp]) -> list[dict]:
    """Meetings a week in each interval between visits, oldest first (for the chart and table)."""
    rows, start = [], referral.referred_on
    for visit in sorted(follow_ups, key=lambda f: (f.seen_on, f.pk)):
        rows.append({"follow_up": visit, "start": start, "end": visit.seen_on,
                     "meetings": visit.meetings_attended,
                     "rate": warning_signs.weekly_rate(visit.meetings_attended, start,
                                                       visit.seen_on)})
        start = visit.seen_on
    return rows


def feedback_prompts(latest: FollowUp | None) -> list[str]:
    """What to praise: concrete steps the client took since the last visit, in the practitioner's
    words to come (shared/content/002: provide positive feedback; clinical.md 4.2 mediators)."""
    if latest is None:
        return [_("Ask how the first meeting went and what they noticed; praise going at all.")]
    prompts = []
    if latest.meetings_attended:
        prompts.append(ngettext("They went to %(n)s meeting: acknowledge the effort it took.",
                                "They went to %(n)s meetings: acknowledge the effort it took.",
                                latest.meetings_attended) % {"n": latest.meetings_attended})
    if latest.sponsor != Sponsor.NONE:
        prompts.append(_("They have a sponsor: ask how the contact with them is going."))
    if latest.service:
        prompts.append(_("They do service: recognise it; service goes with better outcomes."))
    if latest.home_group:
        prompts.append(_("They have a home group: belonging matters; ask what they like there."))
    if latest.member_contacts:
        prompts.append(_("They are in touch with members between meetings: encourage it."))
    if latest.use_since_last != "none":
        prompts.append(_("They told you about the use: thank them for their honesty and treat "
                         "it as information, not failure."))
    if not prompts:
        prompts.append(_("Find one thing they did for their recovery and name it."))
    return prompts
