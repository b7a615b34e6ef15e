"""Changes to a client's network and its assessments. Each function validates, runs in a
transaction and writes an audit entry with the actor passed in."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.audit import services as audit
from ecomap.core.refusal import Problems, Refusal

from . import metrics
from .choices import SubstanceUse, Valence
from .graph import Network
from .models import (
    AcceptedIntervention,
    Assessment,
    MemberTie,
    NetworkMember,
    Supporter,
    SupporterReview,
)
from .prompts import BY_SLUG, kind_for

MEMBER_FIELDS = ["label", "kind", "relationship", "circle", "contact", "support_received",
                 "support_given", "valence", "substance_use", "recovery_stance",
                 "could_join_sessions", "notes"]


class NetworkError(Refusal):
    """A network rule refused the change; its messages are for the user (by field when known)."""


def members_of(client, *, active: bool = True):
    return NetworkMember.objects.filter(client=client, active=active)


def current_network(client) -> Network:
    """The live network (members still in it, and the ties between them): two queries."""
    members = list(members_of(client))
    keys = {m.pk: str(m.key) for m in members}
    ties = [(keys[a], keys[b]) for a, b in
            MemberTie.objects.filter(client=client, a__active=True, b__active=True)
            .values_list("a_id", "b_id") if a in keys and b in keys]
    return Network.build([m.as_member() for m in members], ties)


def normal(label: str) -> str:
    """A label compared ignoring case and spacing: naming someone twice finds the same member."""
    return " ".join(label.split()).casefold()


def _record(action, member, *, actor, changes=None, data=None):
    audit.record(f"ecomap.network.{action}", actor=actor, client=member.client, obj=member,
                 changes=changes, data=data)


@transaction.atomic
def answer_prompt(client, *, actor, prompt: str, label: str,
                  relationship: str | None = None) -> tuple[NetworkMember, bool]:
    """Name someone in answer to a prompt. Returns (member, created): naming a person again
    adds what this prompt says about them to the member already there."""
    question = BY_SLUG.get(prompt)
    if question is None:
        raise NetworkError(_("Unknown question."))
    label = " ".join(label.split())
    relationship = relationship or question.default_relationship
    problems = Problems()
    if not label:
        problems.add(_("Type a name, initials or a role."), field="label")
    if relationship not in question.relationships:
        problems.add(_("Choose a relationship from the list."), field="relationship")
    problems.refuse_if_any(NetworkError)
    existing = next((m for m in members_of(client).select_for_update()
                     if normal(m.label) == normal(label)), None)
    member = existing or NetworkMember(client=client, label=label, relationship=relationship,
                                       kind=kind_for(relationship))
    before = audit.snapshot(member, MEMBER_FIELDS) if existing else {}
    if question.support and question.support not in member.support_received:
        member.support_received = sorted({*member.support_received, question.support})
    if question.stressful:
        member.valence = Valence.MIXED if (existing and member.valence == Valence.SUPPORTIVE
                                           and member.support_received) else Valence.STRESSFUL
    if question.uses_with and member.substance_use in (SubstanceUse.UNKNOWN, SubstanceUse.NONE):
        member.substance_use = SubstanceUse.SOME
    member.full_clean()
    member.save()
    changes = audit.diff(before, audit.snapshot(member, MEMBER_FIELDS))
    _record("member_added" if existing is None else "member_updated", member, actor=actor,
            changes=changes, data={"prompt": prompt})
    return member, existing is None


@transaction.atomic
def update_member(member: NetworkMember, *, actor, data: dict) -> NetworkMember:
    unknown = set(data) - set(MEMBER_FIELDS)
    if unknown:
        raise NetworkError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    member = NetworkMember.objects.select_for_update().get(pk=member.pk)
    before = audit.snapshot(member, MEMBER_FIELDS)
    for name, value in data.items():
        setattr(member, name, value)
    member.full_clean()
    changes = audit.diff(before, audit.snapshot(member, MEMBER_FIELDS))
    if changes:
        member.save()
        _record("member_updated", member, actor=actor, changes=changes)
    return member


@transaction.atomic
def set_ties(member: NetworkMember, *, actor, knows: set[int],
             among: set[int] | None = None) -> None:
    """Make `member`'s ties with the members `among` exactly `knows`; ties with anyone outside
    `among` are left alone. `among` defaults to every other active member of the client. (The
    interview's tie grid shows each pair once, in one row, and posts that row's pairs only.)"""
    others = set(members_of(member.client).exclude(pk=member.pk).values_list("pk", flat=True))
    among = others if among is None else among
    if not (knows <= among <= others):
        raise NetworkError(_("A tie can only join two people in this client's network."))
    current = {a if b == member.pk else b for a, b in
               MemberTie.objects.filter(client=member.client)
               .filter(Q(a_id=member.pk) | Q(b_id=member.pk)).values_list("a_id", "b_id")}
    current &= among
    added, removed = knows - current, current - knows
    for other in removed:
        a, b = sorted((member.pk, other))
        MemberTie.objects.filter(a_id=a, b_id=b).delete()
    MemberTie.objects.bulk_create(
        [MemberTie(client=member.client, a_id=min(member.pk, o), b_id=max(member.pk, o))
         for o in sorted(added)])
    if added or removed:
        _record("ties_changed", member, actor=actor,
                changes={"ties_added": [[], sorted(added)], "ties_removed": [[], sorted(removed)]})


@transaction.atomic
def remove_member(member: NetworkMember, *, actor, on: date | None = None) -> NetworkMember:
    """The person is no longer in the client's life; kept for past assessments and plans."""
    if not member.active:
        raise NetworkError(_("This member has already left the network."))
    member.active, member.left_on = False, on or timezone.localdate()
    member.save(update_fields=["active", "left_on", "updated_at"])
    _record("member_left", member, actor=actor, changes={"active": [True, False]})
    return member


