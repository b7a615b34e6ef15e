"""One normaliser per field of a Meeting Guide-shaped record.

Each is a plain function: it takes the raw value (and the record's report, a
`ecomap.core.imports.RecordReport`) and returns the value to store. What it changes it says on the
report as a warning with a code; a value that makes the record unusable rejects the record
(`report.reject(...)`) and the function returns None. A value set aside (not a web address, not
text) goes into `extra`, kept with the meeting: nothing the feed sent is lost, nothing is cut.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from functools import cache, lru_cache
from urllib.parse import urlparse

from django.utils.translation import gettext as _

from .. import codes
from .values import (
    is_blank,
    one_day,
    parse_time,
    text,
    timezone_name,
    web_address,
)


def warn_once(report, code: str, message: str) -> None:
    if not any(w.code == code for w in report.warnings):
        report.warn(message, code=code)


# --- identity ------------------------------------------------------------------------------------

SLUG_MAX = 255  # the column; a longer slug cannot be matched on the next import, so it is rejected


def slug(raw: dict, report) -> str | None:
    """The record's key in the feed: its slug, else its id."""
    value = raw.get("slug")
    if is_blank(value) and not is_blank(raw.get("id")):
        value = raw["id"]
        report.warn(_("No slug; the record's id is used instead."), code="slug_from_id")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
        report.warn(_("The slug was a number; read as text."), code="slug_number")
    if not isinstance(value, str) or not value.strip():
        report.reject(_("No slug (or id): the meeting cannot be matched on the next import."))
        return None
    value = value.strip()
    if len(value) > SLUG_MAX:
        report.reject(_("The slug is longer than %(max)s characters.") % {"max": SLUG_MAX})
        return None
    return value


def name(raw: dict, report) -> str | None:
    """The meeting's name; without one, its location's or group's."""
    value = text(raw.get("name"))
    if value:
        return value
    value = text(raw.get("location")) or text(raw.get("group"))
    if not value:
        report.reject(_("No name, location or group to call the meeting by."))
        return None
    report.warn(_("No name; the location or group name is used."), code="name_missing")
    return value


# --- day and time --------------------------------------------------------------------------------


def days(value, report) -> list[int] | None:
    """The days of the week (0 = Sunday), one or a list; None (and the record rejected) if one of
    them is not a day."""
    values = value if isinstance(value, list) else [value]
    found: list[int] = []
    for item in values:
        day, code = one_day(item)
        if day is None:
            report.reject(_("The day %(day)s is not a day of the week (0 = Sunday ... 6 = "
                            "Saturday, or a day's name).") % {"day": json.dumps(item)})
            return None
        if code == "day_string":
            report.warn(_("The day was text (%(given)s); read as %(day)s.")
                        % {"given": json.dumps(item), "day": day}, code=code)
        elif code:
            report.warn(_("The day %(given)s read as %(day)s.")
                        % {"given": json.dumps(item), "day": day}, code=code)
        if day not in found:
            found.append(day)
    if isinstance(value, list):
        report.warn(_("The day was a list %(days)s: one meeting per day.")
                    % {"days": json.dumps(value)}, code="day_array")
    return found


def start_time(value, report) -> time | None:
    """The start time; None (and the record rejected) if it cannot be read."""
    start, code = parse_time(value)
    if start is None:
        report.reject(_("The time %(time)s cannot be read.") % {"time": json.dumps(value)})
        return None
    if code == "time_12h":
        report.warn(_("12-hour time %(given)s read as %(time)s.")
                    % {"given": value, "time": start.strftime("%H:%M")}, code=code)
    elif code:
        report.warn(_("Time %(given)s read as %(time)s.")
                    % {"given": value, "time": start.strftime("%H:%M")}, code=code)
    return start


def end_time(value, report, *, start: time) -> time | None:
    """The end time, or None: unreadable ones are ignored, with a warning; an end before the start
    is kept (past midnight) but named when it looks like an am/pm slip; an end equal to the start
    (a meeting of no length) is kept and named."""
    if is_blank(value):
        return None
    end, code = parse_time(value)
    if end is None:
        report.warn(_("The end time %(time)s cannot be read; ignored.")
                    % {"time": json.dumps(value)}, code="end_time_invalid")
        return None
    if code == "time_12h":
        report.warn(_("12-hour end time %(given)s read as %(time)s.")
                    % {"given": value, "time": end.strftime("%H:%M")}, code=code)
    if end == start:
        report.warn(_("Ends when it starts (%(time)s): a meeting of no length. Kept as sent; "
                      "check the end time.") % {"time": start.strftime("%H:%M")},
                    code="zero_length")
    elif end < start:
        span = (end.hour * 60 + end.minute + 24 * 60) - (start.hour * 60 + start.minute)
        if span > 4 * 60:
            report.warn(_(
                "Ends at %(end)s, before it starts at %(start)s, and %(hours)s hours later if "
                "past midnight: probably an am/pm slip. Kept as sent.")
                % {"end": end.strftime("%H:%M"), "start": start.strftime("%H:%M"),
                   "hours": round(span / 60, 1)}, code="end_before_start")
    return end


