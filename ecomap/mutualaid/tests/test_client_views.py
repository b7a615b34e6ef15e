"""The client's mutual-support pages through Django's test client: what a practitioner does, bad
input, query counts, Today and the overview, and the local-contacts pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.core.refusal import Problems
from ecomap.mutualaid import referrals, services
from ecomap.mutualaid.models import Alert, FellowshipReferral, FollowUp, LocalContact, Profile
from ecomap.testing.factories import ClientFactory

from .conftest import feed_bytes, meeting
from .test_referrals import profile_values, referral_values, visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def url(client, path=""):
    return f"/clients/{client.pk}/mutualaid/{path}"


PROFILE_POST = {
    "experience-TOTAL_FORMS": "1", "experience-INITIAL_FORMS": "0",
    "experience-MIN_NUM_FORMS": "0", "experience-MAX_NUM_FORMS": "10",
    "experience-0-fellowship": "", "experience-0-outcome": "", "experience-0-note": "",
    "spirituality": "0", "goal": "abstinence", "substances": ["alcohol"], "attendance": "any",
    "gender": "", "language": "", "max_km": "10", "latitude": "41.88", "longitude": "-87.63",
    "location_label": "Centre",
}


@pytest.fixture
def aa_meetings(make_feed):
    feed = make_feed(fellowship="aa")
    services.import_feed(feed, actor="system:test", data=feed_bytes([
        meeting(f"m{i}", name=f"Meeting {i}", latitude=41.88 + i / 1000) for i in range(3)]),
        source="t.json")
    return list(feed.meetings.order_by("slug"))


def test_the_page_invites_a_profile_then_ranks_with_reasons(as_user, practitioner,
                                                            client_record, fellowships):
    http = as_user(practitioner)
    page = http.get(url(client_record)).content.decode()
    assert "Fill in the profile" in page
    assert http.get(url(client_record, "match/")).status_code == 302  # no profile yet
    response = http.post(url(client_record, "profile/"), PROFILE_POST)
    assert response.status_code == 302 and response["Location"].endswith("/match/")
    page = http.get(url(client_record, "match/")).content.decode()
    assert page.index("SMART Recovery") < page.index("Alcoholics Anonymous")
    assert "Spirituality is not important to them" in page
    assert AuditEntry.objects.filter(action="ecomap.client.read", client=client_record,
                                     data__page="mutualaid_client:match").exists()


def test_a_bad_profile_is_refused_with_a_message_and_changes_nothing(as_user, practitioner,
                                                                      client_record,
                                                                      fellowships):
    http = as_user(practitioner)
    for bad in ({"latitude": "", "longitude": "-87.63"}, {"latitude": "123"},
                {"max_km": "0"}, {"experience-0-fellowship": str(fellowships["aa"].pk)},
                {"substances": ["heroin?"]}):
        response = http.post(url(client_record, "profile/"), {**PROFILE_POST, **bad})
        assert response.status_code == 400, bad
        assert b'class="errors"' in response.content or b"form-errors" in response.content
    assert not Profile.objects.exists()


def test_choose_then_plan_meetings_and_download_the_calendar(as_user, practitioner,
                                                            client_record, fellowships,
                                                            aa_meetings):
    http = as_user(practitioner)
    http.post(url(client_record, "profile/"), PROFILE_POST)
    assert http.get(url(client_record, "meetings.ics")).status_code == 302  # nothing planned
    http.post(url(client_record, "match/"), {"chosen": [fellowships["aa"].pk]})
    page = http.get(url(client_record, "match/")).content.decode()
    assert page.index("Meeting 0") < page.index("Meeting 2")  # nearest first
    back = url(client_record, "match/?lat=41.9&lng=-87.6")
    response = http.post(url(client_record, "plan/"), {"meeting": aa_meetings[1].pk,
                                                       "back": back})
    assert response["Location"] == back
    assert http.post(url(client_record, "plan/"), {"meeting": "x", "back": "https://evil.example"}
                     )["Location"] == url(client_record)
    ics = http.get(url(client_record, "meetings.ics"))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"RRULE:FREQ=WEEKLY" in ics.content and b"Meeting 1" in ics.content
    assert AuditEntry.objects.filter(action="ecomap.client.read",
                                     data__page="mutualaid_client:calendar").exists()


def test_a_point_outside_the_world_is_refused(as_user, practitioner, client_record,
                                              fellowships):
    http = as_user(practitioner)
    http.post(url(client_record, "profile/"), PROFILE_POST)
    response = http.get(url(client_record, "match/?lat=95&lng=0"))
    assert response.status_code == 400


def test_refer_record_follow_ups_and_see_the_alert_on_today(as_user, practitioner,
                                                           client_record, fellowships):
    http = as_user(practitioner)
    referred_on = TODAY() - timedelta(days=60)
    response = http.post(url(client_record, "referrals/new/"), {
        "fellowship": fellowships["smart"].pk, "kind": "standard",
        "referred_on": referred_on.isoformat(), "handoff": "none",
        "follow_up_every_days": "14",
        "next_follow_up_on": (referred_on + timedelta(days=14)).isoformat()})
    referral = FellowshipReferral.objects.get()
    assert response["Location"] == url(client_record, f"referrals/{referral.pk}/")
    for days, count in ((14, 6), (28, 1)):
        response = http.post(url(client_record, f"referrals/{referral.pk}/follow-up/"), {
            "seen_on": (referred_on + timedelta(days=days)).isoformat(),
            "meetings_attended": str(count), "sponsor": "none", "use_since_last": "none"})
        assert response.status_code == 302
    page = http.get(response["Location"]).content.decode()
    assert "Attendance falling" in page and "rule of thumb" in page and "<svg" in page
    today = http.get("/today/").content.decode()
    assert "Warning signs (mutual support)" in today and "below half" in today
    alert = Alert.objects.get()
    http.post(url(client_record, f"alerts/{alert.pk}/acknowledge/"), {"from": "today"})
    response = http.post(url(client_record, f"alerts/{alert.pk}/resolve/"),
                         {"resolution": "", "from": "today"})
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and response["Location"] == "/today/"
    http.post(url(client_record, f"alerts/{alert.pk}/resolve/"), {"resolution": "Talked it over"})
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert "below half" not in http.get("/today/").content.decode()


def test_a_refused_referral_shows_the_reasons_and_saves_nothing(as_user, practitioner,
                                                               client_record, fellowships):
    http = as_user(practitioner)
    contact = LocalContact.objects.create(fellowship=fellowships["smart"], kind="volunteer",
                                          name="Sam R.", phone="555-0100")
    response = http.post(url(client_record, "referrals/new/"), {
        "fellowship": fellowships["smart"].pk, "kind": "intensive",
        "referred_on": TODAY().isoformat(), "handoff": "practitioner", "contact": contact.pk,
        "first_meeting_on": TODAY().isoformat(), "follow_up_every_days": "14",
        "next_follow_up_on": (TODAY() + timedelta(days=14)).isoformat()}, follow=True)
    assert response.status_code == 400
    assert "No consent names this recipient" in response.content.decode()
    assert not FellowshipReferral.objects.exists()
    response = http.post(url(client_record, "referrals/new/"), {
        "fellowship": fellowships["smart"].pk, "kind": "standard",
        "referred_on": "9999-01-01", "handoff": "none", "follow_up_every_days": "14",
        "next_follow_up_on": "2026-13-01"})
    assert response.status_code == 400 and not FellowshipReferral.objects.exists()


def test_bad_follow_ups_get_messages_and_save_nothing(as_user, practitioner, client_record,
                                                     fellowships):
    referral = referrals.refer(client_record, actor=practitioner,
                               values=referral_values(fellowships["smart"]))
    http = as_user(practitioner)
    follow_up = url(client_record, f"referrals/{referral.pk}/follow-up/")
    for bad in ({"meetings_attended": "-1"}, {"seen_on": "9999-12-31"}, {"comfort": "9"},
                {"step": "3"}, {"use_since_last": "relapse"}):
        data = {"seen_on": (TODAY() - timedelta(days=40)).isoformat(),
                "meetings_attended": "2", "sponsor": "none", "use_since_last": "none", **bad}
        assert http.post(follow_up, data).status_code == 400, bad
    assert not FollowUp.objects.exists()
    http.post(url(client_record, f"referrals/{referral.pk}/end/"),
              {"ended_on": TODAY().isoformat(), "reason": "Moved away"})
    assert http.get(follow_up).status_code == 302  # ended: no more follow-ups


def test_another_clients_referral_or_alert_is_not_found(as_user, practitioner, client_record,
                                                       fellowships):
    other = ClientFactory(primary_practitioner=practitioner)
    referral = referrals.refer(other, actor=practitioner,
                               values=referral_values(fellowships["smart"]))
    referrals.raise_missed_follow_ups()
    alert = Alert.objects.get()
    http = as_user(practitioner)
    assert http.get(url(client_record, f"referrals/{referral.pk}/")).status_code == 404
    assert http.post(url(client_record, f"alerts/{alert.pk}/acknowledge/")).status_code == 404


def _busy_client(practitioner, fellowships, n):
    client = ClientFactory(primary_practitioner=practitioner)
    profile = referrals.save_profile(client, actor=practitioner, values=profile_values(),
                                     experience=[])
    referrals.choose_fellowships(profile, [fellowships["smart"], fellowships["aa"]],
                                 actor=practitioner)
    for slug in ("smart", "lifering")[:n]:
        referral = referrals.refer(client, actor=practitioner,
                                   values=referral_values(fellowships[slug]))
        for i, count in enumerate((6, 1, 0)[:n + 1]):
            referrals.record_follow_up(referral, actor=practitioner,
                                       values=visit(14 * (i + 1), count, reluctant=True))
    return client


def test_pages_and_panels_run_fixed_queries(as_user, practitioner, fellowships, aa_meetings,
                                           django_assert_max_num_queries):
    http = as_user(practitioner)
    small = _busy_client(practitioner, fellowships, 1)
    big = _busy_client(practitioner, fellowships, 2)
    referrals.raise_missed_follow_ups()
    for client in (small, big):
        profile = client.mutualaid_profile
        for m in aa_meetings[:1 if client == small else 3]:
            referrals.plan_meeting(profile, m, actor=practitioner, planned=True)
    ref_small = FellowshipReferral.objects.filter(client=small).first()
    ref_big = FellowshipReferral.objects.filter(client=big).first()
    for path_small, path_big in (
            (url(small), url(big)), (url(small, "match/"), url(big, "match/")),
            (url(small, f"referrals/{ref_small.pk}/"), url(big, f"referrals/{ref_big.pk}/")),
            (f"/clients/{small.pk}/", f"/clients/{big.pk}/")):
        with django_assert_max_num_queries(60) as first:
            assert http.get(path_small).status_code == 200
        with django_assert_max_num_queries(len(first.captured_queries)):
            assert http.get(path_big).status_code == 200
    with django_assert_max_num_queries(60) as first:
        http.get("/today/")
    for _n in range(3):
        _busy_client(practitioner, fellowships, 2)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = http.get("/today/").content.decode()
    assert "Mutual-support follow-ups due" in page


def test_local_contacts_are_kept_by_staff_and_audited_without_their_details(
        as_user, practitioner, fellowships):
    http = as_user(practitioner)
    assert http.get("/mutualaid/contacts/").status_code == 200
    response = http.post("/mutualaid/contacts/", {"fellowship": fellowships["aa"].pk,
                                                  "kind": "committee", "name": "Pat",
                                                  "active": "on"})
    assert response.status_code == 400 and b"phone number or an e-mail" in response.content
    http.post("/mutualaid/contacts/", {"fellowship": fellowships["aa"].pk, "kind": "committee",
                                       "name": "Pat", "phone": "555-0142", "active": "on"})
    contact = LocalContact.objects.get()
    http.post(f"/mutualaid/contacts/{contact.pk}/", {
        "fellowship": fellowships["aa"].pk, "kind": "committee", "name": "Pat",
        "phone": "555-0199", "active": "on"})
    contact.refresh_from_db()
    assert contact.phone == "555-0199"
    entry = AuditEntry.objects.get(action="ecomap.mutualaid.contact_changed")
    assert entry.data == {"fields": ["phone"]} and "555" not in str(entry.changes)


def test_the_refresh_imports_due_feeds_only(make_feed, monkeypatch):
    feed = make_feed()
    feed.source_url, feed.refresh_hours = "https://example.org/feed.json", 24
    feed.save()
    manual = make_feed(name="Manual")
    manual.source_url = "https://example.org/other.json"
    manual.save()
    monkeypatch.setattr(services, "fetch", lambda url, **kw: feed_bytes([meeting("m1")]))
    now = timezone.now()
    assert services.feeds_due(now) == [feed]
    runs = services.refresh_due_feeds(now, actor="system:test")
    assert [r.feed for r in runs] == [feed] and runs[0].created == 1
    feed.refresh_from_db()
    assert services.feeds_due(now) == []
    assert services.feeds_due(feed.last_import_at + timedelta(hours=24)) == [feed]


def test_next_meetings_show_the_meetings_own_local_time(as_user, practitioner, client_record,
                                                        fellowships, aa_meetings, settings):
    """The site shows times in UTC, but a meeting's next occurrence is its own wall-clock time
    (a Chicago meeting at 19:00 must not read 01:00 or 00:00 the next day)."""
    settings.TIME_ZONE = "UTC"
    http = as_user(practitioner)
    http.post(url(client_record, "profile/"), PROFILE_POST)
    http.post(url(client_record, "match/"), {"chosen": [fellowships["aa"].pk]})
    for page in (url(client_record, "match/"), "/mutualaid/meetings/?lat=41.88&lng=-87.63",
                 f"/mutualaid/meetings/{aa_meetings[0].pk}/"):
        text = http.get(page).content.decode()
        assert "Mon" in text and "19:00" in text and "01:00" not in text and "00:00" not in text


def test_today_shows_new_open_alerts_before_acknowledged_ones(as_user, practitioner,
                                                              client_record, fellowships):
    referral = referrals.refer(client_record, actor=practitioner,
                               values=referral_values(fellowships["smart"]))
    for n in range(12):
        alert = Alert.objects.create(client=client_record, referral=referral, rule="reluctance",
                                     reason=f"Old {n}", key=f"old:{n}", raised_on=TODAY())
        referrals.acknowledge_alert(alert, actor=practitioner)
    Alert.objects.create(client=client_record, referral=referral, rule="lapse",
                         reason="Reported a slip since the last visit.", key="new",
                         raised_on=TODAY() - timedelta(days=3))
    http = as_user(practitioner)
    page = http.get("/today/").content.decode()
    # The open one in full; the twelve acknowledged folded into a count with a link.
    assert "Reported a slip" in page and "Old 0" not in page
    assert "12 acknowledged warning signs, not yet resolved" in page
    assert "/today/warning-signs-today/?show=acknowledged" in page
    acknowledged = http.get("/today/warning-signs-today/?show=acknowledged").content.decode()
    assert "Old 0" in acknowledged and "Old 11" in acknowledged
    assert "Reported a slip" not in acknowledged
    everything = http.get("/today/warning-signs-today/").content.decode()
    assert everything.index("Reported a slip") < everything.index("Old 0")  # open first


def test_today_bounds_open_alerts_oldest_first_with_see_all(as_user, practitioner,
                                                            client_record, fellowships):
    referral = referrals.refer(client_record, actor=practitioner,
                               values=referral_values(fellowships["smart"]))
    for n in range(12):
        Alert.objects.create(client=client_record, referral=referral, rule="reluctance",
                             reason=f"Sign {n:02}", key=f"s:{n}",
                             raised_on=TODAY() - timedelta(days=n))
    http = as_user(practitioner)
    page = http.get("/today/").content.decode()
    assert "Sign 11" in page and "Sign 02" in page and "Sign 01" not in page  # the oldest ten
    assert page.index("Sign 11") < page.index("Sign 10")
    assert "Showing 10 of 12: see all" in page and 'href="/today/warning-signs-today/"' in page
    full = http.get("/today/warning-signs-today/").content.decode()
    assert "Sign 00" in full and "Sign 11" in full


@pytest.mark.parametrize("value", ["²", "١٢", "1" * 40, "-1", "1.0"])
def test_ids_that_are_not_plain_numbers_are_refused_without_error(as_user, practitioner,
                                                                  client_record, fellowships,
                                                                  value):
    http = as_user(practitioner)
    http.post(url(client_record, "profile/"), PROFILE_POST)
    assert http.post(url(client_record, "plan/"), {"meeting": value}).status_code == 302
    for param in ("meeting", "fellowship"):
        assert http.get(url(client_record, f"referrals/new/?{param}={value}")).status_code == 200


def test_a_second_active_referral_racing_past_the_check_is_refused(
        client_record, fellowships, practitioner, monkeypatch):
    monkeypatch.setattr(referrals, "_referral_problems", lambda *args: Problems())
    referrals.refer(client_record, actor=practitioner, values=referral_values(fellowships["aa"]))
    with pytest.raises(referrals.ReferralError, match="already an active referral"):
        referrals.refer(client_record, actor=practitioner,
                        values=referral_values(fellowships["aa"]))
    assert FellowshipReferral.objects.count() == 1


def test_celebrate_recovery_follow_ups_take_a_step(client_record, fellowships, practitioner):
    referral = referrals.refer(client_record, actor=practitioner,
                               values=referral_values(fellowships["celebrate-recovery"]))
    visit_, _alerts = referrals.record_follow_up(referral, actor=practitioner,
                                                 values=visit(14, 2, step=3))
    assert visit_.step == 3


def test_a_feed_that_breaks_mid_download_is_refused_and_the_alerts_still_run(
        make_feed, client_record, fellowships, practitioner, monkeypatch):
    import http.client
    import io

    from django.core.management import call_command

    from ecomap.mutualaid.feeds import fetch as fetch_module

    class Broken:
        headers = {}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, size):
            raise http.client.IncompleteRead(b"[{", 100)

    monkeypatch.setattr(fetch_module.urllib.request, "urlopen", lambda *a, **k: Broken())
    feed = make_feed()
    feed.source_url, feed.refresh_hours = "https://example.org/feed.json", 1
    feed.save()
    referrals.refer(client_record, actor=practitioner, values=referral_values(fellowships["aa"]))
    out = io.StringIO()
    call_command("mutualaid_refresh", stdout=out)
    assert "refused: The address could not be read (IncompleteRead)" in out.getvalue()
    assert Alert.objects.filter(rule="missed_follow_up").count() == 1


def test_the_match_page_runs_fixed_queries_however_many_meetings_fit(
        as_user, practitioner, client_record, fellowships, make_feed,
        django_assert_max_num_queries):
    http = as_user(practitioner)
    http.post(url(client_record, "profile/"), PROFILE_POST)
    http.post(url(client_record, "match/"), {"chosen": [fellowships["aa"].pk]})
    feed = make_feed(fellowship="aa")
    services.import_feed(feed, actor="system:test", data=feed_bytes([meeting("m0")]),
                         source="t.json")
    profile = Profile.objects.get()
    referrals.plan_meeting(profile, feed.meetings.get(), actor=practitioner, planned=True)
    with django_assert_max_num_queries(40) as few:
        assert http.get(url(client_record, "match/")).status_code == 200
    services.import_feed(feed, actor="system:test", data=feed_bytes([
        meeting(f"m{i}", name=f"Meeting {i}", types=["O", "W"] if i % 2 else ["C"])
        for i in range(40)]), source="t.json")
    for m in feed.meetings.all()[:10]:
        referrals.plan_meeting(profile, m, actor=practitioner, planned=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = http.get(url(client_record, "match/")).content.decode()
    assert "The first 30 of 40 shown" in page


def test_online_meetings_are_listed_apart_for_a_client_who_takes_either(
        as_user, practitioner, client_record, fellowships, make_feed):
    feed = make_feed(fellowship="aa")
    services.import_feed(feed, actor="system:test", data=feed_bytes([
        meeting("near", name="Near hall"),
        meeting("zoom", name="Far online", latitude=47.6, longitude=-122.3, approximate="yes",
                conference_url="https://zoom.us/j/123", address="", city="")]),
        source="t.json")
    http = as_user(practitioner)
    http.post(url(client_record, "profile/"), PROFILE_POST)  # in person or online, a point
    http.post(url(client_record, "match/"), {"chosen": [fellowships["aa"].pk]})
    page = http.get(url(client_record, "match/")).content.decode()
    online = page.index("Online meetings that fit")
    assert page.index("Near hall") < online < page.index("Far online")
    http.post(url(client_record, "profile/"), {**PROFILE_POST, "attendance": "in_person"})
    assert "Far online" not in http.get(url(client_record, "match/")).content.decode()


def test_today_runs_fixed_queries_however_many_alerts(as_user, practitioner, client_record,
                                                      fellowships, django_assert_max_num_queries):
    referral = referrals.refer(client_record, actor=practitioner,
                               values=referral_values(fellowships["smart"]))

    def alerts(first, n):
        for i in range(first, first + n):
            alert = Alert.objects.create(client=client_record, referral=referral, rule="reluctance",
                                         reason=f"Sign {i}", key=f"s:{i}", raised_on=TODAY())
            if i % 2:
                referrals.acknowledge_alert(alert, actor=practitioner)

    http = as_user(practitioner)
    alerts(0, 22)  # more open ones than Today shows: the count is asked for from here on
    with django_assert_max_num_queries(60) as few:
        assert http.get("/today/").status_code == 200
    with django_assert_max_num_queries(60) as few_full:
        assert http.get("/today/warning-signs-today/").status_code == 200
    alerts(22, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "31 acknowledged" in http.get("/today/").content.decode()
    with django_assert_max_num_queries(len(few_full.captured_queries)):
        assert http.get("/today/warning-signs-today/?page=2").status_code == 200
