"""What every feed format shares: normalising one Meeting Guide-shaped record, field by field
(fields.py), settling duplicate keys, and the import report.

Plain Python (no database). A parser turns a file into `Parsed`: the meetings to upsert (dicts of
Meeting field values with their `key`) and an `ecomap.core.imports.ImportReport` with one record
per record of the file, so that every record is accounted for: imported, normalised (with the
warnings of what changed) or rejected (with the reason). A file that cannot be read at all raises
`FeedRefused` (an `ImportRefused`) with the position of the error.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ecomap.core.imports import ImportRefused, ImportReport, RecordReport

from .. import codes
from . import fields as f
from .fields import STRING_FIELDS, URL_FIELDS
from .values import attendance, is_blank, text

MAX_RECORDS = 500_000
FEED = "feed"  # the location of lines about the file as a whole


class FeedRefused(ImportRefused):
    """The whole file is refused; str(error) says why and where. Nothing is changed."""

    def __init__(self, message: str, location: str = FEED):
        super().__init__(location, message)


@dataclass
class Parsed:
    meetings: list[dict] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)


@dataclass(frozen=True)
class Context:
    program: str
    default_timezone: str


def location(index: int) -> str:
    return _("record %(n)s") % {"n": index}


def new_record(report: ImportReport, index: int) -> RecordReport:
    return report.record(location(index))


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


# --- one record --------------------------------------------------------------------------------

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


def normalise(raw, row: RecordReport, ctx: Context) -> list[dict]:
    """One Meeting Guide-shaped record -> the meetings it makes (one per day), each field through
    its normaliser; what changed is on `row`. A rejected record makes none."""
    if not isinstance(raw, dict):
        row.reject(_("The record is not a JSON object."))
        return []
    raw = {ALIASES.get(k, k): v for k, v in raw.items()}
    slug = f.slug(raw, row)
    if slug is None:
        return []
    row.key = slug
    name = f.name(raw, row)
    if name is None:
        return []
    row.name = name

    extra = {k: v for k, v in raw.items() if k not in SPEC_FIELDS and k not in ("slug", "name")}
    fields: dict = {"slug": slug, "name": name}
    for field_name in STRING_FIELDS:
        fields[field_name] = f.plain_text(raw.get(field_name), row, field=field_name, extra=extra)
    fields["postal_code"] = f.postal_code(raw.get("postal_code"), row,
                                          country=fields["country"]) or fields["postal_code"]
    fields["country"] = f.country(fields["country"], row)
    fields["formatted_address"] = f.formatted_address(fields)
    fields["regions"] = f.regions(raw.get("regions"), row)
    if not fields["region"] and fields["regions"]:
        fields["region"] = fields["regions"][0]
        if len(fields["regions"]) > 1 and not fields["sub_region"]:
            fields["sub_region"] = fields["regions"][-1]
    for field_name in URL_FIELDS:
        fields[field_name] = f.web_url(raw.get(field_name), row, field=field_name, extra=extra)
    fields["feedback_emails"] = f.feedback_emails(raw.get("feedback_emails"), row)
    fields["contacts"] = f.contacts(raw, row)

    # Day and time: missing = by appointment; present but unreadable = rejected.
    days: list[int | None]
    if is_blank(raw.get("day")) or is_blank(raw.get("time")):
        days, start, end = [None], None, None
        row.warn(_("No day or no time: kept as a meeting by appointment."),
                 code="by_appointment")
    else:
        days = f.days(raw.get("day"), row)
        if days is None:
            return []
        start = f.start_time(raw.get("time"), row)
        if start is None:
            return []
        end = f.end_time(raw.get("end_time"), row, start=start)
    fields["time"], fields["end_time"] = start, end

    fields["latitude"], fields["longitude"] = f.coordinates(raw, row)
    fields["approximate"] = f.approximate(raw.get("approximate"), row)
    physical = bool(fields["formatted_address"] or fields["latitude"] is not None)
    treat_approximate = fields["approximate"] if fields["approximate"] is not None \
        else not physical

    types, unknown = f.types(raw.get("types"), row, program=ctx.program)
    sent_online = codes.ONLINE in types
    types = [t for t in types if t != codes.ONLINE]
    url = f.conference_url(raw.get("conference_url"), row, extra=extra)
    phone = text(raw.get("conference_phone"))
    fields["conference_url"], fields["conference_phone"] = url, phone
    if url or phone:
        types.append(codes.ONLINE)
    elif sent_online:
        row.warn(_("Typed online (ONL) without a usable conference link or phone: not listed as "
                   "online."), code="online_without_conference")
    fields["types"], fields["unknown_types"] = types, unknown
    fields["types_text"] = "|" + "|".join(types) + "|" if types else ""
    fields["attendance_option"] = attendance(set(types), bool(treat_approximate))
    sent = text(raw.get("attendance_option"))
    if sent and sent != fields["attendance_option"]:
        row.warn(_("The feed says %(sent)s; derived %(derived)s from the types and conference "
                   "fields.") % {"sent": sent, "derived": fields["attendance_option"]},
                 code="attendance_differs")

    fields["timezone"], fields["timezone_from_feed"] = f.timezone(
        raw.get("timezone"), row, default=ctx.default_timezone, latitude=fields["latitude"],
        longitude=fields["longitude"], online_only=fields["attendance_option"] == "online")

    fields["updated_raw"] = text(raw.get("updated"))
    fields["updated"] = f.updated(raw.get("updated"), row)
    fields["extra"] = json.loads(json.dumps(extra, default=str))

    meetings = []
    for day in days:
        meeting = {**fields, "day": day}
        if day is None:
            meeting["end_time"] = None
        meeting["key"] = f"{slug}/d{day}" if len(days) > 1 else slug
        meetings.append(meeting)
    row.count = len(meetings)
    return meetings


def fingerprint(meeting: dict) -> str:
    return hashlib.sha256(json.dumps(meeting, sort_keys=True, default=str).encode()).hexdigest()


def settle_duplicates(result: Parsed, pairs: list[tuple[RecordReport, list[dict]]]) -> None:
    """Add each record's meetings to the result; an identical repeat of a key is rejected as a
    duplicate, a differing one is kept under a derived key with a warning."""
    seen: dict[str, tuple[str, str]] = {}
    for report, meetings in pairs:
        if report.rejected:
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
                report.warn(_(
                    "Slug %(key)s is used by %(first)s too, with different details; kept as "
                    "%(new)s.") % {"key": key, "first": seen[key][1], "new": f"{key}~{n}"},
                    code="duplicate_key")
                meeting["key"] = key = f"{key}~{n}"
            seen[key] = (digest, report.location)
            meeting["import_hash"] = digest
            kept.append(meeting)
        if not kept:
            report.reject(_("An exact duplicate of an earlier record with the same slug."))
            report.count = 0
            continue
        report.count = len(kept)
        result.meetings.extend(kept)


def finish(result: Parsed, ctx: Context) -> Parsed:
    """Feed-level lines: what applies to many records at once."""
    guessed = sum(1 for m in result.meetings if m["timezone_from_feed"])
    if guessed:
        result.report.info(FEED, _("%(n)s meetings name no time zone; the feed's %(zone)s is "
                                   "used.") % {"n": guessed, "zone": ctx.default_timezone},
                           code="timezone_default")
    return result
