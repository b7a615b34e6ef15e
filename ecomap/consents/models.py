"""Written consents under 42 CFR 2.31 and the log of disclosures made under them (or under 2.51).

A consent holds every element of 2.31(a); `Consent.clean()` lists the ones missing and enforces the
separate-consent rules of 2.31(b) (SUD counseling notes) and 2.31(d) (legal proceedings). Consents are
never deleted: revocation is a state change. Disclosures are an append-only log, enough for an
accounting under 2.25 and for the 2.51 emergency record.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from ecomap.core.append_only import AppendOnlyModel, AppendOnlyQuerySet


class InformationCategory(models.TextChoices):
    SUBSTANCE_USE = "substance_use", _("Substance use: diagnosis, treatment and progress")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SOCIAL_NETWORK = "social_network", _("Social network (eco-map and network members)")
    CONTACT_DETAILS = "contact_details", _("Contact details")
    ATTENDANCE = "attendance", _("Attendance and participation")
    MEASURES = "measures", _("Questionnaire results")
    SUD_COUNSELING_NOTES = "sud_counseling_notes", _("SUD counseling notes")


class Purpose(models.TextChoices):
    TREATMENT = "treatment", _("Treatment")
    PAYMENT = "payment", _("Payment")
    HEALTH_CARE_OPERATIONS = "health_care_operations", _("Health care operations")
    AT_CLIENT_REQUEST = "at_client_request", _("At the request of the client")
    FAMILY_INVOLVEMENT = "family_involvement", _("Family involvement in care")
    REFERRAL = "referral", _("Referral")
    LEGAL_PROCEEDINGS = "legal_proceedings", _(
        "Use in civil, criminal, administrative or legislative proceedings")
    RESEARCH = "research", _("Research")


TPO_PURPOSES = frozenset({Purpose.TREATMENT, Purpose.PAYMENT, Purpose.HEALTH_CARE_OPERATIONS})


class ConsentType(models.TextChoices):
    GENERAL = "general", _("General consent")
    TPO = "tpo", _("Single consent for all future treatment, payment and health care operations")
    SUD_COUNSELING_NOTES = "sud_counseling_notes", _("SUD counseling notes (42 CFR 2.31(b))")
    LEGAL_PROCEEDINGS = "legal_proceedings", _("Use in legal proceedings (42 CFR 2.31(d))")


class RecipientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY_MEMBER = "family_member", _("Family member")
    PROVIDER = "provider", _("Health or care provider")
    HEALTH_PLAN = "health_plan", _("Health plan or payer")
    ORGANISATION = "organisation", _("Organisation")
    INTERMEDIARY = "intermediary", _("Intermediary (e.g. a health information exchange)")
    COURT = "court", _("Court")


class Designation(models.TextChoices):
    NAMED = "named", _("Named person or organisation")
    CLASS = "class", _("Class of recipients")


class SignedBy(models.TextChoices):
    CLIENT = "client", _("The client")
    REPRESENTATIVE = "representative", _("An authorised representative")


class SignatureMethod(models.TextChoices):
    PAPER = "paper", _("On paper (original kept on file)")
    ELECTRONIC = "electronic", _("Electronic signature")


class RevocationMethod(models.TextChoices):
    LETTER = "letter", _("Letter or signed note")
    FORM = "form", _("Signed revocation form")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Message through the client portal")
    OTHER_WRITTEN = "other_written", _("Other written means")


class Basis(models.TextChoices):
    CONSENT = "consent", _("Written consent (42 CFR 2.31)")
    MEDICAL_EMERGENCY = "medical_emergency", _("Medical emergency (42 CFR 2.51)")


class Method(models.TextChoices):
    LETTER = "letter", _("Letter")
    PDF = "pdf", _("PDF document")
    EXPORT = "export", _("Data export")
    PHONE = "phone", _("Telephone")
    EMAIL = "email", _("Email")
    FAX = "fax", _("Fax")
    IN_PERSON = "in_person", _("In person")
    REFERRAL = "referral", _("Referral")


# Expiry wording that 2.31(a)(7) accepts only for a consent for treatment, payment and operations.
OPEN_ENDED_EXPIRY = {"none", "never", "no expiry", "no expiration", "n/a", "-"}


def normalise_name(name: str) -> str:
    """The form in which recipient names are compared: Unicode-normalised, case-folded, with runs
    of whitespace collapsed to one space. "  DR.  jamie\tRivera " == "Dr. Jamie Rivera"."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


