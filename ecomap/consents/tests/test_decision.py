"""check_disclosure(): the one answer to "may this go to this recipient for this purpose now?"."""

from __future__ import annotations

import string
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st

from ecomap.consents.models import Consent, ConsentRecipient, normalise_name
from ecomap.consents.services import check_disclosure

from .factories import ConsentFactory

TODAY = timezone.localdate


def ask(client, *, name="Dr. Jamie Rivera", kind="provider", categories=("attendance",),
        purpose="treatment", on=None):
    return check_disclosure(client, recipient_name=name, recipient_kind=kind,
                            categories=list(categories), purpose=purpose, on=on)


def joined(decision) -> str:
    return " | ".join(decision.reasons)


@pytest.mark.django_db
class TestDecision:
    def test_allowed_names_the_consent(self, client_record):
        consent = ConsentFactory(client=client_record)
        decision = ask(client_record, categories=["attendance", "substance_use"])
        assert decision.allowed and decision
        assert decision.consent == consent
        assert decision.reasons == []

    def test_named_recipients_match_whatever_the_case_and_spacing(self, client_record):
        ConsentFactory(client=client_record)
        assert ask(client_record, name="  dr.   JAMIE rivera\t").allowed

    def test_no_consent_names_the_recipient(self, client_record):
        ConsentFactory(client=client_record)
        decision = ask(client_record, name="Dr. Someone Else")
        assert not decision.allowed and decision.consent is None
        assert "No consent names this recipient (Dr. Someone Else" in joined(decision)

    def test_a_named_recipient_of_another_kind_does_not_match(self, client_record):
        ConsentFactory(client=client_record)
        assert "No consent names this recipient" in joined(ask(client_record, kind="court"))

    def test_another_clients_consent_does_not_count(self, client_record, outsider_client):
        ConsentFactory(client=outsider_client)
        assert not ask(client_record).allowed

    def test_a_class_matches_by_kind(self, client_record):
        ConsentFactory(client=client_record, tpo=True, recipients=[
            {"designation": "class", "kind": "provider", "name": "My treating providers"}])
        assert ask(client_record, name="Any Clinic").allowed
        assert not ask(client_record, name="Any Clinic", kind="organisation").allowed

    def test_family_members_must_be_named(self, client_record):
        # Even if a class of family members got into the database, it never matches.
        ConsentFactory(client=client_record, purposes=["family_involvement"], recipients=[
            {"designation": "class", "kind": "family_member", "name": "My family"}])
        decision = ask(client_record, name="Jo Testcase", kind="family_member",
                       purpose="family_involvement")
        assert not decision.allowed
        assert "Family members must be named" in joined(decision)
        ConsentFactory(client=client_record, purposes=["family_involvement"], recipients=[
            {"kind": "family_member", "name": "Jo Testcase", "relationship": "sister"}])
        assert ask(client_record, name="jo testcase", kind="family_member",
                   purpose="family_involvement").allowed

    def test_expired_by_date(self, client_record):
        consent = ConsentFactory(client=client_record,
                                 signed_on=TODAY() - timedelta(days=100),
                                 expires_on=TODAY() - timedelta(days=3))
        decision = ask(client_record)
        assert not decision.allowed
        assert f"expired on {consent.expires_on:%Y-%m-%d}" in joined(decision)
        assert ask(client_record, on=consent.expires_on - timedelta(days=1)).allowed
        assert not ask(client_record, on=consent.expires_on).allowed

    def test_expired_by_event(self, client_record):
        day = TODAY() - timedelta(days=2)
        ConsentFactory(client=client_record, expires_on=None, expiry_event="End of treatment",
                       expiry_event_occurred_on=day)
        decision = ask(client_record)
        assert f"expired on {day:%Y-%m-%d}, when its expiry event happened" in joined(decision)
        assert ask(client_record, on=day - timedelta(days=1)).allowed

    def test_revoked(self, client_record):
        day = TODAY() - timedelta(days=1)
        ConsentFactory(client=client_record, revoked_on=day)
        decision = ask(client_record)
        assert not decision.allowed
        assert f"revoked on {day:%Y-%m-%d}" in joined(decision)
        # A disclosure made before the revocation was received was permitted.
        assert ask(client_record, on=day - timedelta(days=1)).allowed

    def test_not_yet_signed(self, client_record):
        consent = ConsentFactory(client=client_record)
        decision = ask(client_record, on=consent.signed_on - timedelta(days=1))
        assert "not signed until" in joined(decision)

    def test_purpose_not_covered(self, client_record):
        decision = ask(ConsentFactory(client=client_record).client, purpose="research")
        assert "the purpose is not covered: Research" in joined(decision)

    def test_category_not_covered(self, client_record):
        ConsentFactory(client=client_record)
        decision = ask(client_record, categories=["attendance", "mental_health"])
        assert "the category is not covered: Mental health" in joined(decision)
        assert "Attendance" not in joined(decision)

    def test_counseling_notes_need_their_own_consent(self, client_record):
        ConsentFactory(client=client_record)
        decision = ask(client_record, categories=["sud_counseling_notes"])
        assert "SUD counseling notes need their own consent (42 CFR 2.31(b))" in joined(decision)
        notes = ConsentFactory(client=client_record, consent_type="sud_counseling_notes",
                               categories=["sud_counseling_notes"])
        decision = ask(client_record, categories=["sud_counseling_notes"])
        assert decision.allowed and decision.consent == notes
        mixed = ask(client_record, categories=["sud_counseling_notes", "mental_health"])
        assert not mixed.allowed
        assert "covers only SUD counseling notes" in joined(mixed)

    def test_legal_proceedings_need_their_own_consent(self, client_record):
        ConsentFactory(client=client_record, purposes=["treatment", "at_client_request"])
        decision = ask(client_record, purpose="legal_proceedings")
        assert "legal proceedings needs its own consent (42 CFR 2.31(d))" in joined(decision)
        ConsentFactory(client=client_record, consent_type="legal_proceedings",
                       purposes=["legal_proceedings"])
        assert ask(client_record, purpose="legal_proceedings").allowed

    def test_an_incomplete_consent_permits_nothing(self, client_record):
        ConsentFactory(client=client_record, revocation_statement="", signed_by="")
        decision = ask(client_record)
        assert not decision.allowed
        assert ("incomplete: missing statement of the right to revoke, signature"
                in joined(decision))

    def test_a_consent_breaking_the_rules_permits_nothing(self, client_record):
        ConsentFactory(client=client_record, categories=["attendance", "sud_counseling_notes"])
        assert "does not meet 42 CFR 2.31" in joined(ask(client_record))

    def test_another_consent_in_force_still_permits_it(self, client_record):
        ConsentFactory(client=client_record, revoked_on=TODAY())
        good = ConsentFactory(client=client_record, signed_on=TODAY() - timedelta(days=30))
        assert ask(client_record).consent == good

    def test_reasons_name_each_consent(self, client_record):
        ConsentFactory(client=client_record, revoked_on=TODAY())
        ConsentFactory(client=client_record, purposes=["payment"])
        decision = ask(client_record)
        assert len(decision.reasons) == 2
        assert all(reason.startswith("Consent #") for reason in decision.reasons)

    @pytest.mark.parametrize(("field", "value", "message"), [
        ("kind", "neighbour", "Unknown kind of recipient"),
        ("purpose", "marketing", "Unknown purpose"),
        ("categories", ["dreams"], "Unknown category"),
        ("categories", [], "Say which categories"),
        ("name", "   ", "Name the recipient"),
    ])
    def test_bad_questions_are_refused(self, client_record, field, value, message):
        ConsentFactory(client=client_record)
        assert message in joined(ask(client_record, **{field: value}))

    def test_a_constant_number_of_queries(self, client_record):
        ConsentFactory(client=client_record)
        with CaptureQueriesContext(connection) as few:
            ask(client_record)
        for _ in range(5):
            ConsentFactory(client=client_record, revoked_on=TODAY())
        with CaptureQueriesContext(connection) as many:
            ask(client_record)
        assert len(few) == len(many) == 2


