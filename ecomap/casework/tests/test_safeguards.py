"""Safeguards added after review: a referral of a client in substance-use treatment always shares
substance use (the referral shows they are in treatment); family involvement only under a consent
that names the person (never a class of recipients); one involvement per name per client; a letter
is printed again only while a consent permits it; a referral summary only of an open referral and
only with what its categories cover; reads audited when a refused form is shown again; the PDF
carries the notice and the consent's scope."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from ecomap.audit.models import AuditEntry
from ecomap.casework import family, letters, services
from ecomap.casework.models import ContactEntry, Involvement, Letter, ReferralStatus
from ecomap.clients.access import READ_ACTION
from ecomap.consents import services as consents
from ecomap.consents.models import Disclosure
from ecomap.consents.notice import STATEMENT_1
from ecomap.network.models import NetworkMember

from .helpers import consent_naming, make_service

TODAY = timezone.localdate


def url(client, tail=""):
    return f"/clients/{client.pk}/casework/{tail}"


def _send(referral, actor, categories=()):
    return services.send_referral(referral, actor=actor, on=TODAY(),
                                  respond_by=TODAY() + timedelta(days=14),
                                  categories=list(categories))


def _revoke(consent, actor):
    consents.revoke_consent(consent, actor=actor, on=TODAY(), note="", received_via="letter")


@pytest.fixture
def sud_referral(sud_client, practitioner):
    return services.create_referral(sud_client, actor=practitioner,
                                    service=make_service(documents=["Photo ID"]),
                                    reason="Needs a stable place to live.",
                                    need_domain="housing")


# --- 1. a referral of a client in substance-use treatment -----------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("programme", ["substance_use", "co_occurring"])
def test_a_sud_clients_referral_always_shares_substance_use(programme, sud_client, practitioner,
                                                            sud_referral):
    sud_client.programme = programme
    sud_client.save()
    with pytest.raises(services.CaseworkError) as refused:
        _send(sud_referral, practitioner, categories=())
    assert "The referral was not sent" in refused.value.messages[0]
    assert any("No consent names this recipient" in m for m in refused.value.messages)
    sud_referral.refresh_from_db()
    assert sud_referral.status == ReferralStatus.DRAFT and not Disclosure.objects.exists()
    entry = AuditEntry.objects.get(action="ecomap.disclosure.refused")
    assert entry.data["categories"] == ["substance_use"]
    consent_naming(sud_client, "Testville Housing", "organisation",
                   categories=["substance_use", "contact_details"], purposes=["referral"])
    sent = _send(sud_referral, practitioner, categories=["contact_details"])
    assert sent.status == ReferralStatus.SENT
    assert sent.shared_categories == ["substance_use", "contact_details"]
    assert sent.disclosure.categories == ["substance_use", "contact_details"]


@pytest.mark.django_db
def test_the_send_page_says_substance_use_is_always_shared(as_user, practitioner, sud_client,
                                                         sud_referral, client_record):
    page = as_user(practitioner).get(
        url(sud_client, f"referrals/{sud_referral.pk}/send/")).content.decode()
    assert "substance use is always shared with it" in page
    assert re.search(r'<input[^>]*value="substance_use"[^>]*checked', page)
    other = services.create_referral(client_record, actor=practitioner,
                                     service=make_service(name="Other"), reason="R.")
    page = as_user(practitioner).get(
        url(client_record, f"referrals/{other.pk}/send/")).content.decode()
    assert "substance use is always shared with it" not in page


# --- 2. family involvement needs a consent that names the person ----------------------------


def _class_consent(client, actor):
    today = TODAY()
    return consents.create_consent(client, actor=actor, data={
        "disclosing_party": "Testville Recovery Program",
        "information_description": "What the test needs.", "categories": ["attendance"],
        "purposes": ["family_involvement"], "revocation_statement": "In writing.",
        "signed_by": "client", "signature_method": "paper",
        "signed_on": today - timedelta(days=3), "expires_on": today + timedelta(days=90)},
        recipients=[{"designation": "class", "kind": "individual",
                     "name": "People I choose to involve"}])


def _contact(member, actor):
    return services.log_contact(member.client, actor=actor, occurred_on=TODAY(), kind="phone",
                                duration_minutes=5, member=member, categories=["attendance"])


@pytest.mark.django_db
def test_a_class_consent_does_not_cover_family_involvement(friend, practitioner,
                                                          client_record):
    family.involve(friend, actor=practitioner, full_name="Dee Walker", caregiver=False)
    _class_consent(client_record, practitioner)
    # The consents app alone would permit it (a class of individuals matches anyone)...
    assert consents.check_disclosure(client_record, recipient_name="Dee Walker",
                                     recipient_kind="individual", categories=["attendance"],
                                     purpose="family_involvement").allowed
    # ...family involvement does not.
    with pytest.raises(services.CaseworkError) as refused:
        _contact(friend, practitioner)
    assert any("must be named in the consent" in m for m in refused.value.messages)
    with pytest.raises(services.CaseworkError, match="Not recorded"):
        family.record_session(friend, actor=practitioner, attended_on=TODAY(),
                              kind="family_meeting", provider="", categories=["attendance"])
    with pytest.raises(services.CaseworkError, match="No document was made"):
        letters.family_letter(friend, actor=practitioner, categories=["attendance"], body="Hi.")
    assert not Disclosure.objects.exists() and not ContactEntry.objects.exists()
    denied = AuditEntry.objects.filter(action="ecomap.disclosure.refused", outcome="denied")
    assert denied.count() == 3
    views = family.consent_views(client_record, [Involvement.objects.get()])
    assert not views[friend.pk].ok
    # A consent naming her permits it, and is the one the disclosure cites.
    named = consent_naming(client_record, "Dee Walker", "individual", categories=["attendance"],
                           purposes=["family_involvement"], signed_ago=20)
    entry = _contact(friend, practitioner)
    assert entry.disclosure.recipient_name == "Dee Walker"
    assert family.consent_views(client_record, [Involvement.objects.get()])[friend.pk].ok
    # Revoked, the named consent no longer permits it, even with the class consent in force.
    _revoke(named, practitioner)
    with pytest.raises(services.CaseworkError) as refused:
        _contact(friend, practitioner)
    assert any("was revoked" in m for m in refused.value.messages)


# --- 3. one involvement per person ----------------------------------------------------------


@pytest.mark.django_db
def test_one_person_cannot_borrow_anothers_consent(sister, practitioner, client_record):
    brother = NetworkMember.objects.create(client=client_record, label="Bo",
                                           relationship="sibling")
    family.involve(sister, actor=practitioner, full_name="Ana Reyes", caregiver=False)
    with pytest.raises(services.CaseworkError, match="already recorded as involved in care, as "
                                                     "Maria"):
        family.involve(brother, actor=practitioner, full_name="  ana   REYES ", caregiver=False)
    assert Involvement.objects.count() == 1
    # The same person's involvement can be changed; a different name is fine.
    family.involve(sister, actor=practitioner, full_name="Ana  Reyes", caregiver=True)
    family.involve(brother, actor=practitioner, full_name="Bo Reyes", caregiver=False)
    assert Involvement.objects.get(member=sister).normalised_name == "ana reyes"
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(client=client_record, member=NetworkMember.objects.create(
            client=client_record, label="X", relationship="friend"), full_name="ANA REYES",
            created_by=practitioner)
    # Another client may involve someone of the same name.
    other = NetworkMember.objects.create(client=make_other_client(practitioner), label="Ana",
                                         relationship="parent")
    family.involve(other, actor=practitioner, full_name="Ana Reyes", caregiver=False)


def make_other_client(practitioner):
    from ecomap.testing.factories import ClientFactory

    return ClientFactory(primary_practitioner=practitioner)


@pytest.mark.django_db
def test_the_involve_page_explains_a_duplicate_name(as_user, practitioner, sister,
                                                    client_record):
    brother = NetworkMember.objects.create(client=client_record, label="Bo",
                                           relationship="sibling")
    family.involve(sister, actor=practitioner, full_name="Ana Reyes", caregiver=False)
    response = as_user(practitioner).post(url(client_record, f"family/{brother.pk}/involve/"),
                                          {"full_name": "Ana Reyes"})
    assert response.status_code == 400
    assert "already recorded as involved in care" in response.content.decode()
    assert not Involvement.objects.filter(member=brother).exists()


# --- 4. a letter is printed again only while a consent permits it ---------------------------


@pytest.mark.django_db
def test_a_letter_is_not_printed_after_the_consent_is_revoked(as_user, practitioner, sister,
                                                              client_record):
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    consent = consent_naming(client_record, "Maria Lopez", "family_member",
                             categories=["attendance"], purposes=["family_involvement"])
    letter = letters.family_letter(sister, actor=practitioner, categories=["attendance"],
                                   body="The next session is on Tuesday.")
    http = as_user(practitioner)
    pdf = url(client_record, f"letters/{letter.pk}/pdf/")
    assert http.get(pdf)["Content-Type"] == "application/pdf"
    _revoke(consent, practitioner)
    response = http.get(pdf)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The PDF is not printed again" in page and "was revoked on" in page
    assert "The next session is on Tuesday." in page  # the record of what was sent stays
    # Each request recorded its one read of the page (the refusal changed and disclosed nothing).
    assert AuditEntry.objects.filter(action=READ_ACTION,
                                     data__page="casework:letter_pdf").count() == 2


@pytest.mark.django_db
def test_a_referral_summary_is_not_printed_after_the_consent_is_revoked(
        as_user, practitioner, referral, client_record):
    consent = consent_naming(client_record, "Testville Housing", "organisation",
                             categories=["attendance"], purposes=["referral"])
    letter = letters.referral_summary(referral, actor=practitioner, categories=["attendance"],
                                      body="")
    _revoke(consent, practitioner)
    response = as_user(practitioner).get(url(client_record, f"letters/{letter.pk}/pdf/"))
    assert response.status_code == 400 and "The PDF is not printed again" in (
        response.content.decode())


# --- 5. referral summaries: open referrals, within their categories -------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("close", ["revoke", "decline", "complete"])
def test_no_summary_of_a_closed_referral(close, referral, practitioner, client_record):
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])
    if close == "revoke":
        services.revoke_referral(referral, actor=practitioner, on=TODAY(), reason="Changed.")
    else:
        referral = _send(referral, practitioner)
        if close == "decline":
            services.decline_referral(referral, actor=practitioner, on=TODAY(), reason="Full.")
        else:
            services.accept_referral(referral, actor=practitioner, on=TODAY(),
                                     enrol_by=TODAY() + timedelta(days=5))
            services.enrol_referral(referral, actor=practitioner, on=TODAY())
            services.complete_referral(referral, actor=practitioner, on=TODAY(), outcome="Done.")
    with pytest.raises(services.CaseworkError, match="only for an open referral"):
        letters.referral_summary(referral, actor=practitioner, categories=["attendance"],
                                 body="")
    assert not Letter.objects.exists() and not Disclosure.objects.exists()


@pytest.mark.django_db
def test_an_enrolled_referral_can_have_a_summary(referral, practitioner, client_record):
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])
    referral = _send(referral, practitioner)
    services.accept_referral(referral, actor=practitioner, on=TODAY(),
                             enrol_by=TODAY() + timedelta(days=5))
    referral = services.enrol_referral(referral, actor=practitioner, on=TODAY())
    assert letters.referral_summary(referral, actor=practitioner, categories=["attendance"],
                                    body="").pk


@pytest.mark.django_db
def test_a_summary_carries_no_more_than_its_categories(referral, practitioner, client_record):
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance", "mental_health"], purposes=["referral"])
    narrow = letters.referral_summary(referral, actor=practitioner, categories=["attendance"],
                                      body="")
    assert narrow.content["reason"] == "" and narrow.content["documents"] == []
    assert narrow.content["need"] is None
    html = render_to_string(letters.TEMPLATE, {"letter": narrow, "c": narrow.content,
                                               "disclosure": narrow.disclosure})
    assert "Needs a stable place to live." not in html and "Landlord reference" not in html
    wide = letters.referral_summary(referral, actor=practitioner,
                                    categories=["attendance", "mental_health"], body="")
    assert wide.content["reason"] == "Needs a stable place to live."
    assert "Landlord reference" in [d["label"] for d in wide.content["documents"]]
    assert wide.content["need"]["domain"]
    assert wide.disclosure.categories == ["attendance", "mental_health"]


@pytest.mark.django_db
def test_a_sud_clients_summary_always_shares_substance_use(sud_client, sud_referral,
                                                           practitioner):
    with pytest.raises(services.CaseworkError, match="No document was made"):
        letters.referral_summary(sud_referral, actor=practitioner, categories=["attendance"],
                                 body="")
    consent_naming(sud_client, "Testville Housing", "organisation",
                   categories=["attendance", "substance_use"], purposes=["referral"])
    letter = letters.referral_summary(sud_referral, actor=practitioner,
                                      categories=["attendance"], body="")
    assert letter.disclosure.categories == ["substance_use", "attendance"]
    assert letter.content["reason"] == "Needs a stable place to live."


# --- 6. reads audited when a refused form is shown again ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("tail,data,page", [
    ("referrals/{r}/documents/", {"label": "x" * 300}, "casework:documents"),
    ("referrals/{r}/documents/", {"doc_999999": "received"}, "casework:documents"),
    ("family/{m}/involve/", {"full_name": ""}, "casework:involve"),
])
def test_a_refused_form_shown_again_is_an_audited_read(as_user, practitioner, client_record,
                                                       referral, sister, tail, data, page):
    response = as_user(practitioner).post(
        url(client_record, tail.format(r=referral.pk, m=sister.pk)), data)
    assert response.status_code == 400
    read = AuditEntry.objects.filter(action=READ_ACTION, client_id=client_record.pk)
    assert read.count() == 1 and read.get().data["page"] == page


# --- 7. content wording faithful to the sources ---------------------------------------------


def test_checkin_wording_follows_its_sources():
    text = (Path(services.__file__).parent / "content" / "caregiver_checkin.yaml").read_text()
    flat = " ".join(text.replace("#", " ").split())
    assert "Network interventions might help families" in flat
    assert "can help families prevent" not in flat
    assert "Many of NAMI's education programmes are examples of psychoeducation." in flat
    assert "family education programmes are of this kind" not in flat


# --- 9. the printed document carries the notice and the consent's scope ---------------------


@pytest.mark.django_db
def test_the_pdf_is_made_from_html_carrying_the_notice(monkeypatch, referral, practitioner,
                                                       client_record):
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])
    seen = []
    real = letters.render_pdf

    def spy(template, context):
        seen.append(render_to_string(template, context))
        return real(template, context)

    monkeypatch.setattr(letters, "render_pdf", spy)
    letter = letters.referral_summary(referral, actor=practitioner, categories=["attendance"],
                                      body="Prefers mornings.")
    pdf = letters.render(letter)
    assert pdf.startswith(b"%PDF") and len(seen) == 2
    for html in seen:
        assert escape(STATEMENT_1) in html
        assert escape(letter.disclosure.consent_scope) in html
        assert "42 CFR part 2 prohibits unauthorized use or disclosure" in html
        assert "Prefers mornings." in html


# --- 8. an enrolled referral closes as completed; a dropout is in its outcome ---------------


@pytest.mark.django_db
def test_a_dropout_is_recorded_in_the_outcome(referral, practitioner):
    referral = _send(referral, practitioner)
    services.accept_referral(referral, actor=practitioner, on=TODAY(),
                             enrol_by=TODAY() + timedelta(days=5))
    referral = services.enrol_referral(referral, actor=practitioner, on=TODAY())
    assert services.allowed_actions(referral.status) == ["complete"]
    done = services.complete_referral(referral, actor=practitioner, on=TODAY(),
                                      outcome="Dropped out after two sessions.")
    assert done.status == ReferralStatus.COMPLETED
    assert done.outcome == "Dropped out after two sessions."
