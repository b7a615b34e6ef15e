"""Case management in the browser (issue #6): assess needs, find a resource for the top need, refer,
tick documents, advance the referral to enrolled, record a family consent through the consents
pages, involve the family member and produce a letter to them: a disclosure that carries the
42 CFR 2.32 notice. axe checks the casework pages on the way."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecomap.casework.models import Letter, ServiceReferral
from ecomap.casework.tests.helpers import consent_naming, make_service
from ecomap.consents.models import Consent
from ecomap.network.models import NetworkMember

from .test_accessibility import audit

pytestmark = pytest.mark.e2e


def test_needs_referral_documents_consent_and_a_disclosure(page, sign_in, screenshot,
                                                            practitioner, client_record):
    from ecomap.accounts.models import Agency

    pk = client_record.pk
    Agency(name="Testville Recovery Program", privacy_officer_name="Robin Officer",
           privacy_officer_contact="privacy@test.invalid").save()  # as an administrator records it
    make_service(name="Riverside Housing Desk", org="Riverside Housing",
                 documents=["Photo ID", "Landlord reference"])
    NetworkMember.objects.create(client=client_record, label="Maria", relationship="sibling",
                                 circle=1)
    sign_in(page, practitioner)

    # The client's overview leads to case management.
    page.goto(f"/clients/{pk}/")
    page.get_by_role("link", name="Case management").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Case management")
    audit(page, "casework home (empty)")

    # ---- Needs -------------------------------------------------------------------------------
    page.get_by_role("link", name="Assess needs").click()
    housing = page.get_by_role("group", name="Housing", exact=True)
    housing.get_by_label("High").check()
    housing.get_by_label("Note on Housing").fill("Staying on a friend's sofa.")
    page.get_by_role("group", name="Employment", exact=True).get_by_label("Medium").check()
    audit(page, "needs form")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Needs assessment of")
    row = page.get_by_role("row").filter(has_text="Staying on a friend's sofa.")
    expect(row).to_contain_text("High")
    audit(page, "needs assessment")

    # ---- Find a resource for the need, and refer ---------------------------------------------
    row.get_by_role("link", name=re.compile(r"^find and refer \(Housing help\)")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Find a service for")
    expect(page.get_by_text("For the need: Housing.")).to_be_visible()
    result = page.locator("article.service-result").filter(has_text="Riverside Housing Desk")
    expect(result).to_be_visible()
    audit(page, "find a service")
    result.get_by_text("Refer to Riverside Housing Desk").click()
    expect(result.get_by_label("Need it addresses")).to_have_value("housing")
    result.get_by_label("Reason for the referral").fill("Needs a stable place to live.")
    result.get_by_role("button", name="Make a draft referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Referral to Riverside Housing Desk")
    referral = ServiceReferral.objects.get(client=client_record)

    # ---- Tick documents ----------------------------------------------------------------------
    page.get_by_label("Proof of identity").select_option(label="Received")
    page.get_by_label("Completed application form").select_option(label="Submitted")
    page.get_by_label("Landlord reference").select_option(label="Requested")
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.get_by_text("Checklist saved (3 changed).")).to_be_visible()
    expect(page.get_by_label("Proof of identity")).to_have_value("received")
    audit(page, "referral (draft)")

    # ---- Advance the referral: send, accept, enrol -------------------------------------------
    page.get_by_role("link", name="Send", exact=True).click()
    expect(page.get_by_role("textbox", name="Recipient", exact=True)).to_have_value(
        "Riverside Housing")
    audit(page, "send step")
    # The client is in co-occurring treatment: the referral itself shows it, so substance use is
    # always shared with it and needs a consent naming the service (made directly here).
    assert client_record.programme == "co_occurring"
    expect(page.get_by_text("substance use is always shared with it")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("^Substance use"))).to_be_checked()
    consent_naming(client_record, "Riverside Housing", "organisation",
                   categories=["substance_use"], purposes=["referral"])
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Referral: Sent.")).to_be_visible()
    assert ServiceReferral.objects.get(pk=referral.pk).disclosure.categories == ["substance_use"]
    page.get_by_role("link", name="Record acceptance").click()
    page.get_by_role("button", name="Record acceptance").click()
    expect(page.get_by_text("Referral: Accepted.")).to_be_visible()
    page.get_by_role("link", name="Record enrolment").click()
    page.get_by_label("Note").fill("Starts on Monday.")
    page.get_by_role("button", name="Record enrolment").click()
    expect(page.get_by_text("Referral: Enrolled.")).to_be_visible()
    history = page.locator("ol.timeline li")
    expect(history).to_have_count(4)
    expect(history.last).to_contain_text("Enrolled")
    referral.refresh_from_db()
    assert referral.status == "enrolled" and referral.enrolled_on == timezone.localdate()
    screenshot(page, "casework-referral-enrolled")

    # ---- A family consent, through the consents pages ----------------------------------------
    page.goto(f"/clients/{pk}/casework/family/")
    audit(page, "family and supporters")
    page.get_by_role("link", name="Maria").click()
    page.get_by_label("Full name, as on the consent").fill("Maria Lopez")
    page.get_by_label("Cares for the client").check()
    page.get_by_role("button", name="Record the involvement").click()
    expect(page.get_by_text("No consent names Maria Lopez.")).to_be_visible()

    page.get_by_role("link", name="Record a consent naming them").click()
    expect(page.get_by_label("Who may disclose")).to_have_value("Testville Recovery Program")
    page.get_by_label("Description of the information").fill(
        "Whether the client attends sessions.")
    categories = page.get_by_role("group", name=re.compile("^Categories of information"))
    categories.get_by_label("Attendance and participation").check()
    # A Part 2 client: whatever reaches the family shows they are in treatment (substance use).
    categories.get_by_label("Substance use: diagnosis, treatment and progress").check()
    page.get_by_role("group", name=re.compile("^Purposes")).get_by_label(
        "Family involvement in care").check()
    page.get_by_label("Expires on").fill(
        (timezone.localdate() + timezone.timedelta(days=180)).isoformat())
    page.get_by_label("Signed by").select_option(label="The client")
    page.get_by_role("combobox", name="Signature", exact=True).select_option(
        label="On paper (original kept on file)")
    first = page.locator("fieldset.recipient").first
    first.get_by_label("Kind of recipient").select_option(label="Family member")
    first.get_by_label("Name or class").fill("Maria Lopez")
    first.get_by_label("Relationship to the client").fill("sister")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    assert Consent.objects.filter(client=client_record, purposes=["family_involvement"]).exists()

    # ---- Involvement under the consent, and a disclosure with its notice ---------------------
    page.goto(f"/clients/{pk}/casework/family/{NetworkMember.objects.get().pk}/")
    expect(page.get_by_text("Consent in force")).to_be_visible()
    audit(page, "family member")
    page.get_by_role("link", name="Write a letter (PDF)").click()
    page.get_by_role("textbox", name="Letter", exact=True).fill(
        "Thank you for coming. The next family session is on Tuesday at 18:00.")
    page.get_by_role("button", name="Make the letter").click()
    expect(page.get_by_text("Letter made and logged as a disclosure.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"Notice to the recipient \(42 CFR 2\.32"))
           ).to_be_visible()
    expect(page.locator(".notice.statutory")).to_contain_text(
        "protected by Federal confidentiality rules (42 CFR part 2)")
    expect(page.locator(".notice.scope")).to_contain_text("Maria Lopez")
    expect(page.locator(".notice.scope")).to_contain_text(
        "Who may disclose: Testville Recovery Program.")
    expect(page.get_by_text(re.compile("From: .*, Testville Recovery Program"))).to_be_visible()
    expect(page.get_by_text(re.compile("confidentiality of these records: Robin Officer"))
           ).to_be_visible()
    audit(page, "letter with its notice")
    screenshot(page, "casework-family-letter")
    letter = Letter.objects.get(client=client_record)
    assert letter.disclosure.recipient_name == "Maria Lopez"
    assert letter.disclosure.purpose == "family_involvement"
    assert letter.disclosure.categories == ["substance_use", "attendance"]
    response = page.request.get(f"/clients/{pk}/casework/letters/{letter.pk}/pdf/")
    assert response.ok and response.headers["content-type"] == "application/pdf"

    # The case management home shows it all, and nothing broke the CSP.
    page.goto(f"/clients/{pk}/casework/")
    expect(page.get_by_role("row").filter(has_text="Riverside Housing Desk")).to_contain_text(
        "Enrolled")
    audit(page, "casework home")
    page.goto(f"/clients/{pk}/casework/contacts/")
    audit(page, "contacts")
    assert not page.console_log.csp_violations(), page.console_log.csp_violations()
    assert not page.console_log.errors(), page.console_log.errors()


def test_the_casework_forms_pass_axe(page, sign_in, practitioner, client_record):
    """The forms the flow above does not open, with data made directly, and with their errors."""
    from ecomap.casework import family, services

    service = make_service(name="Riverside Housing Desk", org="Riverside Housing")
    referral = services.create_referral(client_record, actor=practitioner, service=service,
                                        reason="Needs a home.")
    maria = NetworkMember.objects.create(client=client_record, label="Maria",
                                         relationship="sibling")
    family.involve(maria, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    consent_naming(client_record, "Maria Lopez", "family_member", categories=["attendance"],
                   purposes=["family_involvement"])
    for days, level in ((40, 1), (20, 2), (1, 3)):
        family.record_checkin(maria, actor=practitioner,
                              checked_on=timezone.localdate() - timezone.timedelta(days=days),
                              answers=dict.fromkeys(("worn_out", "own_life", "worry", "alone",
                                                     "tension", "unsure"), level))
    sign_in(page, practitioner)
    base = f"/clients/{client_record.pk}/casework/"
    pages = {
        "revoke step": f"referrals/{referral.pk}/revoke/",
        "referral summary form": f"referrals/{referral.pk}/summary/",
        "task form": "tasks/new/",
        "session form": f"family/{maria.pk}/sessions/new/",
        "check-in form": f"family/{maria.pk}/check-ins/new/",
        "family letter form": f"family/{maria.pk}/letter/",
        "member with check-ins": f"family/{maria.pk}/",
    }
    for name, tail in pages.items():
        page.goto(base + tail)
        audit(page, name)
    # With errors shown.
    page.goto(base + f"family/{maria.pk}/check-ins/new/")
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.locator(".field .error").first).to_be_visible()
    audit(page, "check-in form with errors")
    page.goto(base + f"referrals/{referral.pk}/send/")
    page.get_by_role("checkbox", name=re.compile("^Substance use")).check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("The referral was not sent")).to_be_visible()
    audit(page, "send refused")
    assert not page.console_log.csp_violations(), page.console_log.csp_violations()
