"""The parsers on small synthetic feeds: every kind of bad record, every type code, malformed files."""

from __future__ import annotations

import json
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomap.core.imports import ImportRefused
from ecomap.mutualaid import codes, feeds
from ecomap.mutualaid.feeds import fields
from ecomap.mutualaid.feeds.common import FeedRefused
from ecomap.mutualaid.feeds.values import attendance, parse_time

from .conftest import feed_bytes, meeting


def parse(records, program="aa", raw: bytes | None = None):
    return feeds.parse(raw if raw is not None else feed_bytes(records), format="meetingguide",
                       program=program, default_timezone="America/Chicago")


def codes_of(report):
    return [w.code for w in report.warnings]


def notes(result):
    return [line.message for line in result.report.lines]


def kept(row):
    return "rejected" if row.rejected else "imported"


def one(record, program="aa"):
    result = parse([record], program)
    assert result.report.read == 1
    return result.report.records[0], result.meetings


def test_a_clean_record_has_no_warnings_and_keeps_every_spec_field():
    record = meeting(
        location="Hall", location_notes="Side door", notes="Bring a friend", group="Serenity",
        group_notes="Business meeting monthly", region="North", sub_region="Lakeside",
        conference_url="https://zoom.us/j/123", conference_url_notes="pass 1",
        conference_phone="+13125551212,,123#", conference_phone_notes="press 1",
        updated="2024-01-02 03:04:05", url="https://example.org/m1",
        edit_url="https://example.org/m1/edit", feedback_emails=["a@example.org"],
        feedback_url="https://example.org/feedback", venmo="@grp", square="$grp", paypal="grp",
        homegroup_online="grp", entity="Intergroup", entity_email="i@example.org",
        entity_location="Riverside", entity_logo="https://example.org/logo.svg",
        entity_phone="555", entity_website_url="https://example.org", contact_1_name="Sam",
        contact_1_email="s@example.org", contact_1_phone="555-0100", approximate="no",
        formatted_address="1 Main St, Riverside, IL 60600, USA")
    report, (m,) = one(record)
    assert not report.rejected and report.warnings == []
    assert m["key"] == "m1" and m["day"] == 1 and m["time"] == time(19) and m["end_time"] == time(20)
    assert m["timezone"] == "America/Chicago" and not m["timezone_from_feed"]
    assert m["types"] == ["O", "D", "ONL"] and m["attendance_option"] == "hybrid"
    assert m["contacts"] == [{"name": "Sam", "email": "s@example.org", "phone": "555-0100"}]
    assert m["updated"].isoformat() == "2024-01-02T03:04:05+00:00"
    for name in ("location_notes", "group_notes", "conference_phone_notes", "entity_logo",
                 "homegroup_online", "feedback_url", "edit_url"):
        assert m[name] == record[name]


def test_every_spec_type_code_is_kept_as_a_known_code():
    every = [*codes.SPEC_TYPES, *codes.LANGUAGE_TYPES]
    assert len(every) == 87
    result = parse([meeting(slug=f"m-{i}", types=[code]) for i, code in enumerate(every)])
    assert [m["types"] for m in result.meetings] == [[code] for code in every]
    assert not any(r.warnings for r in result.report.records)
    assert all(m["unknown_types"] == [] for m in result.meetings)


@pytest.mark.parametrize(("types", "expected", "warning"), [
    (["o", "d"], ["O", "D"], "type_case"),
    ("O, D", ["O", "D"], "types_string"),
    ("[open]", ["O"], "type_name"),
    (["Wheelchair Access", "Sign Language"], ["X", "ASL"], "type_name"),
    (["O", "ASBI"], ["O", "ASBI"], "type_unknown"),
    (["O", ""], ["O"], "type_empty"),
    (["O", "C"], ["C"], "type_open_closed"),
    (["ONL"], [], "online_without_conference"),
    (42, [], "types_invalid"),
])
def test_types_are_normalised_with_a_warning(types, expected, warning):
    report, (m,) = one(meeting(types=types))
    assert m["types"] == expected and warning in codes_of(report)


def test_unknown_codes_are_kept_verbatim_and_listed():
    report, (m,) = one(meeting(types=["O", "zz-Custom"]))
    assert m["types"] == ["O", "zz-Custom"] and m["unknown_types"] == ["zz-Custom"]
    assert m["types_text"] == "|O|zz-Custom|"


