"""What every feed format shares: the report, the normalisation of one Meeting Guide-shaped record,
and TSML's online/hybrid rule.

Plain Python (no database). A parser turns a file into `ParseResult`: the meetings to upsert (dicts of
Meeting field values with their `key`) and one `RecordReport` per record of the file, so that every
record is accounted for: imported (with the warnings of what was normalised) or rejected (with the
reason). A file that cannot be read at all raises `FeedRefused` with the position of the error.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import cache
from urllib.parse import urlparse
from zoneinfo import available_timezones

from django.utils.translation import gettext as _

from .. import codes

MAX_RECORDS = 500_000


class FeedRefused(Exception):
    """The whole file is refused; str(error) says why and where. Nothing is changed."""


@dataclass
class RecordReport:
    record: int  # 1-based position in the file
    key: str = ""
    name: str = ""
    outcome: str = "imported"  # imported | rejected
    reason: str = ""
    meetings: int = 0  # meetings made from this record (more than one when `day` was an array)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, code: str, message: str) -> None:
        self.warnings.append((code, message))

    def reject(self, reason: str) -> None:
        self.outcome, self.reason = "rejected", reason

    def as_data(self) -> dict:
        return {"record": self.record, "key": self.key, "name": self.name, "outcome": self.outcome,
                "reason": self.reason, "meetings": self.meetings,
                "warnings": [{"code": c, "message": m} for c, m in self.warnings]}


@dataclass
class ParseResult:
    meetings: list[dict]
    reports: list[RecordReport]
    notes: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return len(self.reports)

    @property
    def imported(self) -> int:
        return sum(1 for r in self.reports if r.outcome == "imported")

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.reports if r.outcome == "rejected")


@dataclass(frozen=True)
class Context:
    program: str
    default_timezone: str


# --- reading the file --------------------------------------------------------------------------


def load_json(data: bytes):
    """Decode and parse, or refuse with the position of the first error."""
    if not data.strip():
        raise FeedRefused(_("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedRefused(_("The file is not UTF-8 text (byte %(pos)s). Nothing was changed.")
                          % {"pos": error.start + 1}) from None
    if text.lstrip()[:1] == "<":
        raise FeedRefused(_("The file is HTML, not JSON (an error, log-in or challenge page?). "
                            "Nothing was changed."))
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedRefused(
            _("The file is not valid JSON: %(msg)s at line %(line)s, column %(col)s (character "
              "%(pos)s). Nothing was changed.")
            % {"msg": error.msg, "line": error.lineno, "col": error.colno, "pos": error.pos + 1}
        ) from None


def describe_shape(data) -> str:
    """What a JSON document that is not the expected feed looks like, for the refusal message."""
    if isinstance(data, dict):
        if "meetings" in data:
            return _("a BMLT answer ({\"meetings\": ...})")
        return _("a JSON object with the keys %s") % ", ".join(sorted(map(str, data))[:8])
    if isinstance(data, list) and data and isinstance(data[0], dict):
        first = data[0]
        if "world_id" in first and "key_string" in first:
            return _("a BMLT format list (GetFormats), not meetings")
        if "parent_id" in first and "type" in first and "helpline" in first:
            return _("a BMLT service-body list (GetServiceBodies), not meetings")
        if "weekday_tinyint" in first or "id_bigint" in first:
            return _("BMLT meetings (choose the BMLT format for this feed)")
        if "slug" in first or "name" in first:
            return _("Meeting Guide meetings (choose the Meeting Guide format for this feed)")
    return _("a JSON %s") % type(data).__name__


# --- values ------------------------------------------------------------------------------------

DAY_NAMES = {name: i for i, names in enumerate(
    [("sunday", "sun"), ("monday", "mon"), ("tuesday", "tue", "tues"),
     ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"), ("friday", "fri"),
     ("saturday", "sat")]) for name in names}
TIME_24 = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
TIME_12 = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m?\.?$", re.I)
TIMEZONE_ALIASES = {
    **dict.fromkeys(("et", "est", "edt", "eastern"), "America/New_York"),
    **dict.fromkeys(("ct", "cst", "cdt", "central"), "America/Chicago"),
    **dict.fromkeys(("mt", "mst", "mdt", "mountain"), "America/Denver"),
    **dict.fromkeys(("pt", "pst", "pdt", "pacific", "west_coast", "west coast"),
                    "America/Los_Angeles"),
}


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def timezone_name(value: str) -> tuple[str | None, bool]:
    """(IANA name or None, whether it was an alias or a different spelling)."""
    if _zones().get(value.casefold()) == value:
        return value, False
    folded = value.strip().casefold().replace(" ", "_")
    if folded in _zones():
        return _zones()[folded], True
    alias = TIMEZONE_ALIASES.get(value.strip().casefold())
    return alias, alias is not None


def parse_time(value) -> tuple[time | None, str]:
    """A time of day, and "" or a warning code: `time_12h`, `time_seconds`, `time_24`."""
    if not isinstance(value, str):
        return None, ""
    text = value.strip()
    if text.casefold() in ("noon", "12 noon"):
        return time(12, 0), "time_12h"
    if text.casefold() == "midnight":
        return time(0, 0), "time_12h"
    match = TIME_24.match(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour == 24 and minute == 0 and second == 0:
            return time(0, 0), "time_24"
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute), ("time_seconds" if match[3] and second else "")
        return None, ""
    match = TIME_12.match(text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if 1 <= hour <= 12 and minute < 60:
            hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
            return time(hour, minute), "time_12h"
    return None, ""


def _one_day(value) -> tuple[int | None, str]:
    if isinstance(value, bool):
        return None, ""
    if isinstance(value, int):
        return (value, "") if 0 <= value <= 6 else (None, "")
    if isinstance(value, float) and value.is_integer() and 0 <= value <= 6:
        return int(value), "day_number"
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and 0 <= int(text) <= 6:
            return int(text), "day_string"
        if text.casefold() in DAY_NAMES:
            return DAY_NAMES[text.casefold()], "day_name"
    return None, ""


def _is_blank(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str)
                                                            and not value.strip())


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return ""


def web_address(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in value


def conference_provider(url: str) -> str | None:
    host = (urlparse(url).hostname or "").lower()
    for domain, name in codes.CONFERENCE_PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def attendance(types: set[str], approximate: bool) -> str:
    """TSML's `tsml_calculate_attendance_option` (includes/functions.php)."""
    online, closed = codes.ONLINE in types, codes.TEMPORARILY_CLOSED in types
    if online and closed:
        return "online"
    if closed:
        return "inactive"
    if online:
        return "online" if approximate else "hybrid"
    return "inactive" if approximate else "in_person"


