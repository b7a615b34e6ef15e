"""Family members and other supporters in the client's care: they are network members (ecomap.network)
and are involved only under the client's consent.

Part 2 has no family-involvement exception: a family member receives information from the record
only under a consent that names them (../shared/research/clinical.md 6.1). So every contact about
the client, every session they attend and every letter they receive goes through
`consents.record_disclosure`, with the name recorded on their Involvement (as it is written on the
consent), and is refused with the reasons when no consent permits it. Revoked or expired consents
stop it the same day.

Caregiver check-ins record the caregiver's own answers about their strain (content/
caregiver_checkin.yaml, a practice rule of thumb, not a validated scale); they disclose nothing
of the client's record, so they are not a disclosure, but they are part of the client's record and
audited like the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.audit import services as audit
from ecomap.audit.models import Outcome
from ecomap.clients.models import Client
from ecomap.consents import services as consents
from ecomap.consents.models import (
    Consent,
    ConsentRecipient,
    Designation,
    InformationCategory,
    Purpose,
    RecipientKind,
    normalise_name,
)
from ecomap.core.refusal import Problems
from ecomap.network.choices import RELATIONSHIP_PROFILE, MemberKind

from . import content
from .models import CaregiverCheckIn, FamilySession, Involvement, SessionKind
from .validation import CaseworkError, _check_past, _note, _raise, disclosed_at


def is_kin(member) -> bool:
    profile = RELATIONSHIP_PROFILE.get(member.relationship)
    return bool(profile and profile[1])


def recipient_kind(member) -> str:
    """Kin are family members for the consents; other supporters are individuals."""
    return RecipientKind.FAMILY_MEMBER if is_kin(member) else RecipientKind.INDIVIDUAL


def involvement_of(member) -> Involvement | None:
    return Involvement.objects.filter(member=member).first()


def _involved(member) -> Involvement:
    involvement = involvement_of(member)
    if involvement is None:
        raise CaseworkError(_("Record %(name)s as involved in the client's care first, with "
                              "their full name as it is written on the consent.") % {
            "name": member.label})
    return involvement


def names_them(recipient: ConsentRecipient, full_name: str, kind: str) -> bool:
    """A consent recipient that names this person: by name, never a class ("people I choose to
    involve" does not say who is involved)."""
    return recipient.designation == Designation.NAMED and recipient.matches(full_name, kind)


def _named_check(client, *, full_name: str, kind: str, categories: list[str], purpose: str,
                 on: date) -> tuple[list[str], bool]:
    """(why no consent naming this person permits the disclosure on `on`, empty when one does;
    whether a consent for a class of recipients matches them). Two queries."""
    reasons: list[str] = []
    by_class = False
    for consent in (Consent.objects.filter(client=client).prefetch_related("recipients")
                    .order_by("-signed_on", "-pk")):
        recipients = list(consent.recipients.all())
        if any(names_them(r, full_name, kind) for r in recipients):
            problems = consents._consent_problems(consent, categories=categories,
                                                  purpose=purpose, on=on)
            if not problems:
                return [], by_class
            reasons += [f"#{consent.pk}: {p}" for p in problems]
        elif any(r.matches(full_name, kind) for r in recipients):
            by_class = True
    if by_class:
        reasons.append(_("A consent for a class of recipients (such as \"people I choose to "
                         "involve\") does not cover family involvement: %(name)s must be named "
                         "in the consent.") % {"name": full_name})
    elif not reasons:
        reasons.append(_("No consent names %(name)s.") % {"name": full_name})
    return reasons, by_class


def named_consent_problems(client, *, full_name: str, kind: str, categories: list[str],
                           purpose: str, on: date) -> list[str]:
    """Why no consent that names this person (a named recipient, not a class) permits the
    disclosure on `on`; empty when one does."""
    return _named_check(client, full_name=full_name, kind=kind, categories=categories,
                        purpose=purpose, on=on)[0]


class _NotNamed(Exception):
    """Only a class consent permitted what record_disclosure disclosed: undo it."""


def disclose(member, *, actor, categories: list[str], method: str, description: str,
             on: date | None = None, involvement: Involvement | None = None):
    """Log a disclosure to `member` about the client on `on` (today by default), for family
    involvement in care, checked against the consents as of that day; raises
    consents.DisclosureRefused (with the reasons, audited) unless a consent that names them (a
    named recipient, not a class such as "people I choose to involve") permits it. The
    disclosure itself is checked and logged by `record_disclosure`, with the client's consents
    locked from the first check to the save. (Where a named consent and a class consent both
    permit it, the log may cite either: record_disclosure picks the latest signed.)"""
    involvement = involvement or _involved(member)
    client, kind = involvement.client, recipient_kind(member)
    on = on or timezone.localdate()
    refused = None
    with transaction.atomic():
        list(Consent.objects.select_for_update().filter(client=client).values_list("pk"))
        reasons, by_class = _named_check(client, full_name=involvement.full_name, kind=kind,
                                         categories=categories,
                                         purpose=Purpose.FAMILY_INVOLVEMENT, on=on)
        # Only a class consent could let record_disclosure permit what no named one does: refuse
        # that here; otherwise record_disclosure decides (and gives its reasons).
        if not (reasons and by_class):
            try:
                with transaction.atomic():
                    disclosure = consents.record_disclosure(
                        client, actor=actor, recipient_name=involvement.full_name,
                        recipient_kind=kind, categories=categories,
                        purpose=Purpose.FAMILY_INVOLVEMENT, method=method,
                        description=description, disclosed_at=disclosed_at(on))
                    # record_disclosure may disclose more than asked (substance use, for a Part 2
                    # client): a consent naming the person must cover that too, not only a class.
                    categories = disclosure.categories
                    reasons, by_class = _named_check(
                        client, full_name=involvement.full_name, kind=kind,
                        categories=categories, purpose=Purpose.FAMILY_INVOLVEMENT, on=on)
                    if not reasons:
                        return disclosure
                    raise _NotNamed  # rolls the disclosure and its audit entry back
            except consents.DisclosureRefused as error:
                refused = error  # audited by record_disclosure; leave the block normally
            except _NotNamed:
                pass
    if refused is not None:
        raise refused
    audit.record("ecomap.disclosure.refused", actor=actor, client=client,
                 outcome=Outcome.DENIED,
                 data=consents._refusal_data(involvement.full_name, kind, categories,
                                             Purpose.FAMILY_INVOLVEMENT, reasons))
    raise consents.DisclosureRefused(reasons)


@transaction.atomic
def involve(member, *, actor, full_name: str, caregiver: bool, note: str = "") -> Involvement:
    """Record (or change) a network member's involvement in the client's care."""
    problems = Problems()
    full_name = " ".join((full_name or "").split())
    if not full_name:
        problems.add(_("Give their full name, as it is written (or will be) on the consent."),
                     field="full_name")
    elif len(full_name) > 300:
        problems.add(_("The name is longer than 300 characters."), field="full_name")
    if member.kind != MemberKind.PERSON:
        problems.add(_("Only a person can be involved in care this way."))
    if not member.active:
        problems.add(_("%(name)s is no longer in the client's network.") % {
            "name": member.label})
    note = _note(note, _("note"), problems)
    _raise(problems)
    normalised = normalise_name(full_name)
    # One person, one involvement: another network member recorded under the same name would be
    # covered by that person's consent.
    Client.objects.select_for_update().filter(pk=member.client_id).first()
    same = (Involvement.objects.filter(client_id=member.client_id, normalised_name=normalised)
            .exclude(member=member).select_related("member").first())
    if same is not None:
        raise CaseworkError(_("%(name)s is already recorded as involved in care, as %(label)s. "
                              "Each person is recorded once, under the name on their consent: "
                              "give this person's own full name.") % {
            "name": full_name, "label": same.member.label})
    current = Involvement.objects.select_for_update().filter(member=member).first()
    fields = ["full_name", "caregiver", "note"]
    before = audit.snapshot(current, fields) if current else {}
    involvement = current or Involvement(client_id=member.client_id, member=member,
                                         created_by=actor)
    involvement.full_name, involvement.caregiver, involvement.note = full_name, caregiver, note
    involvement.normalised_name = normalised
    try:
        with transaction.atomic():
            involvement.save()
    except IntegrityError:  # the same name recorded at the same moment for another member
        raise CaseworkError(_("%(name)s is already recorded as involved in care. Give this "
                              "person's own full name.") % {"name": full_name}) from None
    audit.record("ecomap.casework.involvement_" + ("changed" if current else "recorded"),
                 actor=actor, client=involvement.client, obj=involvement,
                 changes=audit.diff(before, audit.snapshot(involvement, fields)))
    return involvement


def record_session(member, *, actor, attended_on: date, kind: str, provider: str,
                   categories: list[str], note: str = "") -> FamilySession:
    """A session of the client's care that `member` attended (e.g. family psychoeducation):
    recorded only under a consent naming them, and logged as a disclosure of what it covered."""
    categories = list(dict.fromkeys(categories or []))
    involvement = _involved(member)
    problems = Problems()
    _check_past(attended_on, _("date of the session"), problems, field="attended_on")
    if kind not in SessionKind.values:
        problems.add(_("Choose the kind of session."), field="kind")
    provider = " ".join((provider or "").split())
    if len(provider) > 200:
        problems.add(_("'Run by' is longer than 200 characters."), field="provider")
    if not categories:
        problems.add(_("Say what the session covered about the client (the categories of "
                       "information), as the consent must cover it."), field="categories")
    elif any(c not in InformationCategory.values for c in categories):
        problems.add(_("Choose the information covered from the list."), field="categories")
    note = _note(note, _("note"), problems)
    _raise(problems)
    refused = None
    with transaction.atomic():
        try:
            disclosure = disclose(
                member, actor=actor, involvement=involvement, categories=categories,
                method="in_person", on=attended_on, description=_("%(kind)s attended on %(day)s.") % {
                    "kind": SessionKind(kind).label, "day": attended_on.isoformat()})
        except consents.DisclosureRefused as error:
            refused = error
        if refused is None:
            session = FamilySession.objects.create(
                client=involvement.client, member=member, attended_on=attended_on, kind=kind,
                provider=provider, note=note, disclosure=disclosure, created_by=actor)
            audit.record("ecomap.casework.family_session_recorded", actor=actor,
                         client=involvement.client, obj=session,
                         changes=audit.diff({}, audit.snapshot(session, [
                             "member_id", "attended_on", "kind", "provider", "note",
                             "disclosure_id"])))
    if refused is not None:
        raise CaseworkError([_("Not recorded: %(name)s can take part in the client's care only "
                               "under a consent that names them.") % {
            "name": involvement.full_name}, *refused.reasons])
    return session


@transaction.atomic
def record_checkin(member, *, actor, checked_on: date, answers: dict[str, int],
                   note: str = "") -> CaregiverCheckIn:
    involvement = _involved(member)
    if not involvement.caregiver:
        raise CaseworkError(_("A caregiver check-in is for someone who cares for the client: "
                              "mark them as a caregiver first."))
    definition = content.checkin()
    problems = Problems()
    _check_past(checked_on, _("date of the check-in"), problems, field="checked_on")
    values = {v for v, _label in definition.scale}
    clean = {}
    for key, text in definition.items:
        value = answers.get(key)
        if isinstance(value, bool) or value not in values:
            problems.add(_("Answer: %(question)s") % {"question": text}, field=f"item_{key}")
        else:
            clean[key] = value
    if set(answers) - set(definition.item_keys):
        problems.add(_("An answer does not belong to this check-in."))
    note = _note(note, _("note"), problems)
    _raise(problems)
    checkin = CaregiverCheckIn.objects.create(
        client=involvement.client, member=member, checked_on=checked_on,
        version=definition.version, answers=clean, total=definition.total(clean),
        high_strain=definition.high_strain(clean), note=note, created_by=actor)
    audit.record("ecomap.casework.checkin_recorded", actor=actor, client=involvement.client,
                 obj=checkin, data={"member_id": member.pk, "checked_on": checked_on,
                                    "answers": clean, "total": checkin.total,
                                    "high_strain": checkin.high_strain})
    return checkin


# --- what the consents permit, for display --------------------------------------------------


@dataclass
class ConsentView:
    """What the client's consents say about one person, for the family page. Enforcement is
    always `record_disclosure`; this only explains."""

    permitted: list[Consent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.permitted)

    @property
    def categories(self) -> list[str]:
        seen = []
        for consent in self.permitted:
            seen += [c for c in consent.category_labels if c not in seen]
        return seen


def consent_views(client, involvements: list[Involvement],
                  on: date | None = None) -> dict[int, ConsentView]:
    """For each involvement (by member pk), the consents that name the person and permit family
    involvement today, or why none does: two queries whatever the number of people."""
    on = on or timezone.localdate()
    consents_ = list(Consent.objects.filter(client=client).prefetch_related("recipients")
                     .order_by("-signed_on", "-pk"))
    views = {}
    for involvement in involvements:
        kind = recipient_kind(involvement.member)
        view = ConsentView()
        for consent in consents_:
            if not any(names_them(r, involvement.full_name, kind)
                       for r in consent.recipients.all()):
                continue
            problems = consents._consent_problems(consent, categories=[],
                                                  purpose=Purpose.FAMILY_INVOLVEMENT, on=on)
            if problems:
                view.problems += [f"#{consent.pk}: {p}" for p in problems]
            else:
                view.permitted.append(consent)
        if not view.permitted and not view.problems:
            view.problems.append(_("No consent names %(name)s.") % {"name": involvement.full_name})
        views[involvement.member_id] = view
    return views
