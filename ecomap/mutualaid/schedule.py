"""When a weekly meeting next happens, in the meeting's own time zone.

A meeting's day (0 = Sunday) and time are wall-clock values where it meets. The next occurrence is
found on the local calendar and only then turned into an instant, so it stays at the same local time
across daylight-saving changes:

- a time that does not exist that day (clocks go forward, 02:30 on a spring-forward night) happens at
  the same moment as the wall clock then shows: 03:30 (zoneinfo's fold=0 offset, then normalised);
- a time that happens twice (clocks go back, 01:30) is the first of the two (fold=0).

A meeting that starts exactly at `now` counts as next. Meetings by appointment (no day or time)
have no next occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@cache
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant the wall clock in `tz` shows `at` on `day` (normalised through UTC)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC).astimezone(tz)


def next_at(day: int, at: time, tz_name: str, now: datetime) -> datetime:
    """The next instant >= now at which it is weekday `day` (0 = Sunday), `at` o'clock in tz."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = zone(tz_name)
    local = now.astimezone(tz)
    python_weekday = (day - 1) % 7  # Python: Monday = 0 ... Sunday = 6
    ahead = (python_weekday - local.weekday()) % 7
    for weeks in (0, 1, 2):
        when = _at(local.date() + timedelta(days=ahead + 7 * weeks), at, tz)
        if when >= now:
            return when
    raise AssertionError("unreachable: a weekly time recurs within two weeks")


def next_occurrence(meeting, now: datetime) -> datetime | None:
    """The meeting's next start in its time zone, or None for a meeting by appointment."""
    if meeting.day is None or meeting.time is None:
        return None
    return next_at(meeting.day, meeting.time, meeting.timezone, now)


def occurrences(meeting, start: datetime, count: int) -> list[datetime]:
    """The next `count` starts from `start`."""
    found: list[datetime] = []
    when = next_occurrence(meeting, start)
    while when is not None and len(found) < count:
        found.append(when)
        when = next_occurrence(meeting, when + timedelta(minutes=1))
    return found