def test_program_vocabularies_differ():
    report, _m = one(meeting(types=["POA", "AC"]), program="al-anon")
    assert "type_unknown" not in codes_of(report)
    report, _m = one(meeting(types=["POA", "AC"]), program="aa")
    assert codes_of(report) == ["type_unknown"]  # AC is Al-Anon's, not AA's
    assert codes.label("POA", "al-anon") == "Parents of Alcoholics"
    assert codes.label("POA", "aa") == "Proof of Attendance"


@pytest.mark.parametrize(("day", "expected", "warning"), [
    ("3", [3], "day_string"), ("Monday", [1], "day_name"), ("sat", [6], "day_name"),
    ([4], [4], "day_array"), ([1, 3, 5], [1, 3, 5], "day_array"), ([2, 2], [2], "day_array"),
])
def test_days_are_normalised(day, expected, warning):
    report, meetings = one(meeting(day=day))
    assert [m["day"] for m in meetings] == expected and warning in codes_of(report)
    assert report.count == len(expected)


def test_a_day_array_makes_one_meeting_per_day_with_stable_keys():
    report, meetings = one(meeting(slug="multi", day=[1, 3]))
    assert [m["key"] for m in meetings] == ["multi/d1", "multi/d3"]
    assert {m["slug"] for m in meetings} == {"multi"}


@pytest.mark.parametrize("day", [7, -1, "Funday", True, {"d": 1}, [1, 9]])
def test_a_day_that_is_not_a_weekday_is_rejected_with_the_reason(day):
    report, meetings = one(meeting(day=day))
    assert report.rejected and "day" in report.reason and meetings == []


@pytest.mark.parametrize(("given", "expected"), [
    ("11:00 AM", time(11)), ("12:00 PM", time(12)), ("12:30 am", time(0, 30)),
    ("6 PM", time(18)), ("7:15p.m.", time(19, 15)), ("8:00", time(8)), ("19:30:00", time(19, 30)),
    ("noon", time(12)),
])
def test_times_are_read(given, expected):
    report, (m,) = one(meeting(time=given, end_time=...))
    assert m["time"] == expected


@pytest.mark.parametrize("given", ["25:00", "7 o'clock", "13:00 PM", "19:75"])
def test_an_unreadable_time_is_rejected(given):
    report, meetings = one(meeting(time=given))
    assert report.rejected and "time" in report.reason


@pytest.mark.parametrize("missing", ["day", "time"])
def test_no_day_or_no_time_is_by_appointment(missing):
    report, (m,) = one(meeting(**{missing: ...}))
    assert not report.rejected and "by_appointment" in codes_of(report)
    assert m["day"] is None and m["time"] is None and m["end_time"] is None


def test_end_times_past_midnight():
    report, (m,) = one(meeting(time="23:30", end_time="00:30"))
    assert m["end_time"] == time(0, 30) and "end_before_start" not in codes_of(report)
    report, (m,) = one(meeting(time="19:15", end_time="08:15"))
    assert "end_before_start" in codes_of(report)
    report, (m,) = one(meeting(end_time="later"))
    assert m["end_time"] is None and "end_time_invalid" in codes_of(report)


@pytest.mark.parametrize(("lat", "lng", "warning"), [
    (0, 0, "coordinates_zero"), (33.58, 0.0, "coordinates_zero"), (91, 10, "coordinates_range"),
    (45, 181, "coordinates_range"), ("x", "y", "coordinates_invalid"),
    (45, None, "coordinates_invalid"),
])
def test_bad_coordinates_are_treated_as_missing(lat, lng, warning):
    report, (m,) = one(meeting(latitude=lat, longitude=lng))
    assert m["latitude"] is None and m["longitude"] is None and warning in codes_of(report)


def test_coordinates_as_text_or_as_one_string():
    report, (m,) = one(meeting(latitude="41.5", longitude="-87.25"))
    assert (m["latitude"], m["longitude"]) == (41.5, -87.25)
    assert codes_of(report) == ["coordinates_string"]
    report, (m,) = one(meeting(latitude=..., longitude=..., coordinates="41.5,-87.25"))
    assert (m["latitude"], m["longitude"]) == (41.5, -87.25)


def test_time_zones():
    report, (m,) = one(meeting(timezone="Eastern"))
    assert m["timezone"] == "America/New_York" and "timezone_alias" in codes_of(report)
    report, (m,) = one(meeting(timezone="Mars/Olympus"))
    assert m["timezone"] == "America/Chicago" and m["timezone_from_feed"]
    assert "timezone_invalid" in codes_of(report)
    result = parse([meeting(timezone=..., latitude=..., longitude=...)])
    assert result.meetings[0]["timezone_from_feed"] and "America/Chicago" in notes(result)[-1]