def _coordinate(value, report: RecordReport) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return float("nan")
        if not any(code == "coordinates_string" for code, _m in report.warnings):
            report.warn("coordinates_string", _("Latitude and longitude were text; read as numbers."))
        return number
    return float("nan")


def coordinates(raw: dict, report: RecordReport) -> tuple[float | None, float | None]:
    lat, lng = _coordinate(raw.get("latitude"), report), _coordinate(raw.get("longitude"), report)
    if lat is None and lng is None and isinstance(raw.get("coordinates"), str):
        parts = raw["coordinates"].split(",")
        if len(parts) == 2:
            lat, lng = _coordinate(parts[0], report), _coordinate(parts[1], report)
    if lat is None and lng is None:
        return None, None
    if lat is not None and lng is not None and lat == lat and lng == lng:
        lat, lng = round(lat, 7), round(lng, 7)  # about 1 cm; rounded before the checks below
    if lat is None or lng is None or lat != lat or lng != lng:
        report.warn("coordinates_invalid", _("Latitude and longitude are incomplete or not numbers; "
                                             "treated as missing."))
        return None, None
    if lat == 0 or lng == 0:
        # 0,0 is "Null Island"; a single exact 0 (a longitude of 0.0 in Texas) is the same mistake.
        report.warn("coordinates_zero", _("Latitude or longitude is exactly 0 (%(lat)s, %(lng)s); "
                                          "treated as missing.") % {"lat": lat, "lng": lng})
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        report.warn("coordinates_range", _("Latitude %(lat)s, longitude %(lng)s is outside the "
                                           "globe; treated as missing.") % {"lat": lat, "lng": lng})
        return None, None
    return lat, lng


