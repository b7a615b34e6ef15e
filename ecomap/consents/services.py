"""Consents and disclosures under 42 CFR Part 2.

`check_disclosure()` is the one question every feature that lets information leave the program
(family involvement, referrals, exports, letters) asks: may this information go to this recipient
for this purpose now? `record_disclosure()` asks it again inside the transaction that logs the
disclosure, so nothing is logged as disclosed that the consents do not permit.

Each state change validates, runs in `transaction.atomic()`, writes its audit entry with the actor
passed in, and raises ConsentError (a `Refusal`: messages for the user, by field when one applies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ecomap.accounts.models import Agency, User
from ecomap.audit import services as audit
from ecomap.audit.models import Outcome
from ecomap.clients.models import Client
from ecomap.core.refusal import Problems, Refusal

from .models import (
    Basis,
    Consent,
    ConsentRecipient,
    ConsentType,
    Disclosure,
    InformationCategory,
    Method,
    Purpose,
    RecipientKind,
    RevocationMethod,
    labels,
    normalise_name,
)
from .notice import NOTICE_VERSION, STATEMENT_1

CONSENT_FIELDS = [
    "consent_type", "disclosing_party", "information_description", "categories", "purposes",
    "purpose_description", "expires_on", "expiry_event", "revocation_statement", "signed_by",
    "representative_name", "representative_relationship", "signature_method", "signed_on",
    "redisclosure_statement", "refusal_consequences_statement",
]
RECIPIENT_FIELDS = ["designation", "kind", "name", "relationship", "address", "participants"]
REVOCATION_FIELDS = ["revoked_on", "revoked_at", "revoked_by_id", "revocation_method",
                     "revocation_note"]
# 42 CFR 2.25(a): an accounting covers the 3 years before the request.
ACCOUNTING_YEARS = 3


class ConsentError(Refusal):
    """A domain rule refused the change."""


class DisclosureRefused(ConsentError):
    """The consents on record do not permit the disclosure; `reasons` says why, one per line."""

    def __init__(self, reasons: list[str]):
        super().__init__(list(reasons))


@dataclass
class Decision:
    """The answer of `check_disclosure`: `consent` is the one that permits it, when allowed."""

    allowed: bool
    consent: Consent | None = None
    reasons: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.allowed


# --- the decision ---------------------------------------------------------------------------


def _day(value: date) -> str:
    return date_format(value, "Y-m-d")


def _consent_label(consent: Consent) -> str:
    signed = _day(consent.signed_on) if consent.signed_on else _("unsigned")
    return _("Consent #%(pk)s (%(type)s, signed %(day)s)") % {
        "pk": consent.pk, "type": consent.get_consent_type_display(), "day": signed}


def _request_problems(recipient_name: str, recipient_kind: str, categories: list[str],
                      purpose: str) -> list[str]:
    problems = []
    if not normalise_name(recipient_name):
        problems.append(_("Name the recipient."))
    if recipient_kind not in RecipientKind.values:
        problems.append(_("Unknown kind of recipient: %(kind)s.") % {"kind": recipient_kind})
    if not categories:
        problems.append(_("Say which categories of information would be disclosed."))
    unknown = [c for c in categories if c not in InformationCategory.values]
    if unknown:
        problems.append(_("Unknown category of information: %(values)s.") % {
            "values": ", ".join(map(str, unknown))})
    if purpose not in Purpose.values:
        problems.append(_("Unknown purpose: %(purpose)s.") % {"purpose": purpose})
    return problems


def _consent_problems(consent: Consent, *, categories: list[str], purpose: str,
                      on: date) -> list[str]:
    """Why `consent` does not permit this disclosure on `on` (empty when it does)."""
    problems = []
    recipients = list(consent.recipients.all())
    missing = consent.missing_elements(recipients)
    if missing:
        # 42 CFR 2.31(c)(2): a consent that on its face fails to meet 2.31(a).
        problems.append(_("the consent is incomplete: missing %(elements)s.") % {
            "elements": ", ".join(missing)})
    for message in consent.rule_errors().values():
        problems.append(_("the consent does not meet 42 CFR 2.31: %(message)s") % {
            "message": message})
    if consent.is_revoked(on):
        problems.append(_("the consent was revoked on %(day)s.") % {"day": _day(consent.revoked_on)})
    expired = consent.expired_on(on)
    if expired:
        if consent.expiry_event_occurred_on == expired:
            problems.append(_("the consent expired on %(day)s, when its expiry event happened "
                              "(%(event)s).") % {"day": _day(expired),
                                                 "event": consent.expiry_event})
        else:
            problems.append(_("the consent expired on %(day)s.") % {"day": _day(expired)})
    if consent.signed_on and consent.signed_on > on:
        problems.append(_("the consent was not signed until %(day)s.") % {
            "day": _day(consent.signed_on)})

    notes = InformationCategory.SUD_COUNSELING_NOTES
    wanted = set(categories)
    if notes in wanted and consent.consent_type != ConsentType.SUD_COUNSELING_NOTES:
        problems.append(_("SUD counseling notes need their own consent (42 CFR 2.31(b)); this "
                          "is not a counseling-notes consent."))
        wanted.discard(notes)
    if consent.consent_type == ConsentType.SUD_COUNSELING_NOTES and wanted - {notes}:
        problems.append(_("a counseling-notes consent covers only SUD counseling notes "
                          "(42 CFR 2.31(b)(2)); disclose the other information under another "
                          "consent."))
        wanted &= {notes}
    if purpose == Purpose.LEGAL_PROCEEDINGS and consent.consent_type != ConsentType.LEGAL_PROCEEDINGS:
        problems.append(_("use in legal proceedings needs its own consent (42 CFR 2.31(d)); this "
                          "is not a legal-proceedings consent."))
    elif purpose not in consent.purposes:
        problems.append(_("the purpose is not covered: %(purpose)s.") % {
            "purpose": labels(Purpose, [purpose])[0]})
    for category in categories:
        if category in wanted and category not in consent.categories:
            problems.append(_("the category is not covered: %(category)s.") % {
                "category": labels(InformationCategory, [category])[0]})
    return problems


def check_disclosure(client: Client, *, recipient_name: str, recipient_kind: str,
                     categories: list[str], purpose: str, on: date | None = None) -> Decision:
    """May these categories of `client`'s information go to this recipient for `purpose` on `on`
    (today by default)?

    Allowed when one consent of the client names the recipient (a named recipient by normalised
    name and kind; a class by kind, never a class of family members), is complete, signed, not
    revoked and not expired on that day, covers the purpose and every category, and respects the
    separate-consent rules for SUD counseling notes (2.31(b)) and legal proceedings (2.31(d)).
    Otherwise `reasons` lists, for each consent naming the recipient, why it does not permit it.
    Runs two queries, whatever the number of consents.
    """
    on = on or timezone.localdate()
    categories = list(dict.fromkeys(categories or []))
    problems = _request_problems(recipient_name, recipient_kind, categories, purpose)
    if problems:
        return Decision(False, None, problems)

    consents = list(
        Consent.objects.filter(client=client).prefetch_related("recipients")
        .order_by("-signed_on", "-pk")
    )
    candidates = [c for c in consents
                  if any(r.matches(recipient_name, recipient_kind) for r in c.recipients.all())]
    if not candidates:
        reasons = [_("No consent names this recipient (%(name)s, %(kind)s).") % {
            "name": " ".join(recipient_name.split()),
            "kind": labels(RecipientKind, [recipient_kind])[0]}]
        if recipient_kind == RecipientKind.FAMILY_MEMBER:
            reasons.append(_("Family members must be named in a consent: Part 2 has no exception "
                             "for disclosures to family involved in care."))
        return Decision(False, None, reasons)

    reasons = []
    for consent in candidates:
        problems = _consent_problems(consent, categories=categories, purpose=purpose, on=on)
        if not problems:
            return Decision(True, consent, [])
        label = _consent_label(consent)
        reasons.extend(f"{label}: {problem}" for problem in problems)
    return Decision(False, None, reasons)


# --- consents -------------------------------------------------------------------------------


def _recipient_rows(recipients: list[dict]) -> tuple[list[ConsentRecipient], list[str]]:
    rows, errors = [], []
    for number, values in enumerate(recipients, start=1):
        unknown = set(values) - set(RECIPIENT_FIELDS)
        if unknown:
            raise ConsentError(_("Unknown recipient fields: %s") % ", ".join(sorted(unknown)))
        row = ConsentRecipient(**values)
        try:
            row.full_clean(exclude=["consent", "normalised_name"])
        except ValidationError as error:
            errors.extend(_("Recipient %(number)s: %(message)s") % {
                "number": number, "message": message} for message in error.messages)
        rows.append(row)
    if not rows:
        errors.append(_("Name at least one recipient, or a class of recipients "
                        "(42 CFR 2.31(a)(4))."))
    return rows, errors


def default_discloser() -> str:
    """Who may disclose, unless the consent says otherwise: the agency (accounts.Agency), or
    nothing when none is configured, so the consent asks for it."""
    return Agency.current().name.strip()


@transaction.atomic
def create_consent(client: Client, *, actor: User, data: dict,
                   recipients: list[dict]) -> Consent:
    """Record a signed consent with its recipients. Refused (ConsentError, nothing saved)
    unless every 2.31(a) element is there and the separate-consent rules hold."""
    unknown = set(data) - set(CONSENT_FIELDS)
    if unknown:
        raise ConsentError(_("These fields cannot be set here: %s") % ", ".join(sorted(unknown)))
    if not str(data.get("disclosing_party") or "").strip():
        data = {**data, "disclosing_party": default_discloser()}
    consent = Consent(client=client, created_by=actor, **data)
    problems = Problems()
    try:
        consent.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                problems.add(message, field=name)
    rows, recipient_errors = _recipient_rows(recipients)
    for message in recipient_errors:
        problems.add(message, field="recipients")
    problems.refuse_if_any(ConsentError)
    consent.save()
    for row in rows:
        row.consent = consent
        row.save()
    audit.record(
        "ecomap.consent.created", actor=actor, client=client, obj=consent,
        changes=audit.diff({}, audit.snapshot(consent, CONSENT_FIELDS)),
        data={"recipients": [audit.snapshot(row, ["designation", "kind", "name"]) for row in rows]},
    )
    return consent


def _locked(consent: Consent) -> Consent:
    return Consent.objects.select_for_update().select_related("client").get(pk=consent.pk)


@transaction.atomic
def revoke_consent(consent: Consent, *, actor: User, on: date, note: str,
                   received_via: str) -> Consent:
    """Record the client's written revocation, received on `on` as `received_via` (a letter, a
    signed form...). From that day the consent permits no further disclosure; it is kept."""
    current = _locked(consent)
    if current.revoked_on:
        raise ConsentError(_("This consent was already revoked on %(day)s.") % {
            "day": _day(current.revoked_on)})
    problems = Problems()
    if received_via not in RevocationMethod.values:
        problems.add(_("A revocation must be in writing: say how it was received."),
                     field="received_via")
    if on > timezone.localdate():
        problems.add(_("The date of the revocation cannot be in the future."), field="on")
    elif current.signed_on and on < current.signed_on:
        problems.add(_("The revocation cannot be dated before the consent was signed."),
                     field="on")
    problems.refuse_if_any(ConsentError)
    before = audit.snapshot(current, REVOCATION_FIELDS)
    current.revoked_on, current.revoked_at, current.revoked_by = on, timezone.now(), actor
    current.revocation_method, current.revocation_note = received_via, (note or "").strip()
    current.save(update_fields=["revoked_on", "revoked_at", "revoked_by", "revocation_method",
                                "revocation_note", "updated_at"])
    audit.record("ecomap.consent.revoked", actor=actor, client=current.client, obj=current,
                 changes=audit.diff(before, audit.snapshot(current, REVOCATION_FIELDS)))
    return current


@transaction.atomic
def record_expiry_event(consent: Consent, *, actor: User, on: date) -> Consent:
    """The consent's expiry event (e.g. 'end of treatment') happened on `on`: it ends that day."""
    current = _locked(consent)
    if not current.expiry_event.strip():
        raise ConsentError(_("This consent has no expiry event."))
    if current.expiry_event_occurred_on:
        raise ConsentError(_("The expiry event was already recorded, on %(day)s.") % {
            "day": _day(current.expiry_event_occurred_on)})
    if on > timezone.localdate():
        raise ConsentError({"on": _("The date cannot be in the future.")})
    if current.signed_on and on < current.signed_on:
        raise ConsentError({"on": _("The date cannot be before the consent was signed.")})
    fields = ["expiry_event_occurred_on"]
    before = audit.snapshot(current, fields)
    current.expiry_event_occurred_on = on
    current.save(update_fields=["expiry_event_occurred_on", "updated_at"])
    audit.record("ecomap.consent.expiry_event_recorded", actor=actor, client=current.client,
                 obj=current, changes=audit.diff(before, audit.snapshot(current, fields)))
    return current