def test_records_without_a_key_or_a_name():
    report, _m = one({"name": "No slug"})
    assert report.rejected and "slug" in report.reason
    report, (m,) = one(meeting(slug=..., id=77))
    assert m["key"] == "77" and "slug_from_id" in codes_of(report)
    report, (m,) = one(meeting(slug=5202))
    assert m["key"] == "5202" and "slug_number" in codes_of(report)
    report, (m,) = one(meeting(name=..., location="Church Hall"))
    assert m["name"] == "Church Hall" and "name_missing" in codes_of(report)
    report, _m = one(meeting(name=...))
    assert report.rejected
    report, _m = one("not an object")
    assert report.rejected


def test_duplicate_slugs():
    result = parse([meeting(slug="a"), meeting(slug="a"), meeting(slug="a", time="08:00")])
    assert [kept(r) for r in result.report.records] == ["imported", "rejected", "imported"]
    assert "duplicate" in result.report.records[1].reason
    assert [m["key"] for m in result.meetings] == ["a", "a~2"]
    assert "duplicate_key" in codes_of(result.report.records[2])


def test_conference_links_and_the_tsml_attendance_rule():
    report, (m,) = one(meeting(conference_url="https://example.com/room"))
    assert m["conference_url"] == "" and m["extra"]["conference_url"] == "https://example.com/room"
    assert "conference_url_provider" in codes_of(report) and m["attendance_option"] == "in_person"
    report, (m,) = one(meeting(conference_phone="+16699009128,,123#", approximate="yes"))
    assert m["attendance_option"] == "online"
    report, (m,) = one(meeting(types=["TC"]))
    assert m["attendance_option"] == "inactive"
    report, (m,) = one(meeting(attendance_option="online"))
    assert "attendance_differs" in codes_of(report)


@pytest.mark.parametrize(("types", "approximate", "expected"), [
    ({"TC", "ONL"}, False, "online"), ({"TC", "ONL"}, True, "online"), ({"TC"}, False, "inactive"),
    ({"TC"}, True, "inactive"), ({"ONL"}, False, "hybrid"), ({"ONL"}, True, "online"),
    (set(), False, "in_person"), (set(), True, "inactive"),
])
def test_attendance_table(types, approximate, expected):
    assert attendance(types, approximate) == expected


def test_other_normalisations():
    report, (m,) = one(meeting(postal_code=2134, country="US", updated="8/29/2021",
                               url="not a url", people="x"))
    assert m["postal_code"] == "02134" and m["country"] == "USA"
    assert m["updated"].date().isoformat() == "2021-08-29" and m["updated_raw"] == "8/29/2021"
    assert m["url"] == "" and m["extra"] == {"people": "x", "url": "not a url"}
    assert {"postal_code_number", "updated_format", "url_invalid"} <= set(codes_of(report))
    report, (m,) = one(meeting(name="x" * 300))
    assert m["name"] == "x" * 300 and "field_truncated" not in codes_of(report)


@pytest.mark.parametrize(("raw", "words"), [
    (b'[{"name": "a", "slug": "a"},\n {"name": "b" "slug": "b"}]', ["line 2", "column"]),
    (b'[{"name": "a", "slug": "a"}][{"name": "b", "slug": "b"}]', ["Extra data", "line 1"]),
    (b"", ["empty"]),
    (b"<!DOCTYPE html><html>Just a moment...</html>", ["HTML"]),
    (b'[{"name": "caf\xe9"}]', ["UTF-8", "byte"]),
    (b'{"name": "a", "slug": "a"}', ["not a Meeting Guide feed", "object"]),
    (b'[{"key_string": "O", "world_id": "OPEN"}]', ["format list"]),
])
def test_a_malformed_file_is_refused_whole_with_the_position(raw, words):
    with pytest.raises(FeedRefused) as refused:
        parse(None, raw=raw)
    for word in words:
        assert word in str(refused.value)


# --- BMLT --------------------------------------------------------------------------------------

