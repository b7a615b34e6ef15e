"""Every client page records exactly one read: walk the URL configuration, as the access matrix does,
GET every client-scoped URL as the client's practitioner, and count what the request wrote to the
audit log for that client. A page that answers 200 must have written one entry, the read, naming the
page; a GET changes nothing, so there is nothing else to write. No page is left out: every URL with
`client_pk` is a case here (new ones join by themselves), and a URL whose GET answers anything but
200, 302 or 405 fails. A 302 or 405 writes only the resolver's one read, if anything.
"""

from __future__ import annotations

import pytest

from ecomap.audit.models import AuditEntry
from ecomap.clients.access import READ_ACTION

from .test_access_matrix import CLIENT_URLS, _kwargs_for, _url

# Pages for supervisors and administrators only (a practitioner gets 403): GET as the supervisor.
MANAGER_PAGES = {"clients:archive", "clients:unarchive", "clients:transfer"}


@pytest.mark.parametrize(("route", "name"), CLIENT_URLS, ids=[n for _, n in CLIENT_URLS])
@pytest.mark.django_db
def test_every_client_page_records_exactly_one_read(route, name, client, practitioner,
                                                    supervisor, client_record):
    url = _url(route, _kwargs_for(route, client_record))
    client.force_login(supervisor if name in MANAGER_PAGES else practitioner)
    before = AuditEntry.objects.filter(client=client_record).count()
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url)
    assert response.status_code in {200, 302, 405}, f"GET {name}: {response.status_code}"
    written = list(AuditEntry.objects.filter(client=client_record, pk__gt=last)
                   .values_list("action", "data"))
    assert AuditEntry.objects.filter(client=client_record).count() == before + len(written)
    reads = [data for action, data in written if action == READ_ACTION]
    others = [action for action, _ in written if action != READ_ACTION]
    # A POST-only URL (405) records the access the resolver made, or nothing: never more.
    expected = {0, 1} if response.status_code == 405 else {1}
    assert len(reads) in expected, f"GET {name} wrote {len(reads)} reads"
    assert not others, f"GET {name} wrote {others} besides its read"
    assert all(read["page"] == name for read in reads)


@pytest.mark.django_db
def test_a_denied_page_records_no_read(client, practitioner, outsider_client):
    client.force_login(practitioner)
    assert client.get(f"/clients/{outsider_client.pk}/").status_code == 404
    assert not AuditEntry.objects.filter(action=READ_ACTION).exists()
    assert AuditEntry.objects.filter(action="ecomap.client.access_denied").count() == 1


@pytest.mark.django_db
def test_the_read_names_purpose_and_arguments(client, practitioner, client_record):
    client.force_login(practitioner)
    client.get(f"/clients/{client_record.pk}/")
    entry = AuditEntry.objects.get(action=READ_ACTION)
    assert entry.client == client_record and entry.actor == practitioner
    assert entry.purpose == "treatment"
    assert entry.data == {"page": "clients:overview"}


@pytest.mark.django_db
def test_a_task_reads_through_the_access_path(client_record):
    from ecomap.clients.access import read_for_system

    assert read_for_system(client_record.pk, actor="system:test", page="task:test") == client_record
    entry = AuditEntry.objects.get(action=READ_ACTION)
    assert entry.actor_username == "system:test" and entry.purpose == "operations"
    assert entry.data == {"page": "task:test"} and entry.client == client_record
    with pytest.raises(ValueError):
        read_for_system(client_record, actor="someone", page="task:test")


@pytest.mark.django_db
def test_a_command_reads_as_its_user(practitioner, client_record, outsider_client):
    from django.http import Http404

    from ecomap.clients.access import read_client

    assert read_client(practitioner, client_record.pk, page="command:test") == client_record
    assert AuditEntry.objects.filter(action=READ_ACTION, actor=practitioner).count() == 1
    with pytest.raises(Http404):
        read_client(practitioner, outsider_client.pk, page="command:test")
    assert AuditEntry.objects.filter(action=READ_ACTION).count() == 1
