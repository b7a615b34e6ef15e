from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecomap.accounts.models import Role
from ecomap.audit.models import AuditEntry
from ecomap.core.imports import ImportReport
from ecomap.directory import catalogue, hsds
from ecomap.directory.models import Attribute, Organization, PendingImport, Service
from ecomap.testing.factories import UserFactory

from .helpers import build_demo, csv_bytes, small_package, snapshot


def _names(response):
    return [r.service.name for r in response.context["results"]]


@pytest.mark.django_db
def test_search_needs_a_staff_role(client, as_user, practitioner):
    assert client.get("/directory/").status_code == 302  # to the log-in page
    portal = UserFactory(role=Role.CLIENT)
    assert as_user(portal).get("/directory/").status_code == 403
    assert as_user(practitioner).get("/directory/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    ({"service_type": "clubhouse"}, ["Harbour Light Clubhouse"]),
    ({"service_type": "supported_employment"},  # includes its sub-types (IPS, VR)
     ["Individual Placement and Support (IPS) employment team"]),
    ({"area": "Brookfield"}, ["Eastside ACT team", "Family psychoeducation group",
                              "Mill Street counselling"]),
    ({"area": "99911"}, ["Eastside ACT team", "Mill Street counselling"]),
    ({"age": "16", "area": "Brookfield"}, ["Family psychoeducation group", "Mill Street counselling"]),
    ({"age": "70", "service_type": "individual_placement_support"}, []),
    ({"eligibility": "family members"}, ["Family psychoeducation group"]),
    ({"language": "vi"}, ["Community case management", "Housing and benefits help desk"]),
    ({"language": "Arabic"}, ["Mill Street counselling"]),
    ({"insurance": "bluemeadow"}, ["Eastside ACT team", "Mill Street counselling"]),
    ({"free_only": "on", "area": "Brookfield"}, ["Family psychoeducation group"]),
    ({"text": "peer"}, ["Open Door peer support group"]),
])
def test_search_filters(as_user, practitioner, query, expected):
    build_demo()
    response = as_user(practitioner).get("/directory/", query)
    assert response.status_code == 200
    assert sorted(_names(response)) == expected


@pytest.mark.django_db
def test_search_by_distance_sorts_nearest_first(as_user, practitioner):
    build_demo()
    from ecomap.directory.models import Location

    here = Location.objects.get(name="12 Quay Lane, Riverside")
    response = as_user(practitioner).get("/directory/", {
        "latitude": str(here.latitude), "longitude": str(here.longitude), "radius_km": "0.5"})
    assert _names(response) == ["Harbour Light Clubhouse"]
    assert response.context["results"][0].distance_km < 0.01
    wide = as_user(practitioner).get("/directory/", {
        "latitude": str(here.latitude), "longitude": str(here.longitude), "radius_km": "100"})
    distances = [r.distance_km for r in wide.context["results"]]
    assert len(distances) == 9 and distances == sorted(distances)


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"latitude": "40"}, {"age": "-3"}, {"latitude": "x"},
                                   {"service_type": "astrology"}, {"radius_km": "9000"}])
