"""Directory services: importing and exporting HSDS packages, and searching the directory.

Imports are all or nothing: the checked rows are written in one transaction (upsert by id), and the
audit entry (who imported what, with counts; no client) is written inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from ecomap.audit import services as audit
from ecomap.core.refusal import Refusal

from . import catalogue, hsds
from .models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)


class DirectoryError(Refusal):
    """A directory rule refused the change (nothing was saved)."""


@dataclass(frozen=True)
class ImportCounts:
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())

    @property
    def total_unchanged(self) -> int:
        return sum(self.unchanged.values())


def import_package(result: hsds.CheckResult, *, actor, source: str = "") -> ImportCounts:
    """Write a checked package's accepted rows (insert new ids, update changed rows) and audit it."""
    if not result.ok:
        raise DirectoryError(_("The package was refused; nothing can be imported from it."))
    if not result.total:
        raise DirectoryError(_("The package has no rows that can be imported."))
    created, updated, unchanged = {}, {}, {}
    with transaction.atomic():
        for table in hsds.TABLES:
            rows = result.rows.get(table.name) or {}
            if not rows:
                continue
            columns = [f.name for f in table.fields if f.name != "id"]
            model = table.model
            current = {row["id"]: row for row in
                       model.objects.filter(pk__in=list(rows)).values("id", *columns)}
            new, changed = [], []
            for row_id, values in rows.items():
                fields = hsds.model_values(table, values)
                if row_id not in current:
                    new.append(model(id=row_id, **fields))
                elif any(current[row_id][c] != fields[c] for c in columns):
                    changed.append(model(id=row_id, **fields))
            model.objects.bulk_create(new, batch_size=500)
            if changed:
                model.objects.bulk_update(changed, columns, batch_size=500)
            created[table.name], updated[table.name] = len(new), len(changed)
            unchanged[table.name] = len(rows) - len(new) - len(changed)
        counts = ImportCounts(created, updated, unchanged)
        audit.record("ecomap.directory.imported", actor=actor, data={
            "source": source[:200], "created": counts.total_created,
            "updated": counts.total_updated, "unchanged": counts.total_unchanged,
            "rows": {name: len(rows) for name, rows in result.rows.items() if rows},
            "read": result.report.read, "rejected": result.report.rejected,
            "normalised": result.report.normalised,
            "errors": len(result.report.lines_at("error")),
            "warnings": len(result.report.lines_at("warning"))})
    return counts


def export_package(*, actor) -> bytes:
    """The directory as a zipped HSDS package; the export is audited."""
    files = hsds.export_package()
    audit.record("ecomap.directory.exported", actor=actor, data={
        "rows": {t.name: files[t.path].count(b"\r\n") - 1 for t in hsds.TABLES}})
    return hsds.zip_bytes(files)


# ---------------------------------------------------------------------------------------------------
# Search


@dataclass(frozen=True)
class Criteria:
    service_type: str = ""
    area: str = ""  # city or postal code
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float | None = None
    age: int | None = None
    eligibility: str = ""
    language: str = ""
    insurance: str = ""
    free_only: bool = False
    text: str = ""
    include_inactive: bool = False


@dataclass
class Result:
    service: Service
    distance_km: float | None
    types: list
    locations: list
    phones: list
    schedules: list
    languages: list
    insurance: list
    costs: list


EARTH_KM = 6371.0088