# --- the matching rule as a property ----------------------------------------------------------

LETTERS = string.ascii_letters + "àéíóúñçäöüøåßÀÉÑÖ"
WORD = st.text(alphabet=LETTERS + ".-'", min_size=1, max_size=10).filter(
    lambda w: any(c.isalpha() for c in w))
NAME = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
SPACE = st.sampled_from([" ", "  ", "\t", " \n ", "\u00a0"])


@st.composite
def variant_of(draw, name: str) -> str:
    """The same name typed differently: any casing, any whitespace between and around words."""
    words = []
    for word in name.split():
        upper = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
        words.append("".join(c.upper() if u else c.lower() for c, u in zip(word, upper,
                                                                              strict=True)))
    out = draw(st.sampled_from(["", " ", "\t"]))
    for index, word in enumerate(words):
        out += word if index == 0 else draw(SPACE) + word
    return out + draw(st.sampled_from(["", " ", "\n"]))


@given(data=st.data(), name=NAME,
       kind=st.sampled_from(["individual", "family_member", "provider", "organisation"]))
def test_any_casing_or_spacing_of_a_named_recipient_matches(data, name, kind):
    recipient = ConsentRecipient(designation="named", kind=kind, name=name)
    typed = data.draw(variant_of(name))
    assert recipient.matches(typed, kind)
    assert not recipient.matches(typed, "court")


@given(name=NAME, other=NAME)
def test_a_different_name_never_matches(name, other):
    assume(normalise_name(name) != normalise_name(other))
    recipient = ConsentRecipient(designation="named", kind="provider", name=name)
    assert not recipient.matches(other, "provider")


@given(name=NAME, extra=st.sampled_from(list("aZé.")))
def test_a_near_miss_never_matches(name, extra):
    recipient = ConsentRecipient(designation="named", kind="provider", name=name)
    assert not recipient.matches(name + extra, "provider")
    assert not recipient.matches(extra + " " + name, "provider")


@pytest.mark.django_db
def test_the_property_holds_through_the_database(client_record):
    """One end-to-end case for the property: the saved consent and check_disclosure agree."""
    ConsentFactory(client=client_record, recipients=[{"kind": "organisation",
                                                      "name": "Öster  Straße Housing"}])
    assert ask(client_record, name="ÖSTER STRASSE housing", kind="organisation").allowed
    assert not ask(client_record, name="Öster Strasse Housings", kind="organisation").allowed
    assert Consent.objects.count() == 1