# --- disclosures ----------------------------------------------------------------------------


def _check_disclosure_fields(*, description: str, method: str, disclosed_at: datetime) -> None:
    problems = Problems()
    if not (description or "").strip():
        problems.add(_("Describe briefly what was disclosed."), field="description")
    if method not in Method.values:
        problems.add(_("Choose how the information was disclosed."), field="method")
    if disclosed_at > timezone.now() + timedelta(minutes=5):
        problems.add(_("A disclosure cannot be recorded in advance."), field="disclosed_at")
    problems.refuse_if_any(ConsentError)


def _refusal_data(recipient_name, recipient_kind, categories, purpose, reasons) -> dict:
    return {"recipient_name": " ".join(str(recipient_name).split())[:300],
            "recipient_kind": recipient_kind, "categories": list(categories),
            "purpose": purpose, "reasons": reasons}


def record_disclosure(client: Client, *, actor: User, recipient_name: str, recipient_kind: str,
                      categories: list[str], purpose: str, description: str, method: str,
                      recipient_address: str = "",
                      disclosed_at: datetime | None = None) -> Disclosure:
    """Log a disclosure made with the client's written consent, with the 2.32 notice (Statement 1)
    and the consent's scope attached. For a Part 2 client the substance-use category is added to
    `categories` (first) before the consent is checked.

    Raises DisclosureRefused (nothing saved) when `check_disclosure` does not allow it; the refusal
    is audited with outcome "denied", outside the rolled-back transaction. Do not call this inside
    an outer transaction that the refusal would roll back, or the audit entry goes with it.
    """
    disclosed_at = disclosed_at or timezone.now()
    categories = list(dict.fromkeys(categories or []))
    if client.is_part2 and InformationCategory.SUBSTANCE_USE not in categories:
        # Whatever leaves a Part 2 program about its client shows that they are in substance-use
        # treatment (42 CFR 2.11, 2.12(e)(3)): the substance-use category is always disclosed.
        categories.insert(0, InformationCategory.SUBSTANCE_USE.value)
    try:
        with transaction.atomic():
            _check_disclosure_fields(description=description, method=method,
                                     disclosed_at=disclosed_at)
            # Lock the client's consents: a revocation cannot land between the check and the save.
            list(Consent.objects.select_for_update().filter(client=client).values_list("pk"))
            decision = check_disclosure(client, recipient_name=recipient_name,
                                        recipient_kind=recipient_kind, categories=categories,
                                        purpose=purpose, on=timezone.localdate(disclosed_at))
            if not decision.allowed:
                raise DisclosureRefused(decision.reasons)
            consent = decision.consent
            disclosure = Disclosure(
                client=client, basis=Basis.CONSENT, consent=consent, disclosed_at=disclosed_at,
                disclosed_by=actor, recipient_name=" ".join(recipient_name.split()),
                recipient_kind=recipient_kind, recipient_address=(recipient_address or "").strip(),
                description=description.strip(), categories=categories, purpose=purpose,
                method=method, notice_version=NOTICE_VERSION, notice_text=STATEMENT_1,
                consent_scope=consent.scope_summary(list(consent.recipients.all())),
            )
            disclosure.full_clean()
            disclosure.save()
            audit.record(
                "ecomap.disclosure.made", actor=actor, client=client, obj=disclosure,
                data={"basis": Basis.CONSENT, "consent_id": consent.pk,
                      "recipient_kind": recipient_kind, "categories": categories,
                      "purpose": purpose, "method": method,
                      "notice_version": NOTICE_VERSION},
            )
    except DisclosureRefused as refused:
        audit.record(
            "ecomap.disclosure.refused", actor=actor, client=client, outcome=Outcome.DENIED,
            data=_refusal_data(recipient_name, recipient_kind, categories, purpose,
                               refused.reasons),
        )
        raise
    return disclosure