@deconstructible
class ChoicesListValidator:
    """A JSON list whose items are all values of `choices` (a dotted path to a TextChoices)."""

    def __init__(self, choices: str):
        self.choices = choices

    def _values(self) -> list[str]:
        from django.utils.module_loading import import_string

        return import_string(self.choices).values

    def __call__(self, value):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_("Choose from the list."), code="not_a_list")
        unknown = sorted(set(value) - set(self._values()))
        if unknown:
            raise ValidationError(_("Unknown choice: %(values)s."), code="unknown_choice",
                                  params={"values": ", ".join(unknown)})
        if len(set(value)) != len(value):
            raise ValidationError(_("A choice is listed twice."), code="duplicate")

    def __eq__(self, other):
        return isinstance(other, ChoicesListValidator) and other.choices == self.choices


def labels(choices, values) -> list[str]:
    names = dict(choices.choices)
    return [str(names.get(v, v)) for v in values]


class ConsentQuerySet(AppendOnlyQuerySet):
    def in_force(self, on: date | None = None) -> ConsentQuerySet:
        """Not revoked and not expired on `on` (completeness is checked by `missing_elements`)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=on),
            Q(expires_on__isnull=True) | Q(expires_on__gt=on),
            Q(expiry_event_occurred_on__isnull=True) | Q(expiry_event_occurred_on__gt=on),
            signed_on__lte=on,
        )


class Consent(AppendOnlyModel):
    """A client's written consent to disclose, holding each element of 42 CFR 2.31(a).

    Kept as signed: only its end is written later, the revocation or the expiry event."""

    amendable_fields = ("revoked_on", "revoked_at", "revoked_by", "revocation_method",
                        "revocation_note", "expiry_event_occurred_on", "updated_at")

    # (a)(1) the name of the patient
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="consents",
                               verbose_name=_("client"))
    consent_type = models.CharField(_("type of consent"), max_length=24,
                                    choices=ConsentType.choices, default=ConsentType.GENERAL)
    # (a)(2) who may make the disclosure
    disclosing_party = models.CharField(
        _("who may disclose"), max_length=300, blank=True,
        help_text=_("The name of the program, person or class of persons allowed to disclose."),
    )
    # (a)(3) the information, in a specific and meaningful fashion
    information_description = models.TextField(
        _("description of the information"), blank=True,
        help_text=_("What may be disclosed, specifically, e.g. 'dates of attendance and whether "
                    "the client is taking part in treatment'."),
    )
    categories = models.JSONField(
        _("categories of information"), default=list, blank=True,
        validators=[ChoicesListValidator("ecomap.consents.models.InformationCategory")],
        help_text=_("Used to check each disclosure against this consent."),
    )
    # (a)(5) each purpose
    purposes = models.JSONField(
        _("purposes"), default=list, blank=True,
        validators=[ChoicesListValidator("ecomap.consents.models.Purpose")],
    )
    purpose_description = models.TextField(
        _("description of the purposes"), blank=True,
        help_text=_("Optional: the purposes in the client's words, if more than the list above."),
    )
    # (a)(7) an expiry date or event
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True,
        help_text=_("From this date on, the consent no longer permits disclosures."),
    )
    expiry_event = models.CharField(
        _("expiry event"), max_length=300, blank=True,
        help_text=_("An event related to the client or the purpose, e.g. 'end of treatment'."),
    )
    expiry_event_occurred_on = models.DateField(
        _("expiry event happened on"), null=True, blank=True,
        help_text=_("Recorded when the expiry event happens; the consent ends that day."),
    )
    # (a)(6) the right to revoke in writing, and how
    revocation_statement = models.TextField(_("right to revoke"), blank=True)
    # (a)(8) signature
    signed_by = models.CharField(_("signed by"), max_length=16, choices=SignedBy.choices,
                                 blank=True)
    representative_name = models.CharField(_("representative's name"), max_length=200,
                                           blank=True)
    representative_relationship = models.CharField(
        _("representative's relationship or authority"), max_length=200, blank=True,
        help_text=_("e.g. 'parent of a minor (42 CFR 2.14)' or 'court-appointed guardian (2.15)'."),
    )
    signature_method = models.CharField(_("signature"), max_length=12,
                                        choices=SignatureMethod.choices, blank=True)
    # (a)(9) the date signed
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    # (a)(10) for a consent for treatment, payment and health care operations
    redisclosure_statement = models.TextField(
        _("statement on redisclosure"), blank=True,
        help_text=_("Required for a treatment, payment and operations consent (2.31(a)(10)(i))."),
    )
    refusal_consequences_statement = models.TextField(
        _("consequences of refusing to sign"), blank=True,
        help_text=_("Required for a treatment, payment and operations consent "
                    "(2.31(a)(10)(ii)). Adapt it to your program."),
    )
    # Revocation: a state change, never a deletion.
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True,
                                  help_text=_("The day the written revocation was received."))
    revoked_at = models.DateTimeField(_("revocation recorded at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("revocation recorded by"),
    )
    revocation_method = models.CharField(_("revocation received as"), max_length=16,
                                         choices=RevocationMethod.choices, blank=True)
    revocation_note = models.TextField(_("revocation note"), blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("consent")
        indexes = [
            models.Index(fields=["client", "revoked_on"], name="consent_client_revoked"),
            models.Index(fields=["expires_on"], name="consent_expires"),
        ]

    def __str__(self):
        signed = self.signed_on.isoformat() if self.signed_on else "unsigned"
        return f"Consent #{self.pk} ({self.consent_type}, {signed})"

    # --- completeness and rules -------------------------------------------------------------

    def element_errors(self) -> dict[str, str]:
        """The 2.31(a) elements missing from this consent, as {field: message}. Recipients are
        child rows and are checked by `missing_elements`."""
        errors = {}
        if not self.disclosing_party.strip():
            errors["disclosing_party"] = _g(
                "Name who may make the disclosure (42 CFR 2.31(a)(2)).")
        if not self.information_description.strip():
            errors["information_description"] = _g(
                "Describe the information to be disclosed, specifically (42 CFR 2.31(a)(3)).")
        if not self.categories:
            errors["categories"] = _g("Choose at least one category of information.")
        if not self.purposes:
            errors["purposes"] = _g("Give the purpose of the disclosure (42 CFR 2.31(a)(5)).")
        if not self.revocation_statement.strip():
            errors["revocation_statement"] = _g(
                "State the right to revoke in writing and how to do it (42 CFR 2.31(a)(6)).")
        if not self.expires_on and not self.expiry_event.strip():
            errors["expires_on"] = _g(
                "Give an expiry date or an expiry event (42 CFR 2.31(a)(7)).")
        if not self.signed_by:
            errors["signed_by"] = _g("Record who signed the consent (42 CFR 2.31(a)(8)).")
        elif self.signed_by == SignedBy.REPRESENTATIVE:
            if not self.representative_name.strip():
                errors["representative_name"] = _g("Give the representative's name.")
            if not self.representative_relationship.strip():
                errors["representative_relationship"] = _g(
                    "Give the representative's relationship to the client or their authority.")
        if not self.signature_method:
            errors["signature_method"] = _g("Record how the consent was signed (42 CFR 2.31(a)(8)).")
        if not self.signed_on:
            errors["signed_on"] = _g("Give the date the consent was signed (42 CFR 2.31(a)(9)).")
        if self.consent_type == ConsentType.TPO:
            if not self.redisclosure_statement.strip():
                errors["redisclosure_statement"] = _g(
                    "A treatment, payment and operations consent must state that the records may "
                    "be redisclosed by the recipient (42 CFR 2.31(a)(10)(i)).")
            if not self.refusal_consequences_statement.strip():
                errors["refusal_consequences_statement"] = _g(
                    "A treatment, payment and operations consent must state the consequences of "
                    "refusing to sign (42 CFR 2.31(a)(10)(ii)).")
        return errors

    def rule_errors(self) -> dict[str, str]:
        """The separate-consent rules of 2.31(b) and (d), and type-specific rules."""
        errors = {}
        categories, purposes = set(self.categories or []), set(self.purposes or [])
        notes = InformationCategory.SUD_COUNSELING_NOTES
        legal = Purpose.LEGAL_PROCEEDINGS
        if self.consent_type == ConsentType.SUD_COUNSELING_NOTES:
            if categories - {notes}:
                errors["categories"] = _g(
                    "A consent for SUD counseling notes covers only counseling notes; it may be "
                    "combined only with another counseling-notes consent (42 CFR 2.31(b)(2)). "
                    "Record the other information on a separate consent.")
            if legal in purposes:
                errors["purposes"] = _g(
                    "Use in legal proceedings needs its own consent (42 CFR 2.31(d)).")
        elif notes in categories:
            errors["categories"] = _g(
                "SUD counseling notes need their own consent (42 CFR 2.31(b)): choose the "
                "counseling-notes type, and record the other information on a separate consent.")
        if self.consent_type == ConsentType.LEGAL_PROCEEDINGS:
            if purposes - {legal}:
                errors["purposes"] = _g(
                    "A consent for use in legal proceedings cannot be combined with any other "
                    "purpose (42 CFR 2.31(d)).")
        elif legal in purposes and "purposes" not in errors:
            errors["purposes"] = _g(
                "Use in civil, criminal, administrative or legislative proceedings needs its own "
                "consent (42 CFR 2.31(d)): choose the legal-proceedings type.")
        if self.consent_type == ConsentType.TPO and purposes - TPO_PURPOSES:
            errors.setdefault("purposes", _g(
                "A treatment, payment and operations consent covers only treatment, payment and "
                "health care operations; record other purposes on a separate consent."))
        if (self.consent_type != ConsentType.TPO and not self.expires_on
                and normalise_name(self.expiry_event) in OPEN_ENDED_EXPIRY):
            errors["expiry_event"] = _g(
                "'None' is an expiry only for a treatment, payment and operations consent "
                "(42 CFR 2.31(a)(7)); give a date or an event.")
        return errors

    def clean(self):
        errors = {**self.element_errors(), **self.rule_errors()}
        today = timezone.localdate()
        if self.signed_on and self.signed_on > today:
            errors.setdefault("signed_on", _g("The date signed cannot be in the future."))
        if self.signed_on and self.expires_on and self.expires_on <= self.signed_on:
            errors.setdefault("expires_on", _g("The expiry date must be after the date signed."))
        if self.expiry_event_occurred_on and not self.expiry_event.strip():
            errors.setdefault("expiry_event_occurred_on", _g(
                "Only a consent with an expiry event can record that the event happened."))
        if self.signed_by == SignedBy.CLIENT and (self.representative_name.strip()
                                                  or self.representative_relationship.strip()):
            errors.setdefault("representative_name", _g(
                "Leave the representative empty when the client signed, or choose "
                "'An authorised representative'."))
        if errors:
            raise ValidationError(errors)

    def missing_elements(self, recipients: list[ConsentRecipient] | None = None) -> list[str]:
        """Short names of the 2.31(a) elements missing, for 'consent incomplete: missing ...'.

        `recipients` defaults to the saved ones (use prefetch_related("recipients"))."""
        names = {
            "disclosing_party": _g("who may disclose"),
            "information_description": _g("description of the information"),
            "categories": _g("categories of information"),
            "purposes": _g("purpose"),
            "revocation_statement": _g("statement of the right to revoke"),
            "expires_on": _g("expiry date or event"),
            "signed_by": _g("signature"),
            "representative_name": _g("representative's name"),
            "representative_relationship": _g("representative's relationship"),
            "signature_method": _g("signature"),
            "signed_on": _g("date signed"),
            "redisclosure_statement": _g("statement on redisclosure"),
            "refusal_consequences_statement": _g("statement of the consequences of refusing"),
        }
        missing = []
        if not self.client_id:
            missing.append(_g("name of the client"))
        for field in self.element_errors():
            if names[field] not in missing:
                missing.append(names[field])
        if recipients is None:
            recipients = list(self.recipients.all()) if self.pk else []
        if not recipients:
            missing.append(_g("recipients"))
        return missing

    # --- state ------------------------------------------------------------------------------

    def expired_on(self, on: date | None = None) -> date | None:
        """The day the consent expired, if it had by `on`."""
        on = on or timezone.localdate()
        ends = [d for d in (self.expires_on, self.expiry_event_occurred_on) if d and d <= on]
        return min(ends) if ends else None

    def is_revoked(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.revoked_on is not None and self.revoked_on <= on

    def status(self, on: date | None = None) -> str:
        """'revoked', 'expired', 'not_yet_signed' or 'active' on `on` (for labels and lists)."""
        on = on or timezone.localdate()
        if self.is_revoked(on):
            return "revoked"
        if self.expired_on(on):
            return "expired"
        if not self.signed_on or self.signed_on > on:
            return "not_yet_signed"
        return "active"

    @property
    def current_status(self) -> str:
        return self.status()

    @property
    def status_label(self) -> str:
        return str({
            "revoked": _("Revoked"), "expired": _("Expired"),
            "not_yet_signed": _("Not yet in force"), "active": _("Active"),
        }[self.current_status])

    @property
    def category_labels(self) -> list[str]:
        return labels(InformationCategory, self.categories)

    @property
    def purpose_labels(self) -> list[str]:
        return labels(Purpose, self.purposes)

    def expiry_text(self) -> str:
        parts = []
        if self.expires_on:
            parts.append(date_format(self.expires_on, "Y-m-d"))
        if self.expiry_event:
            event = self.expiry_event
            if self.expiry_event_occurred_on:
                event = _g("%(event)s (happened on %(day)s)") % {
                    "event": event, "day": date_format(self.expiry_event_occurred_on, "Y-m-d")}
            parts.append(event)
        return _g(" or ").join(parts) if parts else _g("not given")

    def scope_summary(self, recipients: list[ConsentRecipient] | None = None) -> str:
        """A clear explanation of the consent's scope (42 CFR 2.32(b)), sent with a disclosure."""
        if recipients is None:
            recipients = list(self.recipients.all())
        signer = _g("the client") if self.signed_by == SignedBy.CLIENT else _g(
            "%(name)s (%(relationship)s)") % {"name": self.representative_name,
                                             "relationship": self.representative_relationship}
        lines = [
            _g("Consent of %(client)s, signed on %(day)s by %(signer)s (%(type)s).") % {
                "client": self.client.legal_name,
                "day": date_format(self.signed_on, "Y-m-d") if self.signed_on else "?",
                "signer": signer, "type": self.get_consent_type_display()},
            _g("Who may disclose: %(who)s.") % {"who": self.disclosing_party},
            _g("Information: %(what)s (%(categories)s).") % {
                "what": self.information_description.strip(),
                "categories": ", ".join(self.category_labels)},
            _g("To: %(recipients)s.") % {
                "recipients": "; ".join(r.describe() for r in recipients)},
            _g("For: %(purposes)s.") % {"purposes": ", ".join(self.purpose_labels)},
        ]
        if self.purpose_description.strip():
            lines.append(_g("Purpose as stated: %(text)s") % {"text": self.purpose_description.strip()})
        lines.append(_g("Expires: %(expiry)s.") % {"expiry": self.expiry_text()})
        lines.append(_g("The client may revoke this consent in writing."))
        return "\n".join(lines)


