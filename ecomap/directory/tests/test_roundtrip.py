"""import -> export -> import gives the same directory, for the demo directory and for random ones."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomap.directory import catalogue, hsds, services
from ecomap.directory.models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

from .helpers import build_demo, snapshot


def _wipe():
    for table in reversed(hsds.TABLES):
        table.model.objects.all().delete()


@pytest.mark.django_db
def test_demo_directory_round_trips(admin_user):
    build_demo()
    before = snapshot()
    exported = hsds.export_package()
    _wipe()
    assert not Service.objects.exists()
    counts = services.import_package(hsds.check_package(hsds.read_zip(hsds.zip_bytes(exported))),
                                     actor=admin_user)
    assert counts.total_updated == 0 and counts.total_created == sum(
        len(rows) for name, rows in before.items() if name not in ("taxonomy", "taxonomy_term"))
    assert snapshot() == before
    assert hsds.export_package() == exported
    again = services.import_package(hsds.check_package(exported), actor=admin_user)
    assert (again.total_created, again.total_updated) == (0, 0)


class Rollback(Exception):
    pass


def _text(max_size=30):
    alphabet = st.one_of(st.characters(blacklist_categories=("Cs", "Cc")),
                         st.sampled_from([",", '"', "\n", "\r", "'", ";", "\t"]))
    return st.text(alphabet, max_size=max_size).map(lambda s: s.strip()).filter(
        lambda s: "\x00" not in s and s == s.strip())


ids = st.uuids().map(str)
maybe = st.one_of(st.none(), st.integers(0, 120))
times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
days = st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU", "2MO", "-1FR"]),
                min_size=1, max_size=4, unique=True).map(",".join)


@st.composite
def directories(draw):
    rows = []
    orgs = [Organization(id=draw(ids), name=draw(_text().filter(bool)),
                         description=draw(_text().filter(bool)), email=draw(_text()),
                         year_incorporated=draw(st.one_of(st.none(), st.integers(1800, 2030))))
            for _ in range(draw(st.integers(1, 3)))]
    rows += orgs
    locations = [Location(id=draw(ids), organization=draw(st.sampled_from(orgs)),
                          location_type=draw(st.sampled_from(["physical", "postal", "virtual"])),
                          name=draw(_text()), transportation=draw(_text()),
                          latitude=draw(st.one_of(st.none(), st.decimals(-90, 90, places=6))),
                          longitude=draw(st.one_of(st.none(), st.decimals(-180, 180, places=6))))
                 for _ in range(draw(st.integers(0, 3)))]
    rows += locations
    for location in locations:
        if draw(st.booleans()):
            rows.append(Address(id=draw(ids), location=location,
                                address_1=draw(_text().filter(bool)),
                                city=draw(_text().filter(bool)),
                                state_province=draw(_text(10).filter(bool)),
                                postal_code=draw(_text(10).filter(bool)),
                                country=draw(st.sampled_from(["US", "GB", "MX"])),
                                address_type=draw(st.sampled_from(["physical", "postal"]))))
    for _ in range(draw(st.integers(0, 4))):
        low, high = sorted([draw(maybe) or 0, draw(maybe) or 0])
        service = Service(id=draw(ids), organization=draw(st.sampled_from(orgs)),
                          name=draw(_text().filter(bool)), description=draw(_text(80)),
                          status=draw(st.sampled_from(["active", "inactive", "defunct",
                                                       "temporarily closed"])),
                          eligibility_description=draw(_text()),
                          minimum_age=draw(st.sampled_from([None, low])),
                          maximum_age=draw(st.sampled_from([None, high])),
                          fees_description=draw(_text()), alert=draw(_text()))
        rows.append(service)
        for location in draw(st.lists(st.sampled_from(locations), unique_by=lambda x: x.id)
                             if locations else st.just([])):
            sal = ServiceAtLocation(id=draw(ids), service=service, location=location)
            rows.append(sal)
            if draw(st.booleans()):
                rows.append(Contact(id=draw(ids), service_at_location=sal, name=draw(_text())))
        for _ in range(draw(st.integers(0, 2))):
            rows.append(Phone(id=draw(ids), service=service, number=draw(_text(20).filter(bool)),
                              extension=draw(st.one_of(st.none(), st.integers(0, 9999)))))
        for _ in range(draw(st.integers(0, 2))):
            rows.append(Schedule(id=draw(ids), service=service,
                                 freq=draw(st.sampled_from(["WEEKLY", "MONTHLY", ""])),
                                 byday=draw(days), opens_at=draw(times), closes_at=draw(times),
                                 interval=draw(st.one_of(st.none(), st.integers(1, 4))),
                                 timezone=draw(st.one_of(st.none(), st.decimals(-12, 12, places=2))),
                                 description=draw(_text())))
        for code in draw(st.lists(st.sampled_from(["en", "es", "vi", "ar"]), unique=True)):
            rows.append(Language(id=draw(ids), service=service, code=code, name=draw(_text(15))))
        for _ in range(draw(st.integers(0, 1))):
            rows.append(CostOption(id=draw(ids), service=service, option=draw(_text()),
                                   amount=draw(st.one_of(st.none(), st.decimals(0, 10000, places=2))),
                                   currency=draw(st.sampled_from(["", "USD", "EUR"]))))
            rows.append(RequiredDocument(id=draw(ids), service=service, document=draw(_text())))
            rows.append(ServiceArea(id=draw(ids), service=service, name=draw(_text())))
        for key in draw(st.lists(st.sampled_from([t.key for t in catalogue.service_types()]),
                                 unique=True, max_size=3)):
            rows.append(Attribute(id=draw(ids), link_id=service.id, link_entity="service",
                                  link_type="service_type", taxonomy_term_id=catalogue.term_id(key)))
        if draw(st.booleans()):
            rows.append(Attribute(id=draw(ids), link_id=service.id, link_entity="service",
                                  link_type="insurance_accepted", value=draw(_text().filter(bool)),
                                  taxonomy_term_id=catalogue.INSURANCE_TERM_ID))
    if draw(st.booleans()):
        rows.append(TaxonomyTerm(id=draw(ids), name=draw(_text().filter(bool)),
                                 description=draw(_text().filter(bool)), code=draw(_text(10))))
    return rows


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(directory=directories())
def test_random_directories_round_trip(admin_user, directory):
    try:
        with transaction.atomic():
            for row in directory:
                row.save(force_insert=True)
            before = snapshot()
            exported = hsds.export_package()
            _wipe()
            result = hsds.check_package(hsds.read_zip(hsds.zip_bytes(exported)))
            assert result.ok and not result.report.lines_at("error"), result.report.lines
            services.import_package(result, actor=admin_user) if result.total else None
            assert snapshot() == before
            assert hsds.export_package() == exported
            if result.total:
                again = services.import_package(hsds.check_package(exported), actor=admin_user)
                assert (again.total_created, again.total_updated) == (0, 0)
            raise Rollback
    except Rollback:
        pass


def test_decimals_are_written_without_trailing_zeros():
    assert hsds._cell(Decimal("51.500000")) == "51.5"
    assert hsds._cell(Decimal("100.00")) == "100"
    assert hsds._cell(Decimal("0.00")) == "0"
    assert hsds._cell(Decimal("-0.000")) == "0"