FORMATS = [
    {"key_string": "O", "name_string": "Open", "world_id": "OPEN", "id": "17"},
    {"key_string": "ES", "name_string": "Espanol", "world_id": "LANG", "id": "9"},
    {"key_string": "B", "name_string": "Beginners", "world_id": "BEG", "id": "1"},
    {"key_string": "CS", "name_string": "Children under Supervision", "world_id": "", "id": "7"},
    {"key_string": "Ag", "name_string": "Agnostic", "world_id": "", "id": "50"},
    {"key_string": "JT", "name_string": "Just for Today", "world_id": "JFT", "id": "14"},
    {"key_string": "VM", "name_string": "Virtual", "world_id": "VM", "id": "54"},
]


def bmlt(meetings, formats=FORMATS):
    document = {"meetings": meetings, "formats": formats} if formats is not None else meetings
    return feeds.parse(json.dumps(document).encode(), format="bmlt", program="na",
                       default_timezone="America/New_York")


def na(**fields):
    record = {"id_bigint": "10", "weekday_tinyint": "1", "start_time": "19:30:00",
              "duration_time": "01:30:00", "formats": "O", "meeting_name": "Hope",
              "latitude": "42.9", "longitude": "-77.1", "location_street": "1 Main St",
              "location_municipality": "Auburn", "location_province": "NY"}
    record.update(fields)
    return record


def test_bmlt_days_times_and_formats_through_world_ids():
    result = bmlt([na(formats="O,ES,B,JT,CS,Ag,ZZ")])
    (m,), (report,) = result.meetings, result.report.records
    assert m["day"] == 0 and m["time"] == time(19, 30) and m["end_time"] == time(21)
    assert m["types"] == ["O", "S", "BE", "JFT", "CS", "A", "ZZ"]
    assert {"format_no_world_id", "format_by_name", "format_unknown"} <= set(codes_of(report))
    assert m["latitude"] == 42.9 and m["key"] == "10"


def test_bmlt_venues():
    result = bmlt([na(id_bigint="1", venue_type="2", virtual_meeting_link="https://zoom.us/j/1"),
                   na(id_bigint="2", venue_type="3", phone_meeting_number="+15555550100"),
                   na(id_bigint="3", formats="O,VM", virtual_meeting_link="https://zoom.us/j/2"),
                   na(id_bigint="4", venue_type="2")])
    assert [m["attendance_option"] for m in result.meetings] == ["online", "hybrid", "online",
                                                                  "inactive"]
    assert "venue_without_link" in codes_of(result.report.records[3])


def test_bmlt_bad_records_and_languages():
    result = bmlt([na(id_bigint="1", weekday_tinyint="9"), na(id_bigint="2", start_time="late"),
                   na(id_bigint="", meeting_name="x"), na(id_bigint="4", lang_enum="es"), "x"])
    assert [kept(r) for r in result.report.records] == ["rejected", "rejected", "rejected", "imported",
                                                    "rejected"]
    assert result.meetings[0]["types"] == ["O", "S"]


def test_bmlt_without_formats_keeps_keys_and_says_so():
    result = bmlt([na(formats="O,JT")], formats=None)
    assert result.meetings[0]["types"] == ["O", "JT"]
    assert any("GetFormats" in note for note in notes(result))


# --- properties --------------------------------------------------------------------------------


@given(st.integers(0, 23), st.integers(0, 59))
def test_twelve_hour_times_read_back_as_the_same_time(hour, minute):
    twelve = f"{(hour % 12) or 12}:{minute:02d} {'PM' if hour >= 12 else 'AM'}"
    assert parse_time(twelve) == (time(hour, minute), "time_12h")
    assert parse_time(f"{hour:02d}:{minute:02d}") == (time(hour, minute), "")


@given(st.lists(st.integers(0, 6), min_size=1, max_size=7))
def test_a_day_array_makes_one_meeting_per_distinct_day(days):
    report, meetings = one(meeting(day=days))
    assert sorted(m["day"] for m in meetings) == sorted(set(days))
    assert len({m["key"] for m in meetings}) == len(meetings) == report.count


@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_stored_coordinates_are_always_on_the_globe_and_never_zero(lat, lng):
    _report, (m,) = one(meeting(latitude=lat, longitude=lng))
    if m["latitude"] is not None:
        assert -90 <= m["latitude"] <= 90 and -180 <= m["longitude"] <= 180
        assert m["latitude"] != 0 and m["longitude"] != 0


# --- no value is cut; time zones from coordinates; meetings of no length ----------------------