# --- time zone -----------------------------------------------------------------------------------


@cache
def _finder():
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


@lru_cache(maxsize=65536)
def zone_at(lat: float, lng: float) -> str | None:
    """The IANA zone at a point (None at sea); timezonefinder's polygons, no network."""
    return _finder().timezone_at(lng=lng, lat=lat)


def timezone(value, report, *, default: str, latitude: float | None = None,
             longitude: float | None = None, online_only: bool = False) -> tuple[str, bool]:
    """(IANA zone, whether it is the feed's default). The record's own zone first; a record that
    names none (or an unknown one) takes the zone of its coordinates, except an online-only
    meeting, whose coordinates say nothing about when it meets: it keeps the feed's zone."""
    given = text(value)
    if given:
        zone, changed = timezone_name(given)
        if zone is not None:
            if changed:
                report.warn(_("Time zone %(zone)s read as %(name)s.")
                            % {"zone": given, "name": zone}, code="timezone_alias")
            return zone, False
        report.warn(_("Unknown time zone %(zone)s; the feed's %(default)s is used.")
                    % {"zone": given, "default": default}, code="timezone_invalid")
        return default, True
    if online_only or latitude is None or longitude is None:
        return default, True
    zone = zone_at(latitude, longitude)
    if zone is None:
        return default, True
    if zone != default:
        report.warn(_("No time zone; %(zone)s taken from the coordinates (the feed's is "
                      "%(default)s).") % {"zone": zone, "default": default},
                    code="timezone_from_coordinates")
    return zone, False


# --- where ---------------------------------------------------------------------------------------

STRING_FIELDS = ("formatted_address", "address", "city", "state", "postal_code", "country",
                 "region", "sub_region", "location", "location_notes", "notes", "group",
                 "group_notes", "conference_url_notes", "conference_phone_notes", "venmo",
                 "square", "paypal", "homegroup_online", "entity", "entity_email",
                 "entity_location", "entity_logo", "entity_phone", "entity_website_url")


def plain_text(value, report, *, field: str, extra: dict) -> str:
    """A text field (address, notes, location...): a list or mapping is kept aside in `extra`."""
    if isinstance(value, list | dict):
        report.warn(_("%(field)s was not text; kept aside.") % {"field": field},
                    code="field_type")
        extra[field] = value
        return ""
    return text(value)


