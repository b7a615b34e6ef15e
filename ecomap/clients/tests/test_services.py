from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.clients import services
from ecomap.clients.models import PART2_PROGRAMMES, CaseloadTransfer, Client, Programme, Status
from ecomap.core.refusal import Conflict


def _data(**overrides):
    data = {"legal_first_name": "Mina", "legal_last_name": "Okoro", "date_of_birth": date(1990, 3, 4),
            "programme": "substance_use"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_create_assigns_the_actor_and_a_record_number(practitioner):
    client = services.create_client(actor=practitioner, data=_data(preferred_name="Mi"))
    assert client.primary_practitioner == practitioner
    assert client.record_number == f"C-{client.pk:06d}"
    assert client.display_name == "Mi Okoro" and client.legal_name == "Mina Okoro"
    entry = AuditEntry.objects.get(action="ecomap.client.created")
    assert entry.client == client and entry.changes["legal_last_name"] == [None, "Okoro"]


@pytest.mark.django_db
def test_create_refuses_bad_input_and_saves_nothing(practitioner):
    future = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.create_client(actor=practitioner, data=_data(date_of_birth=future))
    assert "date_of_birth" in error.value.error_dict
    assert not Client.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_practitioner_cannot_assign_to_someone_else(practitioner, colleague):
    with pytest.raises(ValidationError):
        services.create_client(actor=practitioner, data=_data(primary_practitioner=colleague))
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_supervisor_assigns_within_their_team_only(supervisor, practitioner, outsider):
    client = services.create_client(actor=supervisor, data=_data(primary_practitioner=practitioner))
    assert client.primary_practitioner == practitioner
    with pytest.raises(ValidationError):
        services.create_client(actor=supervisor, data=_data(primary_practitioner=outsider))


@pytest.mark.django_db
def test_update_records_before_and_after(practitioner, client_record):
    services.update_client(client_record, actor=practitioner, data={"pronouns": "they/them"},
                           expected_version=client_record.version)
    client_record.refresh_from_db()
    assert client_record.pronouns == "they/them" and client_record.version == 2
    entry = AuditEntry.objects.get(action="ecomap.client.updated")
    assert entry.changes == {"pronouns": ["", "they/them"]}


@pytest.mark.django_db
def test_second_concurrent_save_is_refused(practitioner, colleague, client_record):
    opened_at = client_record.version
    services.update_client(client_record, actor=practitioner, data={"phone": "555-0101"},
                           expected_version=opened_at)
    with pytest.raises(services.ConcurrentEditError, match="Someone else saved") as caught:
        services.update_client(client_record, actor=colleague, data={"phone": "555-0202"},
                               expected_version=opened_at)
    assert isinstance(caught.value, Conflict) and caught.value.status == 409
    client_record.refresh_from_db()
    assert client_record.phone == "555-0101"
    assert AuditEntry.objects.filter(action="ecomap.client.updated").count() == 1


@pytest.mark.django_db
def test_update_without_changes_writes_nothing(practitioner, client_record):
    services.update_client(client_record, actor=practitioner, data={},
                           expected_version=client_record.version)
    assert not AuditEntry.objects.filter(action="ecomap.client.updated").exists()


@pytest.mark.django_db
def test_update_refuses_fields_outside_the_form(practitioner, client_record, outsider):
    with pytest.raises(services.ClientError):
        services.update_client(client_record, actor=practitioner,
                               data={"primary_practitioner": outsider}, expected_version=None)


@pytest.mark.django_db
def test_discharge_readmit_archive_lifecycle(practitioner, supervisor, client_record):
    today = timezone.localdate()
    client_record.admitted_on = today - timedelta(days=30)
    client_record.save()
    with pytest.raises(services.ClientError, match="Discharge the client"):
        services.archive_client(client_record, actor=supervisor, reason="duplicate")
    services.discharge_client(client_record, actor=practitioner, on=today, reason="Goals met")
    client_record.refresh_from_db()
    assert (client_record.status, client_record.discharged_on) == (Status.DISCHARGED, today)
    with pytest.raises(services.ClientError):
        services.discharge_client(client_record, actor=practitioner, on=today, reason="again")
    services.archive_client(client_record, actor=supervisor, reason="Closed file")
    client_record.refresh_from_db()
    assert client_record.status == Status.ARCHIVED and client_record.archived_at
    services.unarchive_client(client_record, actor=supervisor)
    services.readmit_client(client_record, actor=practitioner, on=today)
    client_record.refresh_from_db()
    assert client_record.status == Status.ACTIVE and client_record.discharged_on is None
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["ecomap.client.discharged", "ecomap.client.archived",
                       "ecomap.client.unarchived", "ecomap.client.readmitted"]
    assert Client.objects.filter(pk=client_record.pk).exists()  # never deleted


@pytest.mark.django_db
def test_discharge_needs_a_reason(practitioner, client_record):
    with pytest.raises(ValidationError):
        services.discharge_client(client_record, actor=practitioner, on=timezone.localdate(),
                                  reason="  ")
    client_record.refresh_from_db()
    assert client_record.status == Status.ACTIVE


@pytest.mark.django_db
def test_transfer_is_recorded(supervisor, practitioner, colleague, client_record):
    transfer = services.transfer_client(client_record, actor=supervisor, role="primary",
                                        to=colleague, reason="Practitioner on leave")
    client_record.refresh_from_db()
    assert client_record.primary_practitioner == colleague
    assert (transfer.from_practitioner, transfer.to_practitioner) == (practitioner, colleague)
    entry = AuditEntry.objects.get(action="ecomap.client.transferred")
    assert entry.changes == {"primary_practitioner_id": [practitioner.pk, colleague.pk]}
    # The client has left the first practitioner's caseload.
    assert not Client.objects.for_user(practitioner).exists()


@pytest.mark.django_db
def test_transfer_rules(supervisor, practitioner, colleague, outsider, client_record):
    with pytest.raises(ValidationError):  # outside the supervisor's team
        services.transfer_client(client_record, actor=supervisor, role="primary", to=outsider,
                                 reason="x")
    with pytest.raises(ValidationError):  # primary is never empty
        services.transfer_client(client_record, actor=supervisor, role="primary", to=None,
                                 reason="x")
    with pytest.raises(ValidationError):  # already the primary
        services.transfer_client(client_record, actor=supervisor, role="secondary",
                                 to=practitioner, reason="x")
    services.transfer_client(client_record, actor=supervisor, role="secondary", to=colleague,
                             reason="Shared care")
    services.transfer_client(client_record, actor=supervisor, role="secondary", to=None,
                             reason="Shared care ended")
    client_record.refresh_from_db()
    assert client_record.secondary_practitioner is None
    assert CaseloadTransfer.objects.filter(client=client_record).count() == 2


@pytest.mark.django_db
def test_caseload_search_filter_sort(practitioner):
    from ecomap.testing.factories import ClientFactory

    a = ClientFactory(primary_practitioner=practitioner, legal_last_name="Alvarez",
                      programme="mental_health")
    b = ClientFactory(primary_practitioner=practitioner, legal_last_name="Brennan",
                      preferred_name="Bee", programme="substance_use")
    c = ClientFactory(primary_practitioner=practitioner, legal_last_name="Cole",
                      status=Status.ARCHIVED)
    assert list(services.caseload(practitioner)) == [a, b]
    assert list(services.caseload(practitioner, status="all", sort="-name")) == [c, b, a]
    assert list(services.caseload(practitioner, q="bee")) == [b]
    assert list(services.caseload(practitioner, q="alv")) == [a]
    assert list(services.caseload(practitioner, programme="substance_use")) == [b]
    assert list(services.caseload(practitioner, status="archived")) == [c]


@pytest.mark.parametrize(("programme", "part2"), [
    (Programme.MENTAL_HEALTH, False), (Programme.SUBSTANCE_USE, True),
    (Programme.CO_OCCURRING, True)])
def test_is_part2_is_the_substance_use_programmes(programme, part2):
    assert Client(programme=programme).is_part2 is part2
    assert {p for p in Programme if Client(programme=p).is_part2} == set(PART2_PROGRAMMES)
