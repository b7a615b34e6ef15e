"""Belief-fit ranking with reasons, the meeting query a profile makes, and the planned-meetings
calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from ecomap.mutualaid import ics, matching, services
from ecomap.mutualaid.models import Fellowship, Meeting, Profile

from .conftest import feed_bytes, meeting


def profile(**fields) -> Profile:
    values = {"spirituality": None, "christian_faith": False, "meditation": False,
              "goal": "undecided", "substances": [], "takes_medication": False,
              "mental_health": False, "experience": [], "attendance": "any", "gender": "",
              "lgbtq": False, "language": "", "wheelchair": False, "days": [], "day_parts": [],
              "max_km": 10, "latitude": None, "longitude": None}
    values.update(fields)
    return Profile(**values)


@pytest.fixture
def catalogue(fellowships):
    return list(Fellowship.objects.filter(in_catalogue=True))


def order(fits):
    return [f.fellowship.slug for f in fits]


def test_family_groups_are_not_ranked_for_the_client(catalogue):
    slugs = order(matching.rank(profile(), catalogue))
    assert "al-anon" not in slugs and "smart-family-friends" not in slugs
    assert len(slugs) == 15


def test_a_secular_client_gets_secular_programmes_first_with_reasons(catalogue):
    fits = matching.rank(profile(spirituality=0, substances=["alcohol"],
                                 goal="abstinence"), catalogue)
    slugs = order(fits)
    assert slugs.index("smart") < slugs.index("aa")
    assert slugs.index("lifering") < slugs.index("aa")
    aa = next(f for f in fits if f.fellowship.slug == "aa")
    assert any("not important to them" in r.text and r.points < 0 for r in aa.reasons)


def test_a_spiritual_client_gets_twelve_step_programmes_first(catalogue):
    slugs = order(matching.rank(profile(spirituality=3, substances=["alcohol"]), catalogue))
    assert slugs[0] == "aa"


def test_faith_and_meditation_bring_their_programmes_up(catalogue):
    assert order(matching.rank(profile(christian_faith=True, spirituality=3,
                                       substances=["alcohol"]), catalogue))[0] == \
        "celebrate-recovery"
    top = order(matching.rank(profile(meditation=True, spirituality=1,
                                      substances=["opioids"]), catalogue))[:2]
    assert set(top) == {"recovery-dharma", "refuge-recovery"}


def test_drug_specific_fellowships_only_fit_their_drug(catalogue):
    fits = {f.fellowship.slug: f for f in matching.rank(profile(substances=["alcohol"]),
                                                        catalogue)}
    assert fits["ca"].score < fits["aa"].score
    assert any("did not name" in r.text for r in fits["ca"].reasons)
    fits = {f.fellowship.slug: f for f in matching.rank(profile(substances=["cocaine"]),
                                                        catalogue)}
    assert fits["ca"].score > fits["aa"].score
    assert any("named drugs only" in r.text for r in fits["aa"].reasons)


def test_moderation_goal_and_medication(catalogue):
    fits = {f.fellowship.slug: f for f in matching.rank(profile(
        goal="moderation", substances=["alcohol"], takes_medication=True), catalogue)}
    assert fits["moderation-management"].score > fits["aa"].score
    assert any("supports it" in r.text for r in fits["smart"].reasons)
    assert any("meetings vary" in r.text for r in fits["aa"].reasons)


def test_co_occurring_and_past_experience(catalogue):
    fits = {f.fellowship.slug: f for f in matching.rank(profile(
        mental_health=True, substances=["alcohol"],
        experience=[{"fellowship": "na", "outcome": "poor", "note": ""},
                    {"fellowship": "smart", "outcome": "good", "note": ""}]), catalogue)}
    assert any("mental health condition" in r.text for r in fits["dra"].reasons)
    assert any("went badly" in r.text for r in fits["na"].reasons)
    assert any("went well" in r.text and r.points == 2 for r in fits["smart"].reasons)


def test_an_empty_profile_ranks_everything_and_says_what_to_ask(catalogue):
    fits = matching.rank(profile(), catalogue)
    assert all(any("not recorded" in r.text for r in f.reasons) for f in fits
               if f.fellowship.philosophy not in ("religious", "buddhist"))


def test_preferences_become_the_meeting_query():
    query = matching.meeting_query(profile(
        attendance="in_person", gender="W", lgbtq=True, wheelchair=True, language="S",
        days=[1, 3], day_parts=["evening"], max_km=5, latitude=41.9, longitude=-87.6), [3])
    assert query.types == {"W", "LGBTQ", "X"} and query.languages == {"S"}
    assert query.attendance == "in_person" and query.days == {1, 3}
    assert (query.time_from.hour, query.time_to.hour) == (17, 23) and query.radius_km == 5
    assert query.fellowships == {3} and (query.lat, query.lng) == (41.9, -87.6)
    every_part = matching.meeting_query(profile(day_parts=["morning", "afternoon", "evening"]),
                                        [3])
    assert every_part.time_from is None and every_part.time_to is None


NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday, before the US spring change


@pytest.fixture
def meetings(make_feed):
    feed = make_feed(fellowship="aa")
    services.import_feed(feed, actor="system:test", data=feed_bytes([
        meeting("near-w", name="Near women", types=["O", "W"], latitude=41.881,
                longitude=-87.631),
        meeting("near", name="Near", types=["O"], latitude=41.882, longitude=-87.632),
        meeting("far-w", name="Far women", types=["W"], latitude=42.5, longitude=-88.5),
        meeting("appt", name="By appointment", day=None, time=None, types=["W"]),
    ]), source="t.json")
    return {m.slug: m for m in Meeting.objects.all()}


def test_meetings_for_a_profile_fit_its_preferences_nearest_first(meetings, fellowships):
    result = matching.meetings_for(profile(gender="W", latitude=41.88, longitude=-87.63),
                                   [fellowships["aa"].pk], NOW)
    # Women's meetings within 10 km, nearest first: the one by appointment sits at the point.
    assert [h.meeting.slug for h in result.hits] == ["appt", "near-w"]
    assert matching.meetings_for(profile(), [], NOW).hits == []


def test_the_calendar_repeats_weekly_at_local_time_across_daylight_saving(meetings):
    body, skipped = ics.calendar([meetings["near"], meetings["appt"]], NOW, domain="test")
    assert skipped == [meetings["appt"]]
    cal = Calendar.from_ical(body)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1 and str(events[0]["summary"]) == "Near"
    # The zone travels with the file, with both its rules: CST (-06:00) and CDT (-05:00).
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/Chicago"
    offsets = {(part.name, part["tzoffsetto"].to_ical()) for part in zone.subcomponents}
    assert ("STANDARD", "-0600") in offsets and ("DAYLIGHT", "-0500") in offsets
    start = events[0].decoded("dtstart")
    assert str(start.tzinfo) == "America/Chicago" and (start.hour, start.minute) == (19, 0)
    assert start.isoweekday() == 1  # day 1 = Monday
    assert events[0].decoded("dtend") - start == timedelta(hours=1)
    # The next ten Mondays straddle the change to daylight time (8 March 2026): always 19:00.
    rule = rrulestr(events[0]["rrule"].to_ical().decode(), dtstart=start)
    assert {(d.hour, d.minute) for d in list(rule)[:10]} == {(19, 0)}
