"""Documents that leave the program: a referral summary for the receiving service and a letter to a
family member. Each is a disclosure: it is made only when `consents.record_disclosure` permits it,
is logged with the 42 CFR 2.32 notice and the consent's scope, and prints both. What the document
said is frozen in the Letter, so it can be printed again exactly as it was sent.

The PDF is rendered inside the transaction that logs the disclosure: where PDFs cannot be made
(no Pango library), nothing is logged and the caller gets reports.pdf.PdfUnavailable.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.accounts.models import Agency
from ecomap.audit import services as audit
from ecomap.consents import services as consents
from ecomap.consents.models import InformationCategory, Method, Purpose, RecipientKind, labels
from ecomap.core.refusal import Problems
from ecomap.reports.pdf import render_pdf

from . import content, family
from .models import Letter, LetterKind, NeedRating, Priority, ServiceReferral
from .services import REFERRAL_RECIPIENT_KINDS, CaseworkError, _raise

TEMPLATE = "casework/letter_pdf.html"
BODY_MAX = 4000


def render(letter: Letter) -> bytes:
    """The letter as PDF, from its frozen content and its disclosure's notice and scope."""
    # The agency as it was when the letter was made (none on letters made before it was frozen).
    return render_pdf(TEMPLATE, {"letter": letter, "c": letter.content,
                                 "agency": letter.content.get("agency"),
                                 "disclosure": letter.disclosure})


def print_again(letter: Letter, *, actor) -> bytes:
    """The letter's PDF, printed again: its disclosure is checked again against the client's
    consents first, as a new copy would be a new disclosure (a revoked or expired consent stops
    it). Refused (CaseworkError, audited) when no consent permits it now; what was sent stays
    readable on the letter's page. May raise reports.pdf.PdfUnavailable. (Nothing is written: the
    page's read entry names the letter; a refusal discloses nothing.)"""
    problems = _print_problems(letter)
    if problems:
        raise CaseworkError([_("The PDF is not printed again: a new copy would be a new "
                               "disclosure, and no consent permits it now. The record of what "
                               "was sent is below."), *problems])
    return render(letter)


def _print_problems(letter: Letter) -> list[str]:
    disclosure = letter.disclosure
    decision = consents.check_disclosure(
        letter.client, recipient_name=disclosure.recipient_name,
        recipient_kind=disclosure.recipient_kind, categories=disclosure.categories,
        purpose=disclosure.purpose)
    if not decision.allowed:
        return decision.reasons
    if letter.kind == LetterKind.FAMILY_LETTER:
        return family.named_consent_problems(
            letter.client, full_name=disclosure.recipient_name, kind=disclosure.recipient_kind,
            categories=disclosure.categories, purpose=disclosure.purpose,
            on=timezone.localdate())
    return []


def _check(client, categories: list[str], body: str) -> tuple[Problems, str]:
    problems = Problems()
    if not categories and not (client and client.is_part2):  # Part 2: substance use is added
        problems.add(_("Say which categories of information the document contains."),
                     field="categories")
    elif any(c not in InformationCategory.values for c in categories):
        problems.add(_("Choose the categories from the list."), field="categories")
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        problems.add(_("The text is longer than %(n)s characters.") % {"n": BODY_MAX},
                     field="body")
    return problems, body


def _make(client, *, actor, kind: str, recipient_name: str, recipient_kind: str, purpose: str,
          method: str, categories: list[str], description: str, content_,
          referral: ServiceReferral | None = None, member=None, involvement=None) -> Letter:
    """Disclose, then write the letter: `content_(categories)` is what it says, given the
    categories actually disclosed (record_disclosure adds substance use for a Part 2 client)."""
    refused = None
    with transaction.atomic():
        try:
            if member is not None:  # family involvement: only under a consent naming them
                disclosure = family.disclose(member, actor=actor, categories=categories,
                                             method=method, description=description,
                                             involvement=involvement)
            else:
                disclosure = consents.record_disclosure(
                    client, actor=actor, recipient_name=recipient_name,
                    recipient_kind=recipient_kind, categories=categories, purpose=purpose,
                    method=method, description=description)
        except consents.DisclosureRefused as error:
            refused = error  # leave the block normally: the refusal's audit entry is kept
        if refused is None:
            categories = disclosure.categories
            letter = Letter.objects.create(client=client, kind=kind, disclosure=disclosure,
                                           referral=referral, member=member,
                                           content=content_(categories), created_by=actor)
            render(letter)  # PdfUnavailable rolls everything back: nothing was sent
            audit.record("ecomap.casework.letter_made", actor=actor, client=client, obj=letter,
                         data={"kind": kind, "disclosure_id": disclosure.pk,
                               "categories": categories})
    if refused is not None:
        raise CaseworkError([_("No document was made: no consent permits sending this to "
                               "%(name)s.") % {"name": recipient_name}, *refused.reasons])
    return letter


