"""Case management: needs assessments, referrals to directory services with their documents, tasks,
the contact log with a keep-in-touch cadence, and the involvement of family members and other
supporters (network members) under the client's consent.

Every record belongs to a client and is reached through that client. Needs assessments are dated
snapshots that never change (re-assess to record change); contacts, family sessions, check-ins and
letters are a log. A referral changes only through the transition functions in services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecomap.consents.models import normalise_name
from ecomap.core.append_only import AppendOnlyModel


def _user(related_name="+", **kwargs):
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name=related_name, **kwargs)


def _client(related_name):
    return models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                             related_name=related_name, verbose_name=_("client"))


# --- needs ----------------------------------------------------------------------------------


class Priority(models.TextChoices):
    NONE = "none", _("No need")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


PRIORITY_RANK = {Priority.NONE: 0, Priority.LOW: 1, Priority.MEDIUM: 2, Priority.HIGH: 3}


class NeedsAssessment(AppendOnlyModel):
    """A dated needs assessment across the domains of content/needs.yaml. Never changed once
    written: a re-assessment is a new one, so the history is exact."""

    client = _client("needs_assessments")
    assessed_on = models.DateField(_("date of the assessment"))
    assessed_by = _user()
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("needs assessment")
        indexes = [models.Index(fields=["client", "assessed_on"], name="needs_client_date")]

    def __str__(self):
        return f"Needs assessment {self.assessed_on:%Y-%m-%d}"


class NeedRating(AppendOnlyModel):
    """One domain's priority in a needs assessment: part of the snapshot, never changed."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.PROTECT,
                                   related_name="ratings")
    domain = models.CharField(_("domain"), max_length=40)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"],
                                               name="needrating_one_per_domain")]

    def __str__(self):
        return f"{self.domain}: {self.priority}"

    @property
    def rank(self) -> int:
        return PRIORITY_RANK[self.priority]


# --- referrals ------------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Revoked")


OPEN_STATUSES = (ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED,
                 ReferralStatus.ENROLLED)


