"""The staff pages, as users use them: catalogue, feeds and reports, search, admin-only upload."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ecomap.accounts.models import Role
from ecomap.mutualaid import services
from ecomap.mutualaid.models import ImportRun, Meeting, MeetingFeed
from ecomap.mutualaid.schedule import next_occurrence
from ecomap.testing.factories import UserFactory

from .conftest import feed_bytes, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(make_feed):
    feed = make_feed(name="Riverside")
    services.import_feed(feed, actor="system:test", source="riverside.json", data=feed_bytes([
        meeting("a", name="Morning Hope", time="07:00"),
        meeting("b", name="Evening Light", day="2", types=["o", "W", "S"]),
        meeting("c", name="Far Away", latitude=45.0, longitude=-93.0),
        {"name": "no slug"},
    ]))
    return feed


GET_PAGES = ["mutualaid:fellowships", "mutualaid:feeds", "mutualaid:meetings"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_staff_roles_see_the_pages_others_do_not(client, as_user, fellowships, practitioner,
                                                 supervisor, admin_user, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # sign in first
    for user in (practitioner, supervisor, admin_user):
        assert as_user(user).get(url).status_code == 200
    portal = UserFactory(username="portal", role=Role.CLIENT)
    assert as_user(portal).get(url).status_code == 403


def test_the_catalogue_and_a_fellowship_with_its_sources(as_user, practitioner, fellowships):
    page = as_user(practitioner).get(reverse("mutualaid:fellowships")).content.decode()
    for name in ("Alcoholics Anonymous", "SMART Recovery", "Nar-Anon Family Groups",
                 "Women for Sobriety", "has unverified facts"):
        assert name in page
    page = as_user(practitioner).get(reverse("mutualaid:fellowship", args=["cma"])).content.decode()
    assert "unverified" in page and "https://www.crystalmeth.org" in page
    assert as_user(practitioner).get(reverse("mutualaid:fellowship", args=["nope"])).status_code \
        == 404


def test_an_empty_catalogue_says_how_to_load_it(as_user, practitioner):
    page = as_user(practitioner).get(reverse("mutualaid:fellowships")).content.decode()
    assert "ecomap sync_fellowships" in page


def test_feeds_and_their_reports(as_user, practitioner, feed, django_assert_max_num_queries):
    user = as_user(practitioner)
    with django_assert_max_num_queries(6):
        page = user.get(reverse("mutualaid:feeds")).content.decode()
    assert "Riverside" in page and "Create and import" not in page  # no upload for practitioners
    page = user.get(reverse("mutualaid:feed", args=[feed.pk])).content.decode()
    assert "4" in page and "Import a new version" not in page
    run = ImportRun.objects.get(feed=feed)
    url = reverse("mutualaid:run", args=[feed.pk, run.pk])
    page = user.get(url).content.decode()
    assert "No slug" in page and "Type o read as O." in page and "day_string" in page
    page = user.get(url, {"show": "rejected"}).content.decode()
    assert "No slug" in page and "Type o read as O." not in page
    page = user.get(url, {"code": "day_string"}).content.decode()
    assert "Evening Light" in page and "<td>4</td>" not in page  # record 4 is the rejected one
    assert user.get(url, {"page": "999"}).status_code == 200
    assert user.get(reverse("mutualaid:run", args=[feed.pk + 1, run.pk])).status_code == 404


def test_search_finds_meetings_near_a_point(as_user, practitioner, feed,
                                            django_assert_max_num_queries):
    user = as_user(practitioner)
    with django_assert_max_num_queries(8):
        response = user.get(reverse("mutualaid:meetings"), {"lat": "41.88", "lng": "-87.63",
                                                            "radius_km": "25"})
    page = response.content.decode()
    assert response.status_code == 200 and "Morning Hope" in page and "Far Away" not in page
    # Same place, so the sooner one comes first (whichever that is today).
    morning, evening = Meeting.objects.get(key="a"), Meeting.objects.get(key="b")
    now = timezone.now()
    sooner, later = sorted([morning, evening], key=lambda m: next_occurrence(m, now))
    assert page.index(sooner.name) < page.index(later.name)
    page = user.get(reverse("mutualaid:meetings"), {"lat": "41.88", "lng": "-87.63",
                                                    "types": ["W"], "languages": ["S"]}).content
    assert b"Evening Light" in page and b"Morning Hope" not in page
    page = user.get(reverse("mutualaid:meetings"), {"days": ["2"], "time_from": "18:00",
                                                    "time_to": "20:00"}).content
    assert b"Evening Light" in page and b"Morning Hope" not in page


def test_search_query_count_does_not_grow_with_the_data(as_user, practitioner, make_feed,
                                                         django_assert_max_num_queries):
    big = make_feed(name="Big")
    services.import_feed(big, actor="system:test", source="x", data=feed_bytes(
        [meeting(f"m{i}", latitude=41.88 + i / 10000) for i in range(300)]))
    user = as_user(practitioner)
    with django_assert_max_num_queries(8):
        page = user.get(reverse("mutualaid:meetings"), {
            "lat": "41.88", "lng": "-87.63", "radius_km": "50"}).content
    assert b"300 meetings" in page and b"the first 50 shown" in page


@pytest.mark.parametrize("params", [
    {"lat": "41.88"}, {"lat": "999", "lng": "0"}, {"lat": "x", "lng": "y"},
    {"radius_km": "-3"}, {"days": ["9"]}, {"time_from": "25:99"}, {"types": ["NOPE"]},
    {"fellowships": ["abc"]}, {"attendance": "teleport"},
])
def test_bad_search_input_is_a_clear_message_not_a_500(as_user, practitioner, feed, params):
    response = as_user(practitioner).get(reverse("mutualaid:meetings"), params)
    assert response.status_code == 400
    assert b'class="errors"' in response.content or b"form-errors" in response.content


def test_meeting_detail(as_user, practitioner, feed):
    meeting_ = Meeting.objects.get(key="b")
    page = as_user(practitioner).get(reverse("mutualaid:meeting", args=[meeting_.pk])).content
    assert b"Evening Light" in page and b"Women" in page and b"Next meetings" in page
    assert as_user(practitioner).get(reverse("mutualaid:meeting", args=[999999])).status_code == 404


def _upload(filename, data, **extra):
    return {"file": SimpleUploadedFile(filename, data, content_type="application/json"), **extra}


def test_an_admin_creates_a_feed_by_upload_and_sees_the_report(as_user, admin_user, fellowships):
    user = as_user(admin_user)
    response = user.post(reverse("mutualaid:feeds"), _upload(
        "new.json", feed_bytes([meeting("a"), meeting("b", time="7:30 PM")]), name="Lakeside",
        fellowship=fellowships["aa"].pk, format="meetingguide", timezone="America/Chicago"),
        follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "Import report: Lakeside" in page
    assert "12-hour time 7:30 PM read as 19:30." in page
    feed = MeetingFeed.objects.get(name="Lakeside")
    assert feed.meetings_active == 2

    response = user.post(reverse("mutualaid:feed", args=[feed.pk]),
                         _upload("v2.json", feed_bytes([meeting("a")])), follow=True)
    assert b"1 gone from the feed (now inactive)" in response.content
    response = user.post(reverse("mutualaid:feed", args=[feed.pk]),
                         _upload("v3.json", b'[{"name": "a"'), follow=True)
    assert b"The file was refused; nothing changed." in response.content
    assert b"line 1, column" in response.content
    assert MeetingFeed.objects.get(pk=feed.pk).meetings_active == 1


def test_a_refused_new_feed_leaves_nothing_behind(as_user, admin_user, fellowships):
    response = as_user(admin_user).post(reverse("mutualaid:feeds"), _upload(
        "bad.json", b"[{]", name="Broken", fellowship=fellowships["aa"].pk,
        format="meetingguide", timezone="America/Chicago"))
    assert response.status_code == 400 and b"line 1, column 3" in response.content
    assert not MeetingFeed.objects.exists()


def test_an_admin_uploads_bmlt_with_its_formats(as_user, admin_user, fellowships):
    meetings = {"meetings": [{"id_bigint": "1", "weekday_tinyint": "2", "start_time": "19:00:00",
                              "formats": "O,JT", "meeting_name": "Just for Today",
                              "latitude": "42.9", "longitude": "-77.1"}]}
    formats = [{"key_string": "JT", "name_string": "Just for Today", "world_id": "JFT"},
               {"key_string": "O", "name_string": "Open", "world_id": "OPEN"}]
    as_user(admin_user).post(reverse("mutualaid:feeds"), {
        **_upload("na.json", json.dumps(meetings).encode(), name="Upstate NA",
                  fellowship=fellowships["na"].pk, format="bmlt", timezone="America/New_York"),
        "formats": SimpleUploadedFile("formats.json", json.dumps(formats).encode())})
    assert Meeting.objects.get(feed__name="Upstate NA").types == ["O", "JFT"]


def test_form_errors_on_upload(as_user, admin_user, fellowships):
    response = as_user(admin_user).post(reverse("mutualaid:feeds"), {
        "name": "", "fellowship": "999", "format": "x", "timezone": "Mars/Base"})
    assert response.status_code == 400 and not MeetingFeed.objects.exists()
    assert response.content.count(b'class="error"') >= 4


def test_only_admins_import(as_user, practitioner, supervisor, feed):
    for user in (practitioner, supervisor):
        response = as_user(user).post(reverse("mutualaid:feed", args=[feed.pk]),
                                      _upload("x.json", feed_bytes([])))
        assert response.status_code == 403
        response = as_user(user).post(reverse("mutualaid:feeds"), _upload("x.json", b"[]"))
        assert response.status_code == 403
    assert ImportRun.objects.filter(feed=feed).count() == 1
