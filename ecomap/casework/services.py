"""Case management: every change is one function here. Each validates, runs in a transaction, writes
its audit entry with the actor passed in, and raises CaseworkError (a `Refusal`: messages for the
user, by field where one applies; nothing is changed) when a rule refuses it.

Referrals move only along TRANSITIONS, one function per step (send, accept, decline, enrol,
complete, revoke). A step sharing information of the client's record goes through the consents
(`record_disclosure`): without a consent that permits it, it is refused with the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.accounts.models import STAFF_ROLES, Role, User
from ecomap.audit import services as audit
from ecomap.clients.models import Client
from ecomap.consents import services as consents
from ecomap.consents.models import InformationCategory, Method, Purpose, RecipientKind
from ecomap.core.refusal import Problems
from ecomap.directory import catalogue
from ecomap.directory.models import Attribute, RequiredDocument, Service, ServiceStatus

from . import content, family
from .models import (
    OPEN_STATUSES,
    Cadence,
    ContactEntry,
    ContactKind,
    DocumentStatus,
    NeedRating,
    NeedsAssessment,
    Priority,
    ReferralDocument,
    ReferralEvent,
    ReferralStatus,
    ServiceReferral,
    Task,
)
from .validation import CaseworkError, _check_past, _day, _note, _raise, disclosed_at

# A date something is expected by may be up to a year ahead (the earliest date: validation.py).
AHEAD_DAYS = 366
DEFAULT_RESPOND_DAYS = 14
DEFAULT_ENROL_DAYS = 30
MAX_DURATION = 600
MAX_CADENCE = 365
# What the referral sends may name these recipients (a service is a provider or an organisation).
REFERRAL_RECIPIENT_KINDS = (RecipientKind.PROVIDER, RecipientKind.ORGANISATION)
# Anything that leaves the program about a Part 2 client (`client.is_part2`: a referral, a summary)
# shows that they are in substance-use treatment: `consents.record_disclosure` always adds the
# substance-use category to what it discloses (42 CFR 2.11, 2.31).


def _check_ahead(on, label: str, start: date, problems: Problems, *, field: str) -> None:
    if start > timezone.localdate():
        return  # the start date is refused already; no second message, no date overflow
    if not isinstance(on, date):
        problems.add(_("Give the %(what)s.") % {"what": label}, field=field)
    elif not start <= on <= start + timedelta(days=AHEAD_DAYS):
        problems.add(_("The %(what)s must be between %(start)s and a year later.") % {
            "what": label, "start": _day(start)}, field=field)


# --- needs ----------------------------------------------------------------------------------


def latest_assessment(client: Client) -> NeedsAssessment | None:
    return NeedsAssessment.objects.filter(client=client).first()


@transaction.atomic
def assess_needs(client: Client, *, actor, assessed_on: date, ratings: dict[str, dict],
                 note: str = "") -> NeedsAssessment:
    """Record a dated needs assessment: `ratings` maps every domain key to
    {"priority": ..., "note": ...}. Earlier assessments are kept as they were."""
    problems = Problems()
    _check_past(assessed_on, _("date of the assessment"), problems, field="assessed_on")
    domains = content.domain_map()
    missing = [d.name for key, d in domains.items() if key not in ratings]
    if missing:
        problems.add(_("Give a priority for every domain (missing: %(names)s).") % {
            "names": ", ".join(missing)})
    unknown = sorted(set(ratings) - set(domains))
    if unknown:
        problems.add(_("Unknown needs domain: %(keys)s.") % {"keys": ", ".join(unknown)})
    rows = []
    for key, domain in domains.items():
        value = ratings.get(key) or {}
        if key in ratings and value.get("priority") not in Priority.values:
            problems.add(_("Choose a priority for %(domain)s.") % {"domain": domain.name},
                         field=f"{key}_priority")
        rows.append(NeedRating(domain=key, priority=value.get("priority") or Priority.NONE,
                               note=_note(value.get("note"), domain.name, problems,
                                          field=f"{key}_note")))
    note = _note(note, _("note"), problems)
    _raise(problems)
    assessment = NeedsAssessment.objects.create(client=client, assessed_on=assessed_on,
                                                assessed_by=actor, note=note)
    for row in rows:
        row.assessment = assessment
    NeedRating.objects.bulk_create(rows)
    audit.record("ecomap.casework.needs_assessed", actor=actor, client=client, obj=assessment,
                 data={"assessed_on": assessed_on,
                       "priorities": {r.domain: r.priority for r in rows},
                       "notes": {r.domain: r.note for r in rows if r.note}, "note": note})
    return assessment


# --- referrals: creation and documents ------------------------------------------------------


def service_type_keys(service: Service) -> list[str]:
    """The catalogue keys of a directory service's types (one query)."""
    terms = Attribute.objects.filter(link_entity="service", link_id=service.pk,
                                     link_type=catalogue.SERVICE_TYPE_LINK_TYPE)
    keys = []
    for term in terms.values_list("taxonomy_term_id", flat=True):
        found = catalogue.type_for_term(term)
        if found and found.key not in keys:
            keys.append(found.key)
    return keys


