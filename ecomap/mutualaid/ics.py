"""The meetings a client plans to attend as an iCalendar file (RFC 5545), for their phone.

Each weekly meeting is one event that repeats every week on its day, at its local wall-clock time in
its own time zone (with the VTIMEZONE the file needs), so daylight-saving changes keep the meeting
at the same local time. Meetings by appointment have no time and are left out (`skipped`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from . import schedule

DEFAULT_LENGTH = timedelta(hours=1)


def calendar(meetings, now: datetime, *, domain: str) -> tuple[bytes, list]:
    """(the .ics file, the meetings left out because they have no day or time)."""
    cal = Calendar()
    cal.add("prodid", "-//ecomap//mutual support meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("My meetings"))
    skipped = []
    for meeting in meetings:
        upcoming = schedule.next_occurrence(meeting, now)
        if upcoming is None:
            skipped.append(meeting)
            continue
        tz = schedule.zone(meeting.timezone)
        start = datetime.combine(upcoming.astimezone(tz).date(), meeting.time, tzinfo=tz)
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{domain}")
        event.add("dtstamp", now)
        event.add("summary", meeting.name)
        event.add("dtstart", start)
        event.add("dtend", start + (meeting.duration or DEFAULT_LENGTH))
        event.add("rrule", {"freq": "weekly"})
        where = meeting.formatted_address or meeting.location
        if where:
            event.add("location", where)
        notes = [meeting.fellowship.name]
        if meeting.conference_url:
            notes.append(meeting.conference_url)
            event.add("url", meeting.conference_url)
        if meeting.conference_phone:
            notes.append(meeting.conference_phone)
        if meeting.location_notes:
            notes.append(meeting.location_notes)
        event.add("description", "\n".join(notes))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical(), skipped