@transaction.atomic
def record_emergency_disclosure(client: Client, *, actor: User, medical_personnel_name: str,
                                medical_facility: str, emergency_nature: str, description: str,
                                categories: list[str], method: str, recipient_address: str = "",
                                disclosed_at: datetime | None = None) -> Disclosure:
    """Document a disclosure without consent to medical personnel in a bona fide medical
    emergency (42 CFR 2.51): to whom and their facility, who disclosed (`actor`), when, and the
    nature of the emergency. SUD counseling notes are not disclosed this way (2.31(b))."""
    disclosed_at = disclosed_at or timezone.now()
    categories = list(dict.fromkeys(categories or []))
    problems = Problems()
    try:
        _check_disclosure_fields(description=description, method=method,
                                 disclosed_at=disclosed_at)
    except ConsentError as error:
        for name, messages in error.by_field().items():
            for message in messages:
                problems.add(message, field=name)
    if not (medical_personnel_name or "").strip():
        problems.add(_("Name the medical personnel who received it."),
                     field="medical_personnel_name")
    if not (medical_facility or "").strip():
        problems.add(_("Give their health care facility (their affiliation)."),
                     field="medical_facility")
    if not (emergency_nature or "").strip():
        problems.add(_("Describe the nature of the emergency."), field="emergency_nature")
    if not categories:
        problems.add(_("Say which categories of information were disclosed."), field="categories")
    elif InformationCategory.SUD_COUNSELING_NOTES in categories:
        problems.add(_("SUD counseling notes are not disclosed in a medical emergency without "
                       "consent (42 CFR 2.31(b))."), field="categories")
    problems.refuse_if_any(ConsentError)
    disclosure = Disclosure(
        client=client, basis=Basis.MEDICAL_EMERGENCY, consent=None, disclosed_at=disclosed_at,
        disclosed_by=actor, recipient_name=" ".join(medical_personnel_name.split()),
        recipient_kind=RecipientKind.PROVIDER, recipient_address=(recipient_address or "").strip(),
        description=description.strip(), categories=categories, purpose=Purpose.TREATMENT,
        method=method, medical_personnel_name=" ".join(medical_personnel_name.split()),
        medical_facility=medical_facility.strip(), emergency_nature=emergency_nature.strip(),
    )
    disclosure.full_clean()
    disclosure.save()
    audit.record("ecomap.disclosure.made", actor=actor, client=client, obj=disclosure,
                 data={"basis": Basis.MEDICAL_EMERGENCY, "categories": categories,
                       "method": method})
    return disclosure


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def accounting_start(today: date | None = None) -> date:
    return years_before(today or timezone.localdate(), ACCOUNTING_YEARS)


def accounting(client: Client, *, since: date | None = None,
               until: date | None = None) -> QuerySet[Disclosure]:
    """The client's disclosures from `since` (default: 3 years ago, 42 CFR 2.25) to `until`
    (default: today), newest first, with what 45 CFR 164.528(b)(2) asks of each entry."""
    since = since or accounting_start()
    start = timezone.make_aware(datetime.combine(since, time.min))
    disclosures = Disclosure.objects.filter(client=client, disclosed_at__gte=start)
    if until:
        end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
        disclosures = disclosures.filter(disclosed_at__lt=end)
    return disclosures.select_related("consent", "disclosed_by").order_by("-disclosed_at", "-pk")
