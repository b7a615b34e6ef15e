"""Meeting search: distance with a bounding-box prefilter, days, time windows, types, languages,
online/in person; nearest first, then soonest."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ecomap.mutualaid import services
from ecomap.mutualaid.search import Query, bounding_box, haversine_km, search

from .conftest import feed_bytes, meeting

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)  # a Monday


@pytest.fixture
def town(make_feed):
    """Meetings at known distances north of (41.88, -87.63) (0.01 degree = 1.11 km)."""
    feed = make_feed()
    records = [
        meeting("near-late", latitude=41.89, longitude=-87.63, day=1, time="20:00", types=["O"]),
        meeting("near-soon", latitude=41.89, longitude=-87.63, day=1, time="13:00",
                types=["O", "W", "S"]),
        meeting("mid", latitude=41.95, longitude=-87.63, day=2, time="07:00", types=["C", "X"]),
        meeting("far", latitude=42.30, longitude=-87.63, day=1, time="23:30", types=["O"]),
        meeting("online", latitude=41.88, longitude=-87.63, approximate="yes",
                conference_url="https://zoom.us/j/1", day=3, time="09:00", types=["O", "POL"]),
        meeting("hybrid", latitude=41.90, longitude=-87.63, conference_url="https://zoom.us/j/2",
                day=1, time="21:00", types=["O"]),
        meeting("closed-site", latitude=41.88, longitude=-87.63, types=["TC"]),
        meeting("appointment", latitude=41.885, longitude=-87.63, day=..., types=["O"]),
        meeting("nowhere", latitude=..., longitude=..., types=["O"]),
    ]
    services.import_feed(feed, actor="system:test", data=feed_bytes(records), source="t.json")
    return feed


def keys(result):
    return [hit.meeting.key for hit in result.hits]


@pytest.mark.django_db
def test_nearest_first_then_soonest(town, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        result = search(Query(lat=41.88, lng=-87.63, radius_km=10), NOW)
        [hit.meeting.fellowship.name for hit in result.hits]
    assert keys(result) == ["online", "appointment", "near-soon", "near-late", "hybrid", "mid"]
    assert result.hits[2].next_at.isoformat() == "2026-06-01T13:00:00-05:00"
    assert result.hits[1].next_at is None
    assert round(result.hits[2].distance_km, 2) == 1.11
    assert "far" not in keys(result) and "closed-site" not in keys(result)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    (Query(lat=41.88, lng=-87.63, radius_km=50, days=frozenset({1})),
     ["near-soon", "near-late", "hybrid", "far"]),
    (Query(lat=41.88, lng=-87.63, radius_km=50, time_from=time(20), time_to=time(23, 59)),
     ["near-late", "hybrid", "far"]),
    (Query(lat=41.88, lng=-87.63, radius_km=50, time_from=time(21), time_to=time(8)),
     ["hybrid", "mid", "far"]),
    (Query(lat=41.88, lng=-87.63, radius_km=50, types=frozenset({"O", "W"})), ["near-soon"]),
    (Query(lat=41.88, lng=-87.63, radius_km=50, types=frozenset({"o"})), []),
    (Query(lat=41.88, lng=-87.63, radius_km=50, languages=frozenset({"S", "POL"})),
     ["online", "near-soon"]),
    (Query(lat=41.88, lng=-87.63, radius_km=50, attendance="in_person"),
     ["appointment", "near-soon", "near-late", "hybrid", "mid", "far"]),
    (Query(attendance="online"), ["hybrid", "online"]),  # soonest first
    (Query(lat=0.5, lng=0.5, radius_km=50), []),
])
def test_filters(town, query, expected):
    assert keys(search(query, NOW)) == expected


@pytest.mark.django_db
def test_inactive_meetings_and_other_fellowships_are_left_out(town, make_feed, fellowships):
    services.import_feed(town, actor="system:test", data=feed_bytes([meeting("near-soon",
                         latitude=41.89, longitude=-87.63, day=1, time="13:00")]), source="x")
    assert keys(search(Query(lat=41.88, lng=-87.63, radius_km=50), NOW)) == ["near-soon"]
    query = Query(lat=41.88, lng=-87.63, radius_km=50,
                  fellowships=frozenset({fellowships["smart"].pk}))
    assert keys(search(query, NOW)) == []


@pytest.mark.django_db
def test_the_limit_and_the_total(make_feed):
    feed = make_feed()
    rng = random.Random(1)
    services.import_feed(feed, actor="system:test", source="x", data=feed_bytes([
        meeting(f"m{i}", latitude=41.88 + rng.uniform(-0.05, 0.05),
                longitude=-87.63 + rng.uniform(-0.05, 0.05)) for i in range(60)]))
    result = search(Query(lat=41.88, lng=-87.63, radius_km=20, limit=10), NOW)
    assert result.total == 60 and len(result.hits) == 10
    distances = [h.distance_km for h in result.hits]
    assert distances == sorted(distances)


@pytest.mark.django_db
def test_across_the_antimeridian(make_feed):
    feed = make_feed(tz="Pacific/Fiji")
    services.import_feed(feed, actor="system:test", source="x", data=feed_bytes([
        meeting("east", latitude=-17.0, longitude=179.95, timezone=...),
        meeting("west", latitude=-17.0, longitude=-179.95, timezone=...),
        meeting("far", latitude=-17.0, longitude=178.0, timezone=...)]))
    result = search(Query(lat=-17.0, lng=179.99, radius_km=20), NOW)
    assert sorted(keys(result)) == ["east", "west"]


lats = st.floats(-89.0, 89.0)
lngs = st.floats(-180.0, 180.0)


@settings(max_examples=500)
@given(lats, lngs, st.floats(0.1, 500), st.floats(0, 1), st.floats(0, 2 * math.pi))
def test_every_point_within_the_radius_is_inside_the_box(lat, lng, radius, fraction, bearing):
    # A point at `fraction * radius` along `bearing` (spherical destination formula).
    d = fraction * radius / 6371.0088
    p1, l1 = math.radians(lat), math.radians(lng)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
    l2 = l1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    plat, plng = math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180
    assume(haversine_km(lat, lng, plat, plng) <= radius * 0.999999)
    lo, hi, ranges = bounding_box(lat, lng, radius)
    assert lo - 1e-9 <= plat <= hi + 1e-9
    assert any(west - 1e-9 <= plng <= east + 1e-9 for west, east in ranges)


@pytest.mark.django_db
def test_search_agrees_with_a_brute_force_scan(make_feed):
    rng = random.Random(7)
    feed = make_feed()
    records = [meeting(f"m{i}", latitude=rng.uniform(40, 44), longitude=rng.uniform(-90, -85))
               for i in range(400)]
    services.import_feed(feed, actor="system:test", data=feed_bytes(records), source="x")
    for _ in range(20):
        lat, lng, radius = rng.uniform(40, 44), rng.uniform(-90, -85), rng.uniform(5, 150)
        expected = sorted(r["slug"] for r in records
                          if haversine_km(lat, lng, r["latitude"], r["longitude"]) <= radius)
        found = search(Query(lat=lat, lng=lng, radius_km=radius, limit=10_000), NOW)
        assert sorted(keys(found)) == expected
