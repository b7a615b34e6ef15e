"""Meeting search: by distance from a point, day and time window, type codes, online or in person,
language; ordered by distance, then by next occurrence in each meeting's time zone.

Two queries. The database narrows the candidates (active meetings; a bounding box around the point on
the indexed latitude/longitude; days; times; a type prefilter on `types_text`), then Python computes
the exact great-circle distance (haversine), checks the types exactly and works out each next
occurrence. Times are the meetings' local wall-clock times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Q

from . import schedule
from .models import Attendance, Meeting

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, list]:
    """(min lat, max lat, [(min lng, max lng), ...]): every point within radius_km is inside.
    Two longitude ranges when the box crosses the antimeridian; all longitudes near a pole."""
    dlat = radius_km / KM_PER_DEGREE
    lo, hi = lat - dlat, lat + dlat
    if lo <= -90 or hi >= 90:
        return max(lo, -90.0), min(hi, 90.0), [(-180.0, 180.0)]
    # The widest longitude span of the circle is at the latitude nearer the pole.
    dlng = math.degrees(math.asin(min(1.0, math.sin(radius_km / EARTH_RADIUS_KM)
                                      / math.cos(math.radians(lat)))))
    west, east = lng - dlng, lng + dlng
    if dlng >= 180:
        return lo, hi, [(-180.0, 180.0)]
    if west < -180:
        return lo, hi, [(west + 360, 180.0), (-180.0, east)]
    if east > 180:
        return lo, hi, [(west, 180.0), (-180.0, east - 360)]
    return lo, hi, [(west, east)]


@dataclass
class Query:
    lat: float | None = None
    lng: float | None = None
    radius_km: float = 10.0
    days: frozenset[int] = frozenset()  # 0 = Sunday; empty = any day
    time_from: time | None = None
    time_to: time | None = None  # a window that wraps midnight (22:00-02:00) is allowed
    types: frozenset[str] = frozenset()  # every one required
    languages: frozenset[str] = frozenset()  # any one
    attendance: str = "any"  # any | in_person (in person or hybrid) | online (online or hybrid)
    fellowships: frozenset[int] = frozenset()
    limit: int = 50


@dataclass
class Hit:
    meeting: Meeting
    distance_km: float | None
    next_at: datetime | None


@dataclass
class Result:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0


def _queryset(query: Query):
    meetings = Meeting.objects.filter(active=True).exclude(attendance_option=Attendance.INACTIVE)
    if query.fellowships:
        meetings = meetings.filter(fellowship_id__in=query.fellowships)
    if query.attendance == "in_person":
        meetings = meetings.filter(attendance_option__in=[Attendance.IN_PERSON, Attendance.HYBRID])
    elif query.attendance == "online":
        meetings = meetings.filter(attendance_option__in=[Attendance.ONLINE, Attendance.HYBRID])
    if query.lat is not None and query.lng is not None and query.attendance != "online":
        lo, hi, ranges = bounding_box(query.lat, query.lng, query.radius_km)
        span = Q()
        for west, east in ranges:
            span |= Q(longitude__gte=west, longitude__lte=east)
        meetings = meetings.filter(span, latitude__gte=lo, latitude__lte=hi)
    if query.days:
        meetings = meetings.filter(day__in=sorted(query.days))
    if query.time_from or query.time_to:
        start, end = query.time_from or time(0, 0), query.time_to or time(23, 59, 59)
        if start <= end:
            meetings = meetings.filter(time__gte=start, time__lte=end)
        else:
            meetings = meetings.filter(Q(time__gte=start) | Q(time__lte=end))
    for code in sorted(query.types):
        meetings = meetings.filter(types_text__contains=f"|{code}|")
    if query.languages:
        any_language = Q()
        for code in sorted(query.languages):
            any_language |= Q(types_text__contains=f"|{code}|")
        meetings = meetings.filter(any_language)
    return meetings


def search(query: Query, now: datetime) -> Result:
    """Meetings that match, nearest first, then soonest; `total` counts them all.

    Two queries: the candidates' few columns (pk, place, day, time, zone, types, name) to filter,
    measure and sort, then the full rows of the `limit` meetings shown."""
    point = query.lat is not None and query.lng is not None and query.attendance != "online"
    far = float("inf")
    ranked = []
    rows = _queryset(query).values_list("pk", "latitude", "longitude", "day", "time", "timezone",
                                        "types", "name")
    for pk, lat, lng, day, at, zone, types, name in rows:
        types = set(types)
        if not query.types <= types or (query.languages and not query.languages & types):
            continue  # the text prefilter is case-insensitive on SQLite; codes are exact
        distance = None
        if point:
            distance = haversine_km(query.lat, query.lng, lat, lng)
            if distance > query.radius_km:
                continue
        when = None if day is None or at is None else schedule.next_at(day, at, zone, now)
        ranked.append((distance if distance is not None else far,
                       when.timestamp() if when else far, name, pk, distance, when))
    ranked.sort(key=lambda r: r[:4])
    shown = ranked[:query.limit]
    meetings = Meeting.objects.select_related("fellowship", "feed").in_bulk(
        [r[3] for r in shown]) if shown else {}
    return Result(hits=[Hit(meetings[r[3]], r[4], r[5]) for r in shown], total=len(ranked))
