"""Casework pages through the Django test client: bad input gives a message and changes nothing,
refusals show their reasons, reads are audited, and pages and panels run a fixed number of
queries whatever the size of the record or the caseload."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.casework import family, services
from ecomap.casework.models import (
    CaregiverCheckIn,
    ContactEntry,
    Involvement,
    Letter,
    NeedsAssessment,
    ReferralDocument,
    ServiceReferral,
    Task,
)
from ecomap.clients.access import READ_ACTION
from ecomap.consents.notice import STATEMENT_1
from ecomap.network.models import NetworkMember
from ecomap.testing.factories import ClientFactory

from .helpers import assess, consent_naming, make_service, ratings

TODAY = timezone.localdate


def url(client, tail=""):
    return f"/clients/{client.pk}/casework/{tail}"


def needs_post(**changes):
    data = {"assessed_on": TODAY().isoformat(), "note": ""}
    for key, value in ratings().items():
        data[f"{key}_priority"] = value["priority"]
        data[f"{key}_note"] = ""
    data.update(changes)
    return data


# --- pages and reads ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_page_shows_the_record_and_is_audited(as_user, practitioner, client_record,
                                                       referral):
    assess(client_record, housing="high")
    services.add_task(client_record, actor=practitioner, title="Ring the desk",
                      owner=practitioner, due_on=TODAY(), referral=referral)
    page = as_user(practitioner).get(url(client_record)).content.decode()
    for text in ("Housing", "High", "Housing help", "Testville Housing Desk", "Draft",
                 "Ring the desk"):
        assert text in page
    read = AuditEntry.objects.get(action=READ_ACTION, actor=practitioner, client=client_record)
    assert read.data["page"] == "casework:home"


@pytest.mark.django_db
def test_the_needs_form_saves_and_keeps_history(as_user, practitioner, client_record):
    http = as_user(practitioner)
    first = assess(client_record, on=TODAY() - timedelta(days=20), housing="high")
    form = http.get(url(client_record, "needs/new/")).content.decode()
    assert re.search(r'name="housing_priority" value="high"[^>]*checked', form)
    response = http.post(url(client_record, "needs/new/"),
                         needs_post(housing_priority="medium", housing_note="Sister's sofa"))
    second = NeedsAssessment.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"needs/{second.pk}/")
    detail = http.get(response["Location"]).content.decode()
    assert "Sister&#x27;s sofa" in detail and "changed" in detail
    assert "find and refer" in detail and "service_type=housing_help" in detail


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"housing_priority": ""}, "This field is required"),
    ({"housing_priority": "urgent"}, "Select a valid choice"),
    ({"assessed_on": "9999-12-31"}, "Enter a date between"),
    ({"assessed_on": "31/31/2024"}, "Enter a valid date"),
])
def test_bad_needs_input_changes_nothing(as_user, practitioner, client_record, changes,
                                         message):
    response = as_user(practitioner).post(url(client_record, "needs/new/"),
                                          needs_post(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not NeedsAssessment.objects.exists()


# --- find and refer -------------------------------------------------------------------------


@pytest.mark.django_db
def test_find_a_service_and_make_a_draft(as_user, practitioner, client_record, service):
    http = as_user(practitioner)
    found = http.get(url(client_record, "referrals/new/?service_type=housing_help&need=housing"))
    assert found.status_code == 200 and "Testville Housing Desk" in found.content.decode()
    response = http.post(url(client_record, "referrals/new/?service_type=housing_help"), {
        "service": service.pk, "need_domain": "housing", "service_type": "housing_help",
        "reason": "Needs a home."})
    referral = ServiceReferral.objects.get()
    assert response["Location"] == url(client_record, f"referrals/{referral.pk}/")
    assert referral.need_domain == "housing" and referral.documents.count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("data", [
    {"service": "no-such-service", "reason": "R."},
    {"service": "", "reason": "R."},
    {"reason": "R."},
    {"service": "SVC", "reason": ""},
    {"service": "SVC", "reason": "R.", "need_domain": "astrology"},
])
def test_bad_referral_input_gives_a_message_and_changes_nothing(as_user, practitioner,
                                                                client_record, service, data):
    data = {k: (service.pk if v == "SVC" else v) for k, v in data.items()}
    response = as_user(practitioner).post(url(client_record, "referrals/new/"), data)
    assert response.status_code == 400
    assert response.context["refusal"].reasons
    assert 'role="alert"' in response.content.decode()
    assert not ServiceReferral.objects.exists()


@pytest.mark.django_db
def test_a_bad_search_gives_400(as_user, practitioner, client_record):
    response = as_user(practitioner).get(url(client_record, "referrals/new/?age=-4"))
    assert response.status_code == 400


# --- the lifecycle through the pages --------------------------------------------------------


@pytest.mark.django_db
def test_steps_through_the_pages(as_user, practitioner, client_record, referral):
    http = as_user(practitioner)
    base = url(client_record, f"referrals/{referral.pk}/")
    page = http.get(base).content.decode()
    assert "Send" in page and "Record acceptance" not in page
    assert http.get(base + "send/").status_code == 200
    response = http.post(base + "send/", {
        "on": TODAY().isoformat(), "respond_by": (TODAY() + timedelta(days=7)).isoformat(),
        "recipient_name": "Testville Housing", "recipient_kind": "organisation"})
    assert response.status_code == 302
    response = http.post(base + "accept/", {
        "on": TODAY().isoformat(), "enrol_by": (TODAY() + timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    assert http.post(base + "enrol/", {"on": TODAY().isoformat()}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "enrolled"
    pages = [e.data["page"] for e in AuditEntry.objects.filter(action=READ_ACTION)]
    assert sorted(pages) == ["casework:referral", *["casework:step"] * 4]


@pytest.mark.django_db
def test_an_illegal_step_through_a_page_is_refused_with_a_message(as_user, practitioner,
                                                                  client_record, referral):
    http = as_user(practitioner)
    base = url(client_record, f"referrals/{referral.pk}/")
    response = http.post(base + "accept/", {
        "on": TODAY().isoformat(), "enrol_by": (TODAY() + timedelta(days=7)).isoformat()})
    assert response.status_code == 400
    assert "A referral that is draft cannot be changed by" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "draft"
    assert http.get(base + "teleport/").status_code == 404


@pytest.mark.django_db
def test_sending_without_consent_shows_the_reasons_and_changes_nothing(
        as_user, practitioner, client_record, referral):
    response = as_user(practitioner).post(url(client_record, f"referrals/{referral.pk}/send/"), {
        "on": TODAY().isoformat(), "respond_by": (TODAY() + timedelta(days=7)).isoformat(),
        "recipient_name": "Testville Housing", "recipient_kind": "organisation",
        "categories": ["substance_use"]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The referral was not sent" in page and "No consent names this recipient" in page
    referral.refresh_from_db()
    assert referral.status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize("data", [
    {"on": "", "respond_by": ""},
    {"on": "9999-01-01", "respond_by": "9999-02-01"},
    {"recipient_kind": "court"},
    {"categories": ["gossip"]},
])
def test_bad_send_input_changes_nothing(as_user, practitioner, client_record, referral, data):
    post = {"on": TODAY().isoformat(), "respond_by": (TODAY() + timedelta(days=7)).isoformat(),
            "recipient_name": "Testville Housing", "recipient_kind": "organisation", **data}
    response = as_user(practitioner).post(url(client_record, f"referrals/{referral.pk}/send/"),
                                          post)
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "draft"


@pytest.mark.django_db
def test_the_checklist_through_the_page(as_user, practitioner, client_record, referral):
    http = as_user(practitioner)
    documents = list(referral.documents.all())
    post = {f"doc_{d.pk}": d.status for d in documents}
    post[f"doc_{documents[0].pk}"] = "received"
    response = http.post(url(client_record, f"referrals/{referral.pk}/documents/"), post)
    assert response.status_code == 302
    assert ReferralDocument.objects.get(pk=documents[0].pk).status == "received"
    post[f"doc_{documents[1].pk}"] = "shredded"
    response = http.post(url(client_record, f"referrals/{referral.pk}/documents/"), post)
    assert response.status_code == 400
    assert ReferralDocument.objects.get(pk=documents[1].pk).status == "needed"
    response = http.post(url(client_record, f"referrals/{referral.pk}/documents/"),
                         {"label": "Bank statement"})
    assert response.status_code == 302 and referral.documents.count() == 6
    response = http.post(url(client_record, f"referrals/{referral.pk}/documents/"),
                         {"label": ""})
    assert response.status_code == 400 and referral.documents.count() == 6


@pytest.mark.django_db
def test_a_referral_summary_is_a_disclosure_with_its_notice(as_user, practitioner,
                                                            client_record, referral):
    http = as_user(practitioner)
    summary = url(client_record, f"referrals/{referral.pk}/summary/")
    post = {"recipient_name": "Testville Housing", "recipient_kind": "organisation",
            "categories": ["attendance"], "body": "Prefers mornings."}
    refused = http.post(summary, post)
    assert refused.status_code == 400 and "No document was made" in refused.content.decode()
    assert not Letter.objects.exists()
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])
    response = http.post(summary, post)
    letter = Letter.objects.get()
    assert response["Location"] == url(client_record, f"letters/{letter.pk}/")
    page = http.get(response["Location"]).content.decode()
    assert "Prefers mornings." in page and "42 CFR part 2" in page
    assert STATEMENT_1.split(".")[0] in page
    pdf = http.get(url(client_record, f"letters/{letter.pk}/pdf/"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action=READ_ACTION,
                                     data__page="casework:letter_pdf").exists()


@pytest.mark.django_db
def test_without_pango_the_summary_page_says_so(monkeypatch, as_user, practitioner,
                                                client_record, referral):
    from ecomap.casework import letters
    from ecomap.reports.pdf import PdfUnavailable

    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])

    def no_pango(*args, **kwargs):
        raise PdfUnavailable("PDF documents cannot be made on this server.")

    monkeypatch.setattr(letters, "render_pdf", no_pango)
    response = as_user(practitioner).post(
        url(client_record, f"referrals/{referral.pk}/summary/"),
        {"recipient_name": "Testville Housing", "recipient_kind": "organisation",
         "categories": ["attendance"]})
    page = response.content.decode()
    assert response.status_code == 400 and "cannot be made on this server" in page
    assert "Nothing was disclosed" in page and not Letter.objects.exists()


# --- tasks, contacts ------------------------------------------------------------------------


@pytest.mark.django_db
def test_tasks_through_the_pages(as_user, practitioner, client_record, outsider):
    http = as_user(practitioner)
    bad = http.post(url(client_record, "tasks/new/"), {
        "title": "Call", "owner": outsider.pk, "due_on": TODAY().isoformat()})
    assert bad.status_code == 400 and not Task.objects.exists()
    good = http.post(url(client_record, "tasks/new/"), {
        "title": "Call", "owner": practitioner.pk, "due_on": TODAY().isoformat()})
    assert good.status_code == 302
    task = Task.objects.get()
    assert http.post(url(client_record, f"tasks/{task.pk}/done/")).status_code == 302
    again = http.post(url(client_record, f"tasks/{task.pk}/done/"), follow=True)
    assert "already done" in again.content.decode()


@pytest.mark.django_db
def test_contacts_and_cadence_through_the_pages(as_user, practitioner, client_record, sister):
    http = as_user(practitioner)
    page = url(client_record, "contacts/")
    refused = http.post(page, {"occurred_on": TODAY().isoformat(), "kind": "phone",
                               "duration_minutes": "10", "with_whom": sister.pk,
                               "categories": ["attendance"]})
    assert refused.status_code == 400 and "Record Maria as involved" in refused.content.decode()
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=False)
    refused = http.post(page, {"occurred_on": TODAY().isoformat(), "kind": "phone",
                               "duration_minutes": "10", "with_whom": sister.pk,
                               "categories": ["attendance"]})
    assert "No consent names this recipient" in refused.content.decode()
    assert not ContactEntry.objects.exists()
    for bad in ({"duration_minutes": "-5"}, {"duration_minutes": "abc"},
                {"occurred_on": "9999-01-01"}, {"with_whom": "999999"}, {"kind": "pigeon"}):
        data = {"occurred_on": TODAY().isoformat(), "kind": "phone", "duration_minutes": "10",
                "with_whom": "", **bad}
        assert http.post(page, data).status_code == 400
    assert not ContactEntry.objects.exists()
    ok = http.post(page, {"occurred_on": TODAY().isoformat(), "kind": "home_visit",
                          "duration_minutes": "30", "with_whom": ""})
    assert ok.status_code == 302 and ContactEntry.objects.get().member is None
    from ecomap.casework.models import Cadence

    refused = http.post(url(client_record, "contacts/cadence/"), {"every_days": "0"},
                        follow=True)
    assert "greater than or equal to 1" in refused.content.decode()
    assert not Cadence.objects.exists()
    http.post(url(client_record, "contacts/cadence/"), {"every_days": "14"})
    assert Cadence.objects.get().every_days == 14
    listing = http.get(page).content.decode()
    assert "Every 14 days" in listing and "Home visit" in listing


# --- family ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_family_pages(as_user, practitioner, client_record, sister):
    http = as_user(practitioner)
    assert "Maria" in http.get(url(client_record, "family/")).content.decode()
    member = url(client_record, f"family/{sister.pk}/")
    assert http.get(member).status_code == 200
    assert http.post(member + "involve/", {"full_name": " "}).status_code == 400
    assert not Involvement.objects.exists()
    assert http.post(member + "involve/", {"full_name": "Maria Lopez",
                                           "caregiver": "on"}).status_code == 302
    page = http.get(member).content.decode()
    assert "No consent names Maria Lopez" in page and "Caregiver check-in" in page
    session = {"attended_on": TODAY().isoformat(), "kind": "family_psychoeducation",
               "provider": "Family Bridges", "categories": ["attendance"]}
    refused = http.post(member + "sessions/new/", session)
    assert refused.status_code == 400 and "only under a consent" in refused.content.decode()
    consent_naming(client_record, "Maria Lopez", "family_member", categories=["attendance"],
                   purposes=["family_involvement"])
    assert http.post(member + "sessions/new/", session).status_code == 302
    answers = {f"item_{k}": "2" for k in ("worn_out", "own_life", "worry", "alone", "tension",
                                           "unsure")}
    bad = http.post(member + "check-ins/new/", {"checked_on": TODAY().isoformat(),
                                                **answers, "item_worry": "7"})
    assert bad.status_code == 400 and not CaregiverCheckIn.objects.exists()
    for days in (30, 0):
        assert http.post(member + "check-ins/new/", {
            "checked_on": (TODAY() - timedelta(days=days)).isoformat(), **answers},
        ).status_code == 302
    page = http.get(member).content.decode()
    assert "High strain at the last check-in" in page and "<svg" in page
    assert "Family psychoeducation" in page and "practice" in page.lower()
    letter = http.post(member + "letter/", {"categories": ["attendance"],
                                            "body": "See you on Tuesday."})
    assert letter.status_code == 302 and Letter.objects.get().member == sister


# --- query counts ---------------------------------------------------------------------------


def _grow(client, actor, n):
    """More of everything on one client's record."""
    if client.is_part2:  # their referrals always share substance use
        consent_naming(client, "Testville Housing", "organisation",
                       categories=["substance_use"], purposes=["referral"], signed_ago=40)
    for i in range(n):
        referral = services.create_referral(client, actor=actor,
                                            service=make_service(name=f"S{i}",
                                                                 documents=["Photo ID", "Form"]),
                                            reason="R.", on=TODAY() - timedelta(days=30))
        referral = services.send_referral(referral, actor=actor, on=TODAY() - timedelta(days=20),
                                          respond_by=TODAY() - timedelta(days=1))
        services.add_task(client, actor=actor, title=f"T{i}", owner=actor,
                          due_on=TODAY() - timedelta(days=1), referral=referral)
        services.log_contact(client, actor=actor, occurred_on=TODAY() - timedelta(days=40),
                             kind="phone", duration_minutes=5)
        k = NetworkMember.objects.filter(client=client).count()  # one name per person
        member = NetworkMember.objects.create(client=client, label=f"Kin {k}",
                                              relationship="parent")
        family.involve(member, actor=actor, full_name=f"Kin {k} Test", caregiver=True)
        consent_naming(client, f"Kin {k} Test", "family_member", categories=["attendance"],
                       purposes=["family_involvement"])
        family.record_checkin(member, actor=actor, checked_on=TODAY(),
                              answers=dict.fromkeys(("worn_out", "own_life", "worry", "alone",
                                                     "tension", "unsure"), 1))
    assess(client, housing="high")
    services.set_cadence(client, actor=actor, every_days=7)


