from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomap.core.imports import ImportRefused
from ecomap.directory import catalogue, hsds, services
from ecomap.directory.models import Attribute, Organization, Schedule, Service

from .helpers import LOCATION, ORG, SERVICE, csv_bytes, small_package


def _errors(result):
    return [str(line) for line in result.report.lines_at("error")]


@pytest.mark.django_db
def test_a_valid_package_is_accepted():
    result = hsds.check_package(small_package())
    assert result.ok and not result.report.lines_at("error") and not result.report.lines_at("warning")
    assert result.counts() == {"organization": 1, "service": 1, "location": 1,
                               "service_at_location": 1, "address": 1, "phone": 1, "schedule": 1,
                               "attribute": 1}
    service = result.rows["service"][SERVICE]
    assert service["minimum_age"] == 18 and service["maximum_age"] is None
    assert result.rows["location"][LOCATION]["latitude"] == Decimal("40.100000")


@pytest.mark.django_db
def test_every_row_is_a_record_of_the_import_report():
    files = {"organizations.csv": csv_bytes(["id", "name", "description", "email"],
                                            [ORG, "Test Org", "An organisation", "not-an-email"],
                                            ["o2", "", "No name", ""], ["o3", "Third", "D", ""])}
    report = hsds.check_package(files).report
    assert (report.read, report.imported, report.normalised, report.rejected) == (3, 2, 1, 1)
    first, second, third = report.records
    assert (first.location, first.key, first.name, first.outcome) == (
        "organizations.csv row 2", ORG, "Test Org", "normalised")
    assert first.warnings[0].message == ("email: 'not-an-email' does not look like an e-mail "
                                         "address; kept as written")
    assert (second.key, second.outcome, second.reason) == ("o2", "rejected",
                                                           "name is required but empty")
    assert third.outcome == "imported"
    assert report.summary() == "3 read, 2 imported (1 with a warning), 1 rejected."
    assert [line.code for line in report.lines_at("info")] == ["not_uuid"]


@pytest.mark.django_db
def test_long_values_are_kept_whole_through_import_and_export(admin_user):
    url = "https://example.org/" + "a" * 2980
    name = "Drop-in " + "n" * 492
    assert (len(url), len(name)) == (3000, 500)
    files = small_package(**{"services.csv": csv_bytes(
        ["id", "organization_id", "name", "status", "url"], [SERVICE, ORG, name, "active", url])})
    result = hsds.check_package(files)
    assert result.ok and not result.report.lines_at("error")
    assert not result.report.lines_at("warning")  # nothing was changed, so nothing to report
    services.import_package(result, actor=admin_user)
    service = Service.objects.get()
    assert (service.name, service.url) == (name, url)
    exported = hsds.export_package()
    (row,) = csv.DictReader(io.StringIO(exported["services.csv"].decode()))
    assert (row["name"], row["url"]) == (name, url)
    again = hsds.check_package(exported)
    assert not again.report.lines_at("warning")
    assert again.rows["service"][SERVICE]["name"] == name
    assert again.rows["service"][SERVICE]["url"] == url


@pytest.mark.django_db
def test_an_id_longer_than_its_column_rejects_the_row():
    files = {"organizations.csv": csv_bytes(["id", "name", "description"],
                                            ["x" * 101, "Org", "D"])}
    result = hsds.check_package(files)
    assert _errors(result) == ["error: organizations.csv row 2: id is longer than 100 characters, "
                               "too long for an id or code"]


@pytest.mark.django_db
def test_missing_required_value_refuses_the_row_and_its_dependants():
    files = small_package(**{"organizations.csv": csv_bytes(["id", "name", "description"],
                                                             [ORG, "", "An organisation"])})
    result = hsds.check_package(files)
    errors = _errors(result)
    assert "error: organizations.csv row 2: name is required but empty" in errors
    assert any(e.startswith("error: services.csv row 2: organization_id "
                            f"'{ORG}' names a row refused at organizations.csv row 2")
               for e in errors)
    # The service was refused, so everything hanging from it is refused too.
    assert not result.rows["service"] and not result.rows["phone"] and not result.rows["attribute"]
    assert result.rows["location"]  # the location does not depend on them


