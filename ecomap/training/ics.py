"""The learner's timetable as an iCalendar file: one event per study-group meeting, each the
deadline of its topic."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

LENGTH = timedelta(hours=1)


def calendar(programme, meetings, now: datetime, *, domain: str, visits=()) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//ecomap//training timetable//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Training: %(programme)s") % {"programme": programme.title})
    for meeting in meetings:
        topic = programme.topic(meeting.topic_key)
        event = Event()
        event.add("uid", f"training-meeting-{meeting.pk}@{domain}")
        event.add("dtstamp", now)
        event.add("summary", _("Study group: %(topic)s") % {
            "topic": topic.title if topic else meeting.topic_key})
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + LENGTH)
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.online_link:
            event.add("url", meeting.online_link)
        notes = [meeting.group.name, _("Deadline of this topic's three tasks.")]
        if meeting.online_link:
            notes.append(meeting.online_link)
        event.add("description", "\n".join(notes))
        cal.add_component(event)
    for visit in visits:  # open mutual-aid meetings the learner plans to visit
        event = Event()
        event.add("uid", f"training-visit-{visit.pk}@{domain}")
        event.add("dtstamp", now)
        event.add("summary", _("Open meeting: %(title)s") % {"title": visit.title})
        event.add("dtstart", visit.planned_for)
        event.add("dtend", visit.planned_for + LENGTH)
        cal.add_component(event)
    return cal.to_ical()
