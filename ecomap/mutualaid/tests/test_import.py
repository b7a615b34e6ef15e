"""Importing: upsert by (feed, key), gone = inactive, refusals change nothing, fetching by address,
the management command."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time as clock
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecomap.audit.models import AuditEntry
from ecomap.mutualaid import services
from ecomap.mutualaid.models import ImportRun, Meeting, MeetingFeed

from .conftest import feed_bytes, meeting

pytestmark = pytest.mark.django_db


def run(feed, records=None, raw=None):
    return services.import_feed(feed, actor="system:test", source="t.json",
                                data=raw if raw is not None else feed_bytes(records))


def test_reimport_is_idempotent_and_gone_meetings_become_inactive(make_feed):
    feed = make_feed()
    first = run(feed, [meeting("a"), meeting("b"), meeting("c", day=[2, 4])])
    assert (first.created, first.meetings, first.records) == (4, 4, 3)
    pks = dict(Meeting.objects.values_list("key", "pk"))

    again = run(feed, [meeting("a"), meeting("b"), meeting("c", day=[2, 4])])
    assert (again.created, again.updated, again.unchanged, again.deactivated) == (0, 0, 4, 0)
    assert dict(Meeting.objects.values_list("key", "pk")) == pks

    changed = run(feed, [meeting("a", time="08:00"), meeting("c", day=[2, 4])])
    assert (changed.created, changed.updated, changed.unchanged, changed.deactivated) == (0, 1, 2, 1)
    b = Meeting.objects.get(key="b")
    assert not b.active and b.deactivated_at is not None  # kept, not deleted
    assert Meeting.objects.get(key="a").time.hour == 8

    back = run(feed, [meeting("a", time="08:00"), meeting("b"), meeting("c", day=[2, 4])])
    assert (back.reactivated, back.created) == (1, 0)
    assert Meeting.objects.get(key="b").active and Meeting.objects.get(key="b").pk == pks["b"]
    feed.refresh_from_db()
    assert (feed.meetings_active, feed.meetings_inactive) == (4, 0)


def test_the_same_slug_in_two_feeds_is_two_meetings(make_feed):
    one, two = make_feed(name="One"), make_feed(name="Two")
    run(one, [meeting("big-book-study")])
    run(two, [meeting("big-book-study")])
    assert Meeting.objects.filter(key="big-book-study").count() == 2
    run(two, [])
    assert Meeting.objects.get(feed=one).active and not Meeting.objects.get(feed=two).active


def test_a_malformed_file_changes_nothing_and_says_where(make_feed):
    feed = make_feed()
    run(feed, [meeting("a"), meeting("b")])
    before = list(Meeting.objects.values_list("pk", "active", "import_hash"))
    refused = run(feed, raw=b'[{"name": "a", "slug": "a"},\n  {"name": "b",, "slug": "b"}]')
    assert refused.refused and "line 2, column" in refused.error
    assert list(Meeting.objects.values_list("pk", "active", "import_hash")) == before
    feed.refresh_from_db()
    assert feed.meetings_active == 2
    assert AuditEntry.objects.filter(action="ecomap.mutualaid.feed_refused").count() == 1


def test_an_import_is_audited_with_its_counts(make_feed):
    feed = make_feed()
    result = run(feed, [meeting("a"), {"name": "no slug"}])
    entry = AuditEntry.objects.get(action="ecomap.mutualaid.feed_imported")
    assert entry.data["run"] == result.pk and entry.data["rejected"] == 1
    assert entry.actor_username == "system:test"
    (rejected,) = [e for e in result.report["entries"] if e["outcome"] == "rejected"]
    assert rejected["record"] == 2 and "slug" in rejected["reason"]


def test_fellowship_sync_is_idempotent_and_retires_entries(fellowships):
    assert len(fellowships) >= 16
    assert services.sync_fellowships(actor="system:test") == {"unchanged": len(fellowships),
                                                               "retired": 0}
    aa = fellowships["aa"]
    aa.name = "changed"
    aa.save()
    assert services.sync_fellowships(actor="system:test")["updated"] == 1
    from ecomap.mutualaid.models import Fellowship

    Fellowship.objects.create(slug="gone", name="Gone", abbreviation="G", program="x",
                              audience="self", website="https://example.org",
                              philosophy="religious", abstinence="aim", medication="not_stated")
    assert services.sync_fellowships(actor="system:test")["retired"] == 1
    assert not Fellowship.objects.get(slug="gone").in_catalogue


# --- fetching by address (a local server; never the internet) -----------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        status, body, delay = self.routes.get(self.path, (404, b"missing", 0))
        clock.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.routes
    httpd.shutdown()
    httpd.server_close()
    _Handler.routes.clear()


def test_import_from_an_address(make_feed, server):
    base, routes = server
    routes["/feed.json"] = (200, feed_bytes([meeting("a"), meeting("b")]), 0)
    feed = make_feed()
    result = services.import_from_url(feed, actor="system:test", url=f"{base}/feed.json")
    assert not result.refused and result.created == 2 and result.source.endswith("/feed.json")


@pytest.mark.parametrize(("route", "options", "words"), [
    ("/missing", {}, "404"),
    ("/big", {"max_bytes": 100}, "limit"),
    ("/slow", {"timeout": 0.3}, "seconds"),
])
def test_address_failures_are_refusals(make_feed, server, route, options, words):
    base, routes = server
    routes["/big"] = (200, feed_bytes([meeting(f"m{i}") for i in range(20)]), 0)
    routes["/slow"] = (200, b"[]", 1.5)
    feed = make_feed()
    result = services.import_from_url(feed, actor="system:test", url=f"{base}{route}", **options)
    assert result.refused and words in result.error
    assert not Meeting.objects.exists()


def test_only_web_addresses_are_fetched(make_feed):
    result = services.import_from_url(make_feed(), actor="system:test", url="file:///etc/passwd")
    assert result.refused and "http" in result.error


# --- the command -------------------------------------------------------------------------------


def test_command_creates_a_feed_and_imports_a_file(tmp_path, fellowships):
    path = tmp_path / "feed.json"
    path.write_bytes(feed_bytes([meeting("a"), meeting("b", time="7:00 PM")]))
    out = StringIO()
    call_command("import_meetings", "--feed", "Riverside", "--create", "--fellowship", "aa",
                 "--timezone", "America/Chicago", "--file", str(path), "--no-progress", stdout=out)
    assert "2 records, 2 imported" in out.getvalue() and "time_12h: 1" in out.getvalue()
    assert MeetingFeed.objects.get(name="Riverside").meetings_active == 2
    call_command("import_meetings", "--feed", "Riverside", "--file", str(path), "--no-progress",
                 stdout=out)
    assert ImportRun.objects.latest("pk").unchanged == 2


def test_command_refusals_are_errors(tmp_path, fellowships):
    path = tmp_path / "bad.json"
    path.write_bytes(b"[{]")
    with pytest.raises(CommandError, match="No feed named"):
        call_command("import_meetings", "--feed", "Nope", "--file", str(path), "--no-progress")
    with pytest.raises(CommandError, match="fellowship must be one of"):
        call_command("import_meetings", "--feed", "Nope", "--create", "--fellowship", "zz",
                     "--file", str(path), "--no-progress")
    with pytest.raises(CommandError, match="time zone"):
        call_command("import_meetings", "--feed", "Nope", "--create", "--fellowship", "aa",
                     "--timezone", "Mars/Base", "--file", str(path), "--no-progress")
    with pytest.raises(CommandError, match="line 1, column 3"):
        call_command("import_meetings", "--feed", "Bad", "--create", "--fellowship", "aa",
                     "--timezone", "UTC", "--file", str(path), "--no-progress", stdout=StringIO())
    with pytest.raises(CommandError, match="exactly one"):
        call_command("import_meetings", "--feed", "Bad", "--no-progress")


def test_command_refreshes_every_feed_with_an_address(make_feed, server):
    base, routes = server
    routes["/a.json"] = (200, feed_bytes([meeting("a")]), 0)
    feed = make_feed()
    feed.source_url = f"{base}/a.json"
    feed.save()
    call_command("import_meetings", "--all", "--no-progress", stdout=StringIO())
    assert Meeting.objects.filter(feed=feed).count() == 1


def test_sync_fellowships_command(db):
    out = StringIO()
    call_command("sync_fellowships", stdout=out)
    assert "created: " in out.getvalue()
