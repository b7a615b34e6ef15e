"""The state changes: creating and revoking consents, logging disclosures, the accounting."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.consents import services
from ecomap.consents.models import Consent, ConsentRecipient, Disclosure
from ecomap.consents.notice import NOTICE_VERSION, STATEMENT_1
from ecomap.consents.services import DisclosureRefused

from .factories import ConsentFactory, DisclosureFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate

CONSENT_DATA = {
    "consent_type": "general",
    "disclosing_party": "Testville Recovery Program",
    "information_description": "Whether the client attends sessions.",
    "categories": ["attendance"],
    "purposes": ["family_involvement"],
    "expires_on": None,
    "expiry_event": "End of treatment",
    "revocation_statement": "Revoke in writing, by letter to your practitioner.",
    "signed_by": "client",
    "signature_method": "electronic",
    "signed_on": None,
}
SISTER = {"designation": "named", "kind": "family_member", "name": "Jo Testcase",
          "relationship": "sister"}


def _data(**overrides):
    return {**CONSENT_DATA, "signed_on": TODAY(), **overrides}


def _audit(action):
    return AuditEntry.objects.filter(action=action)


class TestCreateConsent:
    def test_saves_the_consent_and_its_recipients_and_audits(self, client_record, practitioner):
        consent = services.create_consent(client_record, actor=practitioner, data=_data(),
                                          recipients=[SISTER])
        assert consent.client == client_record and consent.created_by == practitioner
        assert consent.recipients.get().normalised_name == "jo testcase"
        entry = _audit("ecomap.consent.created").get()
        assert entry.actor == practitioner and entry.client_id == client_record.pk
        assert entry.object_id == str(consent.pk)
        assert entry.changes["purposes"] == [None, ["family_involvement"]]
        assert entry.data["recipients"][0]["kind"] == "family_member"

    def test_refuses_an_incomplete_consent_and_saves_nothing(self, client_record, practitioner):
        with pytest.raises(ValidationError) as caught:
            services.create_consent(client_record, actor=practitioner,
                                    data=_data(information_description="", signed_on=None),
                                    recipients=[])
        errors = caught.value.message_dict
        assert {"information_description", "signed_on", "recipients"} <= set(errors)
        assert not Consent.objects.exists() and not ConsentRecipient.objects.exists()
        assert not _audit("ecomap.consent.created").exists()

    def test_refuses_a_class_of_family_members(self, client_record, practitioner):
        with pytest.raises(ValidationError) as caught:
            services.create_consent(client_record, actor=practitioner, data=_data(), recipients=[
                {"designation": "class", "kind": "family_member", "name": "My family"}])
        assert "Recipient 1: Family members must be named" in caught.value.message_dict[
            "recipients"][0]
        assert not Consent.objects.exists()

    def test_refuses_fields_it_does_not_own(self, client_record, practitioner):
        with pytest.raises(services.ConsentError):
            services.create_consent(client_record, actor=practitioner,
                                    data=_data(revoked_on=TODAY()), recipients=[SISTER])


class TestRevokeConsent:
    def test_revocation_is_a_state_change_and_stops_disclosure(self, client_record,
                                                               practitioner):
        consent = ConsentFactory(client=client_record)
        revoked = services.revoke_consent(consent, actor=practitioner, on=TODAY(),
                                          note="Letter dated today", received_via="letter")
        assert revoked.revoked_on == TODAY() and revoked.revoked_by == practitioner
        assert revoked.revocation_method == "letter" and revoked.revoked_at
        assert Consent.objects.filter(pk=consent.pk).exists()
        entry = _audit("ecomap.consent.revoked").get()
        assert entry.changes["revoked_on"] == [None, TODAY().isoformat()]
        decision = services.check_disclosure(client_record, recipient_name="Dr. Jamie Rivera",
                                             recipient_kind="provider",
                                             categories=["attendance"], purpose="treatment")
        assert not decision.allowed and "revoked on" in decision.reasons[0]

    def test_twice_is_refused(self, client_record, practitioner):
        consent = ConsentFactory(client=client_record)
        services.revoke_consent(consent, actor=practitioner, on=TODAY(), note="",
                                received_via="form")
        with pytest.raises(services.ConsentError, match="already revoked"):
            services.revoke_consent(consent, actor=practitioner, on=TODAY(), note="",
                                    received_via="form")

    def test_must_be_in_writing_and_not_in_the_future(self, client_record, practitioner):
        consent = ConsentFactory(client=client_record)
        with pytest.raises(ValidationError) as caught:
            services.revoke_consent(consent, actor=practitioner, on=TODAY() + timedelta(days=1),
                                    note="", received_via="phone call")
        assert {"on", "received_via"} <= set(caught.value.message_dict)
        consent.refresh_from_db()
        assert consent.revoked_on is None


def test_recording_the_expiry_event_ends_the_consent(client_record, practitioner):
    consent = ConsentFactory(client=client_record, expires_on=None,
                             expiry_event="End of treatment")
    services.record_expiry_event(consent, actor=practitioner, on=TODAY())
    consent.refresh_from_db()
    assert consent.status() == "expired"
    assert _audit("ecomap.consent.expiry_event_recorded").get().actor == practitioner
    with pytest.raises(services.ConsentError):
        services.record_expiry_event(consent, actor=practitioner, on=TODAY())
    with pytest.raises(services.ConsentError):
        services.record_expiry_event(ConsentFactory(client=client_record), actor=practitioner,
                                     on=TODAY())


class TestRecordDisclosure:
    def _record(self, client, actor, **overrides):
        values = {"recipient_name": "dr. jamie RIVERA", "recipient_kind": "provider",
                  "categories": ["attendance"], "purpose": "treatment",
                  "description": "Attendance for March.", "method": "letter"}
        return services.record_disclosure(client, actor=actor, **{**values, **overrides})

    def test_saves_it_with_the_notice_and_the_scope(self, client_record, practitioner):
        consent = ConsentFactory(client=client_record)
        disclosure = self._record(client_record, practitioner,
                                  recipient_address="1 Clinic Way")
        assert disclosure.consent == consent and disclosure.basis == "consent"
        assert disclosure.notice_version == NOTICE_VERSION == "2024"
        assert disclosure.notice_text == STATEMENT_1
        assert disclosure.notice_text.startswith(
            "This record which has been disclosed to you is protected by Federal "
            "confidentiality rules (42 CFR part 2).")
        assert "Dr. Jamie Rivera" in disclosure.consent_scope
        assert disclosure.disclosed_by == practitioner
        entry = _audit("ecomap.disclosure.made").get()
        assert entry.outcome == "success" and entry.data["consent_id"] == consent.pk

    def test_refused_without_consent_nothing_saved_and_the_refusal_audited(self, client_record,
                                                                         practitioner):
        with pytest.raises(DisclosureRefused) as caught:
            self._record(client_record, practitioner)
        assert "No consent names this recipient" in caught.value.reasons[0]
        assert not Disclosure.objects.exists()
        entry = _audit("ecomap.disclosure.refused").get()
        assert entry.outcome == "denied" and entry.actor == practitioner
        assert entry.client_id == client_record.pk
        assert entry.data["reasons"] == caught.value.reasons
        assert not _audit("ecomap.disclosure.made").exists()

    def test_refused_for_a_revoked_consent(self, client_record, practitioner):
        ConsentFactory(client=client_record, revoked_on=TODAY())
        with pytest.raises(DisclosureRefused, match="revoked"):
            self._record(client_record, practitioner)
        assert not Disclosure.objects.exists()

    def test_checked_on_the_day_it_was_made(self, client_record, practitioner):
        consent = ConsentFactory(client=client_record, revoked_on=TODAY())
        earlier = timezone.now() - timedelta(days=2)
        disclosure = self._record(client_record, practitioner, disclosed_at=earlier)
        assert disclosure.consent == consent

    def test_invalid_details_are_field_errors(self, client_record, practitioner):
        ConsentFactory(client=client_record)
        with pytest.raises(ValidationError) as caught:
            self._record(client_record, practitioner, description=" ", method="pigeon",
                         disclosed_at=timezone.now() + timedelta(days=1))
        assert {"description", "method", "disclosed_at"} <= set(caught.value.message_dict)
        assert not Disclosure.objects.exists()


class TestEmergencyDisclosure:
    def test_documents_the_2_51_record(self, client_record, practitioner):
        disclosure = services.record_emergency_disclosure(
            client_record, actor=practitioner, medical_personnel_name="Dr. Ito",
            medical_facility="Testville General, Emergency Department",
            emergency_nature="Suspected overdose; client unresponsive.",
            description="Current medications and substance use.",
            categories=["substance_use"], method="phone")
        assert disclosure.basis == "medical_emergency" and disclosure.consent is None
        assert disclosure.disclosed_by == practitioner and disclosure.recipient_name == "Dr. Ito"
        assert _audit("ecomap.disclosure.made").get().data["basis"] == "medical_emergency"

    def test_needs_every_element_and_never_counseling_notes(self, client_record, practitioner):
        with pytest.raises(ValidationError) as caught:
            services.record_emergency_disclosure(
                client_record, actor=practitioner, medical_personnel_name="",
                medical_facility="", emergency_nature="", description="Notes",
                categories=["sud_counseling_notes"], method="phone")
        assert {"medical_personnel_name", "medical_facility", "emergency_nature",
                "categories"} <= set(caught.value.message_dict)
        assert not Disclosure.objects.exists()


def _at(days_ago: int):
    return timezone.make_aware(datetime.combine(TODAY() - timedelta(days=days_ago), time(12)))


class TestAccounting:
    def test_covers_three_years_and_excludes_older(self, client_record, outsider_client):
        recent = DisclosureFactory(client=client_record, disclosed_at=_at(10))
        two_years = DisclosureFactory(client=client_record, disclosed_at=_at(730))
        DisclosureFactory(client=client_record, disclosed_at=_at(3 * 365 + 5))
        DisclosureFactory(client=outsider_client, disclosed_at=_at(10))
        assert list(services.accounting(client_record)) == [recent, two_years]

    def test_the_window_can_be_narrowed(self, client_record):
        recent = DisclosureFactory(client=client_record, disclosed_at=_at(10))
        DisclosureFactory(client=client_record, disclosed_at=_at(100))
        since = TODAY() - timedelta(days=30)
        assert list(services.accounting(client_record, since=since)) == [recent]
        until = TODAY() - timedelta(days=50)
        assert len(services.accounting(client_record, since=TODAY() - timedelta(days=365),
                                       until=until)) == 1

    def test_three_years_from_29_february(self):
        from datetime import date

        assert services.years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)
        assert services.accounting_start(date(2026, 5, 1)) == date(2023, 5, 1)


class TestTheAgencyDiscloses:
    def test_a_consent_without_a_discloser_names_the_agency(self, client_record, practitioner):
        from ecomap.accounts.models import Agency

        Agency(name="Testville Recovery Program").save()
        data = _data()
        del data["disclosing_party"]
        consent = services.create_consent(client_record, actor=practitioner, data=data,
                                          recipients=[SISTER])
        assert consent.disclosing_party == "Testville Recovery Program"
        blank = services.create_consent(client_record, actor=practitioner,
                                        data=_data(disclosing_party=" "), recipients=[SISTER])
        assert blank.disclosing_party == "Testville Recovery Program"
        assert "Who may disclose: Testville Recovery Program." in consent.scope_summary()

    def test_without_an_agency_the_consent_asks_who_discloses(self, settings, client_record,
                                                              practitioner):
        settings.AGENCY_NAME = ""
        data = _data()
        del data["disclosing_party"]
        with pytest.raises(ValidationError) as error:
            services.create_consent(client_record, actor=practitioner, data=data,
                                    recipients=[SISTER])
        assert "disclosing_party" in error.value.message_dict
        assert not Consent.objects.exists()

    def test_the_form_offers_the_agency_never_the_software(self, settings, client_record):
        from ecomap.consents.forms import ConsentForm

        settings.AGENCY_NAME = "Testville Recovery Program"
        form = ConsentForm(instance=Consent(client=client_record), consent_type="tpo")
        assert form.initial["disclosing_party"] == "Testville Recovery Program"
        assert "Testville Recovery Program" in form.initial["revocation_statement"]
        assert "Testville Recovery Program" in form.initial["refusal_consequences_statement"]
        settings.AGENCY_NAME = ""
        form = ConsentForm(instance=Consent(client=client_record), consent_type="general")
        assert form.initial["disclosing_party"] == ""