def postal_code(value, report, *, country: str) -> str:
    """A postal code sent as a number is read as text (a US ZIP padded back to five digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        code = str(value)
        if country.upper() in ("US", "USA", "") and len(code) < 5:
            code = code.zfill(5)
        report.warn(_("The postal code was a number; read as text."), code="postal_code_number")
        return code
    return text(value) if not isinstance(value, list | dict) else ""


def country(value: str, report) -> str:
    return "USA" if value == "US" else value


def formatted_address(fields: dict) -> str:
    """The one-line address: as sent, else joined from its parts."""
    return fields["formatted_address"] or ", ".join(
        fields[k] for k in ("address", "city", "state", "postal_code", "country") if fields[k])


def regions(value, report) -> list[str]:
    return [text(r) for r in value if text(r)] if isinstance(value, list) else []


def _coordinate(value, report) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return float("nan")
        warn_once(report, "coordinates_string",
                  _("Latitude and longitude were text; read as numbers."))
        return number
    return float("nan")


def coordinates(raw: dict, report) -> tuple[float | None, float | None]:
    """(latitude, longitude) rounded to 7 decimals (about 1 cm), or (None, None) when missing,
    incomplete, not numbers, exactly 0, or off the globe."""
    lat, lng = _coordinate(raw.get("latitude"), report), _coordinate(raw.get("longitude"), report)
    if lat is None and lng is None and isinstance(raw.get("coordinates"), str):
        parts = raw["coordinates"].split(",")
        if len(parts) == 2:
            lat, lng = _coordinate(parts[0], report), _coordinate(parts[1], report)
    if lat is None and lng is None:
        return None, None
    if lat is not None and lng is not None and lat == lat and lng == lng:
        lat, lng = round(lat, 7), round(lng, 7)  # rounded before the checks below
    if lat is None or lng is None or lat != lat or lng != lng:
        report.warn(_("Latitude and longitude are incomplete or not numbers; treated as "
                      "missing."), code="coordinates_invalid")
        return None, None
    if lat == 0 or lng == 0:
        # 0,0 is "Null Island"; a single exact 0 (a longitude of 0.0 in Texas) is the same mistake.
        report.warn(_("Latitude or longitude is exactly 0 (%(lat)s, %(lng)s); treated as "
                      "missing.") % {"lat": lat, "lng": lng}, code="coordinates_zero")
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        report.warn(_("Latitude %(lat)s, longitude %(lng)s is outside the globe; treated as "
                      "missing.") % {"lat": lat, "lng": lng}, code="coordinates_range")
        return None, None
    return lat, lng


def approximate(value, report) -> bool | None:
    """Meeting Guide's `approximate` (the address is only roughly where it meets): yes, no or
    unknown (None)."""
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false", "1",
                                                            "0"):
        return value.strip().lower() in ("yes", "true", "1")
    if value is not None and not isinstance(value, bool):
        report.warn(_("'approximate' is not yes or no; ignored."), code="approximate_invalid")
        return None
    return value


# --- types ---------------------------------------------------------------------------------------


def types(value, report, *, program: str) -> tuple[list[str], list[str]]:
    """(codes, unknown codes) in the program's vocabulary. Case is folded, names are mapped, strings
    are split, unknown codes are kept verbatim; each change is a warning."""
    if is_blank(value):
        return [], []
    if isinstance(value, str):
        report.warn(_("Types were one piece of text, not a list; split at commas."),
                    code="types_string")
        items = value.strip().strip("[]").split(",")
    elif isinstance(value, list):
        items = value
    else:
        report.warn(_("Types were not a list; ignored."), code="types_invalid")
        return [], []
    known, upper = codes.known_codes(program)
    found, unknown = [], []
    for item in items:
        if isinstance(item, int | float) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            report.warn(_("A type that is not text was ignored."), code="type_invalid")
            continue
        token = item.strip().strip("'\"")
        if not token:
            report.warn(_("An empty type was ignored."), code="type_empty")
            continue
        if token in known:
            code = token
        elif token.upper() in upper:
            code = upper[token.upper()]
            report.warn(_("Type %(given)s read as %(code)s.") % {"given": token, "code": code},
                        code="type_case")
        elif token.casefold() in codes.names_to_codes(program):
            code = codes.names_to_codes(program)[token.casefold()]
            report.warn(_("Type name %(given)s read as code %(code)s.")
                        % {"given": token, "code": code}, code="type_name")
        else:
            code = token
            unknown.append(token)
            report.warn(_("Unknown type %(code)s kept as it is.") % {"code": token},
                        code="type_unknown")
        if code not in found:
            found.append(code)
    if "O" in found and "C" in found:
        found.remove("O")
        report.warn(_("Both Open and Closed; kept Closed (as TSML does)."),
                    code="type_open_closed")
    return found, unknown


# --- links ---------------------------------------------------------------------------------------

URL_FIELDS = ("url", "edit_url", "feedback_url")


def conference_provider(url: str) -> str | None:
    host = (urlparse(url).hostname or "").lower()
    for domain, provider in codes.CONFERENCE_PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return provider
    return None


def web_url(value, report, *, field: str, extra: dict) -> str:
    """A page's address (url, edit_url, feedback_url): one that is not a web address is kept
    aside. Kept whole, however long."""
    url = text(value)
    if url and not web_address(url):
        report.warn(_("%(field)s is not a web address; kept aside.") % {"field": field},
                    code="url_invalid")
        extra[field] = url
        return ""
    return url


def conference_url(value, report, *, extra: dict) -> str:
    """The online meeting's link: kept when it is a web address of a known meeting provider (as
    TSML does), else kept aside. Kept whole, however long."""
    url = text(value)
    if not url:
        return ""
    if not web_address(url):
        report.warn(_("The conference link is not a web address; kept aside."),
                    code="conference_url_invalid")
    elif conference_provider(url) is None:
        report.warn(_("The conference link's site (%(host)s) is not a known meeting provider; "
                      "kept aside (TSML drops it too).") % {"host": urlparse(url).hostname},
                    code="conference_url_provider")
    else:
        return url
    extra["conference_url"] = url
    return ""


def feedback_emails(value, report) -> list[str]:
    if isinstance(value, str):
        value = [e.strip() for e in value.split(",")]
    return [e for e in (text(x) for x in value or []) if e] if isinstance(value, list) else []


def contacts(raw: dict, report) -> list[dict]:
    """contact_1_name ... contact_3_phone as a list of the contacts given."""
    found = ({f: text(raw.get(f"contact_{i}_{f}")) for f in ("name", "email", "phone")}
             for i in (1, 2, 3))
    return [contact for contact in found if any(contact.values())]


# --- when it was updated -------------------------------------------------------------------------

UPDATED_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y-%m-%d",
                   "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M")


def updated(value, report) -> datetime | None:
    raw = text(value)
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        pass
    for fmt in UPDATED_FORMATS:
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        report.warn(_("'Updated' is not YYYY-MM-DD HH:MM:SS; read as %(when)s UTC.")
                    % {"when": parsed.strftime("%Y-%m-%d %H:%M")}, code="updated_format")
        return parsed.replace(tzinfo=UTC)
    report.warn(_("'Updated' could not be read; kept as text only."), code="updated_invalid")
    return None

