"""Feed parsers: Meeting Guide JSON (meetingguide.py) and BMLT JSON (bmlt.py), with what they share
in common.py, and fetching from an address in fetch.py. Plain modules: no database writes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .common import Context, FeedRefused, Parsed


def parse(data: bytes, *, format: str, program: str, default_timezone: str,
          formats: bytes | None = None) -> Parsed:
    """Parse a whole file of the given format ("meetingguide" or "bmlt")."""
    from . import bmlt, meetingguide

    ctx = Context(program=program, default_timezone=default_timezone)
    if format == "bmlt":
        return bmlt.parse(data, ctx, formats=formats)
    if format == "meetingguide":
        return meetingguide.parse(data, ctx)
    raise FeedRefused(_("Unknown feed format %(format)s.") % {"format": format})


__all__ = ["Context", "FeedRefused", "Parsed", "parse"]
