"""Benchmark meeting search and meeting-feed import (ecomap.mutualaid) on SQLite.

    .venv/bin/python bench/meetings.py                    # 150,000 meetings, 100 queries per method
    .venv/bin/python bench/meetings.py --queries 50 --json

Needs scipy for the cKDTree comparison (a bench-only dependency: `.venv/bin/pip install scipy`).

1. Generates three synthetic Meeting Guide feeds of 50,000 meetings each (seeded; made-up names and
   addresses around 60 made-up town centres spread over the continental United States) and imports
   them through `services.import_feed`, the function the command and the web page use, into a fresh
   SQLite database in a temporary folder. The first feed's import and its unchanged re-import are
   timed (wall time, time.perf_counter), and so is a re-import with 5% of its meetings changed and 1%
   gone.
2. Times, over the same 150,000 points and the same random query points (near meetings: a random
   meeting's place moved up to 5 km), a radius search three ways:
   - the service, `search.search(Query(lat, lng, radius_km))`, as the search page calls it: the SQL
     bounding box on the indexed latitude/longitude, exact haversine in Python, next occurrence of
     every hit in its time zone, sorting, the first 50;
   - scipy's cKDTree over unit-sphere 3D points, `query_ball_point` with the chord length of the
     radius (tree built once beforehand; the build is reported on its own);
   - a naive Python scan: haversine from the query point to every one of the 150,000 points.
   Every query's set of meetings is checked to be the same for the three (the service run again with
   no limit); any difference ends the run with status 1 before figures are printed.
Reports p50/p95 (nearest rank) per method, the CPU model, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SEED = 20261123
EARTH_KM = 6371.0088
ZONES = [(-125, "America/Los_Angeles"), (-114, "America/Denver"), (-101, "America/Chicago"),
         (-87, "America/New_York")]
TYPES = ["O", "C", "D", "SP", "B", "ST", "W", "M", "X", "S", "BE", "A", "LGBTQ", "Y", "MED", "TR"]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def towns(rng: random.Random, count: int = 60) -> list[tuple[float, float, float]]:
    """(lat, lng, spread in degrees): made-up town centres over the continental US."""
    return [(rng.uniform(26, 48), rng.uniform(-123, -70), rng.choice([0.05, 0.1, 0.2, 0.4]))
            for _ in range(count)]


def zone_for(lng: float) -> str:
    name = ZONES[0][1]
    for west, zone in ZONES:
        if lng >= west:
            name = zone
    return name


def synthetic_feed(rng: random.Random, count: int, centres, prefix: str) -> list[dict]:
    records = []
    for i in range(count):
        lat0, lng0, spread = rng.choice(centres)
        lat = round(lat0 + rng.gauss(0, spread), 6)
        lng = round(lng0 + rng.gauss(0, spread), 6)
        hour, minute = rng.choice([7, 10, 12, 12, 17, 18, 19, 19, 20, 20]), rng.choice([0, 0, 30])
        record = {"name": f"Group {prefix}-{i}", "slug": f"{prefix}-{i}", "day": rng.randrange(7),
                  "time": f"{hour:02d}:{minute:02d}", "end_time": f"{hour + 1:02d}:{minute:02d}",
                  "latitude": lat, "longitude": lng, "timezone": zone_for(lng),
                  "location": f"Hall {i % 997}", "address": f"{i % 500 + 1} Main St",
                  "city": f"Town {i % 60}", "state": "ZZ", "postal_code": f"{i % 100000:05d}",
                  "country": "USA", "types": sorted(rng.sample(TYPES, rng.randint(1, 4)))}
        if rng.random() < 0.15:
            record["conference_url"] = f"https://zoom.us/j/{rng.randrange(10**9, 10**10)}"
        records.append(record)
    return records


def setup_django(folder: Path) -> None:
    os.environ["ECOMAP_DATA_DIR"] = str(folder)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecomap.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def to_xyz(lat: float, lng: float) -> tuple[float, float, float]:
    p, l_ = math.radians(lat), math.radians(lng)
    return math.cos(p) * math.cos(l_), math.cos(p) * math.sin(l_), math.sin(p)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=3, help="feeds of --per-feed meetings")
    parser.add_argument("--per-feed", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--radius", type=float, default=10.0, help="km")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--json", nargs="?", const="", default=None)
    args = parser.parse_args()

    try:
        import numpy as np
        from scipy.spatial import cKDTree
    except ImportError:
        print("scipy is needed for the comparison: .venv/bin/pip install scipy", file=sys.stderr)
        return 2

    folder = Path(tempfile.mkdtemp(prefix="ecomap-bench-meetings-"))
    setup_django(folder)
    from django.db import connection

    from bench.run import cpu_model, git_revision, machine
    from ecomap.mutualaid import services
    from ecomap.mutualaid.models import Meeting
    from ecomap.mutualaid.search import Query, haversine_km, search

    rng = random.Random(args.seed)
    centres = towns(rng)
    services.sync_fellowships(actor="system:bench")
    from ecomap.mutualaid.models import Fellowship

    aa = Fellowship.objects.get(slug="aa")
    figures: dict = {}

    print(f"importing {args.feeds} feeds of {args.per_feed:,} meetings into SQLite ...", flush=True)
    first_records = None
    for n in range(args.feeds):
        records = synthetic_feed(rng, args.per_feed, centres, prefix=f"f{n}")
        data = json.dumps(records).encode()
        feed = services.create_feed(actor="system:bench", name=f"Bench feed {n}", fellowship=aa,
                                    format="meetingguide", timezone_name="America/Chicago")
        run, seconds = timed(lambda feed=feed, data=data: services.import_feed(
            feed, actor="system:bench", data=data, source="bench.json"))
        assert run.created == args.per_feed, run.created
        figures.setdefault("import_s", []).append(seconds)
        print(f"  feed {n}: import {seconds:.1f} s ({len(data) / 1e6:.1f} MB)", flush=True)
        if n == 0:
            first_records, first_feed, first_data = records, feed, data
    run, seconds = timed(lambda: services.import_feed(first_feed, actor="system:bench",
                                                      data=first_data, source="bench.json"))
    assert run.unchanged == args.per_feed and run.created == run.updated == 0
    figures["reimport_unchanged_s"] = seconds
    print(f"  feed 0: re-import, unchanged: {seconds:.1f} s", flush=True)
    changed = [dict(r) for r in first_records]
    for record in rng.sample(changed, len(changed) // 20):
        record["time"] = "06:45"
    gone = set(rng.sample(range(len(changed)), len(changed) // 100))
    changed = [r for i, r in enumerate(changed) if i not in gone]
    run, seconds = timed(lambda: services.import_feed(
        first_feed, actor="system:bench", data=json.dumps(changed).encode(), source="bench.json"))
    assert run.deactivated == len(gone)
    figures["reimport_changed_s"] = seconds
    figures["reimport_changed_counts"] = {"updated": run.updated, "deactivated": run.deactivated}
    print(f"  feed 0: re-import, {run.updated:,} changed and {run.deactivated:,} gone: "
          f"{seconds:.1f} s", flush=True)

    # The points every method searches: the active, placed meetings (the same rows the service sees).
    rows = list(Meeting.objects.filter(active=True, latitude__isnull=False)
                .exclude(attendance_option="inactive").values_list("pk", "latitude", "longitude"))
    print(f"searching {len(rows):,} active meetings, radius {args.radius} km, "
          f"{args.queries} queries per method ...", flush=True)
    ids = np.array([r[0] for r in rows])
    xyz = np.array([to_xyz(r[1], r[2]) for r in rows])
    tree, build_s = timed(lambda: cKDTree(xyz))
    chord = 2 * math.sin(args.radius / (2 * EARTH_KM))
    points = []
    for _ in range(args.queries):
        _pk, lat, lng = rng.choice(rows)
        points.append((lat + rng.uniform(-0.045, 0.045), lng + rng.uniform(-0.06, 0.06)))
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)

    # Correctness first: the same meetings from all three, for every query point.
    counts = []
    for lat, lng in points:
        service = {h.meeting.pk for h in search(Query(lat=lat, lng=lng, radius_km=args.radius,
                                                      limit=10**9), now).hits}
        kd = set(ids[tree.query_ball_point(to_xyz(lat, lng), chord)].tolist())
        naive = {pk for pk, a, b in rows if haversine_km(lat, lng, a, b) <= args.radius}
        # cKDTree's chord test and the haversine can disagree on a point within 1e-9 km of the edge.
        edge = {pk for pk in kd ^ naive
                if abs(haversine_km(lat, lng, *next((a, b) for p, a, b in rows if p == pk))
                       - args.radius) < 1e-6}
        if service != naive or (kd ^ naive) - edge:
            print(f"DIFFERENT RESULTS at {lat},{lng}: service {len(service)}, cKDTree {len(kd)}, "
                  f"naive {len(naive)}", file=sys.stderr)
            return 1
        counts.append(len(naive))

    timings: dict[str, list[float]] = {"service": [], "ckdtree": [], "naive": []}
    for _round in range(2):  # in turns, so a burst of other work spreads over all three
        for lat, lng in points[_round::2]:
            _r, s = timed(lambda lat=lat, lng=lng: search(Query(lat=lat, lng=lng,
                                                                radius_km=args.radius), now))
            timings["service"].append(s)
            _r, s = timed(lambda lat=lat, lng=lng: ids[tree.query_ball_point(
                to_xyz(lat, lng), chord)])
            timings["ckdtree"].append(s)
            _r, s = timed(lambda lat=lat, lng=lng: [pk for pk, a, b in rows
                                                    if haversine_km(lat, lng, a, b) <= args.radius])
            timings["naive"].append(s)

    plan = connection.cursor().execute(
        "EXPLAIN QUERY PLAN SELECT id FROM mutualaid_meeting "
        "WHERE active AND latitude BETWEEN 41 AND 42 "
        "AND longitude BETWEEN -88 AND -87").fetchall()
    summary = {name: {"p50_ms": percentile(v, 50) * 1000, "p95_ms": percentile(v, 95) * 1000,
                      "mean_ms": sum(v) / len(v) * 1000} for name, v in timings.items()}
    info = machine()
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "commit": git_revision(),
        "machine": info, "database": "sqlite", "meetings": len(rows),
        "radius_km": args.radius, "queries": args.queries,
        "hits_per_query": {"mean": sum(counts) / len(counts), "p50": percentile(counts, 50),
                           "max": max(counts)},
        "ckdtree_build_s": build_s, "search": summary, "import": figures,
        "sqlite_plan": [str(row[-1]) for row in plan],
    }
    print()
    print(f"CPU: {cpu_model()} ({info['cores']} cores); Python {info['python']}; SQLite")
    print(f"hits per query: mean {result['hits_per_query']['mean']:.0f}, "
          f"median {result['hits_per_query']['p50']}, max {result['hits_per_query']['max']}")
    print(f"{'method':<10}{'p50 ms':>10}{'p95 ms':>10}{'vs cKDTree p50':>16}")
    for name, s in summary.items():
        print(f"{name:<10}{s['p50_ms']:>10.2f}{s['p95_ms']:>10.2f}"
              f"{s['p50_ms'] / summary['ckdtree']['p50_ms']:>15.0f}x")
    print(f"cKDTree build over {len(rows):,} points: {build_s * 1000:.0f} ms")
    print(f"import of {args.per_feed:,} meetings: {figures['import_s'][0]:.1f} s "
          f"(all feeds: {', '.join(f'{s:.1f}' for s in figures['import_s'])} s); re-import "
          f"unchanged {figures['reimport_unchanged_s']:.1f} s; with changes "
          f"{figures['reimport_changed_s']:.1f} s")
    print(f"SQLite plan for the bounding box: {'; '.join(result['sqlite_plan'])}")
    if args.json is not None:
        RESULTS.mkdir(exist_ok=True)
        path = Path(args.json) if args.json else RESULTS / (
            datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-meetings.json")
        path.write_text(json.dumps(result, indent=2))
        print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
