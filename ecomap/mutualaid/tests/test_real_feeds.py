"""Every record of every real feed in shared/data/meetings is imported or reported with its reason."""

from __future__ import annotations

import json

import pytest

from ecomap.mutualaid import services
from ecomap.mutualaid.models import ImportRun, Meeting

MEETING_GUIDE = [("aasepia.json", "aa"), ("alanon-ma.json", "al-anon"), ("edmontonaa.json", "aa"),
                 ("nwta-amarillo.json", "aa")]
BMLT = "bmlt/meeting-search-42.867970-day2.json"


def _days(record) -> int:
    """Meetings a record makes: one per distinct day when `day` is a list, else one."""
    day = record.get("day")
    return len({str(d) for d in day}) if isinstance(day, list) and day else 1


def test_the_folder_holds_what_these_tests_cover(real_feeds):
    files = {p.relative_to(real_feeds).as_posix() for p in real_feeds.rglob("*.json")}
    covered = {f for f, _p in MEETING_GUIDE} | {BMLT, "bmlt/formats.json",
                                                  "bmlt/service-bodies.json"}
    assert files == covered, "a new file in shared/data/meetings needs a test here"


@pytest.mark.django_db
@pytest.mark.parametrize(("filename", "fellowship"), MEETING_GUIDE)
def test_every_meeting_guide_record_is_imported_or_reported(real_feeds, make_feed, filename,
                                                             fellowship):
    data = (real_feeds / filename).read_bytes()
    records = json.loads(data)
    feed = make_feed(name=filename, fellowship=fellowship)
    run = services.import_feed(feed, actor="system:test", data=data, source=filename)

    assert not run.refused
    assert run.records == len(records)
    assert run.records == run.records_imported + run.records_rejected
    reported = {e["record"] for e in run.report["entries"]}
    rejected = [e for e in run.report["entries"] if e["outcome"] == "rejected"]
    assert len(rejected) == run.records_rejected and all(e["reason"] for e in rejected)
    # Imported records, expanded by day, are the meetings written (duplicates set aside).
    expanded = sum(_days(r) for i, r in enumerate(records, start=1)
                   if i not in {e["record"] for e in rejected})
    assert run.meetings == expanded == Meeting.objects.filter(feed=feed).count()
    assert run.created == run.meetings
    # Every record with a warning is in the report, each warning with a message.
    assert all(w["message"] for e in run.report["entries"] for w in e["warnings"])
    assert reported <= set(range(1, len(records) + 1))


@pytest.mark.django_db
def test_what_each_real_feed_gets_normalised(real_feeds, make_feed):
    expected = {
        "aasepia.json": {"day_string": 2098, "coordinates_string": 2098, "type_unknown": 22},
        "edmontonaa.json": {"day_array": 315, "time_12h": 315, "updated_format": 315,
                            "type_empty": 1},
        "nwta-amarillo.json": {"types_string": 613, "type_name": 613, "slug_number": 613,
                               "coordinates_zero": 66},
    }
    for filename, counts in expected.items():
        feed = make_feed(name=filename)
        run = services.import_feed(feed, actor="system:test", source=filename,
                                   data=(real_feeds / filename).read_bytes())
        for code, count in counts.items():
            assert run.report["warning_counts"].get(code) == count, (filename, code)
    # The ASBI typo is kept verbatim, not dropped.
    assert any("ASBI" in m.types and "ASBI" in m.unknown_types
               for m in Meeting.objects.filter(feed__name="aasepia.json"))
    # No meeting sits at 0,0.
    assert not Meeting.objects.filter(latitude=0).exists()
    assert not Meeting.objects.filter(longitude=0).exists()


@pytest.mark.django_db
def test_al_anon_codes_keep_their_al_anon_meaning(real_feeds, make_feed):
    feed = make_feed(name="alanon", fellowship="al-anon")
    services.import_feed(feed, actor="system:test", source="alanon-ma.json",
                         data=(real_feeds / "alanon-ma.json").read_bytes())
    poa = next(m for m in Meeting.objects.filter(feed=feed) if "POA" in m.types)
    assert dict(poa.type_labels)["POA"] == "Parents of Alcoholics"
    alateen = next(m for m in Meeting.objects.filter(feed=feed) if "Y" in m.types)
    assert dict(alateen.type_labels)["Y"] == "Alateen"
    # The feed's own attendance options agree with the TSML rule we derive them by.
    records = {r["slug"]: r for r in json.loads((real_feeds / "alanon-ma.json").read_bytes())}
    for m in Meeting.objects.filter(feed=feed):
        assert m.attendance_option == records[m.slug]["attendance_option"]