class ConsentRecipient(AppendOnlyModel):
    """A recipient named in a consent (2.31(a)(4)): a named person or organisation, or a class.
    Part of the consent as signed, so never changed either."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="recipients",
                                verbose_name=_("consent"))
    designation = models.CharField(_("named or class"), max_length=8, choices=Designation.choices,
                                   default=Designation.NAMED)
    kind = models.CharField(_("kind of recipient"), max_length=16, choices=RecipientKind.choices)
    name = models.CharField(
        _("name or class"), max_length=300,
        help_text=_("A name ('Dr. Jamie Rivera', 'Eastside Housing') or a class of recipients "
                    "('my treating providers')."),
    )
    relationship = models.CharField(_("relationship to the client"), max_length=120, blank=True)
    address = models.TextField(_("address"), blank=True)
    participants = models.TextField(
        _("participants of the intermediary"), blank=True,
        help_text=_("For an intermediary: the names of its participants who may receive the "
                    "records, or a designation limited to those with a treating provider "
                    "relationship with the client (42 CFR 2.31(a)(4)(ii))."),
    )
    normalised_name = models.CharField(max_length=300, editable=False, db_index=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recipient")

    def __str__(self):
        return self.describe()

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        super().save(*args, **kwargs)

    def describe(self) -> str:
        kind = self.get_kind_display()
        if self.designation == Designation.CLASS:
            return _g("%(name)s (class: %(kind)s)") % {"name": self.name, "kind": kind}
        if self.relationship:
            return f"{self.name} ({self.relationship}, {kind})"
        return f"{self.name} ({kind})"

    def clean(self):
        errors = {}
        self.name = " ".join((self.name or "").split())
        if not self.name:
            errors["name"] = _g("Give the recipient's name, or describe the class of recipients.")
        if self.designation == Designation.CLASS and self.kind == RecipientKind.FAMILY_MEMBER:
            errors["kind"] = _g(
                "Family members must be named one by one: Part 2 has no exception for family "
                "involvement, so a consent cannot cover 'my family' as a class.")
        if self.kind == RecipientKind.INTERMEDIARY and not self.participants.strip():
            errors["participants"] = _g(
                "Name the intermediary's participants, or give a designation limited to those with "
                "a treating provider relationship with the client (42 CFR 2.31(a)(4)(ii)).")
        if errors:
            raise ValidationError(errors)

    def matches(self, name: str, kind: str) -> bool:
        """Named recipients match by normalised name and kind; classes by kind alone (a class is
        never of family members)."""
        if self.designation == Designation.CLASS:
            return kind == self.kind and kind != RecipientKind.FAMILY_MEMBER
        return kind == self.kind and normalise_name(name) == normalise_name(self.name)


class Disclosure(AppendOnlyModel):
    """One disclosure of a client's records: enough for an accounting (2.25, with the contents of
    45 CFR 164.528(b)(2)) and, without consent, the record 2.51(c) asks for after an emergency."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="disclosures", verbose_name=_("client"))
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices,
                             default=Basis.CONSENT)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="disclosures", verbose_name=_("consent"))
    disclosed_at = models.DateTimeField(_("disclosed at"), default=timezone.now)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("disclosed by"))
    recipient_name = models.CharField(_("recipient"), max_length=300)
    recipient_kind = models.CharField(_("kind of recipient"), max_length=16,
                                      choices=RecipientKind.choices)
    recipient_address = models.TextField(_("recipient's address"), blank=True)
    description = models.TextField(_("what was disclosed"))
    categories = models.JSONField(
        _("categories of information"), default=list,
        validators=[ChoicesListValidator("ecomap.consents.models.InformationCategory")],
    )
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    # 42 CFR 2.32: the notice that went with it and the scope of the consent, as sent.
    notice_version = models.CharField(_("notice version"), max_length=10, blank=True)
    notice_text = models.TextField(_("notice"), blank=True)
    consent_scope = models.TextField(_("scope of the consent"), blank=True)
    # 42 CFR 2.51(c): medical emergencies.
    medical_personnel_name = models.CharField(_("medical personnel"), max_length=200, blank=True)
    medical_facility = models.CharField(_("their health care facility"), max_length=300,
                                        blank=True)
    emergency_nature = models.TextField(_("nature of the emergency"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-disclosed_at", "-pk"]
        verbose_name = _("disclosure")
        indexes = [models.Index(fields=["client", "disclosed_at"], name="disclosure_client_time")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(basis="consent") & Q(consent__isnull=False))
                | (Q(basis="medical_emergency") & Q(consent__isnull=True)
                   & ~Q(medical_personnel_name="") & ~Q(emergency_nature="")),
                name="disclosure_has_consent_or_emergency",
            ),
        ]

    def __str__(self):
        return f"Disclosure #{self.pk} of client {self.client_id}"

    @property
    def category_labels(self) -> list[str]:
        return labels(InformationCategory, self.categories)

    @property
    def is_emergency(self) -> bool:
        return self.basis == Basis.MEDICAL_EMERGENCY
