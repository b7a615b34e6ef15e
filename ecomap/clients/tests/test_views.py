from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.clients.models import Client, Status
from ecomap.testing.factories import ClientFactory


def _form(**overrides):
    data = {"legal_first_name": "Ada", "legal_last_name": "Quist", "preferred_name": "",
            "pronouns": "she/her", "date_of_birth": "1988-02-03", "phone": "", "email": "",
            "address": "", "preferred_language": "English", "programme": "mental_health",
            "admitted_on": timezone.localdate().isoformat(), "notes": ""}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_create_client(as_user, practitioner):
    http = as_user(practitioner)
    assert http.get("/clients/new/").status_code == 200
    response = http.post("/clients/new/", _form(primary_practitioner=practitioner.pk))
    client = Client.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/clients/{client.pk}/"
    assert client.primary_practitioner == practitioner


@pytest.mark.django_db
def test_invalid_input_gives_field_messages_and_saves_nothing(as_user, practitioner):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = as_user(practitioner).post("/clients/new/", _form(
        primary_practitioner=practitioner.pk, date_of_birth=future, legal_last_name="",
        email="not-an-email"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"date_of_birth", "legal_last_name", "email"}
    assert "cannot be in the future" in response.content.decode()
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_practitioner_cannot_create_for_another_practitioner(as_user, practitioner, outsider):
    response = as_user(practitioner).post("/clients/new/", _form(primary_practitioner=outsider.pk))
    assert response.status_code == 200 and "primary_practitioner" in response.context["form"].errors
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_overview_shows_panels_and_audits_the_read(as_user, practitioner, client_record):
    response = as_user(practitioner).get(f"/clients/{client_record.pk}/")
    assert response.status_code == 200
    slugs = [panel.slug for panel in response.context["panels"]]
    assert slugs[:2] == ["details-panel", "care-team-panel"]
    entry = AuditEntry.objects.get(action="ecomap.client.read")
    assert entry.client == client_record and entry.actor == practitioner
    assert entry.data == {"page": "clients:overview"}
    assert entry.request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_edit_and_concurrent_edit_refused(as_user, practitioner, client_record):
    http = as_user(practitioner)
    form = _form(legal_first_name="Robin", legal_last_name="Testcase", version=client_record.version,
                 date_of_birth=client_record.date_of_birth.isoformat())
    assert http.post(f"/clients/{client_record.pk}/edit/", {**form, "phone": "555-0111"}
                     ).status_code == 302
    # A second form opened at the same version is refused, and nothing it held is saved.
    response = http.post(f"/clients/{client_record.pk}/edit/", {**form, "phone": "555-0999"})
    assert response.status_code == 409
    assert "Someone else saved" in response.content.decode()
    client_record.refresh_from_db()
    assert client_record.phone == "555-0111"


@pytest.mark.django_db
def test_discharge_through_the_form(as_user, practitioner, client_record):
    http = as_user(practitioner)
    url = f"/clients/{client_record.pk}/discharge/"
    response = http.post(url, {"on": "", "reason": ""})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"on", "reason"}
    response = http.post(url, {"on": timezone.localdate().isoformat(), "reason": "Moved away",
                               "version": client_record.version})
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.status == Status.DISCHARGED


@pytest.mark.django_db
def test_practitioner_may_not_transfer_or_archive(as_user, practitioner, client_record):
    http = as_user(practitioner)
    for action in ("transfer", "archive", "unarchive"):
        assert http.get(f"/clients/{client_record.pk}/{action}/").status_code == 403
        assert http.post(f"/clients/{client_record.pk}/{action}/", {}).status_code == 403


@pytest.mark.django_db
def test_supervisor_transfers(as_user, supervisor, colleague, client_record):
    response = as_user(supervisor).post(f"/clients/{client_record.pk}/transfer/", {
        "role": "primary", "to": colleague.pk, "reason": "Leave cover",
        "version": client_record.version})
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.primary_practitioner == colleague