@transaction.atomic
def return_member(member: NetworkMember, *, actor) -> NetworkMember:
    if member.active:
        raise NetworkError(_("This member is in the network."))
    member.active, member.left_on = True, None
    member.save(update_fields=["active", "left_on", "updated_at"])
    _record("member_returned", member, actor=actor, changes={"active": [False, True]})
    return member


@transaction.atomic
def save_assessment(client, *, actor, on: date | None = None, notes: str = "") -> Assessment:
    """Freeze the live network and its metrics on a date."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise NetworkError({"assessed_on": _("An assessment cannot be dated in the future.")})
    network = current_network(client)
    assessment = Assessment.objects.create(
        client=client, assessed_on=on, conducted_by=actor, snapshot=network.to_dict(),
        metrics=metrics.profile(network), notes=notes.strip())
    audit.record("ecomap.network.assessment_saved", actor=actor, client=client, obj=assessment,
                 data={"members": network.n, "ties": len(network.ties)})
    return assessment


def last_assessment(client) -> Assessment | None:
    return Assessment.objects.filter(client=client).order_by("-assessed_on", "-pk").first()


@transaction.atomic
def review_member(member: NetworkMember, *, actor, still_in_life: bool,
                  circle: int | None = None) -> NetworkMember:
    """Re-assessment: 'is X still in your life, and in which circle now?'"""
    if not still_in_life:
        return remove_member(member, actor=actor) if member.active else member
    if not member.active:
        member = return_member(member, actor=actor)
    if circle is not None and circle != member.circle:
        member = update_member(member, actor=actor, data={"circle": circle})
    return member


@transaction.atomic
def add_supporter(member: NetworkMember, *, actor, data: dict) -> Supporter:
    if not member.active:
        raise NetworkError(_("Only someone still in the client's network can be a supporter."))
    if Supporter.objects.filter(member=member).exists():
        raise NetworkError(_("%(name)s is already in the network for change.") % {
            "name": member.label})
    supporter = Supporter(member=member, created_by=actor, **data)
    supporter.full_clean()
    supporter.save()
    _record("supporter_added", member, actor=actor,
            data={"supporter_id": supporter.pk, "support_kinds": supporter.support_kinds})
    return supporter


@transaction.atomic
def review_supporter(supporter: Supporter, *, actor, data: dict) -> SupporterReview:
    review = SupporterReview(supporter=supporter, reviewed_by=actor, **data)
    review.full_clean()
    if review.reviewed_on > timezone.localdate():
        raise NetworkError({"reviewed_on": _("A review cannot be dated in the future.")})
    review.save()
    if review.next_task.strip():
        supporter.agreed_task = review.next_task.strip()
        supporter.save(update_fields=["agreed_task", "updated_at"])
    _record("supporter_reviewed", supporter.member, actor=actor,
            data={"review_id": review.pk, "outcome": review.outcome})
    return review


@transaction.atomic
def accept_intervention(client, *, actor, rule_id: str, intervention: str, reason: str,
                        note: str = "") -> AcceptedIntervention:
    if AcceptedIntervention.objects.filter(client=client, rule_id=rule_id).exists():
        raise NetworkError(_("This intervention is already in the client's plan."))
    accepted = AcceptedIntervention.objects.create(
        client=client, assessment=last_assessment(client), rule_id=rule_id,
        intervention=intervention, reason=reason, note=note.strip(), accepted_by=actor)
    audit.record("ecomap.network.intervention_accepted", actor=actor, client=client, obj=accepted,
                 data={"rule_id": rule_id})
    return accepted


def tie_map(client) -> dict[int, set[int]]:
    """Member id -> ids of the members they know, for the interview's tie grid (one query)."""
    ties: dict[int, set[int]] = {}
    for a, b in MemberTie.objects.filter(client=client).values_list("a_id", "b_id"):
        ties.setdefault(a, set()).add(b)
        ties.setdefault(b, set()).add(a)
    return ties


@transaction.atomic
def import_network(client, *, actor, network: Network) -> tuple[list[NetworkMember], list[str]]:
    """Add an imported network's members and ties to the client's network. Members whose name is
    already in the network are not added twice; they are returned by name so the page can say so."""
    existing = {normal(m.label): m for m in members_of(client)}
    created, skipped, by_key = [], [], {}
    for member in network.members:
        if normal(member.label) in existing:
            skipped.append(member.label)
            by_key[member.key] = existing[normal(member.label)]
            continue
        row = NetworkMember(
            client=client, label=member.label, kind=member.kind,
            relationship=member.relationship, circle=member.circle, contact=member.contact,
            support_received=sorted(member.support_received),
            support_given=sorted(member.support_given), valence=member.valence,
            substance_use=member.substance_use, recovery_stance=member.recovery_stance,
            could_join_sessions=member.could_join_sessions)
        row.full_clean(exclude=["client"])
        row.save()
        created.append(row)
        by_key[member.key] = row
    known = set(MemberTie.objects.filter(client=client).values_list("a_id", "b_id"))
    ties = {tuple(sorted((by_key[a].pk, by_key[b].pk))) for a, b in network.ties}
    MemberTie.objects.bulk_create([MemberTie(client=client, a_id=a, b_id=b)
                                   for a, b in sorted(ties - known) if a != b])
    audit.record("ecomap.network.imported", actor=actor, client=client,
                 data={"members_added": len(created), "members_skipped": len(skipped),
                       "ties": len(ties - known)})
    return created, skipped