@pytest.mark.django_db
def test_bad_reference_is_an_error():
    files = small_package(**{"phones.csv": csv_bytes(["id", "service_id", "number"],
                                                      ["phone-1", "no-such-service", "555"])})
    errors = _errors(hsds.check_package(files))
    assert errors == ["error: phones.csv row 2: service_id 'no-such-service': no "
                      "service with this id in the package or the directory"]


@pytest.mark.django_db
def test_references_may_point_at_rows_already_in_the_directory(admin_user):
    services.import_package(hsds.check_package(small_package()), actor=admin_user)
    files = {"phones.csv": csv_bytes(["id", "service_id", "number"], ["phone-2", SERVICE, "555"])}
    result = hsds.check_package(files)
    assert result.ok and result.counts() == {"phone": 1} and not _errors(result)


@pytest.mark.django_db
@pytest.mark.parametrize(("column", "value", "message"), [
    ("opens_at", "9am", "opens_at '9am' is not a time"),
    ("opens_at", "25:00", "opens_at '25:00' is not a time"),
    ("closes_at", "17:61", "closes_at '17:61' is not a time"),
    ("byday", "MO,XX", "byday 'XX' is not a day"),
    ("byday", "60MO", "byday '60MO' is not a day"),
    ("freq", "HOURLY", "freq 'HOURLY' is not a frequency"),
])
def test_bad_times_and_days_are_errors(column, value, message):
    header = ["id", "service_id", "freq", "byday", "opens_at", "closes_at"]
    row = ["sched-1", SERVICE, "WEEKLY", "MO", "09:00", "17:00"]
    row[header.index(column)] = value
    result = hsds.check_package(small_package(**{"schedules.csv": csv_bytes(header, row)}))
    assert any(message in e and "schedules.csv row 2" in e for e in _errors(result)), _errors(result)
    assert not result.rows["schedule"]


@pytest.mark.django_db
def test_times_with_offsets_and_monthly_days_are_accepted():
    header = ["id", "service_id", "freq", "byday", "opens_at", "closes_at", "wkst", "bymonthday"]
    rows = [["s1", SERVICE, "MONTHLY", "2MO,-1FR", "09:00-05:00", "17:30:00Z", "TU", "2,3,4"],
            ["s2", SERVICE, "weekly", "th,fr", "10:00:00", "18:00:00", "MON", ""]]
    result = hsds.check_package(small_package(**{"schedules.csv": csv_bytes(header, *rows)}))
    assert not _errors(result)
    assert result.rows["schedule"]["s1"]["opens_at"] == "09:00-05:00"
    assert result.rows["schedule"]["s2"]["byday"] == "TH,FR"


@pytest.mark.django_db
def test_unknown_taxonomy_term_is_kept_verbatim_with_a_warning(admin_user):
    header = ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"]
    files = small_package(**{"attributes.csv": csv_bytes(
        header, ["attr-9", SERVICE, "AIRS:BH-1800", "service_type", "service", ""])})
    result = hsds.check_package(files)
    assert not _errors(result)
    assert [str(w) for w in result.report.lines_at("warning")] == [
        "warning: attributes.csv row 2: taxonomy_term_id 'AIRS:BH-1800' is not a known "
        "taxonomy term; kept verbatim"]
    services.import_package(result, actor=admin_user)
    assert Attribute.objects.get().taxonomy_term_id == "AIRS:BH-1800"
    assert b"AIRS:BH-1800" in hsds.export_package()["attributes.csv"]


@pytest.mark.django_db
def test_values_are_checked():
    header = ["id", "organization_id", "name", "status", "minimum_age", "maximum_age", "email",
              "assured_date"]
    rows = [["a", ORG, "A", "open", "", "", "", ""],
            ["b", ORG, "B", "active", "40", "20", "", ""],
            ["c", ORG, "C", "active", "x", "", "", ""],
            ["d", ORG, "D", "active", "", "", "not-an-email", "2024-02-30"],
            ["e", ORG, "E", "Temporarily Closed", "", "", "e@example.org", "2024-02-29"],
            ["e", ORG, "E again", "active", "", "", "", ""]]
    result = hsds.check_package(small_package(**{"services.csv": csv_bytes(header, *rows)}))
    errors = "\n".join(_errors(result))
    assert "row 2: status 'open' is not one of" in errors
    assert "row 3: minimum_age 40 is above maximum_age 20" in errors
    assert "row 4: minimum_age 'x' is not a whole number" in errors
    assert "row 5: assured_date '2024-02-30' is not a real date" in errors
    assert "row 7: id 'e' is used twice (first at row 6)" in errors
    assert list(result.rows["service"]) == ["e"]
    assert result.rows["service"]["e"]["status"] == "temporarily closed"