def default_documents(service: Service) -> list[ReferralDocument]:
    """The checklist a referral to `service` starts with: the defaults for its types
    (content/documents.yaml), then the documents the directory lists for it that are not one of
    those already."""
    docs = content.documents()
    kinds = docs.for_types(service_type_keys(service))
    rows = [ReferralDocument(kind=k.key, label=k.name) for k in kinds]
    have = {k.key for k in kinds}
    for required in RequiredDocument.objects.filter(service=service).order_by("id"):
        label = " ".join((required.document or "").split())[:200]
        if not label:
            continue
        kind = docs.kind_of(label)
        if kind and kind.key in have:
            continue
        if kind:
            have.add(kind.key)
        rows.append(ReferralDocument(kind=kind.key if kind else "", label=label,
                                     from_directory=True))
    for position, row in enumerate(rows):
        row.position = position
    return rows


def create_referral(client: Client, *, actor, service: Service, reason: str,
                    need_domain: str = "", service_type: str = "",
                    on: date | None = None) -> ServiceReferral:
    """A draft referral of the client to a directory service, with its document checklist.
    `on` (default today) dates the draft, for a referral recorded after the fact."""
    on = on or timezone.localdate()
    problems = Problems()
    _check_past(on, _("date of the referral"), problems, field="on")
    reason = _note(reason, _("reason for the referral"), problems, field="reason", required=True)
    if service.status != ServiceStatus.ACTIVE:
        problems.add(_("%(service)s is not active in the directory.") % {
            "service": service.name})
    if need_domain and need_domain not in content.domain_map():
        problems.add(_("Unknown need: %(key)s.") % {"key": need_domain}, field="need_domain")
    if service_type and service_type not in catalogue.catalogue().by_key():
        problems.add(_("Unknown service type: %(key)s.") % {"key": service_type},
                     field="service_type")
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=client.pk).first()
        if ServiceReferral.objects.filter(client=client, service=service,
                                   status__in=OPEN_STATUSES).exists():
            problems.add(_("There is already an open referral to %(service)s.") % {
                "service": service.name})
        _raise(problems)
        referral = ServiceReferral.objects.create(
            client=client, service=service, service_name=service.name,
            organization_name=service.organization.name, service_type=service_type,
            need_domain=need_domain, reason=reason, created_on=on, created_by=actor)
        documents = default_documents(service)
        for row in documents:
            row.referral = referral
        ReferralDocument.objects.bulk_create(documents)
        ReferralEvent.objects.create(referral=referral, from_status="",
                                     to_status=ReferralStatus.DRAFT, on=on, actor=actor)
        audit.record("ecomap.casework.referral_created", actor=actor, client=client,
                     obj=referral, changes=audit.diff({}, audit.snapshot(referral, [
                         "service_id", "service_name", "service_type", "need_domain", "reason",
                         "status"])),
                     data={"documents": [d.label for d in documents]})
    return referral