def test_a_long_conference_link_is_kept_whole():
    url = "https://us02web.zoom.us/j/123?pwd=" + "a" * 3000
    report, (m,) = one(meeting(conference_url=url, notes="n" * 5000, url="https://x.org/" + "p" * 2000))
    assert m["conference_url"] == url and m["notes"] == "n" * 5000
    assert len(m["url"]) == 2014 and not report.rejected


def test_a_meeting_without_a_zone_takes_the_zone_of_its_coordinates():
    # Denver's coordinates in a feed whose default is Chicago.
    report, (m,) = one(meeting(timezone=..., latitude=39.74, longitude=-104.99))
    assert m["timezone"] == "America/Denver" and not m["timezone_from_feed"]
    assert "timezone_from_coordinates" in codes_of(report)
    report, (m,) = one(meeting(timezone=...))  # Chicago's own: no warning
    assert m["timezone"] == "America/Chicago"
    assert "timezone_from_coordinates" not in codes_of(report)


def test_an_online_only_meeting_keeps_the_feeds_zone():
    report, (m,) = one(meeting(timezone=..., latitude=39.74, longitude=-104.99, approximate="yes",
                               conference_url="https://zoom.us/j/1"))
    assert m["attendance_option"] == "online"
    assert m["timezone"] == "America/Chicago" and m["timezone_from_feed"]
    assert "timezone_from_coordinates" not in codes_of(report)


def test_a_meeting_that_ends_when_it_starts_is_reported():
    report, (m,) = one(meeting(time="19:00", end_time="19:00"))
    assert m["end_time"] == time(19) and "zero_length" in codes_of(report)
    assert not report.rejected


def test_a_refused_feed_is_an_import_refusal():
    with pytest.raises(ImportRefused) as refused:
        parse([], raw=b"{not json")
    assert isinstance(refused.value, FeedRefused) and refused.value.line.level == "error"


# --- one normaliser per field: properties ------------------------------------------------------


def _row():
    from ecomap.core.imports import ImportReport

    return ImportReport().record("record 1")


@given(st.text(max_size=3000))
def test_a_names_text_is_kept_whole(value):
    row = _row()
    name = fields.name({"name": value}, row)
    if value.strip():
        assert name == value.replace("\r\n", "\n").strip()
    else:
        assert name is None and row.rejected


@given(st.one_of(st.integers(), st.text(max_size=12), st.floats(), st.booleans(), st.none()))
def test_a_day_is_a_weekday_or_the_record_is_rejected(value):
    row = _row()
    days = fields.days(value, row)
    assert (days is None) == row.rejected
    assert days is None or all(0 <= d <= 6 for d in days)


@given(st.integers(0, 23), st.integers(0, 59))
def test_an_end_equal_to_the_start_is_always_named(hour, minute):
    row = _row()
    assert fields.end_time(f"{hour:02d}:{minute:02d}", row, start=time(hour, minute)) == \
        time(hour, minute)
    assert [w.code for w in row.warnings] == ["zero_length"]


@given(st.floats(-89, 89), st.floats(-179, 179))
def test_a_zone_from_coordinates_is_a_known_zone_or_the_default(lat, lng):
    from zoneinfo import available_timezones

    row = _row()
    zone, default = fields.timezone("", row, default="UTC", latitude=lat, longitude=lng)
    assert zone in available_timezones() or zone.startswith("Etc/")
    assert default == (zone == "UTC" and not row.warnings)


@given(st.text(max_size=40))
def test_a_given_zone_is_an_iana_name_or_the_default(value):
    from zoneinfo import available_timezones

    row = _row()
    zone, default = fields.timezone(value, row, default="America/Chicago", latitude=39.7,
                                    longitude=-105.0)
    assert zone in available_timezones()
    if not value.strip():
        assert zone == "America/Denver"


@given(st.text(max_size=4000))
def test_a_web_address_is_kept_whole_or_set_aside(value):
    row, extra = _row(), {}
    url = fields.web_url(value, row, field="url", extra=extra)
    assert url in ("", value.strip())
    assert url or not value.strip() or extra["url"] == value.replace("\r\n", "\n").strip()


@given(st.one_of(st.lists(st.one_of(st.text(max_size=5), st.integers())), st.text(max_size=30)))
def test_types_are_a_list_of_distinct_texts(value):
    found, unknown = fields.types(value, _row(), program="aa")
    assert len(found) == len(set(found)) and all(isinstance(t, str) and t for t in found)
    assert set(unknown) <= set(found)
