"""The pages: forms with field errors, refusals shown and nothing saved, access through the client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.consents.models import Consent, Disclosure
from ecomap.consents.notice import STATEMENT_1
from ecomap.consents.panels import consent_panel, expiring_consents
from ecomap.testing.factories import ClientFactory

from .factories import ConsentFactory, DisclosureFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(name, client, **kwargs):
    return reverse(f"consents:{name}", kwargs={"client_pk": client.pk, **kwargs})


def consent_post(**overrides):
    data = {
        "consent_type": "general",
        "disclosing_party": "Testville Recovery Program",
        "information_description": "Attendance at sessions.",
        "categories": ["attendance"],
        "purposes": ["family_involvement"],
        "expires_on": (TODAY() + timedelta(days=180)).isoformat(),
        "expiry_event": "",
        "revocation_statement": "Revoke in writing by letter.",
        "signed_by": "client",
        "signature_method": "paper",
        "signed_on": TODAY().isoformat(),
        "recipients-TOTAL_FORMS": "3",
        "recipients-INITIAL_FORMS": "0",
        "recipients-MIN_NUM_FORMS": "0",
        "recipients-MAX_NUM_FORMS": "20",
        "recipients-0-designation": "named",
        "recipients-0-kind": "family_member",
        "recipients-0-name": "Jo Testcase",
        "recipients-0-relationship": "sister",
        "recipients-1-designation": "named",
        "recipients-2-designation": "named",
    }
    data.update(overrides)
    return data


class TestConsentPages:
    def test_list_labels_active_expired_and_revoked(self, as_user, practitioner, client_record):
        ConsentFactory(client=client_record)
        ConsentFactory(client=client_record, signed_on=TODAY() - timedelta(days=90),
                       expires_on=TODAY() - timedelta(days=1))
        ConsentFactory(client=client_record, revoked_on=TODAY())
        response = as_user(practitioner).get(url("list", client_record))
        assert response.status_code == 200
        html = response.content.decode()
        for label in ("In force", "Expired", "Revoked", 'class="badge active"',
                      'class="badge expired"', 'class="badge revoked"'):
            assert label in html
        entry = AuditEntry.objects.get(action="ecomap.client.read")
        assert entry.data == {"page": "consents:list"}

    def test_create_form_offers_the_tpo_statements(self, as_user, practitioner, client_record):
        response = as_user(practitioner).get(url("create", client_record) + "?type=tpo")
        assert response.status_code == 200
        assert b"no longer be protected by 42 CFR part 2" in response.content
        assert b'name="recipients-TOTAL_FORMS"' in response.content

    def test_create_saves_and_redirects(self, as_user, practitioner, client_record):
        response = as_user(practitioner).post(url("create", client_record), consent_post())
        consent = Consent.objects.get()
        assert response.status_code == 302
        assert response.url == url("detail", client_record, consent_pk=consent.pk)
        assert consent.client == client_record and consent.created_by == practitioner
        assert [r.name for r in consent.recipients.all()] == ["Jo Testcase"]
        assert AuditEntry.objects.filter(action="ecomap.consent.created").count() == 1

    def test_invalid_post_shows_field_errors_and_saves_nothing(self, as_user, practitioner,
                                                              client_record):
        data = consent_post(information_description="", signed_by="", expires_on="",
                            **{"recipients-0-designation": "class",
                               "recipients-0-name": "My family"})
        response = as_user(practitioner).post(url("create", client_record), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Describe the information to be disclosed" in html
        assert "Record who signed the consent" in html
        assert "Give an expiry date or an expiry event" in html
        assert "Family members must be named one by one" in html
        assert html.count('class="field has-error"') >= 4
        assert not Consent.objects.exists()

    def test_no_recipient_is_an_error(self, as_user, practitioner, client_record):
        data = consent_post(**{"recipients-0-kind": "", "recipients-0-name": "",
                               "recipients-0-relationship": ""})
        response = as_user(practitioner).post(url("create", client_record), data)
        assert b"Name at least one recipient" in response.content
        assert not Consent.objects.exists()

    def test_counseling_notes_in_a_general_consent_is_a_field_error(self, as_user, practitioner,
                                                                    client_record):
        data = consent_post(categories=["attendance", "sud_counseling_notes"])
        response = as_user(practitioner).post(url("create", client_record), data)
        assert b"SUD counseling notes need their own consent" in response.content
        assert not Consent.objects.exists()

    def test_detail_shows_the_scope_and_is_audited(self, as_user, practitioner, client_record):
        consent = ConsentFactory(client=client_record)
        response = as_user(practitioner).get(url("detail", client_record, consent_pk=consent.pk))
        assert response.status_code == 200
        assert b"Scope, as sent with each disclosure" in response.content
        assert b"Dr. Jamie Rivera" in response.content
        entry = AuditEntry.objects.get(action="ecomap.client.read")
        assert entry.data == {"page": "consents:detail",
                              "arguments": {"consent_pk": str(consent.pk)}}

    def test_revoke(self, as_user, practitioner, client_record):
        consent = ConsentFactory(client=client_record)
        web = as_user(practitioner)
        target = url("revoke", client_record, consent_pk=consent.pk)
        assert web.get(target).status_code == 200
        response = web.post(target, {"on": TODAY().isoformat(), "received_via": ""})
        assert response.status_code == 200 and b"This field is required" in response.content
        response = web.post(target, {"on": TODAY().isoformat(), "received_via": "letter",
                                     "note": "Signed letter"})
        assert response.status_code == 302
        consent.refresh_from_db()
        assert consent.revoked_on == TODAY() and consent.revoked_by == practitioner
        again = web.post(target, {"on": TODAY().isoformat(), "received_via": "letter"})
        assert b"already revoked" in again.content

    def test_expiry_event(self, as_user, practitioner, client_record):
        consent = ConsentFactory(client=client_record, expires_on=None,
                                 expiry_event="End of treatment")
        target = url("expiry_event", client_record, consent_pk=consent.pk)
        response = as_user(practitioner).post(target, {"on": TODAY().isoformat()})
        assert response.status_code == 302
        consent.refresh_from_db()
        assert consent.expiry_event_occurred_on == TODAY()


def disclosure_post(**overrides):
    data = {"recipient_name": "Dr. Jamie Rivera", "recipient_kind": "provider",
            "recipient_address": "", "purpose": "treatment", "categories": ["attendance"],
            "description": "Attendance for March.", "method": "letter",
            "disclosed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    data.update(overrides)
    return data


class TestDisclosurePages:
    def test_record_and_show_the_notice(self, as_user, practitioner, client_record):
        ConsentFactory(client=client_record)
        web = as_user(practitioner)
        response = web.post(url("disclosure_create", client_record), disclosure_post())
        disclosure = Disclosure.objects.get()
        assert response.status_code == 302
        assert response.url == url("disclosure_detail", client_record,
                                   disclosure_pk=disclosure.pk)
        page = web.get(response.url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "42 CFR 2.32, 2024 text" in html
        assert "A general authorization for the release of medical or other information is NOT" \
            in html
        assert disclosure.notice_text == STATEMENT_1
        assert AuditEntry.objects.filter(action="ecomap.client.read",
                                         data__page="consents:disclosure_detail").count() == 1

    def test_a_refusal_shows_the_reasons_and_saves_nothing(self, as_user, practitioner,
                                                           client_record):
        ConsentFactory(client=client_record, revoked_on=TODAY() - timedelta(days=1))
        response = as_user(practitioner).post(url("disclosure_create", client_record),
                                              disclosure_post())
        assert response.status_code == 400
        html = response.content.decode()
        assert "do not permit this disclosure" in html and "Nothing was saved" in html
        assert "revoked on" in html
        assert not Disclosure.objects.exists()
        assert AuditEntry.objects.get(action="ecomap.disclosure.refused").outcome == "denied"

    def test_invalid_form_is_field_errors(self, as_user, practitioner, client_record):
        response = as_user(practitioner).post(url("disclosure_create", client_record),
                                              disclosure_post(categories=[], method=""))
        assert response.status_code == 200 and response.content.count(b"has-error") >= 2
        assert not Disclosure.objects.exists()

    def test_emergency(self, as_user, practitioner, client_record):
        web = as_user(practitioner)
        target = url("emergency_create", client_record)
        assert web.get(target).status_code == 200
        response = web.post(target, {
            "medical_personnel_name": "Dr. Ito", "medical_facility": "Testville General",
            "emergency_nature": "Overdose", "categories": ["substance_use"],
            "description": "Substance use history", "method": "phone",
            "disclosed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
        assert response.status_code == 302
        assert Disclosure.objects.get().basis == "medical_emergency"

    def test_accounting_window(self, as_user, practitioner, client_record):
        DisclosureFactory(client=client_record, recipient_name="Recent Clinic",
                          disclosed_at=timezone.now() - timedelta(days=10))
        DisclosureFactory(client=client_record, recipient_name="Ancient Clinic",
                          disclosed_at=timezone.now() - timedelta(days=4 * 365))
        web = as_user(practitioner)
        response = web.get(url("accounting", client_record))
        assert b"Recent Clinic" in response.content and b"Ancient Clinic" not in response.content
        since = (TODAY() - timedelta(days=5 * 365)).isoformat()
        wider = web.get(url("accounting", client_record), {"since": since})
        assert b"Ancient Clinic" in wider.content
        assert AuditEntry.objects.filter(action="ecomap.client.read",
                                         data__page="consents:accounting").count() == 2
        bad = web.get(url("accounting", client_record),
                      {"since": TODAY().isoformat(), "until": since})
        assert bad.status_code == 400


def every_consent_url(client, consent, disclosure):
    return [
        url("list", client), url("create", client), url("disclosure_create", client),
        url("emergency_create", client), url("accounting", client),
        url("detail", client, consent_pk=consent.pk),
        url("revoke", client, consent_pk=consent.pk),
        url("expiry_event", client, consent_pk=consent.pk),
        url("disclosure_detail", client, disclosure_pk=disclosure.pk),
    ]


def test_outsiders_get_404_on_every_consent_url(as_user, outsider, client_record):
    disclosure = DisclosureFactory(client=client_record)
    web = as_user(outsider)
    for target in every_consent_url(client_record, disclosure.consent, disclosure):
        assert web.get(target).status_code == 404, target
        assert web.post(target, {"on": TODAY().isoformat(), "received_via": "letter"}
                        ).status_code == 404, target
    assert Consent.objects.get().revoked_on is None


def test_a_consent_of_client_a_does_not_open_under_client_b(as_user, practitioner,
                                                            client_record):
    other = ClientFactory(primary_practitioner=practitioner)
    disclosure = DisclosureFactory(client=client_record)
    web = as_user(practitioner)
    for target in every_consent_url(other, disclosure.consent, disclosure)[5:]:
        assert web.get(target).status_code == 404, target
    revoke = url("revoke", other, consent_pk=disclosure.consent.pk)
    assert web.post(revoke, {"on": TODAY().isoformat(),
                             "received_via": "letter"}).status_code == 404
    assert Consent.objects.get().revoked_on is None


class TestPanels:
    def test_overview_panel(self, as_user, practitioner, client_record):
        ConsentFactory(client=client_record)
        ConsentFactory(client=client_record, revoked_on=TODAY(), recipients=[
            {"kind": "organisation", "name": "Revoked Housing"}])
        DisclosureFactory(client=client_record)
        response = as_user(practitioner).get(reverse("clients:overview",
                                                     kwargs={"client_pk": client_record.pk}))
        html = response.content.decode()
        assert "Consent and disclosure" in html
        assert "Dr. Jamie Rivera" in html and "Revoked Housing" not in html
        assert "1 disclosure on record." in html

    def test_overview_panel_queries_do_not_grow(self, practitioner, client_record):
        request = RequestFactory().get("/")
        request.user = practitioner

        def count():
            with CaptureQueriesContext(connection) as queries:
                consent_panel(request, client_record)
            return len(queries)

        ConsentFactory(client=client_record)
        few = count()
        for _ in range(6):
            DisclosureFactory(client=client_record)
        assert count() == few == 3

    def test_today_lists_consents_expiring_within_30_days(self, as_user, practitioner,
                                                         client_record, outsider_client):
        soon = ConsentFactory(client=client_record, expires_on=TODAY() + timedelta(days=12))
        ConsentFactory(client=client_record, expires_on=TODAY() + timedelta(days=90))
        ConsentFactory(client=outsider_client, expires_on=TODAY() + timedelta(days=5))
        response = as_user(practitioner).get(reverse("site:today"))
        html = response.content.decode()
        assert "Consents expiring within 30 days" in html
        assert url("detail", client_record, consent_pk=soon.pk) in html
        assert outsider_client.legal_last_name not in html

    def test_today_queries_do_not_grow_with_the_caseload(self, practitioner):
        request = RequestFactory().get("/")
        request.user = practitioner

        def count():
            with CaptureQueriesContext(connection) as queries:
                panel = expiring_consents(request)
            return len(queries), panel

        ConsentFactory(client=ClientFactory(primary_practitioner=practitioner),
                       expires_on=TODAY() + timedelta(days=3))
        few, panel = count()
        assert panel.count == 1
        for _ in range(12):
            ConsentFactory(client=ClientFactory(primary_practitioner=practitioner),
                           expires_on=TODAY() + timedelta(days=3))
        many, panel = count()
        assert few <= many <= 2
        assert panel.count == 13 and len(panel.context["consents"]) == 10


def test_the_create_form_offers_the_revocation_statement(as_user, practitioner, client_record):
    response = as_user(practitioner).get(url("create", client_record))
    html = response.content.decode()
    assert "You may revoke this consent at any time, in writing" in html
    assert f'value="{TODAY().isoformat()}"' in html
    assert "no longer be protected" not in html


def test_each_missing_element_is_reported_once(as_user, practitioner, client_record):
    response = as_user(practitioner).post(url("create", client_record),
                                          consent_post(information_description=""))
    html = response.content.decode()
    assert html.count("Describe the information to be disclosed") == 1
    assert 'for="id_information_description">Description of the information <span class="req"' \
        in html


def test_admin_reads_are_audited_and_nothing_is_deleted(as_user, admin_user, client_record):
    disclosure = DisclosureFactory(client=client_record)
    web = as_user(admin_user)
    consent_url = reverse("admin:consents_consent_change", args=[disclosure.consent.pk])
    disclosure_url = reverse("admin:consents_disclosure_change", args=[disclosure.pk])
    for target in (reverse("admin:consents_consent_changelist"), consent_url,
                   reverse("admin:consents_disclosure_changelist"), disclosure_url):
        response = web.get(target)
        assert response.status_code == 200, target
        assert b"/delete/" not in response.content
    assert AuditEntry.objects.filter(action="ecomap.admin.consents.disclosure.viewed",
                                     client=client_record).count() == 1
    assert web.post(disclosure_url, {"description": "changed"}).status_code == 403
    assert web.get(reverse("admin:consents_consent_delete",
                           args=[disclosure.consent.pk])).status_code == 403