def normalise_types(value, program: str, report: RecordReport) -> tuple[list[str], list[str]]:
    """(codes, unknown codes) in the program's vocabulary. Case is folded, names are mapped, strings
    are split, unknown codes are kept verbatim; each change is a warning."""
    if _is_blank(value):
        return [], []
    if isinstance(value, str):
        report.warn("types_string", _("Types were one piece of text, not a list; split at commas."))
        items = value.strip().strip("[]").split(",")
    elif isinstance(value, list):
        items = value
    else:
        report.warn("types_invalid", _("Types were not a list; ignored."))
        return [], []
    known, upper = codes.known_codes(program)
    found, unknown = [], []
    for item in items:
        if isinstance(item, int | float) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            report.warn("type_invalid", _("A type that is not text was ignored."))
            continue
        token = item.strip().strip("'\"")
        if not token:
            report.warn("type_empty", _("An empty type was ignored."))
            continue
        if token in known:
            code = token
        elif token.upper() in upper:
            code = upper[token.upper()]
            report.warn("type_case", _("Type %(given)s read as %(code)s.") % {"given": token,
                                                                              "code": code})
        elif token.casefold() in codes.names_to_codes(program):
            code = codes.names_to_codes(program)[token.casefold()]
            report.warn("type_name", _("Type name %(given)s read as code %(code)s.")
                        % {"given": token, "code": code})
        else:
            code = token
            unknown.append(token)
            report.warn("type_unknown", _("Unknown type %(code)s kept as it is.") % {"code": token})
        if code not in found:
            found.append(code)
    if "O" in found and "C" in found:
        found.remove("O")
        report.warn("type_open_closed", _("Both Open and Closed; kept Closed (as TSML does)."))
    return found, unknown


UPDATED_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y-%m-%d",
                   "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M")


def parse_updated(value, report: RecordReport) -> datetime | None:
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
        report.warn("updated_format", _("'Updated' is not YYYY-MM-DD HH:MM:SS; read as %(when)s UTC.")
                    % {"when": parsed.strftime("%Y-%m-%d %H:%M")})
        return parsed.replace(tzinfo=UTC)
    report.warn("updated_invalid", _("'Updated' could not be read; kept as text only."))
    return None


# --- one record --------------------------------------------------------------------------------

STRING_FIELDS = ("formatted_address", "address", "city", "state", "postal_code", "country",
                 "region", "sub_region", "location", "location_notes", "notes", "group",
                 "group_notes", "conference_url_notes", "conference_phone_notes", "venmo",
                 "square", "paypal", "homegroup_online", "entity", "entity_email",
                 "entity_location", "entity_logo", "entity_phone", "entity_website_url")
URL_FIELDS = ("url", "edit_url", "feedback_url")
SPEC_FIELDS = {
    "name", "slug", "day", "time", "end_time", "timezone", "latitude", "longitude", "approximate",
    "regions", "types", "conference_url", "conference_phone", "updated", "feedback_emails",
    "attendance_option", "coordinates", *STRING_FIELDS, *URL_FIELDS,
    *(f"contact_{i}_{f}" for i in (1, 2, 3) for f in ("name", "email", "phone")),
}
ALIASES = {"zip": "postal_code", "meeting": "name", "location_name": "location",
           "start_time": "time", "entity_url": "entity_website_url"}
# Fields TSML and other producers add; kept in `extra` without comment.
KNOWN_EXTRA = {"id", "location_id", "group_id", "region_id", "district", "district_id",
               "location_url", "time_formatted", "author", "data_source", "data_source_name",
               "last_contact", "website", "website_2", "email", "phone", "mailing_address",
               "import_hash", "sub_district", "post_name"}