def distance_km(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _service_ids_near(c: Criteria) -> dict[str, float]:
    """Service id -> distance of its nearest location within the radius (one query)."""
    lat, lng, radius = c.latitude, c.longitude, c.radius_km
    dlat = radius / 111.0
    dlng = radius / max(1e-6, 111.320 * math.cos(math.radians(lat)))
    box = Q(location__latitude__gte=Decimal(str(lat - dlat)),
            location__latitude__lte=Decimal(str(lat + dlat)))
    west, east = lng - dlng, lng + dlng
    if west >= -180 and east <= 180:  # else the box crosses the antimeridian: latitude only
        box &= Q(location__longitude__gte=Decimal(str(west)),
                 location__longitude__lte=Decimal(str(east)))
    nearest: dict[str, float] = {}
    rows = ServiceAtLocation.objects.filter(box).values_list(
        "service_id", "location__latitude", "location__longitude")
    for service_id, la, lo in rows:
        d = distance_km(lat, lng, float(la), float(lo))
        if d <= radius and d < nearest.get(service_id, math.inf):
            nearest[service_id] = d
    return nearest


def _by_language(text: str) -> Q:
    match = Q(code__iexact=text) | Q(name__icontains=text)
    languages = Language.objects.filter(match)
    return (Q(pk__in=languages.filter(service__isnull=False).values("service_id"))
            | Q(at_locations__location__in=languages.filter(location__isnull=False)
                .values("location_id")))


def search(c: Criteria):
    """Services matching the criteria, as a queryset of ids and (when searching by distance) the
    distance of each. The caller pages the ids and loads the page with `load()`."""
    services = Service.objects.all()
    if not c.include_inactive:
        services = services.filter(status=ServiceStatus.ACTIVE)
    if c.service_type:
        keys = {c.service_type} | {t.key for t in catalogue.service_types()
                                   if t.parent == c.service_type}
        terms = [catalogue.term_id(k) for k in keys]
        services = services.filter(pk__in=Attribute.objects.filter(
            link_entity="service", taxonomy_term_id__in=terms).values("link_id"))
    if c.area:
        area = c.area.strip()
        addresses = Address.objects.filter(Q(city__iexact=area) | Q(postal_code__istartswith=area)
                                           | Q(region__iexact=area))
        services = services.filter(
            Q(at_locations__location__in=addresses.values("location_id"))
            | Q(service_areas__name__icontains=area))
    if c.age is not None:
        services = services.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=c.age),
                                   Q(maximum_age__isnull=True) | Q(maximum_age__gte=c.age))
    if c.eligibility:
        services = services.filter(eligibility_description__icontains=c.eligibility)
    if c.language:
        services = services.filter(_by_language(c.language.strip()))
    if c.insurance:
        services = services.filter(pk__in=Attribute.objects.filter(
            link_entity="service", taxonomy_term_id=catalogue.INSURANCE_TERM_ID,
            value__icontains=c.insurance.strip()).values("link_id"))
    if c.free_only:
        services = services.filter(Q(pk__in=CostOption.objects.filter(amount=0).values("service_id"))
                                   | Q(fees_description__icontains="free"))
    if c.text:
        text = c.text.strip()
        services = services.filter(Q(name__icontains=text) | Q(description__icontains=text)
                                   | Q(organization__name__icontains=text)
                                   | Q(alternate_name__icontains=text))
    distances = None
    if c.latitude is not None and c.longitude is not None and c.radius_km:
        distances = _service_ids_near(c)
        services = services.filter(pk__in=list(distances))
    ids = list(services.order_by("name", "id").values_list("id", flat=True).distinct())
    if distances is not None:
        ids.sort(key=lambda i: distances[i])
    return ids, distances or {}


def load(ids: list[str], distances: dict[str, float] | None = None) -> list[Result]:
    """The services with everything the results list shows, in a fixed number of queries."""
    distances = distances or {}
    services = {s.pk: s for s in Service.objects.filter(pk__in=ids).select_related("organization")
                .prefetch_related(
                    Prefetch("at_locations", queryset=ServiceAtLocation.objects.select_related(
                        "location").prefetch_related(
                        Prefetch("location__addresses", queryset=Address.objects.order_by("id")),
                        Prefetch("location__phones", queryset=Phone.objects.order_by("id")))),
                    Prefetch("phones", queryset=Phone.objects.order_by("id")),
                    Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
                    Prefetch("languages", queryset=Language.objects.order_by("id")),
                    Prefetch("cost_options", queryset=CostOption.objects.order_by("id")))}
    attributes: dict[str, list[Attribute]] = {}
    for attribute in Attribute.objects.filter(link_entity="service", link_id__in=ids).order_by("id"):
        attributes.setdefault(attribute.link_id, []).append(attribute)
    types = {t.term_id: t for t in catalogue.service_types()}
    results = []
    for service_id in ids:
        service = services.get(service_id)
        if service is None:
            continue
        linked = attributes.get(service_id, [])
        locations = [sal.location for sal in service.at_locations.all()]
        phones = list(service.phones.all()) or [p for loc in locations for p in loc.phones.all()]
        results.append(Result(
            service=service, distance_km=distances.get(service_id),
            types=[types[a.taxonomy_term_id] for a in linked if a.taxonomy_term_id in types],
            locations=locations, phones=phones, schedules=list(service.schedules.all()),
            languages=list(service.languages.all()),
            insurance=[a.value for a in linked
                       if a.taxonomy_term_id == catalogue.INSURANCE_TERM_ID and a.value],
            costs=list(service.cost_options.all())))
    return results


DAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat",
             "SU": "Sun"}


def schedule_summary(schedule: Schedule) -> str:
    """A short line such as 'Mon, Wed 09:00-17:00' (or the schedule's own description)."""
    if schedule.description and not (schedule.byday or schedule.opens_at):
        return schedule.description
    parts = []
    if schedule.byday:
        days = []
        for day in schedule.byday.split(","):
            prefix, name = day[:-2], DAY_NAMES.get(day[-2:], day)
            days.append(f"{prefix} {name}".strip() if prefix else name)
        parts.append(", ".join(days))
    if schedule.freq == "MONTHLY" and not schedule.byday:
        parts.append(_("monthly"))
    if schedule.interval and schedule.interval > 1:
        parts.append(_("every %(n)s") % {"n": schedule.interval})
    hours = "-".join(t[:5] for t in (schedule.opens_at, schedule.closes_at) if t)
    if hours:
        parts.append(hours)
    return " ".join(parts) or schedule.description