def _open_referral(referral: ServiceReferral) -> ServiceReferral:
    current = ServiceReferral.objects.select_for_update().get(pk=referral.pk)
    if not current.is_open:
        raise CaseworkError(_("This referral is closed (%(status)s); its checklist no longer "
                              "changes.") % {"status": current.get_status_display()})
    return current


@transaction.atomic
def set_document_statuses(referral: ServiceReferral, *, actor, statuses: dict[int, str]) -> int:
    """Set the status of the referral's documents ({document pk: status}); returns how many
    changed. Documents of another referral, or unknown statuses, are refused."""
    referral = _open_referral(referral)
    documents = {d.pk: d for d in referral.documents.all()}
    problems = Problems()
    if set(statuses) - set(documents):
        problems.add(_("A document is not on this referral's checklist."))
    if any(status not in DocumentStatus.values for status in statuses.values()):
        problems.add(_("Choose a status from the list."))
    _raise(problems)
    today = timezone.localdate()
    changed = {}
    for pk, status in statuses.items():
        document = documents[pk]
        if document.status != status:
            changed[document.label] = [document.status, status]
            document.status, document.status_on = status, today
            document.save(update_fields=["status", "status_on"])
    if changed:
        audit.record("ecomap.casework.documents_updated", actor=actor, client=referral.client,
                     obj=referral, changes=changed)
    return len(changed)


@transaction.atomic
def add_document(referral: ServiceReferral, *, actor, label: str) -> ReferralDocument:
    referral = _open_referral(referral)
    label = " ".join((label or "").split())
    if not label:
        raise CaseworkError({"label": _("Name the document.")})
    if len(label) > 200:
        raise CaseworkError({"label": _("The document's name is longer than 200 characters.")})
    if referral.documents.filter(label__iexact=label).exists():
        raise CaseworkError({"label": _("%(label)s is already on the checklist.") % {
            "label": label}})
    position = (referral.documents.aggregate(n=Max("position"))["n"] or 0) + 1
    document = ReferralDocument.objects.create(
        referral=referral, label=label, kind=getattr(content.documents().kind_of(label), "key",
                                                     ""), position=position)
    audit.record("ecomap.casework.document_added", actor=actor, client=referral.client,
                 obj=referral, data={"label": label})
    return document


# --- referrals: the lifecycle ---------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str


S = ReferralStatus
TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("send", frozenset({S.DRAFT}), S.SENT, "send"),
    Transition("accept", frozenset({S.SENT}), S.ACCEPTED, "accept"),
    Transition("decline", frozenset({S.SENT}), S.DECLINED, "decline"),
    Transition("enrol", frozenset({S.ACCEPTED}), S.ENROLLED, "enrol"),
    Transition("complete", frozenset({S.ENROLLED}), S.COMPLETED, "complete"),
    Transition("revoke", frozenset({S.DRAFT, S.SENT, S.ACCEPTED}), S.REVOKED, "revoke"),
)}


def action_labels() -> dict[str, str]:
    return {"send": _("Send"), "accept": _("Record acceptance"),
            "decline": _("Record that it was declined"), "enrol": _("Record enrolment"),
            "complete": _("Record completion"), "revoke": _("Revoke")}


def allowed_actions(status: str) -> list[str]:
    """The steps a referral in `status` can take, in the table's order."""
    return [action for action, t in TRANSITIONS.items() if status in t.sources]