class ServiceReferral(models.Model):
    """A referral of the client to a service of the directory, with a closed loop: draft, sent,
    accepted or declined, enrolled, completed, or revoked by the referrer (after Primero's referrals
    and FHIR's SDOH ServiceRequest + Task). The service's name is kept as it was, so the referral
    stays readable if the directory changes."""

    client = _client("casework_referrals")
    service = models.ForeignKey("directory.Service", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("service"))
    service_name = models.CharField(_("service"), max_length=255)
    organization_name = models.CharField(_("organisation"), max_length=255, blank=True)
    service_type = models.CharField(_("service type"), max_length=60, blank=True)
    need_domain = models.CharField(_("need"), max_length=40, blank=True)
    reason = models.TextField(_("reason for the referral"))
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.DRAFT)
    # Set when sent: who receives it, and what of the record went with it (42 CFR Part 2).
    recipient_name = models.CharField(_("recipient"), max_length=300, blank=True)
    recipient_kind = models.CharField(_("kind of recipient"), max_length=16, blank=True)
    shared_categories = models.JSONField(_("information shared"), default=list, blank=True)
    disclosure = models.ForeignKey("consents.Disclosure", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    respond_by = models.DateField(_("answer expected by"), null=True, blank=True)
    enrol_by = models.DateField(_("enrolment expected by"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    declined_on = models.DateField(_("declined on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    created_on = models.DateField(_("created on"))
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_on", "-pk"]
        verbose_name = _("referral")
        indexes = [
            models.Index(fields=["client", "status"], name="cwreferral_client_status"),
            models.Index(fields=["status", "respond_by"], name="cwreferral_respond_by"),
            models.Index(fields=["status", "enrol_by"], name="cwreferral_enrol_by"),
        ]

    def __str__(self):
        return f"Referral #{self.pk} to {self.service_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def last_date(self):
        """The date of the latest step so far (a new step cannot be dated before it)."""
        dates = [self.created_on, self.sent_on, self.accepted_on, self.declined_on,
                 self.enrolled_on, self.completed_on, self.revoked_on]
        return max(d for d in dates if d)

    def overdue_reason(self, today) -> str:
        """Why the referral needs chasing on `today`, or "" (see services.overdue_referrals)."""
        from django.utils.translation import gettext as _g

        if self.status == ReferralStatus.SENT and self.respond_by and self.respond_by < today:
            return _g("sent on %(sent)s, no answer by %(due)s") % {
                "sent": f"{self.sent_on:%Y-%m-%d}", "due": f"{self.respond_by:%Y-%m-%d}"}
        if self.status == ReferralStatus.ACCEPTED and self.enrol_by and self.enrol_by < today:
            return _g("accepted on %(accepted)s, not enrolled by %(due)s") % {
                "accepted": f"{self.accepted_on:%Y-%m-%d}", "due": f"{self.enrol_by:%Y-%m-%d}"}
        return ""


class ReferralEvent(AppendOnlyModel):
    """One step of a referral's history (a FHIR Task's history): from, to, when, who, why. A log:
    written once per step, never changed."""

    referral = models.ForeignKey(ServiceReferral, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ReferralStatus.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    actor = _user()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.from_status or '-'} -> {self.to_status}"


class DocumentStatus(models.TextChoices):
    NEEDED = "needed", _("Needed")
    REQUESTED = "requested", _("Requested")
    RECEIVED = "received", _("Received")
    SUBMITTED = "submitted", _("Submitted")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


DOCUMENT_DONE = (DocumentStatus.SUBMITTED, DocumentStatus.NOT_APPLICABLE)


class ReferralDocument(models.Model):
    """One document of a referral's application checklist."""

    referral = models.ForeignKey(ServiceReferral, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=40, blank=True,
                            help_text=_("A key of content/documents.yaml; empty for a free item."))
    label = models.CharField(_("document"), max_length=200)
    from_directory = models.BooleanField(_("listed by the service"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices,
                              default=DocumentStatus.NEEDED)
    status_on = models.DateField(_("status since"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("document")

    def __str__(self):
        return self.label


# --- tasks ----------------------------------------------------------------------------------


class Task(models.Model):
    client = _client("casework_tasks")
    referral = models.ForeignKey(ServiceReferral, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="tasks", verbose_name=_("referral"))
    title = models.CharField(_("task"), max_length=200)
    owner = _user("casework_tasks", verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = _user(null=True, blank=True)
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        verbose_name = _("task")
        indexes = [models.Index(fields=["owner", "done_on", "due_on"], name="cwtask_owner_due"),
                   models.Index(fields=["client", "done_on"], name="cwtask_client_open")]

    def __str__(self):
        return self.title


# --- contacts and cadence -------------------------------------------------------------------


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE_VISIT = "office_visit", _("Office visit")
    OUTREACH = "outreach", _("Meeting elsewhere (outreach)")
    MESSAGE = "message", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class ContactEntry(models.Model):
    """A contact with the client, or with a network member about the client (then under a consent
    naming them: the disclosure is logged with it)."""

    client = _client("casework_contacts")
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind of contact"), max_length=16, choices=ContactKind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=0)
    member = models.ForeignKey("network.NetworkMember", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("with"))
    note = models.TextField(_("note"), blank=True)
    disclosure = models.ForeignKey("consents.Disclosure", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["client", "occurred_on"], name="cwcontact_client_date")]

    def __str__(self):
        return f"{self.kind} on {self.occurred_on:%Y-%m-%d}"


class Cadence(models.Model):
    """Keep in touch with the client at least every `every_days` days. `last_contact_on` and
    `next_due_on` are kept up to date by services.log_contact, so that Today needs no aggregate."""

    client = models.OneToOneField("clients.Client", on_delete=models.PROTECT,
                                  related_name="casework_cadence")
    every_days = models.PositiveSmallIntegerField(_("keep in touch every (days)"))
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    next_due_on = models.DateField(_("next contact due"), db_index=True)
    set_on = models.DateField(_("reminder set on"))
    set_by = _user()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("keep-in-touch cadence")

    def __str__(self):
        return f"every {self.every_days} days"


# --- family involvement ---------------------------------------------------------------------


class Involvement(models.Model):
    """A network member involved in the client's care: the full name they are named by in the
    client's consents (a network label is often a first name only), and whether they care for
    the client. Being recorded here permits nothing: each contact, session and letter asks the
    consents again."""

    client = _client("casework_involvements")
    member = models.OneToOneField("network.NetworkMember", on_delete=models.PROTECT,
                                  related_name="casework_involvement")
    full_name = models.CharField(_("full name, as on the consent"), max_length=300)
    # The full name as the consents compare names (consents.models.normalise_name): one person is
    # involved once per client, so no one is covered by another's consent.
    normalised_name = models.CharField(max_length=300, editable=False)
    caregiver = models.BooleanField(_("cares for the client"), default=False)
    note = models.TextField(_("note"), blank=True)
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("family involvement")
        constraints = [models.UniqueConstraint(fields=["client", "normalised_name"],
                                               name="involvement_one_per_name")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.full_name)
        super().save(*args, **kwargs)


class SessionKind(models.TextChoices):
    FAMILY_PSYCHOEDUCATION = "family_psychoeducation", _("Family psychoeducation session")
    FAMILY_MEETING = "family_meeting", _("Family meeting with the practitioner")
    CARE_PLANNING = "care_planning", _("Care or relapse-prevention planning")
    OTHER = "other", _("Other involvement in care")


class FamilySession(models.Model):
    """A session of the client's care that a network member attended (under their consent)."""

    client = _client("casework_family_sessions")
    member = models.ForeignKey("network.NetworkMember", on_delete=models.PROTECT,
                               related_name="+")
    attended_on = models.DateField(_("date"))
    kind = models.CharField(_("kind of session"), max_length=24, choices=SessionKind.choices)
    provider = models.CharField(_("run by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    disclosure = models.ForeignKey("consents.Disclosure", on_delete=models.PROTECT,
                                   related_name="+")
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-attended_on", "-pk"]
        verbose_name = _("family session")

    def __str__(self):
        return f"{self.kind} on {self.attended_on:%Y-%m-%d}"


class CaregiverCheckIn(models.Model):
    """A caregiver check-in (content/caregiver_checkin.yaml, a practice rule of thumb)."""

    client = _client("casework_checkins")
    member = models.ForeignKey("network.NetworkMember", on_delete=models.PROTECT,
                               related_name="+")
    checked_on = models.DateField(_("date"))
    version = models.PositiveSmallIntegerField()
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    high_strain = models.BooleanField()
    note = models.TextField(_("note"), blank=True)
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("caregiver check-in")
        indexes = [models.Index(fields=["member", "checked_on"], name="cwcheckin_member_date")]

    def __str__(self):
        return f"Check-in {self.checked_on:%Y-%m-%d}"


# --- disclosure documents -------------------------------------------------------------------


class LetterKind(models.TextChoices):
    REFERRAL_SUMMARY = "referral_summary", _("Referral summary for the receiving service")
    FAMILY_LETTER = "family_letter", _("Letter to a family member")


class Letter(AppendOnlyModel):
    """A document that left the program: what it said is frozen in `content`, and the disclosure
    it was logged as (with the notice and the consent's scope) is linked."""

    client = _client("casework_letters")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    disclosure = models.OneToOneField("consents.Disclosure", on_delete=models.PROTECT,
                                      related_name="+")
    referral = models.ForeignKey(ServiceReferral, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="letters")
    member = models.ForeignKey("network.NetworkMember", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    content = models.JSONField(editable=False)
    created_by = _user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("letter")
        constraints = [models.CheckConstraint(
            condition=Q(kind="referral_summary", referral__isnull=False)
            | Q(kind="family_letter", member__isnull=False), name="letter_has_its_subject")]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
