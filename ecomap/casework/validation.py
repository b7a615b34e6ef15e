"""The casework services' shared checks: the error they raise and the rules for dates and notes.

Both services.py and family.py use them; they live here so that neither imports the other's helpers.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.core.refusal import Problems, Refusal

# Dates typed by hand are bounded: nothing before EARLIEST, nothing after today (or, for a date
# something is expected by, a year ahead: services.AHEAD_DAYS).
EARLIEST = date(2000, 1, 1)
NOTE_MAX = 2000


class CaseworkError(Refusal):
    """A casework rule refused the change; `messages` lists every problem, for the user."""


def _day(value: date) -> str:
    return value.isoformat()


def _check_past(on, label: str, problems: Problems, *, field: str,
                after: date | None = None) -> None:
    today = timezone.localdate()
    if not isinstance(on, date):
        problems.add(_("Give the %(what)s.") % {"what": label}, field=field)
    elif on > today:
        problems.add(_("The %(what)s cannot be in the future.") % {"what": label}, field=field)
    elif on < max(EARLIEST, after or EARLIEST):
        problems.add(_("The %(what)s cannot be before %(day)s.") % {
            "what": label, "day": _day(max(EARLIEST, after or EARLIEST))}, field=field)


def _note(text, label: str, problems: Problems, *, field: str = "note",
          required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        problems.add(_("Give the %(what)s.") % {"what": label}, field=field)
    if len(text) > NOTE_MAX:
        problems.add(_("The %(what)s is longer than %(n)s characters.") % {
            "what": label, "n": NOTE_MAX}, field=field)
    return text


def disclosed_at(day: date) -> datetime:
    """When a disclosure made on `day` happened, for the consent check "as of that day": now for
    today, midday for an earlier day (a contact or session recorded afterwards)."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _raise(problems: Problems) -> None:
    problems.refuse_if_any(CaseworkError)
