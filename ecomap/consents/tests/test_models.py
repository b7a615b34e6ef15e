"""Consent.clean(): every element of 42 CFR 2.31(a), and the separate-consent rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecomap.consents.models import Consent, ConsentRecipient, Disclosure, normalise_name
from ecomap.core.append_only import AppendOnlyError

from .factories import ConsentFactory, DisclosureFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _errors(consent) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        consent.full_clean()
    return caught.value.message_dict


def test_a_complete_consent_is_valid(client_record):
    ConsentFactory(client=client_record).full_clean()
    ConsentFactory(client=client_record, tpo=True).full_clean()


def test_an_empty_consent_lists_every_missing_element(client_record, practitioner):
    errors = _errors(Consent(client=client_record, created_by=practitioner))
    assert set(errors) >= {
        "disclosing_party", "information_description", "categories", "purposes",
        "revocation_statement", "expires_on", "signed_by", "signature_method", "signed_on",
    }
    assert "2.31(a)(3)" in errors["information_description"][0]
    assert "revoke in writing" in errors["revocation_statement"][0]
    assert "expiry date or an expiry event" in errors["expires_on"][0]


def test_missing_elements_names_them_briefly(client_record, practitioner):
    consent = Consent(client=client_record, created_by=practitioner, disclosing_party="P")
    missing = consent.missing_elements(recipients=[])
    assert "description of the information" in missing
    assert "recipients" in missing
    assert "who may disclose" not in missing
    assert ConsentFactory(client=client_record).missing_elements() == []


def test_an_expiry_event_is_enough_instead_of_a_date(client_record):
    ConsentFactory(client=client_record, expires_on=None,
                   expiry_event="When the client completes the program").full_clean()


def test_none_as_expiry_is_only_for_a_tpo_consent(client_record):
    general = ConsentFactory(client=client_record, expires_on=None, expiry_event="None")
    assert "expiry_event" in _errors(general)
    ConsentFactory(client=client_record, tpo=True, expiry_event="none").full_clean()


def test_a_representative_must_be_named_with_their_relationship(client_record):
    consent = ConsentFactory(client=client_record, signed_by="representative")
    errors = _errors(consent)
    assert {"representative_name", "representative_relationship"} <= set(errors)
    consent.representative_name = "Alex Parent"
    consent.representative_relationship = "Parent of a minor (42 CFR 2.14)"
    consent.full_clean()


def test_a_tpo_consent_needs_both_statements(client_record):
    consent = ConsentFactory(client=client_record, tpo=True, redisclosure_statement="",
                             refusal_consequences_statement="")
    errors = _errors(consent)
    assert "2.31(a)(10)(i)" in errors["redisclosure_statement"][0]
    assert "2.31(a)(10)(ii)" in errors["refusal_consequences_statement"][0]


def test_a_tpo_consent_covers_only_treatment_payment_and_operations(client_record):
    consent = ConsentFactory(client=client_record, tpo=True,
                             purposes=["treatment", "family_involvement"])
    assert "purposes" in _errors(consent)


def test_counseling_notes_need_their_own_consent(client_record):
    general = ConsentFactory(client=client_record,
                             categories=["attendance", "sud_counseling_notes"])
    assert "2.31(b)" in _errors(general)["categories"][0]
    tpo = ConsentFactory(client=client_record, tpo=True, categories=["sud_counseling_notes"])
    assert "categories" in _errors(tpo)
    ConsentFactory(client=client_record, consent_type="sud_counseling_notes",
                   categories=["sud_counseling_notes"]).full_clean()


def test_a_counseling_notes_consent_covers_nothing_else(client_record):
    consent = ConsentFactory(client=client_record, consent_type="sud_counseling_notes",
                             categories=["sud_counseling_notes", "attendance"])
    assert "2.31(b)(2)" in _errors(consent)["categories"][0]


def test_legal_proceedings_need_their_own_consent(client_record):
    general = ConsentFactory(client=client_record, purposes=["treatment", "legal_proceedings"])
    assert "2.31(d)" in _errors(general)["purposes"][0]
    combined = ConsentFactory(client=client_record, consent_type="legal_proceedings",
                              purposes=["legal_proceedings", "treatment"])
    assert "cannot be combined" in _errors(combined)["purposes"][0]
    ConsentFactory(client=client_record, consent_type="legal_proceedings",
                   purposes=["legal_proceedings"]).full_clean()


def test_choice_lists_are_validated(client_record):
    consent = ConsentFactory(client=client_record, categories=["attendance", "horoscope"],
                             purposes=["treatment", "treatment"])
    errors = _errors(consent)
    assert "horoscope" in errors["categories"][0]
    assert "purposes" in errors


def test_dates_must_make_sense(client_record):
    future = ConsentFactory(client=client_record, signed_on=TODAY() + timedelta(days=1),
                            expires_on=TODAY() + timedelta(days=30))
    assert "signed_on" in _errors(future)
    backwards = ConsentFactory(client=client_record, expires_on=TODAY() - timedelta(days=20))
    assert "expires_on" in _errors(backwards)
    occurred = ConsentFactory(client=client_record, expiry_event_occurred_on=TODAY())
    assert "expiry_event_occurred_on" in _errors(occurred)


def test_a_class_of_family_members_is_refused(client_record):
    consent = ConsentFactory(client=client_record)
    family = ConsentRecipient(consent=consent, designation="class", kind="family_member",
                              name="My family")
    with pytest.raises(ValidationError) as caught:
        family.full_clean()
    assert "named one by one" in caught.value.message_dict["kind"][0]
    ConsentRecipient(consent=consent, designation="named", kind="family_member",
                     name="Jo Testcase", relationship="sister").full_clean()


def test_an_intermediary_needs_its_participants(client_record):
    consent = ConsentFactory(client=client_record)
    hie = ConsentRecipient(consent=consent, kind="intermediary", name="Valley HIE")
    with pytest.raises(ValidationError) as caught:
        hie.full_clean()
    assert "2.31(a)(4)(ii)" in caught.value.message_dict["participants"][0]


def test_recipient_names_are_normalised_on_save(client_record):
    consent = ConsentFactory(client=client_record,
                             recipients=[{"kind": "provider", "name": "  Dr.  JAMIE\tRivera "}])
    assert consent.recipients.get().normalised_name == "dr. jamie rivera"
    assert normalise_name("STRASSE  Clinic") == normalise_name("straße clinic")


def test_consents_and_disclosures_are_never_deleted_and_disclosures_never_changed(client_record):
    disclosure = DisclosureFactory(client=client_record)
    consent = disclosure.consent
    with pytest.raises(AppendOnlyError):
        consent.delete()
    with pytest.raises(AppendOnlyError):
        Consent.objects.filter(pk=consent.pk).delete()
    with pytest.raises(AppendOnlyError):
        consent.recipients.get().delete()
    with pytest.raises(AppendOnlyError):
        disclosure.delete()
    with pytest.raises(AppendOnlyError):
        Disclosure.objects.filter(pk=disclosure.pk).update(description="changed")
    disclosure.description = "changed"
    with pytest.raises(AppendOnlyError):
        disclosure.save()


def test_a_disclosure_without_consent_must_be_a_documented_emergency(client_record):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureFactory(client=client_record, consent=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureFactory(client=client_record, consent=None, basis="medical_emergency")
    DisclosureFactory(client=client_record, consent=None, basis="medical_emergency",
                      medical_personnel_name="Dr. Ito", medical_facility="General ER",
                      emergency_nature="Overdose; client unconscious")


def test_status_and_scope_summary(client_record):
    consent = ConsentFactory(client=client_record, recipients=[
        {"kind": "provider", "name": "Dr. Jamie Rivera"},
        {"designation": "class", "kind": "health_plan", "name": "My health plans"},
    ])
    assert consent.status() == "active"
    assert consent.status(consent.expires_on) == "expired"
    assert consent.status(consent.signed_on - timedelta(days=1)) == "not_yet_signed"
    scope = consent.scope_summary()
    assert "Dr. Jamie Rivera" in scope and "My health plans (class" in scope
    assert "Treatment" in scope and client_record.legal_name in scope
    assert "revoke" in scope