def _client_block(client, categories: list[str]) -> dict:
    block = {"name": client.legal_name, "preferred_name": client.preferred_name,
             "date_of_birth": client.date_of_birth.isoformat(),
             "language": client.preferred_language}
    if InformationCategory.CONTACT_DETAILS in categories:
        block.update(phone=client.phone, email=client.email, address=client.address)
    return block


def record_category(client) -> str:
    """The category of information the referral's own content (its reason, the need behind it and
    the documents' status) belongs to: the client's record in their programme, substance use
    for a substance-use or co-occurring programme, mental health otherwise."""
    if client.is_part2:
        return InformationCategory.SUBSTANCE_USE.value
    return InformationCategory.MENTAL_HEALTH.value


def referral_summary(referral: ServiceReferral, *, actor, categories: list[str], body: str,
                     recipient_name: str = "", recipient_kind: str = "") -> Letter:
    """A summary of an open referral (draft, sent, accepted or enrolled) for the receiving
    service: who, the practitioner's text, and only what the categories chosen cover: the reason,
    the need and the documents' status under the client's record category (`record_category`),
    the contact details under that category. For a Part 2 client, substance use is always added
    by record_disclosure (the summary shows they are in treatment)."""
    referral = ServiceReferral.objects.select_related("client").get(pk=referral.pk)  # as it is now
    client = referral.client
    categories = list(dict.fromkeys(categories or []))
    problems, body = _check(client, categories, body)
    if not referral.is_open:
        problems.add(_("A summary is made only for an open referral; this one is %(status)s.")
                     % {"status": referral.get_status_display().lower()})
    recipient_name = " ".join((recipient_name or referral.recipient_name
                               or referral.organization_name or referral.service_name).split())
    recipient_kind = recipient_kind or referral.recipient_kind or RecipientKind.ORGANISATION
    if recipient_kind not in REFERRAL_RECIPIENT_KINDS:
        problems.add(_("The recipient of a referral is a provider or an organisation."),
                     field="recipient_kind")
    _raise(problems)
    agency = Agency.current().as_data()  # who discloses: named on the letter, frozen with it

    def data(categories: list[str]) -> dict:
        with_record = record_category(client) in categories
        domain = content.domain_map().get(referral.need_domain) if with_record else None
        need = None
        if domain:
            rating = (NeedRating.objects.filter(assessment__client=client, domain=domain.key)
                      .exclude(priority=Priority.NONE).select_related("assessment")
                      .order_by("-assessment__assessed_on", "-assessment_id").first())
            need = {"domain": domain.name,
                    "priority": rating.get_priority_display() if rating else "",
                    "assessed_on": rating.assessment.assessed_on.isoformat() if rating else ""}
        return {
            "title": str(_("Referral summary")), "to": recipient_name,
            "service": referral.service_name, "organization": referral.organization_name,
            "client": _client_block(client, categories),
            "reason": referral.reason if with_record else "", "need": need,
            "status": referral.get_status_display(),
            "sent_on": referral.sent_on.isoformat() if referral.sent_on else "",
            "documents": [{"label": d.label, "status": d.get_status_display()}
                          for d in referral.documents.all()] if with_record else [],
            "body": body, "categories": labels(InformationCategory, categories),
            "from": actor.get_full_name() or actor.get_username(),
            "agency": agency, "date": timezone.localdate().isoformat(),
        }

    return _make(client, actor=actor, kind=LetterKind.REFERRAL_SUMMARY,
                 recipient_name=recipient_name, recipient_kind=recipient_kind,
                 purpose=Purpose.REFERRAL, method=Method.PDF, categories=categories,
                 description=_("Referral summary for %(service)s (PDF).") % {
                     "service": referral.service_name},
                 content_=data, referral=referral)


def family_letter(member, *, actor, categories: list[str], body: str) -> Letter:
    """A letter to a family member or supporter, in the practitioner's words, under a consent
    naming them (purpose: family involvement in care)."""
    categories = list(dict.fromkeys(categories or []))
    involvement = family.involvement_of(member)
    problems, body = _check(involvement and involvement.client, categories, body)
    if not body:
        problems.add(_("Write the letter."), field="body")
    if involvement is None:
        problems.add(_("Record %(name)s as involved in the client's care first, with their "
                          "full name as it is written on the consent.") % {"name": member.label})
    _raise(problems)
    client = involvement.client
    agency = Agency.current().as_data()

    def data(categories: list[str]) -> dict:
        return {
            "title": str(_("Letter")), "to": involvement.full_name,
            "relationship": member.get_relationship_display(),
            "client": {"name": client.display_name}, "body": body,
            "categories": labels(InformationCategory, categories),
            "from": actor.get_full_name() or actor.get_username(),
            "agency": agency, "date": timezone.localdate().isoformat(),
        }

    return _make(client, actor=actor, kind=LetterKind.FAMILY_LETTER,
                 recipient_name=involvement.full_name,
                 recipient_kind=family.recipient_kind(member),
                 purpose=Purpose.FAMILY_INVOLVEMENT, method=Method.LETTER,
                 categories=categories, description=_("Letter to a family member or supporter "
                                                      "(PDF)."),
                 content_=data, member=member, involvement=involvement)