@pytest.mark.django_db
def test_numbers_out_of_range_and_rounding():
    header = ["id", "location_type", "latitude", "longitude"]
    rows = [["l1", "physical", "91", "0"], ["l2", "virtual", "12.12345678", "1"],
            ["l3", "spaceship", "", ""]]
    result = hsds.check_package({"locations.csv": csv_bytes(header, *rows)})
    errors = "\n".join(_errors(result))
    assert "row 2: latitude '91' is outside -90 to 90" in errors
    assert "row 4: location_type 'spaceship' is not one of" in errors
    assert result.rows["location"]["l2"]["latitude"] == Decimal("12.123457")
    assert any("12.12345678 was rounded to 6 decimal places" in str(w)
               for w in result.report.lines_at("warning"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "location", "message"), [
    ("services.csv", b'id,organization_id,name,status\r\n"s1,o,"Name",active\r\n',
     "services.csv, line 2", "Malformed CSV"),
    ("services.csv", b"id,organization_id,name,status\r\ns1,o,Name\r\n", "services.csv, line 2",
     "the row has 3 cells, the header has 4"),
    ("services.csv", b"id,organization_id,name,status\r\ns1,o,Caf\xe9,active\r\n",
     "services.csv, line 2", "not UTF-8"),
    ("services.csv", b"organization_id,name,status\r\no,Name,active\r\n", "services.csv",
     "Missing required column 'id'"),
    ("services.csv", b"id,id,name\r\n", "services.csv, line 1", "The column 'id' appears twice"),
    ("datapackage.json", b'{"resources": [\n {"name": "service",}\n]}',
     "datapackage.json, line 2, column 21",
     "Malformed JSON"),
    ("datapackage.json", b'{"resources": [{"name": "service", "path": "nope.csv"}]}',
     "datapackage.json, resource 1 (service)", "The file 'nope.csv' is not in the package"),
    ("datapackage.json", b'{"resources": [{"name": "service", "path": "../etc/passwd"}]}',
     "datapackage.json, resource 1 (service)", "is not a file inside the package"),
    ("datapackage.json", b'{"resources": [{"name": "service", "path": "https://x.test/s.csv"}]}',
     "datapackage.json, resource 1 (service)", "does not fetch remote files"),
    ("datapackage.json", b'[]', "datapackage.json", "a list of 'resources'"),
])
def test_malformed_files_refuse_the_whole_package(name, content, location, message):
    result = hsds.check_package(small_package(**{name: content}))
    assert not result.ok and result.rows is None
    (line,) = result.report.lines[-1:]
    assert line.level == "error" and line.location == location
    assert message in line.message and "Nothing was imported." in line.message


def test_zips_are_read_and_bad_zips_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/datapackage.json", "{}")
        archive.writestr("export/services.csv", "id\r\n")
    assert set(hsds.read_zip(buffer.getvalue())) == {"datapackage.json", "services.csv"}
    with pytest.raises(ImportRefused, match="not a zip"):
        hsds.read_zip(b"PK\x03\x04 nonsense", "x.zip")


@pytest.mark.django_db
def test_package_without_descriptor_is_read_by_file_names():
    files = small_package(**{"datapackage.json": None})
    files["address.csv"] = files.pop("addresses.csv")
    result = hsds.check_package(files)
    assert result.ok and result.counts()["address"] == 1
    assert [line.location for line in result.report.lines_at("warning")] == ["datapackage.json"]


@pytest.mark.django_db
def test_unknown_tables_and_columns_are_reported_not_dropped_silently():
    files = small_package(**{"programs.csv": b"id,organization_id,name\r\n"})
    descriptor = json.loads(files["datapackage.json"])
    descriptor["resources"].append({"name": "program", "path": "programs.csv"})
    files["datapackage.json"] = json.dumps(descriptor).encode()
    files["organizations.csv"] = csv_bytes(["id", "name", "description", "tax_id"],
                                           [ORG, "Org", "D", "123"])
    result = hsds.check_package(files)
    infos = [str(line) for line in result.report.lines_at("info")]
    assert "info: datapackage.json: Tables ecomap does not keep were not read: program." in infos
    assert ("info: organizations.csv: Columns ecomap does not keep were not read: 'tax_id'."
            in infos)


