"""State changes of client records. Each one validates, runs in a transaction, writes its audit entry
with the actor passed in, and raises ClientError (a `Refusal`: messages for the user, by field when
one applies) when it cannot proceed."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.accounts.models import Role, User
from ecomap.audit import services as audit
from ecomap.core.refusal import Conflict, Refusal

from .models import CaseloadRole, CaseloadTransfer, Client, Status

EDITABLE_FIELDS = [
    "legal_first_name", "legal_last_name", "preferred_name", "pronouns", "date_of_birth",
    "phone", "email", "address", "preferred_language", "programme", "admitted_on", "notes",
]


class ClientError(Refusal):
    """A domain rule refused the change to a client's record."""


class ConcurrentEditError(Conflict, ClientError):
    """The record was saved by someone else since the form was opened (409)."""


def assignable_practitioners(actor: User):
    """Who `actor` may put a client's care in the hands of."""
    staff = User.objects.filter(is_active=True, role__in=[Role.PRACTITIONER, Role.SUPERVISOR])
    if actor.role == Role.ADMIN:
        return staff
    if actor.role == Role.SUPERVISOR and actor.team_id:
        return staff.filter(team_id=actor.team_id)
    return staff.filter(pk=actor.pk)


def _check_assignable(actor: User, practitioner: User | None, field: str) -> None:
    if practitioner is not None and not assignable_practitioners(actor).filter(
        pk=practitioner.pk
    ).exists():
        raise ClientError({field: _("You cannot assign clients to this person.")})


@transaction.atomic
def create_client(*, actor: User, data: dict) -> Client:
    data = dict(data)
    data.setdefault("primary_practitioner", actor)
    _check_assignable(actor, data["primary_practitioner"], "primary_practitioner")
    _check_assignable(actor, data.get("secondary_practitioner"), "secondary_practitioner")
    client = Client(**data)
    client.full_clean(exclude=["record_number"])
    # The record number is derived from the primary key, so it is unique without a counter.
    client.record_number = f"new-{uuid.uuid4().hex[:16]}"
    client.save()
    client.record_number = f"C-{client.pk:06d}"
    Client.objects.filter(pk=client.pk).update(record_number=client.record_number)
    audit.record(
        "ecomap.client.created", actor=actor, client=client, obj=client,
        changes=audit.diff({}, audit.snapshot(client, EDITABLE_FIELDS + [
            "primary_practitioner_id", "secondary_practitioner_id", "status"])),
    )
    return client