@pytest.mark.django_db
def test_today_and_overview_run_fixed_queries(as_user, practitioner, client_record,
                                              django_assert_max_num_queries):
    http = as_user(practitioner)
    _grow(client_record, practitioner, 1)
    today = http.get("/today/").content.decode()
    for title in ("Referrals to chase", "Overdue casework tasks", "Keep in touch"):
        assert title in today
    assert "no answer by" in today
    overview = http.get(f"/clients/{client_record.pk}/").content.decode()
    assert "Case management" in overview
    with django_assert_max_num_queries(60) as small_today:
        http.get("/today/")
    with django_assert_max_num_queries(80) as small_overview:
        http.get(f"/clients/{client_record.pk}/")
    _grow(client_record, practitioner, 3)
    for _ in range(3):
        _grow(ClientFactory(primary_practitioner=practitioner), practitioner, 1)
    with django_assert_max_num_queries(len(small_today.captured_queries)):
        http.get("/today/")
    with django_assert_max_num_queries(len(small_overview.captured_queries)):
        http.get(f"/clients/{client_record.pk}/")


@pytest.mark.django_db
def test_casework_pages_run_fixed_queries(as_user, practitioner, client_record,
                                          django_assert_max_num_queries):
    http = as_user(practitioner)
    _grow(client_record, practitioner, 1)
    first = ServiceReferral.objects.get()
    member = Involvement.objects.get().member_id
    pages = ["", f"referrals/{first.pk}/", "family/", f"family/{member}/", "contacts/",
             f"needs/{NeedsAssessment.objects.get().pk}/"]
    counts = {}
    for page in pages:
        assert http.get(url(client_record, page)).status_code == 200
        with django_assert_max_num_queries(60) as measured:
            http.get(url(client_record, page))
        counts[page] = len(measured.captured_queries)
    _grow(client_record, practitioner, 3)
    services.add_document(first, actor=practitioner, label="Another")
    services.add_task(client_record, actor=practitioner, title="More", owner=practitioner,
                      due_on=TODAY(), referral=first)
    for page in pages:
        with django_assert_max_num_queries(counts[page]):
            http.get(url(client_record, page))