@pytest.mark.django_db
def test_official_example_rows_are_read():
    """Rows shaped like openreferral/specification examples/csv (HSDS 3.0)."""
    files = {
        "organizations.csv": csv_bytes(["id", "name", "alternate_name", "description", "email",
                                        "website", "year_incorporated", "legal_status", "logo", "uri",
                                        "parent_organization_id"],
                                       ["d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name", "alternate_name",
                                        "description", "email@example.com", "http://example.com",
                                        "2011", "legal_status", "", "http://example.com",
                                        "cd09a387-91f4-4555-94ec-e799c35344cd"]),
        "schedules.csv": csv_bytes(
            ["id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to",
             "dtstart", "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno",
             "bymonthday", "byyearday", "description", "opens_at", "closes_at", "schedule_link",
             "attending_type", "notes"],
            ["48102e86-bb50-41c4-8f1e-e269368c41d1", "", "", "", "2005-01-01", "2005-01-01",
             "2005-01-01", "3", "2005-01-01", "3", "TU", "WEEKLY", "1", "TH,FR", "41,42", "2,3,4",
             "2,3,4", "The service is available from 10 am to 6pm weekdays.", "10:00:00", "18:00:00",
             "http://example.com", "In person or by video", "Lunch closures"]),
    }
    result = hsds.check_package(files)
    assert not _errors(result), _errors(result)
    assert [str(w) for w in result.report.lines_at("warning")][1:] == [
        "warning: organizations.csv row 2: parent_organization_id "
        "'cd09a387-91f4-4555-94ec-e799c35344cd' is not in the package or the directory; kept as "
        "written"]


@pytest.mark.django_db
def test_export_is_a_valid_package_listing_fields(admin_user):
    services.import_package(hsds.check_package(small_package()), actor=admin_user)
    files = hsds.export_package()
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["profile"] == "tabular-data-package" and descriptor["version"] == "3.0.0"
    for resource in descriptor["resources"]:
        assert resource["profile"] == "tabular-data-resource" and resource["path"] in files
        header = files[resource["path"]].split(b"\r\n", 1)[0].decode().split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert resource["schema"]["primaryKey"] == "id"
    terms = files["taxonomy_terms.csv"].decode()
    assert catalogue.term_id("clubhouse") in terms and "Clubhouse" in terms
    again = hsds.check_package(hsds.read_zip(hsds.zip_bytes(files)))
    assert again.ok and not again.report.lines_at("error") and not again.report.lines_at("warning")


@pytest.mark.django_db
def test_import_is_idempotent_and_updates_changed_rows(admin_user):
    first = services.import_package(hsds.check_package(small_package()), actor=admin_user)
    assert first.total_created == 8
    second = services.import_package(hsds.check_package(small_package()), actor=admin_user)
    assert (second.total_created, second.total_updated, second.total_unchanged) == (0, 0, 8)
    changed = small_package(**{"services.csv": csv_bytes(
        ["id", "organization_id", "name", "status", "minimum_age"],
        [SERVICE, ORG, "Renamed drop-in", "inactive", ""])})
    third = services.import_package(hsds.check_package(changed), actor=admin_user)
    assert third.updated == {**dict.fromkeys(third.updated, 0), "service": 1}
    service = Service.objects.get()
    assert (service.name, service.status, service.minimum_age) == ("Renamed drop-in", "inactive", None)
    assert Organization.objects.count() == 1 and Schedule.objects.count() == 1


@pytest.mark.django_db
def test_import_is_all_or_nothing(admin_user, monkeypatch):
    from ecomap.directory.models import Phone

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Phone.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.import_package(hsds.check_package(small_package()), actor=admin_user)
    assert not Organization.objects.exists() and not Service.objects.exists()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.sampled_from(["services.csv", "schedules.csv", "datapackage.json", "locations.csv"]),
       content=st.one_of(st.binary(max_size=300),
                         st.text(st.sampled_from('ab,"\r\n:-19MOZ{}[]'), max_size=200)
                         .map(str.encode)))
def test_any_input_gives_a_report_never_an_exception(name, content):
    result = hsds.check_package(small_package(**{name: content}))
    assert result.report.lines or result.ok
    if not result.ok:
        assert result.report.lines[-1].level == "error"
