"""Consent enforcement: a referral sharing substance-use information, a contact with a family member,
a family session and a letter each go through consents.record_disclosure. Without a consent that
permits it (none, revoked, expired, another category or purpose) it is refused with the reasons and
nothing is saved; the refusal is audited. With one, the disclosure is logged with the notice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.casework import family, letters, services
from ecomap.casework.models import ContactEntry, FamilySession, Letter, ReferralStatus
from ecomap.consents import services as consents
from ecomap.consents.models import Disclosure
from ecomap.consents.notice import STATEMENT_1
from ecomap.reports.pdf import PdfUnavailable

from .helpers import consent_naming

TODAY = timezone.localdate


def _send(referral, actor, categories=("substance_use",), name=""):
    return services.send_referral(referral, actor=actor, on=TODAY(),
                                  respond_by=TODAY() + timedelta(days=14),
                                  recipient_name=name, categories=list(categories))


def _revoke(consent, actor):
    consents.revoke_consent(consent, actor=actor, on=TODAY(), note="", received_via="letter")


# --- referrals ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sending_substance_use_information_without_consent_is_refused(referral, practitioner):
    with pytest.raises(services.CaseworkError) as refused:
        _send(referral, practitioner)
    assert "The referral was not sent" in refused.value.messages[0]
    assert any("No consent names this recipient (Testville Housing" in m
               for m in refused.value.messages)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT and referral.disclosure is None
    assert not Disclosure.objects.exists()
    entry = AuditEntry.objects.get(action="ecomap.disclosure.refused")
    assert entry.outcome == "denied" and entry.data["purpose"] == "referral"


@pytest.mark.django_db
def test_sending_under_a_consent_logs_the_disclosure_with_the_notice(referral, practitioner,
                                                                     client_record):
    consent = consent_naming(client_record, "Testville Housing", "organisation",
                             categories=["substance_use", "contact_details"],
                             purposes=["referral"])
    sent = _send(referral, practitioner, ["substance_use", "contact_details"])
    assert sent.status == ReferralStatus.SENT
    disclosure = sent.disclosure
    assert disclosure.consent == consent and disclosure.notice_text == STATEMENT_1
    assert disclosure.purpose == "referral" and disclosure.method == "referral"
    assert disclosure.categories == ["substance_use", "contact_details"]
    assert sent.shared_categories == ["substance_use", "contact_details"]


@pytest.mark.django_db
@pytest.mark.parametrize("problem", ["revoked", "expired", "category", "purpose", "name"])
def test_a_consent_that_does_not_permit_it_stops_the_referral(problem, referral, practitioner,
                                                              client_record):
    consent = consent_naming(
        client_record, "Other Org" if problem == "name" else "Testville Housing", "organisation",
        categories=["attendance"] if problem == "category" else ["substance_use"],
        purposes=["treatment"] if problem == "purpose" else ["referral"],
        expires_in=-1 if problem == "expired" else 180, signed_ago=30)
    if problem == "revoked":
        _revoke(consent, practitioner)
    expected = {"revoked": "was revoked on", "expired": "expired on",
                "category": "the category is not covered: Substance use",
                "purpose": "the purpose is not covered: Referral",
                "name": "No consent names this recipient"}[problem]
    with pytest.raises(services.CaseworkError) as refused:
        _send(referral, practitioner)
    assert any(expected in m for m in refused.value.messages), refused.value.messages
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_referral_sharing_nothing_needs_no_consent_outside_sud_treatment(
        referral, practitioner, client_record):
    assert client_record.programme == "mental_health"
    assert _send(referral, practitioner, categories=()).status == ReferralStatus.SENT
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_sud_clients_referral_sharing_nothing_still_needs_a_consent(sud_client, practitioner,
                                                                      service):
    # The referral itself shows the client is in substance-use treatment (42 CFR 2.11).
    referral = services.create_referral(sud_client, actor=practitioner, service=service,
                                        reason="Needs a stable place to live.")
    with pytest.raises(services.CaseworkError, match="The referral was not sent"):
        _send(referral, practitioner, categories=())
    assert not Disclosure.objects.exists()
    consent_naming(sud_client, "Testville Housing", "organisation",
                   categories=["substance_use"], purposes=["referral"])
    sent = _send(referral, practitioner, categories=())
    assert sent.shared_categories == ["substance_use"]
    assert sent.disclosure.categories == ["substance_use"]


# --- family: contacts and sessions ----------------------------------------------------------


def _contact(member, actor, categories=("attendance",)):
    return services.log_contact(member.client, actor=actor, occurred_on=TODAY(), kind="phone",
                                duration_minutes=10, member=member,
                                categories=list(categories), note="Talked about sessions.")


@pytest.mark.django_db
def test_a_contact_with_a_family_member_needs_a_consent_naming_them(
        sister, practitioner, client_record):
    with pytest.raises(services.CaseworkError, match="Record Maria as involved"):
        _contact(sister, practitioner)
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    with pytest.raises(services.CaseworkError) as refused:
        _contact(sister, practitioner)
    messages = refused.value.messages
    assert "needs a consent that names them" in messages[0]
    assert any("No consent names this recipient (Maria Lopez, Family member)" in m
               for m in messages)
    assert any("Part 2 has no exception" in m for m in messages)
    assert not ContactEntry.objects.exists() and not Disclosure.objects.exists()
    # A consent naming her (in other spacing and case) for family involvement permits it.
    consent_naming(client_record, "  maria  LOPEZ ", "family_member", categories=["attendance"],
                   purposes=["family_involvement"], relationship="sister")
    entry = _contact(sister, practitioner)
    assert entry.member == sister and entry.disclosure.recipient_kind == "family_member"
    assert entry.disclosure.purpose == "family_involvement" and entry.disclosure.method == "phone"
    assert entry.disclosure.notice_text == STATEMENT_1


@pytest.mark.django_db
@pytest.mark.parametrize("problem", ["revoked", "expired", "category"])
def test_revoked_expired_or_narrower_consent_stops_family_contact(
        problem, sister, practitioner, client_record):
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=False)
    consent = consent_naming(client_record, "Maria Lopez", "family_member",
                             categories=["attendance"], purposes=["family_involvement"],
                             expires_in=-1 if problem == "expired" else 90, signed_ago=30)
    if problem == "revoked":
        _contact(sister, practitioner)  # fine before the revocation
        _revoke(consent, practitioner)
    categories = ["substance_use"] if problem == "category" else ["attendance"]
    before = ContactEntry.objects.count()
    with pytest.raises(services.CaseworkError) as refused:
        _contact(sister, practitioner, categories)
    expected = {"revoked": "was revoked on", "expired": "expired on",
                "category": "the category is not covered"}[problem]
    assert any(expected in m for m in refused.value.messages)
    assert ContactEntry.objects.count() == before


@pytest.mark.django_db
def test_a_friend_is_named_as_an_individual(friend, practitioner, client_record):
    family.involve(friend, actor=practitioner, full_name="Dee Walker", caregiver=False)
    consent_naming(client_record, "Dee Walker", "family_member", categories=["attendance"],
                   purposes=["family_involvement"])
    with pytest.raises(services.CaseworkError):
        _contact(friend, practitioner)  # named as family, but a friend is an individual
    consent_naming(client_record, "Dee Walker", "individual", categories=["attendance"],
                   purposes=["family_involvement"])
    assert _contact(friend, practitioner).disclosure.recipient_kind == "individual"


@pytest.mark.django_db
def test_a_family_session_is_recorded_only_under_consent(sister, practitioner, client_record):
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    values = {"attended_on": TODAY(), "kind": "family_psychoeducation",
              "provider": "Family Bridges", "categories": ["attendance", "mental_health"]}
    with pytest.raises(services.CaseworkError, match="only under a consent"):
        family.record_session(sister, actor=practitioner, **values)
    assert not FamilySession.objects.exists()
    consent_naming(client_record, "Maria Lopez", "family_member",
                   categories=["attendance", "mental_health"], purposes=["family_involvement"])
    session = family.record_session(sister, actor=practitioner, **values)
    assert session.disclosure.method == "in_person"
    assert session.disclosure.categories == ["attendance", "mental_health"]
    assert AuditEntry.objects.filter(action="ecomap.casework.family_session_recorded",
                                     object_id=str(session.pk)).exists()


@pytest.mark.django_db
def test_consent_views_explain_without_deciding(sister, friend, practitioner, client_record,
                                                django_assert_num_queries):
    maria = family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    dee = family.involve(friend, actor=practitioner, full_name="Dee Walker", caregiver=False)
    consent = consent_naming(client_record, "Maria Lopez", "family_member",
                             categories=["attendance"], purposes=["family_involvement"])
    involvements = [maria, dee]
    with django_assert_num_queries(2):
        views = family.consent_views(client_record, involvements)
    assert views[sister.pk].ok and views[sister.pk].permitted == [consent]
    assert not views[friend.pk].ok and "No consent names Dee Walker" in views[friend.pk].problems[0]
    _revoke(consent, practitioner)
    views = family.consent_views(client_record, involvements)
    assert not views[sister.pk].ok and "was revoked on" in views[sister.pk].problems[0]


# --- letters --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_family_letter_needs_consent_and_carries_the_notice(sister, practitioner,
                                                              client_record):
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    with pytest.raises(services.CaseworkError, match="No document was made"):
        letters.family_letter(sister, actor=practitioner, categories=["attendance"],
                              body="The next session is on Tuesday.")
    assert not Letter.objects.exists()
    consent_naming(client_record, "Maria Lopez", "family_member", categories=["attendance"],
                   purposes=["family_involvement"])
    letter = letters.family_letter(sister, actor=practitioner, categories=["attendance"],
                                   body="The next session is on Tuesday.")
    assert letter.disclosure.notice_text == STATEMENT_1 and letter.disclosure.method == "letter"
    assert "Maria Lopez" in letter.disclosure.consent_scope
    pdf = letters.render(letter)
    assert pdf.startswith(b"%PDF")
    from django.template.loader import render_to_string

    html = render_to_string(letters.TEMPLATE, {"letter": letter, "c": letter.content,
                                               "disclosure": letter.disclosure})
    assert "42 CFR part 2" in html and "The next session is on Tuesday." in html
    assert AuditEntry.objects.filter(action="ecomap.casework.letter_made").count() == 1


@pytest.mark.django_db
def test_without_pdfs_nothing_is_disclosed(monkeypatch, referral, practitioner, client_record):
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])

    def no_pango(*args, **kwargs):
        raise PdfUnavailable("Pango is missing.")

    monkeypatch.setattr(letters, "render_pdf", no_pango)
    with pytest.raises(PdfUnavailable):
        letters.referral_summary(referral, actor=practitioner, categories=["attendance"],
                                 body="")
    assert not Letter.objects.exists() and not Disclosure.objects.exists()
    assert not AuditEntry.objects.filter(action="ecomap.disclosure.made").exists()


@pytest.mark.django_db
def test_the_referral_summary_prints_contact_details_only_when_chosen(
        referral, practitioner, client_record):
    client_record.phone = "555-0199"
    client_record.save()
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance", "contact_details"], purposes=["referral"])
    without = letters.referral_summary(referral, actor=practitioner, categories=["attendance"],
                                       body="Prefers mornings.")
    assert "phone" not in without.content["client"]
    with_contact = letters.referral_summary(referral, actor=practitioner,
                                            categories=["attendance", "contact_details"],
                                            body="")
    assert with_contact.content["client"]["phone"] == "555-0199"
    assert with_contact.disclosure.purpose == "referral" and with_contact.disclosure.method == "pdf"
    with pytest.raises(services.CaseworkError, match="the category is not covered"):
        letters.referral_summary(referral, actor=practitioner, categories=["substance_use"],
                                 body="")


@pytest.mark.django_db
def test_a_contact_recorded_afterwards_is_checked_as_of_its_day(sister, practitioner,
                                                                client_record):
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=False)
    consent = consent_naming(client_record, "Maria Lopez", "family_member",
                             categories=["attendance"], purposes=["family_involvement"],
                             signed_ago=10)

    def log(days_ago):
        return services.log_contact(client_record, actor=practitioner,
                                    occurred_on=TODAY() - timedelta(days=days_ago), kind="phone",
                                    duration_minutes=5, member=sister, categories=["attendance"])

    with pytest.raises(services.CaseworkError, match="not signed until"):
        log(12)  # before the consent was signed
    consents.revoke_consent(consent, actor=practitioner, on=TODAY() - timedelta(days=2),
                            note="", received_via="letter")
    entry = log(5)  # while the consent was in force: permitted, logged on its day
    assert timezone.localdate(entry.disclosure.disclosed_at) == TODAY() - timedelta(days=5)
    with pytest.raises(services.CaseworkError, match="was revoked on"):
        log(1)


# --- the agency names itself on what it sends -----------------------------------------------


@pytest.fixture
def agency(db):
    from ecomap.accounts.models import Agency

    Agency(name="Testville Recovery Program", address="1 Test Street", phone="555-0100",
           privacy_officer_name="Robin Officer", privacy_officer_contact="privacy@test.invalid").save()
    return Agency.current()


def _html(letter):
    from django.template.loader import render_to_string

    return render_to_string(letters.TEMPLATE, {"letter": letter, "c": letter.content,
                                               "agency": letter.content.get("agency"),
                                               "disclosure": letter.disclosure})


@pytest.mark.django_db
def test_a_family_letter_names_the_agency_and_its_privacy_officer(agency, sister, practitioner,
                                                                  client_record):
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    consents.create_consent(client_record, actor=practitioner, data={
        "information_description": "Attendance.", "categories": ["attendance"],
        "purposes": ["family_involvement"], "revocation_statement": "In writing.",
        "signed_by": "client", "signature_method": "paper", "signed_on": TODAY(),
        "expires_on": TODAY() + timedelta(days=30),
    }, recipients=[{"designation": "named", "kind": "family_member", "name": "Maria Lopez"}])
    letter = letters.family_letter(sister, actor=practitioner, categories=["attendance"],
                                   body="The next session is on Tuesday.")
    assert letter.content["agency"]["name"] == "Testville Recovery Program"
    assert "Who may disclose: Testville Recovery Program." in letter.disclosure.consent_scope
    html = _html(letter)
    assert "Testville Recovery Program" in html and "1 Test Street" in html
    assert "Robin Officer" in html and "privacy@test.invalid" in html
    assert "ecomap" not in html.lower()
    # Renamed later: the letter printed again says what was sent.
    type(agency)(name="Renamed Program").save()
    assert "Testville Recovery Program" in _html(letter)


@pytest.mark.django_db
def test_a_referral_summary_names_the_agency(agency, referral, practitioner, client_record):
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])
    letter = letters.referral_summary(referral, actor=practitioner, categories=["attendance"],
                                      body="")
    assert letter.content["agency"]["phone"] == "555-0100"
    html = _html(letter)
    assert "Testville Recovery Program" in html and "555-0100" in html