@pytest.mark.django_db
def test_caseload_lists_searches_and_paginates(as_user, practitioner, settings):
    settings.CASELOAD_PAGE_SIZE = 5
    for i in range(12):
        ClientFactory(primary_practitioner=practitioner, legal_last_name=f"Name{i:02d}")
    ClientFactory(primary_practitioner=practitioner, legal_last_name="Zephyr")
    http = as_user(practitioner)
    response = http.get("/clients/")
    assert response.context["total"] == 13 and len(response.context["page"].object_list) == 5
    response = http.get("/clients/", {"page": 3})
    assert [c.legal_last_name for c in response.context["page"].object_list] == ["Name10",
                                                                                "Name11", "Zephyr"]
    response = http.get("/clients/", {"q": "zeph"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Zephyr" in body and "Name01" not in body and "<html" not in body  # partial only
    response = http.get("/clients/", {"sort": "nonsense", "status": "bogus"})
    assert response.status_code == 200  # invalid filters are ignored, not an error


@pytest.mark.django_db
def test_caseload_search_is_audited_with_the_clients_shown(as_user, practitioner, client_record):
    as_user(practitioner).get("/clients/", {"q": "Testcase"})
    entry = AuditEntry.objects.get(action="ecomap.caseload.searched")
    assert entry.data["client_ids"] == [client_record.pk]


def _queries(http, url):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_caseload_queries_do_not_grow_with_the_caseload(as_user, practitioner, colleague):
    http = as_user(practitioner)
    ClientFactory.create_batch(3, primary_practitioner=practitioner, secondary_practitioner=colleague)
    small = _queries(http, "/clients/")
    ClientFactory.create_batch(40, primary_practitioner=practitioner,
                               secondary_practitioner=colleague)
    assert _queries(http, "/clients/") == small


@pytest.mark.django_db
def test_overview_and_today_queries_do_not_grow(as_user, supervisor, practitioner, colleague):
    from ecomap.clients import services

    client = ClientFactory(primary_practitioner=practitioner)
    http = as_user(supervisor)
    overview, today = _queries(http, f"/clients/{client.pk}/"), _queries(http, "/today/")
    for i in range(15):
        other = ClientFactory(primary_practitioner=practitioner)
        services.transfer_client(other, actor=supervisor, role="secondary", to=colleague,
                                 reason=f"r{i}")
        services.transfer_client(client, actor=supervisor, role="secondary",
                                 to=colleague if i % 2 == 0 else None, reason=f"r{i}")
    assert _queries(http, f"/clients/{client.pk}/") == overview
    assert _queries(http, "/today/") == today


@pytest.mark.django_db
def test_today_page(as_user, practitioner, supervisor, client_record):
    from ecomap.clients import services

    services.transfer_client(client_record, actor=supervisor, role="secondary",
                             to=supervisor, reason="Shared")
    response = as_user(supervisor).get("/today/")
    assert response.status_code == 200
    newly = next(p for p in response.context["panels"] if p.slug == "newly-assigned")
    assert newly.count == 1


@pytest.mark.django_db
def test_client_admin_cannot_delete_or_add(as_user, admin_user, client_record):
    http = as_user(admin_user)
    assert http.get(f"/admin/clients/client/{client_record.pk}/change/").status_code == 200
    assert http.get("/admin/clients/client/add/").status_code == 403
    assert http.post(f"/admin/clients/client/{client_record.pk}/delete/",
                     {"post": "yes"}).status_code == 403
    assert Client.objects.filter(pk=client_record.pk).exists()
    assert AuditEntry.objects.filter(action="ecomap.admin.clients.client.viewed",
                                     client=client_record).exists()


@pytest.mark.django_db
def test_supervisor_sees_the_team_and_its_caseloads(as_user, supervisor, practitioner, colleague,
                                                    outsider):
    ClientFactory.create_batch(3, primary_practitioner=practitioner, secondary_practitioner=colleague)
    ClientFactory(primary_practitioner=colleague, status=Status.DISCHARGED)
    response = as_user(supervisor).get("/today/")
    team = next(p for p in response.context["panels"] if p.slug == "team-panel")
    counts = {m.username: (m.primary, m.secondary) for m in team.context["members"]}
    assert counts == {"practitioner": (3, 0), "colleague": (0, 3), "supervisor": (0, 0)}
    assert "outsider" not in counts
    summary = next(p for p in response.context["panels"] if p.slug == "caseload-summary")
    assert summary.title == "Your team's clients" and summary.context["counts"]["active"] == 3
    practitioner_panels = as_user(practitioner).get("/today/").context["panels"]
    assert "team-panel" not in [p.slug for p in practitioner_panels]