def _locked(client: Client, expected_version: int | None) -> Client:
    """Reload the row under lock and check nobody saved it since the form was opened."""
    current = Client.objects.select_for_update().get(pk=client.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError(_(
            "Someone else saved this client's record after you opened it. Your changes were not "
            "saved: reload the page to see the current record, then make your changes again."
        ))
    return current


def _save(client: Client, *, actor: User, action: str, before: dict, fields: list[str],
          data: dict | None = None) -> Client:
    client.full_clean(exclude=["record_number"])
    client.version = F("version") + 1
    client.save()
    client.refresh_from_db()
    changes = audit.diff(before, audit.snapshot(client, fields))
    audit.record(action, actor=actor, client=client, obj=client, changes=changes, data=data)
    return client


@transaction.atomic
def update_client(client: Client, *, actor: User, data: dict,
                  expected_version: int | None) -> Client:
    current = _locked(client, expected_version)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ClientError(_("These fields cannot be edited here: %s") % ", ".join(sorted(unknown)))
    before = audit.snapshot(current, EDITABLE_FIELDS)
    for name, value in data.items():
        setattr(current, name, value)
    if audit.diff(before, audit.snapshot(current, EDITABLE_FIELDS)) == {}:
        return current
    return _save(current, actor=actor, action="ecomap.client.updated", before=before,
                 fields=EDITABLE_FIELDS)


STATUS_FIELDS = ["status", "discharged_on", "discharge_reason", "archived_at"]


@transaction.atomic
def discharge_client(client: Client, *, actor: User, on: date, reason: str,
                     expected_version: int | None = None) -> Client:
    current = _locked(client, expected_version)
    if current.status != Status.ACTIVE:
        raise ClientError(_("Only an active client can be discharged."))
    if not reason.strip():
        raise ClientError({"reason": _("Give the reason for the discharge.")})
    before = audit.snapshot(current, STATUS_FIELDS)
    current.status, current.discharged_on, current.discharge_reason = (
        Status.DISCHARGED, on, reason.strip())
    return _save(current, actor=actor, action="ecomap.client.discharged", before=before,
                 fields=STATUS_FIELDS)


@transaction.atomic
def readmit_client(client: Client, *, actor: User, on: date,
                   expected_version: int | None = None) -> Client:
    current = _locked(client, expected_version)
    if current.status != Status.DISCHARGED:
        raise ClientError(_("Only a discharged client can be readmitted."))
    fields = STATUS_FIELDS + ["admitted_on"]
    before = audit.snapshot(current, fields)
    current.status, current.admitted_on = Status.ACTIVE, on
    current.discharged_on, current.discharge_reason = None, ""
    return _save(current, actor=actor, action="ecomap.client.readmitted", before=before,
                 fields=fields)


@transaction.atomic
def archive_client(client: Client, *, actor: User, reason: str,
                   expected_version: int | None = None) -> Client:
    """Archive instead of delete: the record leaves the caseload but stays, with its audit trail."""
    current = _locked(client, expected_version)
    if current.status == Status.ARCHIVED:
        raise ClientError(_("This client is already archived."))
    if current.status == Status.ACTIVE:
        raise ClientError(_("Discharge the client before archiving the record."))
    if not reason.strip():
        raise ClientError({"reason": _("Give the reason for archiving.")})
    before = audit.snapshot(current, STATUS_FIELDS)
    current.status, current.archived_at = Status.ARCHIVED, timezone.now()
    return _save(current, actor=actor, action="ecomap.client.archived", before=before,
                 fields=STATUS_FIELDS, data={"reason": reason.strip()})


@transaction.atomic
def unarchive_client(client: Client, *, actor: User,
                     expected_version: int | None = None) -> Client:
    current = _locked(client, expected_version)
    if current.status != Status.ARCHIVED:
        raise ClientError(_("This client is not archived."))
    before = audit.snapshot(current, STATUS_FIELDS)
    current.status, current.archived_at = Status.DISCHARGED, None
    return _save(current, actor=actor, action="ecomap.client.unarchived", before=before,
                 fields=STATUS_FIELDS)


@transaction.atomic
def transfer_client(client: Client, *, actor: User, role: str, to: User | None, reason: str,
                    expected_version: int | None = None) -> CaseloadTransfer:
    """Hand a client's primary or secondary role to another practitioner, recorded as a transfer."""
    current = _locked(client, expected_version)
    if role not in CaseloadRole.values:
        raise ClientError(_("Choose the primary or the secondary role."))
    if not reason.strip():
        raise ClientError({"reason": _("Give the reason for the transfer.")})
    field = f"{role}_practitioner"
    if role == CaseloadRole.PRIMARY and to is None:
        raise ClientError({"to": _("A client always has a primary practitioner.")})
    _check_assignable(actor, to, "to")
    previous = getattr(current, field)
    if previous == to:
        raise ClientError({"to": _("This person already holds that role.")})
    other = current.secondary_practitioner if role == CaseloadRole.PRIMARY else (
        current.primary_practitioner)
    if to is not None and other == to:
        raise ClientError({"to": _(
            "This person is already the client's other practitioner; transfer that role first.")})
    fields = ["primary_practitioner_id", "secondary_practitioner_id"]
    before = audit.snapshot(current, fields)
    setattr(current, field, to)
    transfer = CaseloadTransfer.objects.create(
        client=current, role=role, from_practitioner=previous, to_practitioner=to,
        transferred_by=actor, reason=reason.strip(),
    )
    _save(current, actor=actor, action="ecomap.client.transferred", before=before, fields=fields,
          data={"transfer_id": transfer.pk, "role": role})
    return transfer


# The caseload page's orders (its filter form offers these keys).
SORTS = {
    "name": ("legal_last_name", "legal_first_name", "pk"),
    "-name": ("-legal_last_name", "-legal_first_name", "-pk"),
    "admitted": ("admitted_on", "pk"),
    "-admitted": ("-admitted_on", "-pk"),
    "record": ("record_number",),
    "-record": ("-record_number",),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
}


def caseload(user: User, *, q: str = "", programme: str = "", status: str = "",
             sort: str = "name"):
    """The clients `user` may see, searched, filtered and sorted as on the caseload page."""
    clients = Client.objects.for_user(user).select_related(
        "primary_practitioner", "secondary_practitioner")
    for word in q.split()[:5]:
        clients = clients.filter(
            Q(legal_first_name__icontains=word) | Q(legal_last_name__icontains=word)
            | Q(preferred_name__icontains=word) | Q(record_number__icontains=word))
    if programme:
        clients = clients.filter(programme=programme)
    if status == "all":
        pass
    elif status:
        clients = clients.filter(status=status)
    else:
        clients = clients.exclude(status=Status.ARCHIVED)
    return clients.order_by(*SORTS.get(sort or "name", SORTS["name"]))
