"""Belief-fit matching: fellowships ranked by how well their philosophy fits the client, each with
its reasons, then the meetings of the chosen fellowships that fit the client's preferences.

Why philosophy first: clients who are "philosophically well matched" to a group take part more, and
taking part is what helps; matching on gender, motivation or other traits alone has not been shown
to work (shared/content/002, SAMHSA, "Facilitating Mutual Support Group Participation"). So the
ranking weighs beliefs (spirituality, religion, meditation), the client's goal, what the fellowship
addresses and its stance on medication, and the client's own past experience of it.

The weights are a practice aid, not a validated instrument: they order the list and every point is
shown as a reason, so the practitioner and the client decide. Pure functions over plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils.translation import gettext as _

from . import search
from .models import AttendancePreference, Goal, Importance, Profile

# Fellowships named for one drug: Cocaine, Crystal Meth and Marijuana Anonymous.
DRUG_FOCUS = {"ca": {"cocaine"}, "cma": {"methamphetamine"}, "ma": {"cannabis"}}
DRUGS = {"opioids", "cocaine", "methamphetamine", "cannabis", "sedatives", "other_drugs"}
DAY_PARTS = {"morning": (time(0, 0), time(11, 59)), "afternoon": (time(12, 0), time(16, 59)),
             "evening": (time(17, 0), time(23, 59))}
SOURCE = "SAMHSA, Facilitating Mutual Support Group Participation (shared/content/002)"


@dataclass
class Reason:
    points: int
    text: str


@dataclass
class Fit:
    fellowship: object
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(r.points for r in self.reasons)

    def add(self, points: int, text: str) -> None:
        self.reasons.append(Reason(points, text))


def _beliefs(fit: Fit, profile: Profile) -> None:
    philosophy, importance = fit.fellowship.philosophy, profile.spirituality
    if philosophy == "religious":
        if profile.christian_faith:
            fit.add(3, _("They want a group grounded in the Christian faith; this one is."))
        else:
            fit.add(-3, _("A Christ-centred programme; they did not ask for a faith-based group."))
        return
    if philosophy == "buddhist":
        if profile.meditation:
            fit.add(3, _("They are interested in meditation or Buddhist practice, which this "
                         "programme is built on."))
        else:
            fit.add(-1, _("Built on Buddhist practice and meditation, which they did not ask "
                          "for."))
        return
    if importance is None:
        fit.add(0, _("How much spirituality matters to them is not recorded yet: ask."))
        return
    spiritual = philosophy == "spiritual_12_step"
    if importance >= Importance.VERY:
        fit.add(2 if spiritual else -1,
                _("Spirituality is very important to them; strong beliefs go with more taking "
                  "part in spiritually based 12-step groups.") if spiritual else
                _("Spirituality is very important to them; this programme is secular."))
    elif importance == Importance.SOMEWHAT:
        fit.add(1 if spiritual else 0,
                _("Spirituality is somewhat important to them; this is a spiritual 12-step "
                  "programme.") if spiritual else
                _("Spirituality is somewhat important to them; this programme is secular."))
    elif importance == Importance.NOT_AT_ALL:
        fit.add(-2 if spiritual else 2,
                _("Spirituality is not important to them; the 12 steps speak of a higher "
                  "power.") if spiritual else
                _("Spirituality is not important to them; this programme is secular."))
    else:  # a little
        fit.add(0 if spiritual else 1,
                _("Spirituality matters a little to them; some 12-step meetings are typed "
                  "secular.") if spiritual else
                _("Spirituality matters a little to them; this programme is secular."))


def _substances(fit: Fit, profile: Profile) -> None:
    used = set(profile.substances)
    if not used:
        fit.add(0, _("Substances not recorded yet."))
        return
    addresses = set(fit.fellowship.addresses)
    focus = DRUG_FOCUS.get(fit.fellowship.slug)
    if focus:
        if used & focus:
            fit.add(1, _("Focused on a drug they use."))
        else:
            fit.add(-3, _("Focused on a drug they did not name."))
        return
    if "co_occurring" in addresses:
        if profile.mental_health:
            fit.add(2, _("For people with both addiction and a mental health condition, which "
                         "they asked for."))
        return
    if "any_addiction" in addresses:
        fit.add(1, _("Open to any addiction."))
        return
    alcohol, drugs = "alcohol" in used, bool(used & DRUGS)
    covers_alcohol, covers_drugs = "alcohol" in addresses, "drugs" in addresses
    if alcohol and drugs:
        if covers_alcohol and covers_drugs:
            fit.add(1, _("Addresses both alcohol and drugs, as they need."))
        else:
            fit.add(-1, _("Addresses only part of what they use."))
    elif alcohol and covers_alcohol:
        fit.add(1, _("Addresses alcohol."))
    elif alcohol:
        fit.add(-3, _("For problems with drugs; they named alcohol only."))
    elif covers_drugs:
        fit.add(1, _("Addresses drugs."))
    else:
        fit.add(-3, _("For problems with alcohol; they named drugs only."))


def _goal(fit: Fit, profile: Profile) -> None:
    stance = fit.fellowship.abstinence
    if profile.goal == Goal.MODERATION:
        if stance == "moderation":
            fit.add(2, _("They want to cut down; moderation is this group's aim."))
        elif stance == "aim":
            fit.add(-2, _("They want to cut down; this group's aim is abstinence."))
        elif stance == "flexible":
            fit.add(1, _("They want to cut down; this group is abstinence-oriented but accepts "
                         "other goals."))
    elif profile.goal == Goal.ABSTINENCE:
        if stance == "moderation":
            fit.add(-2, _("They want to stop; this group aims at moderation."))
        elif stance in ("aim", "flexible"):
            fit.add(1, _("They want to stop; this group supports abstinence."))


def _medication(fit: Fit, profile: Profile) -> None:
    if not profile.takes_medication:
        return
    stance = fit.fellowship.medication
    if stance == "supportive":
        fit.add(1, _("They take medication for addiction; this group supports it."))
    elif stance == "accepts_prescribed":
        fit.add(0, _("They take medication for addiction; the fellowship accepts prescribed "
                     "medication but meetings vary: find a welcoming one."))
    else:
        fit.add(0, _("They take medication for addiction; the fellowship's stance is not "
                     "stated: ask the local contact."))


def _experience(fit: Fit, profile: Profile) -> None:
    for item in profile.experience:
        if item.get("fellowship") != fit.fellowship.slug:
            continue
        outcome = item.get("outcome")
        if outcome == "good":
            fit.add(2, _("They went before and it went well."))
        elif outcome == "poor":
            fit.add(-1, _("They went before and it went badly: talk about what happened."))
        else:
            fit.add(0, _("They went before, with mixed feelings."))


def rank(profile: Profile, fellowships) -> list[Fit]:
    """Fellowships for the client (not the family groups), best fit first, each with reasons."""
    fits = []
    for fellowship in fellowships:
        if fellowship.audience != "self":
            continue
        fit = Fit(fellowship)
        for rule in (_beliefs, _substances, _goal, _medication, _experience):
            rule(fit, profile)
        fits.append(fit)
    fits.sort(key=lambda f: (-f.score, f.fellowship.name))
    return fits


def meeting_query(profile: Profile, fellowship_ids, *, limit: int = 30) -> search.Query:
    """The meeting search that fits the profile's preferences, for the chosen fellowships."""
    types = set()
    if profile.gender:
        types.add(profile.gender)
    if profile.lgbtq:
        types.add("LGBTQ")
    if profile.wheelchair:
        types.add("X")
    attendance = {AttendancePreference.IN_PERSON: "in_person",
                  AttendancePreference.ONLINE: "online"}.get(profile.attendance, "any")
    time_from = time_to = None
    parts = [DAY_PARTS[p] for p in profile.day_parts if p in DAY_PARTS]
    if parts and len(parts) < len(DAY_PARTS):
        # One window from the earliest to the latest part chosen (morning + evening: all day
        # bar nothing, which is still a narrowing the practitioner can widen on the search page).
        time_from, time_to = min(p[0] for p in parts), max(p[1] for p in parts)
    return search.Query(
        lat=profile.latitude, lng=profile.longitude, radius_km=float(profile.max_km or 10),
        days=frozenset(profile.days), time_from=time_from, time_to=time_to,
        types=frozenset(types),
        languages=frozenset({profile.language}) if profile.language else frozenset(),
        attendance=attendance, fellowships=frozenset(fellowship_ids), limit=limit)


def meetings_for(profile: Profile, fellowship_ids, now: datetime) -> search.Result:
    if not fellowship_ids:
        return search.Result()
    return search.search(meeting_query(profile, fellowship_ids), now)


ONLINE_SHOWN = 10


def online_for(profile: Profile, fellowship_ids, now: datetime) -> search.Result | None:
    """Online meetings that fit, soonest first, for a client who takes either and has a starting
    point: the search from a point lists the meetings in reach, and an online meeting is in reach
    from anywhere. None when that list would say nothing new."""
    if not fellowship_ids or profile.attendance != AttendancePreference.ANY \
            or not profile.has_point:
        return None
    query = meeting_query(profile, fellowship_ids, limit=ONLINE_SHOWN)
    query.attendance, query.lat, query.lng = "online", None, None
    return search.search(query, now)