def can(status: str, action: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and status in transition.sources


def _refuse_transition(referral: ServiceReferral, action: str) -> None:
    status = referral.get_status_display()
    allowed = allowed_actions(referral.status)
    labels = action_labels()
    if action not in TRANSITIONS:
        raise CaseworkError(_("Unknown step for a referral: %(action)s.") % {"action": action})
    message = _("A referral that is %(status)s cannot be changed by '%(action)s'.") % {
        "status": status.lower(), "action": labels[action]}
    if allowed:
        message += " " + _("It can now: %(actions)s.") % {
            "actions": ", ".join(labels[a] for a in allowed)}
    else:
        message += " " + _("It is closed; make a new referral if needed.")
    raise CaseworkError(message)


def _locked(referral: ServiceReferral, action: str) -> ServiceReferral:
    """The referral, locked for the rest of the transaction, if the table allows `action`."""
    current = ServiceReferral.objects.select_for_update().select_related("client").get(pk=referral.pk)
    if not can(current.status, action):
        _refuse_transition(current, action)
    return current


def _step(current: ServiceReferral, action: str, *, actor, on: date, note: str,
          fields: dict) -> ServiceReferral:
    """Apply one transition to a referral locked by `_locked`: save the step's fields and the
    new status, log the event and audit it (inside the caller's transaction)."""
    transition = TRANSITIONS[action]
    before = audit.snapshot(current, ["status", *fields])
    for name, value in fields.items():
        setattr(current, name, value)
    current.status = transition.target
    current.save()
    ReferralEvent.objects.create(referral=current, from_status=before["status"],
                                 to_status=transition.target, on=on, note=note, actor=actor)
    audit.record(f"ecomap.casework.referral_{transition.target}", actor=actor,
                 client=current.client, obj=current,
                 changes=audit.diff(before, audit.snapshot(current, ["status", *fields])))
    return current


def _dated(referral: ServiceReferral, on, label: str) -> list[str]:
    problems = Problems()
    _check_past(on, label, problems, field="on", after=referral.last_date())
    return problems


def send_referral(referral: ServiceReferral, *, actor, on: date, respond_by: date,
                  recipient_name: str = "", recipient_kind: str = RecipientKind.ORGANISATION,
                  categories: list[str] | None = None, note: str = "") -> ServiceReferral:
    """Send the referral. When it shares information from the client's record (`categories`,
    e.g. substance use), the disclosure is checked against the client's consents and logged with
    the notice, in the same transaction; without a consent that permits it, nothing is sent and
    the reasons are given (42 CFR 2.31-2.33). For a client of a substance-use programme the
    referral itself shows that they are in treatment: substance use is always shared, so a consent
    is always needed."""
    refused = None
    with transaction.atomic():
        current = _locked(referral, "send")
        categories = list(dict.fromkeys(categories or []))
        recipient_name = " ".join((recipient_name or current.organization_name
                                   or current.service_name).split())
        problems = _dated(current, on, _("date it was sent"))
        if isinstance(on, date):
            _check_ahead(respond_by, _("date an answer is expected by"), on, problems,
                         field="respond_by")
        if recipient_kind not in REFERRAL_RECIPIENT_KINDS:
            problems.add(_("The recipient of a referral is a provider or an organisation."),
                         field="recipient_kind")
        if not recipient_name:
            problems.add(_("Name the recipient."), field="recipient_name")
        elif len(recipient_name) > 300:
            problems.add(_("The recipient's name is longer than 300 characters."),
                         field="recipient_name")
        if any(c not in InformationCategory.values for c in categories):
            problems.add(_("Choose the information shared from the list."), field="categories")
        note = _note(note, _("note"), problems)
        _raise(problems)
        disclosure = None
        # A Part 2 client's referral always discloses (record_disclosure adds substance use).
        if categories or current.client.is_part2:
            try:
                disclosure = consents.record_disclosure(
                    current.client, actor=actor, recipient_name=recipient_name,
                    recipient_kind=recipient_kind, categories=categories,
                    purpose=Purpose.REFERRAL, method=Method.REFERRAL,
                    disclosed_at=disclosed_at(on),
                    description=_("Referral to %(service)s: the reason for the referral and "
                                  "the information chosen when it was sent.") % {
                        "service": current.service_name})
            except consents.DisclosureRefused as error:
                # Leave the block normally, so the refusal's audit entry is kept.
                refused = error
        if refused is None:
            current = _step(current, "send", actor=actor, on=on, note=note, fields={
                "sent_on": on, "respond_by": respond_by, "recipient_name": recipient_name,
                "recipient_kind": recipient_kind,
                "shared_categories": disclosure.categories if disclosure else [],
                "disclosure": disclosure})
    if refused is not None:
        raise CaseworkError([_("The referral was not sent: no consent permits sharing this "
                               "information with %(name)s.") % {"name": recipient_name},
                             *refused.reasons,
                             _("Record a consent that names them.") if current.client.is_part2
                             else
                             _("Record a consent that names them, or send the referral without "
                               "that information.")])
    return current


@transaction.atomic
def accept_referral(referral: ServiceReferral, *, actor, on: date, enrol_by: date,
                    note: str = "") -> ServiceReferral:
    current = _locked(referral, "accept")
    problems = _dated(current, on, _("date it was accepted"))
    if isinstance(on, date):
        _check_ahead(enrol_by, _("date enrolment is expected by"), on, problems,
                     field="enrol_by")
    note = _note(note, _("note"), problems)
    _raise(problems)
    return _step(current, "accept", actor=actor, on=on, note=note,
                 fields={"accepted_on": on, "enrol_by": enrol_by})


@transaction.atomic
def decline_referral(referral: ServiceReferral, *, actor, on: date, reason: str) -> ServiceReferral:
    current = _locked(referral, "decline")
    problems = _dated(current, on, _("date it was declined"))
    reason = _note(reason, _("reason it was declined"), problems, field="reason",
                   required=True)
    _raise(problems)
    return _step(current, "decline", actor=actor, on=on, note=reason,
                 fields={"declined_on": on, "decline_reason": reason})


@transaction.atomic
def enrol_referral(referral: ServiceReferral, *, actor, on: date, note: str = "") -> ServiceReferral:
    current = _locked(referral, "enrol")
    problems = _dated(current, on, _("date of enrolment"))
    note = _note(note, _("note"), problems)
    _raise(problems)
    return _step(current, "enrol", actor=actor, on=on, note=note, fields={"enrolled_on": on})


@transaction.atomic
def complete_referral(referral: ServiceReferral, *, actor, on: date, outcome: str) -> ServiceReferral:
    current = _locked(referral, "complete")
    problems = _dated(current, on, _("date of completion"))
    outcome = _note(outcome, _("outcome"), problems, field="outcome", required=True)
    _raise(problems)
    return _step(current, "complete", actor=actor, on=on, note=outcome,
                 fields={"completed_on": on, "outcome": outcome})


@transaction.atomic
def revoke_referral(referral: ServiceReferral, *, actor, on: date, reason: str) -> ServiceReferral:
    current = _locked(referral, "revoke")
    problems = _dated(current, on, _("date it was revoked"))
    reason = _note(reason, _("reason for revoking"), problems, field="reason", required=True)
    _raise(problems)
    return _step(current, "revoke", actor=actor, on=on, note=reason,
                 fields={"revoked_on": on, "revoke_reason": reason})


STEP_FUNCTIONS = {"send": send_referral, "accept": accept_referral, "decline": decline_referral,
                  "enrol": enrol_referral, "complete": complete_referral,
                  "revoke": revoke_referral}


def overdue_referrals(clients, today: date | None = None):
    """Referrals of `clients` (a queryset) that need chasing: sent and not answered by the date
    expected, or accepted and not enrolled by the date expected."""
    today = today or timezone.localdate()
    return (ServiceReferral.objects.filter(client__in=clients)
            .filter(Q(status=ReferralStatus.SENT, respond_by__lt=today)
                    | Q(status=ReferralStatus.ACCEPTED, enrol_by__lt=today)))


# --- tasks ----------------------------------------------------------------------------------


def possible_owners(client: Client):
    """Staff who can see the client (the same rule as Client.objects.for_user): its
    practitioners, the supervisors of their teams, and administrators. One query."""
    holders = [client.primary_practitioner_id, client.secondary_practitioner_id]
    teams = User.objects.filter(pk__in=[h for h in holders if h], team__isnull=False) \
        .values("team_id")
    return (User.objects.filter(is_active=True, role__in=STAFF_ROLES)
            .filter(Q(pk__in=[h for h in holders if h]) | Q(role=Role.ADMIN)
                    | Q(role=Role.SUPERVISOR, team_id__in=teams))
            .order_by("last_name", "first_name", "username"))


@transaction.atomic
def add_task(client: Client, *, actor, title: str, owner: User, due_on: date,
             referral: ServiceReferral | None = None) -> Task:
    problems = Problems()
    title = " ".join((title or "").split())
    if not title:
        problems.add(_("Say what is to be done."), field="title")
    elif len(title) > 200:
        problems.add(_("The task is longer than 200 characters."), field="title")
    today = timezone.localdate()
    if not isinstance(due_on, date) or not (today - timedelta(days=AHEAD_DAYS) <= due_on
                                            <= today + timedelta(days=AHEAD_DAYS)):
        problems.add(_("The due date must be within a year of today."), field="due_on")
    if owner is None or not owner.is_active or owner.role not in STAFF_ROLES \
            or not Client.objects.for_user(owner).filter(pk=client.pk).exists():
        problems.add(_("The owner must be a member of staff who can see this client."),
                     field="owner")
    if referral is not None and referral.client_id != client.pk:
        problems.add(_("The referral belongs to another client."), field="referral")
    _raise(problems)
    task = Task.objects.create(client=client, referral=referral, title=title, owner=owner,
                               due_on=due_on, created_by=actor)
    audit.record("ecomap.casework.task_added", actor=actor, client=client, obj=task,
                 changes=audit.diff({}, audit.snapshot(task, ["title", "owner_id", "due_on",
                                                              "referral_id"])))
    return task


@transaction.atomic
def complete_task(task: Task, *, actor, on: date | None = None) -> Task:
    task = Task.objects.select_for_update().select_related("client").get(pk=task.pk)
    if task.done_on:
        raise CaseworkError(_("This task was already done on %(day)s.") % {
            "day": _day(task.done_on)})
    on = on or timezone.localdate()
    problems = Problems()
    _check_past(on, _("date it was done"), problems, field="on")
    _raise(problems)
    task.done_on, task.done_by = on, actor
    task.save(update_fields=["done_on", "done_by"])
    audit.record("ecomap.casework.task_done", actor=actor, client=task.client, obj=task,
                 changes={"done_on": [None, _day(on)]})
    return task


def overdue_tasks(owner: User, today: date | None = None):
    today = today or timezone.localdate()
    return Task.objects.filter(owner=owner, done_on__isnull=True, due_on__lt=today,
                               client__in=Client.objects.for_user(owner))


# --- contacts and cadence -------------------------------------------------------------------

# The consents app's methods of disclosure for each kind of contact.
CONTACT_METHODS = {
    ContactKind.PHONE: Method.PHONE, ContactKind.VIDEO: Method.PHONE,
    ContactKind.HOME_VISIT: Method.IN_PERSON, ContactKind.OFFICE_VISIT: Method.IN_PERSON,
    ContactKind.OUTREACH: Method.IN_PERSON, ContactKind.MESSAGE: Method.EMAIL,
    ContactKind.EMAIL: Method.EMAIL, ContactKind.LETTER: Method.LETTER,
}


def _refresh_cadence(client: Client) -> None:
    """Recompute the last contact with the client and the next one due (inside a transaction)."""
    cadence = Cadence.objects.select_for_update().filter(client=client).first()
    if cadence is None:
        return
    last = ContactEntry.objects.filter(client=client, member__isnull=True) \
        .aggregate(last=Max("occurred_on"))["last"]
    start = last or cadence.set_on
    cadence.last_contact_on = last
    cadence.next_due_on = start + timedelta(days=cadence.every_days)
    cadence.save(update_fields=["last_contact_on", "next_due_on", "updated_at"])


def log_contact(client: Client, *, actor, occurred_on: date, kind: str, duration_minutes: int,
                note: str = "", member=None, categories: list[str] | None = None) -> ContactEntry:
    """Log a contact with the client, or with a network member about the client. A contact with
    a member discloses what was discussed: it is checked against the client's consents (a consent
    naming them, for family involvement) and logged as a disclosure; refused otherwise."""
    categories = list(dict.fromkeys(categories or []))
    problems = Problems()
    _check_past(occurred_on, _("date of the contact"), problems, field="occurred_on")
    if kind not in ContactKind.values:
        problems.add(_("Choose the kind of contact."), field="kind")
    if not isinstance(duration_minutes, int) or not 0 <= duration_minutes <= MAX_DURATION:
        problems.add(_("The duration must be between 0 and %(n)s minutes.") % {
            "n": MAX_DURATION}, field="duration_minutes")
    note = _note(note, _("note"), problems)
    if member is not None:
        if member.client_id != client.pk:
            problems.add(_("This person is not in the client's network."), field="with_whom")
        if not categories:
            problems.add(_("Say what was discussed about the client (the categories of "
                           "information), as the consent must cover it."), field="categories")
        elif any(c not in InformationCategory.values for c in categories):
            problems.add(_("Choose the information discussed from the list."),
                         field="categories")
    elif categories:
        problems.add(_("Categories of information are only for a contact with a network "
                       "member."), field="categories")
    _raise(problems)
    refused = None
    with transaction.atomic():
        disclosure = None
        if member is not None:
            try:
                disclosure = family.disclose(
                    member, actor=actor, categories=categories,
                    method=CONTACT_METHODS[kind], on=occurred_on,
                    description=_("%(kind)s with a network member about the client.") % {
                        "kind": ContactKind(kind).label})
            except consents.DisclosureRefused as error:
                refused = error
        if refused is None:
            entry = ContactEntry.objects.create(
                client=client, occurred_on=occurred_on, kind=kind,
                duration_minutes=duration_minutes, member=member, note=note,
                disclosure=disclosure, created_by=actor)
            _refresh_cadence(client)
            audit.record("ecomap.casework.contact_logged", actor=actor, client=client,
                         obj=entry, changes=audit.diff({}, audit.snapshot(entry, [
                             "occurred_on", "kind", "duration_minutes", "member_id", "note",
                             "disclosure_id"])))
    if refused is not None:
        raise CaseworkError([_("Not logged: a contact with %(name)s about the client needs a "
                               "consent that names them.") % {"name": member.label},
                             *refused.reasons])
    return entry


@transaction.atomic
def set_cadence(client: Client, *, actor, every_days: int | None) -> Cadence | None:
    """Keep in touch every `every_days` days; None stops the reminder."""
    current = Cadence.objects.select_for_update().filter(client=client).first()
    before = {"every_days": current.every_days if current else None}
    if every_days is None:
        if current is not None:
            current.delete()
            audit.record("ecomap.casework.cadence_set", actor=actor, client=client,
                         changes={"every_days": [before["every_days"], None]})
        return None
    if not isinstance(every_days, int) or not 1 <= every_days <= MAX_CADENCE:
        raise CaseworkError({"every_days": _("Keep in touch every 1 to %(n)s days.") % {
            "n": MAX_CADENCE}})
    today = timezone.localdate()
    cadence = current or Cadence(client=client, set_by=actor, set_on=today, next_due_on=today)
    cadence.every_days, cadence.set_by = every_days, actor
    cadence.save()
    _refresh_cadence(client)
    if before["every_days"] != every_days:
        audit.record("ecomap.casework.cadence_set", actor=actor, client=client, obj=cadence,
                     changes={"every_days": [before["every_days"], every_days]})
    return Cadence.objects.get(pk=cadence.pk)


def out_of_touch(clients, today: date | None = None):
    """Cadences of `clients` whose next contact was due before today."""
    today = today or timezone.localdate()
    return Cadence.objects.filter(client__in=clients, next_due_on__lt=today)