def test_bad_search_input_gives_a_message(as_user, practitioner, query):
    response = as_user(practitioner).get("/directory/", query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert response.context["page"] is None


@pytest.mark.django_db
def test_results_show_organisation_address_phone_and_schedule(as_user, practitioner):
    build_demo()
    body = as_user(practitioner).get("/directory/", {"service_type": "family_psychoeducation"}
                                     ).content.decode()
    assert "Family Bridges" in body and "7 Orchard Street, Brookfield, 99910" in body
    assert "555-0143" in body and "2 Tue 18:00-20:00" in body and "Spanish" in body


def _many_services(n):
    org = Organization.objects.create(id="org-many", name="Many", description="d")
    Service.objects.bulk_create([Service(id=f"svc-{i}", organization=org, name=f"Service {i:03d}")
                                 for i in range(n)])
    Attribute.objects.bulk_create([Attribute(id=f"attr-{i}", link_id=f"svc-{i}", link_entity="service",
                                             link_type="service_type",
                                             taxonomy_term_id=catalogue.term_id("clubhouse"))
                                   for i in range(n)])


@pytest.mark.django_db
def test_search_query_count_does_not_grow(as_user, practitioner, django_assert_max_num_queries):
    build_demo()
    http = as_user(practitioner)
    with CaptureQueriesContext(connection) as few:
        http.get("/directory/", {"service_type": "clubhouse"})
    _many_services(60)
    with django_assert_max_num_queries(len(few)):
        response = http.get("/directory/", {"service_type": "clubhouse", "page": "2"})
    assert len(response.context["results"]) == 20
    with django_assert_max_num_queries(16):
        http.get("/directory/", {"latitude": "40", "longitude": "-75", "radius_km": "50"})


@pytest.mark.django_db
def test_service_page_and_types_page(as_user, practitioner):
    build_demo()
    service = Service.objects.get(name="Housing and benefits help desk")
    http = as_user(practitioner)
    body = http.get(f"/directory/services/{service.pk}/").content.decode()
    assert "Proof of residence" in body and "Housing help" in body and "Benefits help" in body
    assert http.get("/directory/services/nope/").status_code == 404
    body = http.get("/directory/types/").content.decode()
    assert "Individual Placement and Support (IPS)" in body and "Practice convention" in body
    assert "Types of Psychosocial Treatments: Clubhouses" in body


def _upload(files: dict[str, bytes], name="package.zip"):
    return SimpleUploadedFile(name, hsds.zip_bytes(files), content_type="application/zip")


@pytest.mark.django_db
def test_import_and_export_are_for_administrators(as_user, practitioner, supervisor):
    for user in (practitioner, supervisor):
        http = as_user(user)
        assert http.get("/directory/files/").status_code == 403
        assert http.post("/directory/files/export/").status_code == 403
        assert http.post("/directory/files/", {"action": "check",
                                               "files": _upload(small_package())}).status_code == 403
    assert not PendingImport.objects.exists() and not Service.objects.exists()


@pytest.mark.django_db
def test_import_is_checked_then_confirmed_and_audited(as_user, admin_user):
    http = as_user(admin_user)
    response = http.post("/directory/files/", {"action": "check", "files": _upload(small_package())})
    assert response.status_code == 200 and response.context["token"]
    assert not Service.objects.exists()  # nothing saved by the check
    body = response.content.decode()
    assert "Import these rows" in body
    report = response.context["report"]
    assert isinstance(report, ImportReport) and report.read == 8 and not report.rejected
    assert report.summary() in body
    token = str(response.context["token"])
    response = http.post("/directory/files/", {"action": "confirm", "token": token}, follow=True)
    assert "Imported: 8 new, 0 updated, 0 unchanged rows." in response.content.decode()
    assert Service.objects.count() == 1 and not PendingImport.objects.exists()
    entry = AuditEntry.objects.get(action="ecomap.directory.imported")
    assert entry.client_id is None and entry.actor_id == admin_user.pk
    assert entry.data["created"] == 8 and entry.data["rows"]["service"] == 1
    assert entry.data["source"] == "package.zip"
    # The same token cannot be used twice.
    response = http.post("/directory/files/", {"action": "confirm", "token": token}, follow=True)
    assert "has expired or was already imported" in response.content.decode()


@pytest.mark.django_db
def test_separate_files_can_be_uploaded(as_user, admin_user):
    uploads = [SimpleUploadedFile(name, content) for name, content in small_package().items()]
    response = as_user(admin_user).post("/directory/files/", {"action": "check", "files": uploads})
    assert response.context["result"].ok and response.context["token"]


@pytest.mark.django_db
def test_refused_package_changes_nothing(as_user, admin_user):
    build_demo()
    before = snapshot()
    http = as_user(admin_user)
    bad = small_package(**{"services.csv": b'id,organization_id,name,status\r\n"broken,o\r\n'})
    response = http.post("/directory/files/", {"action": "check", "files": _upload(bad)})
    body = response.content.decode()
    assert response.status_code == 200 and "token" not in response.context
    assert "The package was refused; nothing was imported." in body and "services.csv, line 2" in body
    response = http.post("/directory/files/", {"action": "check", "files": SimpleUploadedFile(
        "x.zip", b"not a zip")})
    assert "This is not a zip archive." in response.content.decode()
    response = http.post("/directory/files/", {"action": "check"})
    assert response.context["form"].errors["files"]
    response = http.post("/directory/files/", {"action": "confirm", "token": "not-a-token"},
                         follow=True)
    assert "nothing was saved" in response.content.decode()
    assert snapshot() == before and not PendingImport.objects.exists()
    assert AuditEntry.objects.filter(action="ecomap.directory.import_checked").count() == 2
    assert not AuditEntry.objects.filter(action="ecomap.directory.imported").exists()


@pytest.mark.django_db
def test_package_with_only_bad_rows_offers_nothing_to_import(as_user, admin_user):
    files = {"organizations.csv": csv_bytes(["id", "name", "description"], ["o1", "", ""])}
    response = as_user(admin_user).post("/directory/files/",
                                        {"action": "check", "files": _upload(files)})
    body = response.content.decode()
    assert "name is required but empty" in body and "token" not in response.context
    assert "organizations.csv row 2" in body and "1 read, 0 imported" in body
    (level, _heading, lines), *_ = response.context["levels"]
    assert level == "error" and lines[0].message.startswith("name is required but empty; ")
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_another_admins_token_is_refused(as_user, admin_user):
    http = as_user(admin_user)
    token = http.post("/directory/files/", {"action": "check",
                                            "files": _upload(small_package())}).context["token"]
    other = UserFactory(role=Role.ADMIN)
    response = as_user(other).post("/directory/files/", {"action": "confirm", "token": str(token)},
                                   follow=True)
    assert "has expired" in response.content.decode() and not Service.objects.exists()


@pytest.mark.django_db
def test_export_downloads_a_package_and_is_audited(as_user, admin_user):
    build_demo()
    response = as_user(admin_user).post("/directory/files/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert {r["name"] for r in descriptor["resources"]} == {t.name for t in hsds.TABLES}
    assert AuditEntry.objects.get(action="ecomap.directory.exported").data["rows"]["service"] == 9
    assert as_user(admin_user).get("/directory/files/export/").status_code == 405