@cache
def max_lengths() -> dict[str, int]:
    from ..models import Meeting

    return {f.name: f.max_length for f in Meeting._meta.concrete_fields
            if getattr(f, "max_length", None)}


def _fit(fields: dict, report: RecordReport) -> None:
    for name, limit in max_lengths().items():
        value = fields.get(name)
        if isinstance(value, str) and len(value) > limit:
            fields[name] = value[:limit]
            report.warn("field_truncated", _("%(field)s was longer than %(limit)s characters; "
                                             "shortened.") % {"field": name, "limit": limit})


def normalise(raw, index: int, ctx: Context) -> tuple[RecordReport, list[dict]]:
    """One Meeting Guide-shaped record -> its report and the meetings it makes (one per day)."""
    report = RecordReport(record=index)
    if not isinstance(raw, dict):
        report.reject(_("The record is not a JSON object."))
        return report, []
    raw = {ALIASES.get(k, k): v for k, v in raw.items()}

    slug = raw.get("slug")
    if _is_blank(slug) and not _is_blank(raw.get("id")):
        slug = raw["id"]
        report.warn("slug_from_id", _("No slug; the record's id is used instead."))
    if isinstance(slug, int | float) and not isinstance(slug, bool):
        slug = str(slug)
        report.warn("slug_number", _("The slug was a number; read as text."))
    if not isinstance(slug, str) or not slug.strip():
        report.reject(_("No slug (or id): the meeting cannot be matched on the next import."))
        return report, []
    slug = slug.strip()
    report.key = slug
    if len(slug) > 255:
        report.reject(_("The slug is longer than 255 characters."))
        return report, []

    name = text(raw.get("name"))
    if not name:
        name = text(raw.get("location")) or text(raw.get("group"))
        if not name:
            report.reject(_("No name, location or group to call the meeting by."))
            return report, []
        report.warn("name_missing", _("No name; the location or group name is used."))
    report.name = name[:255]

    fields: dict = {"slug": slug, "name": name}
    extra: dict = {}
    for key, value in raw.items():
        if key not in SPEC_FIELDS and key not in ("slug", "name"):
            extra[key] = value
    for name_ in STRING_FIELDS:
        value = raw.get(name_)
        if isinstance(value, list | dict):
            report.warn("field_type", _("%(field)s was not text; kept aside.") % {"field": name_})
            extra[name_] = value
            value = None
        fields[name_] = text(value)
    if isinstance(raw.get("postal_code"), int):
        zip_ = str(raw["postal_code"])
        if fields["country"].upper() in ("US", "USA", "") and len(zip_) < 5:
            zip_ = zip_.zfill(5)
        fields["postal_code"] = zip_
        report.warn("postal_code_number", _("The postal code was a number; read as text."))
    if fields["country"] == "US":
        fields["country"] = "USA"
    if not fields["formatted_address"]:
        fields["formatted_address"] = ", ".join(
            fields[k] for k in ("address", "city", "state", "postal_code", "country") if fields[k])
    regions = raw.get("regions")
    fields["regions"] = [text(r) for r in regions if text(r)] if isinstance(regions, list) else []
    if not fields["region"] and fields["regions"]:
        fields["region"] = fields["regions"][0]
        if len(fields["regions"]) > 1 and not fields["sub_region"]:
            fields["sub_region"] = fields["regions"][-1]
    for name_ in URL_FIELDS:
        value = text(raw.get(name_))
        if value and not web_address(value):
            report.warn("url_invalid", _("%(field)s is not a web address; kept aside.")
                        % {"field": name_})
            extra[name_] = value
            value = ""
        fields[name_] = value
    emails = raw.get("feedback_emails")
    if isinstance(emails, str):
        emails = [e.strip() for e in emails.split(",")]
    fields["feedback_emails"] = [e for e in (text(x) for x in emails or []) if e] \
        if isinstance(emails, list) else []
    fields["contacts"] = [
        contact for contact in ({f: text(raw.get(f"contact_{i}_{f}")) for f in
                                 ("name", "email", "phone")} for i in (1, 2, 3))
        if any(contact.values())]

    # Day and time: missing = by appointment; present but unreadable = rejected.
    days_raw, time_raw = raw.get("day"), raw.get("time")
    days: list[int | None]
    if _is_blank(days_raw) or _is_blank(time_raw):
        days, start = [None], None
        report.warn("by_appointment", _("No day or no time: kept as a meeting by appointment."))
    else:
        values = days_raw if isinstance(days_raw, list) else [days_raw]
        days = []
        for value in values:
            day, code = _one_day(value)
            if day is None:
                report.reject(_("The day %(day)s is not a day of the week (0 = Sunday ... 6 = "
                                "Saturday, or a day's name).") % {"day": json.dumps(value)})
                return report, []
            if code == "day_string":
                report.warn(code, _("The day was text (%(given)s); read as %(day)s.")
                            % {"given": json.dumps(value), "day": day})
            elif code:
                report.warn(code, _("The day %(given)s read as %(day)s.")
                            % {"given": json.dumps(value), "day": day})
            if day not in days:
                days.append(day)
        if isinstance(days_raw, list):
            report.warn("day_array", _("The day was a list %(days)s: one meeting per day.")
                        % {"days": json.dumps(days_raw)})
        start, code = parse_time(time_raw)
        if start is None:
            report.reject(_("The time %(time)s cannot be read.") % {"time": json.dumps(time_raw)})
            return report, []
        if code == "time_12h":
            report.warn(code, _("12-hour time %(given)s read as %(time)s.")
                        % {"given": time_raw, "time": start.strftime("%H:%M")})
        elif code:
            report.warn(code, _("Time %(given)s read as %(time)s.")
                        % {"given": time_raw, "time": start.strftime("%H:%M")})
    end = None
    if start is not None and not _is_blank(raw.get("end_time")):
        end, code = parse_time(raw.get("end_time"))
        if end is None:
            report.warn("end_time_invalid", _("The end time %(time)s cannot be read; ignored.")
                        % {"time": json.dumps(raw.get("end_time"))})
        else:
            if code == "time_12h":
                report.warn(code, _("12-hour end time %(given)s read as %(time)s.")
                            % {"given": raw["end_time"], "time": end.strftime("%H:%M")})
            if end < start:
                span = (end.hour * 60 + end.minute + 24 * 60) - (start.hour * 60 + start.minute)
                if span > 4 * 60:
                    report.warn("end_before_start", _(
                        "Ends at %(end)s, before it starts at %(start)s, and %(hours)s hours later "
                        "if past midnight: probably an am/pm slip. Kept as sent.")
                        % {"end": end.strftime("%H:%M"), "start": start.strftime("%H:%M"),
                           "hours": round(span / 60, 1)})
    fields["time"], fields["end_time"] = start, end

    zone = text(raw.get("timezone"))
    fields["timezone"], fields["timezone_from_feed"] = ctx.default_timezone, True
    if zone:
        name_, changed = timezone_name(zone)
        if name_ is None:
            report.warn("timezone_invalid", _("Unknown time zone %(zone)s; the feed's %(default)s "
                                              "is used.") % {"zone": zone,
                                                             "default": ctx.default_timezone})
        else:
            fields["timezone"], fields["timezone_from_feed"] = name_, False
            if changed:
                report.warn("timezone_alias", _("Time zone %(zone)s read as %(name)s.")
                            % {"zone": zone, "name": name_})

    fields["latitude"], fields["longitude"] = coordinates(raw, report)
    approximate = raw.get("approximate")
    if isinstance(approximate, str) and approximate.strip().lower() in ("yes", "no", "true",
                                                                         "false", "1", "0"):
        approximate = approximate.strip().lower() in ("yes", "true", "1")
    elif approximate is not None and not isinstance(approximate, bool):
        report.warn("approximate_invalid", _("'approximate' is not yes or no; ignored."))
        approximate = None
    physical = bool(fields["formatted_address"] or fields["latitude"] is not None)
    fields["approximate"] = approximate
    treat_approximate = approximate if approximate is not None else not physical

    types, unknown = normalise_types(raw.get("types"), ctx.program, report)
    sent_online = codes.ONLINE in types
    types = [t for t in types if t != codes.ONLINE]
    url = text(raw.get("conference_url"))
    if url:
        if not web_address(url):
            report.warn("conference_url_invalid", _("The conference link is not a web address; "
                                                    "kept aside."))
            extra["conference_url"], url = url, ""
        elif conference_provider(url) is None:
            report.warn("conference_url_provider", _(
                "The conference link's site (%(host)s) is not a known meeting provider; kept aside "
                "(TSML drops it too).") % {"host": urlparse(url).hostname})
            extra["conference_url"], url = url, ""
    phone = text(raw.get("conference_phone"))
    fields["conference_url"], fields["conference_phone"] = url, phone
    if url or phone:
        types.append(codes.ONLINE)
    elif sent_online:
        report.warn("online_without_conference", _(
            "Typed online (ONL) without a usable conference link or phone: not listed as online."))
    fields["types"], fields["unknown_types"] = types, unknown
    fields["types_text"] = "|" + "|".join(types) + "|" if types else ""
    fields["attendance_option"] = attendance(set(types), bool(treat_approximate))
    sent = text(raw.get("attendance_option"))
    if sent and sent != fields["attendance_option"]:
        report.warn("attendance_differs", _("The feed says %(sent)s; derived %(derived)s from the "
                                            "types and conference fields.")
                    % {"sent": sent, "derived": fields["attendance_option"]})

    fields["updated_raw"] = text(raw.get("updated"))[:60]
    fields["updated"] = parse_updated(raw.get("updated"), report)
    fields["extra"] = json.loads(json.dumps(extra, default=str))
    _fit(fields, report)

    meetings = []
    for day in days:
        meeting = {**fields, "day": day}
        if day is None:
            meeting["end_time"] = None
        meeting["key"] = f"{slug}/d{day}" if len(days) > 1 else slug
        meetings.append(meeting)
    report.meetings = len(meetings)
    return report, meetings