@pytest.mark.django_db
def test_every_bmlt_record_is_imported_or_reported(real_feeds, make_feed):
    data = (real_feeds / BMLT).read_bytes()
    document = json.loads(data)
    feed = make_feed(name="na", fellowship="na", format="bmlt", tz="America/New_York")
    run = services.import_feed(feed, actor="system:test", data=data, source=BMLT,
                               formats=(real_feeds / "bmlt/formats.json").read_bytes())
    assert run.records == len(document["meetings"]) == run.records_imported + run.records_rejected
    assert run.meetings == Meeting.objects.filter(feed=feed).count() == run.records_imported
    by_key = {m.key: m for m in Meeting.objects.filter(feed=feed)}
    first = document["meetings"][0]  # weekday 2 = Monday; formats O,RF,To
    meeting = by_key[first["id_bigint"]]
    assert meeting.day == 1 and meeting.time.strftime("%H:%M:%S") == first["start_time"]
    assert meeting.types == ["O", "VAR", "TOP"]  # OPEN -> O; RF -> VAR, To -> TOP (NA codes)
    wheelchair = next(r for r in document["meetings"] if "WC" in r["formats"].split(","))
    assert "X" in by_key[wheelchair["id_bigint"]].types  # WC -> world id WCHR -> X


@pytest.mark.django_db
@pytest.mark.parametrize("filename", ["bmlt/formats.json", "bmlt/service-bodies.json"])
@pytest.mark.parametrize("format", ["meetingguide", "bmlt"])
def test_lists_that_are_not_meetings_are_refused_whole_and_say_what_they_are(
        real_feeds, make_feed, filename, format):
    feed = make_feed(name=f"{filename}-{format}", format=format)
    run = services.import_feed(feed, actor="system:test", source=filename,
                               data=(real_feeds / filename).read_bytes())
    assert run.refused and "not meetings" in run.error
    records = len(json.loads((real_feeds / filename).read_bytes()))
    assert records > 0 and not Meeting.objects.filter(feed=feed).exists()
    assert ImportRun.objects.filter(feed=feed, status="refused").count() == 1


@pytest.mark.django_db
def test_reimporting_a_real_feed_changes_nothing(real_feeds, make_feed):
    data = (real_feeds / "edmontonaa.json").read_bytes()
    feed = make_feed()
    services.import_feed(feed, actor="system:test", data=data, source="e.json")
    before = list(Meeting.objects.filter(feed=feed).values_list("pk", "import_hash", "changed_at"))
    run = services.import_feed(feed, actor="system:test", data=data, source="e.json")
    assert (run.created, run.updated, run.deactivated, run.unchanged) == (0, 0, 0, len(before))
    after = list(Meeting.objects.filter(feed=feed).values_list("pk", "import_hash", "changed_at"))
    assert before == after


@pytest.mark.django_db
@pytest.mark.parametrize(("filename", "fellowship"), MEETING_GUIDE)
def test_no_value_of_a_real_feed_is_cut(real_feeds, make_feed, filename, fellowship):
    """Every text a record sent is stored whole: in its column, or aside in the meeting's extra."""
    records = json.loads((real_feeds / filename).read_bytes())
    feed = make_feed(name=filename, fellowship=fellowship)
    services.import_feed(feed, actor="system:test", source=filename,
                         data=(real_feeds / filename).read_bytes())
    stored = {}
    for m in Meeting.objects.filter(feed=feed):
        stored.setdefault(m.slug, m)
    for record in records:
        meeting = stored.get(str(record.get("slug") or record.get("id") or "").strip())
        if meeting is None:
            continue
        for name in ("name", "notes", "location", "address", "url", "conference_url"):
            value = record.get(name)
            if isinstance(value, str) and value.strip():
                kept = getattr(meeting, name) or meeting.extra.get(name, "")
                assert kept == value.replace("\r\n", "\n").strip(), (filename, name)


@pytest.mark.django_db
def test_real_meetings_without_a_zone_take_their_coordinates_zone(real_feeds, make_feed):
    # Amarillo's meetings name no zone: imported as a feed set to New York's, those with
    # coordinates read Texas's; those at 0,0 (no coordinates) keep the feed's, and say so.
    feed = make_feed(name="amarillo", tz="America/New_York")
    run = services.import_feed(feed, actor="system:test", source="nwta-amarillo.json",
                               data=(real_feeds / "nwta-amarillo.json").read_bytes())
    located = Meeting.objects.filter(feed=feed, latitude__isnull=False)
    assert set(located.values_list("timezone", flat=True)) <= {"America/Chicago", "America/Denver"}
    assert not located.filter(timezone_from_feed=True).exists()
    assert run.report["warning_counts"]["timezone_from_coordinates"] == located.exclude(
        attendance_option="online").count()
    assert set(Meeting.objects.filter(feed=feed, latitude__isnull=True).values_list(
        "timezone", flat=True)) == {"America/New_York"}
