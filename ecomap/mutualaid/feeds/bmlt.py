"""BMLT (Basic Meeting List Toolbox, NA) semantic-API JSON: `GetSearchResults`.

Accepted shapes: a list of meetings, or `{"meetings": [...], "formats": [...]}` (get_used_formats=1).
Every value is a string; `weekday_tinyint` is 1 = Sunday ... 7 = Saturday; times are HH:MM:SS;
`formats` is a comma-separated list of *server-specific* keys, so each key is looked up in the
server's format list and mapped through its `world_id` (codes.BMLT_TO_SPEC; NA world ids without a
spec counterpart are kept as NA codes). Each record is turned into a Meeting Guide-shaped record and
normalised like one (common.normalise), so the rules and the report are the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from .. import codes
from .common import (
    FEED,
    MAX_RECORDS,
    Context,
    FeedRefused,
    Parsed,
    describe_shape,
    finish,
    load_json,
    new_record,
    normalise,
    settle_duplicates,
)
from .values import parse_time

FIELD_MAP = {
    "meeting_name": "name", "location_text": "location", "location_info": "location_notes",
    "location_street": "address", "location_municipality": "city", "location_province": "state",
    "location_postal_code_1": "postal_code", "location_nation": "country", "comments": "notes",
    "virtual_meeting_link": "conference_url", "phone_meeting_number": "conference_phone",
    "virtual_meeting_additional_info": "conference_url_notes", "service_body_name": "region",
    "location_neighborhood": "sub_region", "latitude": "latitude", "longitude": "longitude",
    "time_zone": "timezone", "email_contact": "entity_email",
    "contact_name_1": "contact_1_name", "contact_phone_1": "contact_1_phone",
    "contact_email_1": "contact_1_email", "contact_name_2": "contact_2_name",
    "contact_phone_2": "contact_2_phone", "contact_email_2": "contact_2_email",
}
HANDLED = {"id_bigint", "weekday_tinyint", "start_time", "duration_time", "formats", "venue_type",
           "lang_enum", "published", *FIELD_MAP}
VENUES = {"1": "in_person", "2": "online", "3": "hybrid"}


def read_formats(document) -> dict[str, dict]:
    """Server key -> format (key_string, name_string, world_id, ...)."""
    if not isinstance(document, list):
        raise FeedRefused(_("The format list is not a BMLT GetFormats answer (a list of formats)."))
    return {str(f.get("key_string")): f for f in document
            if isinstance(f, dict) and f.get("key_string")}


def _types(keys: str, formats: dict[str, dict], report) -> tuple[list[str], set]:
    """(spec or NA codes, world ids seen)."""
    found, worlds = [], set()
    for key in (k.strip() for k in keys.split(",")):
        if not key:
            continue
        fmt = formats.get(key)
        if fmt is None:
            report.warn(_("Format key %(key)s is not in the server's format list; kept as it "
                          "is.") % {"key": key}, code="format_unknown")
            code = key
        else:
            world = str(fmt.get("world_id") or "").strip()
            worlds.add(world)
            name = str(fmt.get("name_string") or "").strip()
            if world == "LANG":
                code = codes.BMLT_LANGUAGE_KEYS.get(key.upper())
                if code is None:
                    report.warn(_("Language format %(key)s (%(name)s) has no spec code; kept "
                                  "as it is.") % {"key": key, "name": name},
                                code="format_language")
                    code = key
            elif world in codes.BMLT_TO_SPEC:
                code = codes.BMLT_TO_SPEC[world]
            elif world in ("VM", "HYBR"):
                continue  # venue, not a type: read below
            elif world:
                code = world
            elif name.casefold() in codes.BMLT_BY_NAME:
                code = codes.BMLT_BY_NAME[name.casefold()]
                report.warn(_("Format %(key)s has no world id; mapped by its name %(name)s to "
                              "%(code)s.") % {"key": key, "name": name, "code": code},
                            code="format_by_name")
            else:
                report.warn(_("Format %(key)s (%(name)s) has no world id; kept as its server "
                              "key.") % {"key": key, "name": name}, code="format_no_world_id")
                code = key
        if code not in found:
            found.append(code)
    return found, worlds


def _record(raw: dict, row, formats: dict, ctx: Context) -> list[dict]:
    """A BMLT meeting as a Meeting Guide-shaped record, normalised; what changed is on `row`."""
    pre = row
    shaped: dict = {FIELD_MAP[k]: v for k, v in raw.items() if k in FIELD_MAP}
    shaped["slug"] = str(raw.get("id_bigint") or "").strip()
    weekday = str(raw.get("weekday_tinyint") or "").strip()
    if weekday:
        shaped["day"] = int(weekday) - 1 if weekday.isdigit() and 1 <= int(weekday) <= 7 \
            else weekday
    start, _code = parse_time(str(raw.get("start_time") or ""))
    if start is not None:
        shaped["time"] = start.strftime("%H:%M")
        duration = str(raw.get("duration_time") or "").strip()
        if duration:
            parts = duration.split(":")
            try:
                minutes = int(parts[0]) * 60 + int(parts[1])
            except (ValueError, IndexError):
                pre.warn(_("Duration %(d)s cannot be read; no end time.") % {"d": duration},
                         code="duration_invalid")
                minutes = 0
            if 0 < minutes < 24 * 60:
                end = datetime.combine(datetime.min, start) + timedelta(minutes=minutes)
                shaped["end_time"] = end.strftime("%H:%M")
    elif raw.get("start_time"):
        shaped["time"] = raw["start_time"]  # unreadable: normalise() rejects it with the reason
    types, worlds = _types(str(raw.get("formats") or ""), formats, pre)
    lang = str(raw.get("lang_enum") or "").strip().lower()
    if lang and lang != "en" and codes.ISO_LANGUAGES.get(lang) and \
            codes.ISO_LANGUAGES[lang] not in types:
        types.append(codes.ISO_LANGUAGES[lang])
    venue = VENUES.get(str(raw.get("venue_type") or "").strip())
    if venue is None:
        venue = "hybrid" if "HYBR" in worlds else "online" if "VM" in worlds else None
    if venue == "online":
        shaped["approximate"] = "yes"
    elif venue in ("hybrid", "in_person"):
        shaped["approximate"] = "no"
    shaped["types"] = types
    shaped["extra_bmlt"] = {k: v for k, v in raw.items() if k not in HANDLED and v not in ("", None)}
    meetings = normalise(shaped, row, ctx)
    if venue in ("online", "hybrid") and codes.ONLINE not in (meetings[0]["types"] if meetings
                                                              else [codes.ONLINE]):
        row.warn(_("BMLT says %(venue)s, but there is no usable link or phone.")
                 % {"venue": venue}, code="venue_without_link")
    for meeting in meetings:
        extra = meeting["extra"]
        extra.update(extra.pop("extra_bmlt", {}))
    return meetings


def parse(data: bytes, ctx: Context, formats: bytes | None = None) -> Parsed:
    document = load_json(data)
    format_list: dict[str, dict] = {}
    if isinstance(document, dict) and isinstance(document.get("meetings"), list):
        format_list = read_formats(document.get("formats") or [])
        meetings = document["meetings"]
    elif isinstance(document, list) and (not document or all(
            isinstance(r, dict) and ("id_bigint" in r or "weekday_tinyint" in r)
            for r in document[:50])):
        meetings = document
    else:
        raise FeedRefused(_("This is not a BMLT meeting list (GetSearchResults): it is %(shape)s. "
                            "Nothing was changed.") % {"shape": describe_shape(document)})
    if formats is not None:
        format_list.update(read_formats(load_json(formats)))
    if len(meetings) > MAX_RECORDS:
        raise FeedRefused(_("The feed holds %(n)s records, more than %(max)s. Nothing was changed.")
                          % {"n": len(meetings), "max": MAX_RECORDS})
    result = Parsed()
    pairs = []
    for index, raw in enumerate(meetings, start=1):
        row = new_record(result.report, index)
        if not isinstance(raw, dict):
            row.reject(_("The record is not a JSON object."))
            pairs.append((row, []))
        else:
            pairs.append((row, _record(raw, row, format_list, ctx)))
    settle_duplicates(result, pairs)
    if not format_list and any(str(m.get("formats") or "") for m in meetings if isinstance(m, dict)):
        result.report.warning(FEED, _(
            "No format list came with the meetings: format keys are kept as the server sent "
            "them. Import with the server's GetFormats answer to map them through their world "
            "ids."), code="formats_missing")
    return finish(result, ctx)
