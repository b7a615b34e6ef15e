"""The network-file export service: a file for a recipient outside the agency is a disclosure."""

from __future__ import annotations

import pytest

from ecomap.audit.models import AuditEntry
from ecomap.clients.models import Programme
from ecomap.consents.models import Disclosure, InformationCategory
from ecomap.network import exports, services


@pytest.fixture
def network(client_record, practitioner):
    services.answer_prompt(client_record, actor=practitioner, prompt="matters", label="Ana",
                           relationship="friend")


@pytest.mark.django_db
def test_without_a_consent_the_service_refuses_and_writes_only_the_denied_entry(
        network, client_record, practitioner):
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    with pytest.raises(services.NetworkError) as refused:
        exports.export_network_file(
            client_record, actor=practitioner, format=exports.GRAPHML, redact_labels=True,
            recipient_name="Riverside University Network Lab", recipient_kind="organisation",
            purpose="research")
    assert "no consent permits" in str(refused.value)
    assert any("No consent names this recipient" in r for r in refused.value.reasons)
    assert not Disclosure.objects.exists()
    written = list(AuditEntry.objects.filter(pk__gt=last).values_list("action", "outcome"))
    assert written == [("ecomap.disclosure.refused", "denied")]


@pytest.mark.django_db
def test_a_file_that_stays_in_the_agency_is_no_disclosure(network, client_record, practitioner):
    made = exports.export_network_file(client_record, actor=practitioner, format=exports.NC_CSV)
    assert made.content_type == "application/zip"
    assert made.filename.startswith(exports.pseudonym(client_record))
    assert not Disclosure.objects.exists()
    entry = AuditEntry.objects.get(action="ecomap.network.exported")
    assert entry.data["disclosure"] is None


@pytest.mark.django_db
def test_a_part2_client_s_file_discloses_substance_use(client_record):
    client_record.programme = Programme.CO_OCCURRING
    assert exports.categories_for(client_record) == [InformationCategory.SOCIAL_NETWORK,
                                                     InformationCategory.SUBSTANCE_USE]
    client_record.programme = Programme.MENTAL_HEALTH
    assert exports.categories_for(client_record) == [InformationCategory.SOCIAL_NETWORK]
