"""Next occurrences in the meeting's time zone, across time zones and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ecomap.mutualaid.schedule import next_at, next_occurrence, occurrences

# Zones with DST in either hemisphere, half-hour DST (Lord Howe), negative DST (Dublin), changes at
# midnight (Havana, Santiago), quarter-hour offsets (Chatham), and none at all.
ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Dublin",
         "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "America/Santiago",
         "America/Havana", "Pacific/Chatham", "Asia/Kolkata", "America/Phoenix", "UTC"]


def _transitions(zone: str) -> list[datetime]:
    """UTC instants in 2025-2027 where the zone's offset changes (found hour by hour)."""
    tz, found = ZoneInfo(zone), []
    at = datetime(2025, 1, 1, tzinfo=UTC)
    offset = at.astimezone(tz).utcoffset()
    while at.year < 2028:
        at += timedelta(hours=1)
        now = at.astimezone(tz).utcoffset()
        if now != offset:
            found.append(at)
            offset = now
    return found


TRANSITIONS = {zone: _transitions(zone) for zone in ZONES}
ALL_TRANSITIONS = [(z, t) for z, ts in TRANSITIONS.items() for t in ts]

days = st.integers(0, 6)
times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
anywhen = st.builds(lambda s: datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=s),
                    st.integers(0, 3 * 365 * 86400))


@st.composite
def near_transition(draw):
    zone, instant = draw(st.sampled_from(ALL_TRANSITIONS))
    return zone, instant + timedelta(minutes=draw(st.integers(-8 * 24 * 60, 8 * 24 * 60)))


def exists(day: date, at: time, tz: ZoneInfo) -> bool:
    local = datetime.combine(day, at, tzinfo=tz)
    return local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None)


def check(day: int, at: time, zone: str, now: datetime) -> None:
    tz = ZoneInfo(zone)
    when = next_at(day, at, zone, now)
    assert when >= now
    assert when - now < timedelta(days=7, hours=1)
    local = when.astimezone(tz)
    assert (local.weekday() + 1) % 7 == day  # 0 = Sunday
    if exists(local.date(), at, tz):
        assert (local.hour, local.minute) == (at.hour, at.minute)
    else:  # clocks went forward over it: the meeting is at the same moment, later on the clock
        assert local.time() > at
    # Nothing earlier: a week before is already past.
    before = datetime.combine(local.date() - timedelta(days=7), at, tzinfo=tz).astimezone(UTC)
    assert before < now


@settings(max_examples=400)
@given(days, times, st.sampled_from(ZONES), anywhen)
def test_next_occurrence_anywhere(day, at, zone, now):
    check(day, at, zone, now)


@settings(max_examples=600)
@given(days, times, near_transition())
def test_next_occurrence_around_daylight_saving_changes(day, at, zone_now):
    zone, now = zone_now
    check(day, at, zone, now)


@settings(max_examples=200)
@given(days, times, st.sampled_from(ZONES), anywhen)
def test_occurrences_are_a_week_apart_on_the_local_calendar(day, at, zone, now):
    meeting = SimpleNamespace(day=day, time=at, timezone=zone)
    found = occurrences(meeting, now, 6)
    assert len(found) == 6
    dates = [w.astimezone(ZoneInfo(zone)).date() for w in found]
    assert all(b - a == timedelta(days=7) for a, b in zip(dates, dates[1:], strict=False))


def test_new_york_spring_forward_and_fall_back():
    sunday = SimpleNamespace(day=0, time=time(2, 30), timezone="America/New_York")
    when = next_occurrence(sunday, datetime(2026, 3, 7, 12, tzinfo=UTC))
    assert when.isoformat() == "2026-03-08T03:30:00-04:00"  # 02:30 does not exist that night
    sunday.time = time(1, 30)
    when = next_occurrence(sunday, datetime(2026, 10, 31, 12, tzinfo=UTC))
    assert when.isoformat() == "2026-11-01T01:30:00-04:00"  # the first of the two 01:30s
    monday = SimpleNamespace(day=1, time=time(19), timezone="America/New_York")
    when = next_occurrence(monday, datetime(2026, 3, 3, 1, tzinfo=UTC))  # Monday 20:00 EST
    assert when.astimezone(UTC).isoformat() == "2026-03-09T23:00:00+00:00"  # 19:00 EDT


def test_same_instant_counts_and_by_appointment_has_none():
    meeting = SimpleNamespace(day=3, time=time(12), timezone="Australia/Sydney")
    now = datetime(2026, 7, 1, 12, tzinfo=ZoneInfo("Australia/Sydney"))  # a Wednesday
    assert next_occurrence(meeting, now) == now
    assert next_occurrence(SimpleNamespace(day=None, time=None, timezone="UTC"), now) is None


def test_an_unknown_zone_falls_back_to_utc():
    meeting = SimpleNamespace(day=3, time=time(12), timezone="Not/AZone")
    assert next_occurrence(meeting, datetime(2026, 7, 1, 11, tzinfo=UTC)).utcoffset() == \
        timedelta(0)