def fingerprint(meeting: dict) -> str:
    return hashlib.sha256(json.dumps(meeting, sort_keys=True, default=str).encode()).hexdigest()


def settle_duplicates(result: ParseResult, pairs: list[tuple[RecordReport, list[dict]]]) -> None:
    """Add each record's meetings to the result; an identical repeat of a key is rejected as a
    duplicate, a differing one is kept under a derived key with a warning."""
    seen: dict[str, tuple[str, int]] = {}
    for report, meetings in pairs:
        result.reports.append(report)
        if report.outcome != "imported":
            continue
        kept = []
        for meeting in meetings:
            digest = fingerprint({k: v for k, v in meeting.items() if k != "key"})
            key = meeting["key"]
            if key in seen:
                if seen[key][0] == digest:
                    continue
                n = 2
                while f"{key}~{n}" in seen:
                    n += 1
                report.warn("duplicate_key", _(
                    "Slug %(key)s is used by record %(first)s too, with different details; kept "
                    "as %(new)s.") % {"key": key, "first": seen[key][1], "new": f"{key}~{n}"})
                meeting["key"] = key = f"{key}~{n}"
            seen[key] = (digest, report.record)
            meeting["import_hash"] = digest
            kept.append(meeting)
        if not kept:
            report.reject(_("An exact duplicate of an earlier record with the same slug."))
            report.meetings = 0
            continue
        report.meetings = len(kept)
        result.meetings.extend(kept)


def finish(result: ParseResult, ctx: Context) -> ParseResult:
    """Feed-level notes: what applies to many records at once."""
    guessed = sum(1 for m in result.meetings if m["timezone_from_feed"])
    if guessed:
        result.notes.append(_("%(n)s meetings name no time zone; the feed's %(zone)s is used.")
                            % {"n": guessed, "zone": ctx.default_timezone})
    return result
