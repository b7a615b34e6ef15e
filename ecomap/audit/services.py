"""Writing and checking the audit log. Every service that reads or changes a client's record calls
`record()` with the actor passed in, so commands and background tasks are audited like web requests.

Writing takes no lock that another writer waits for: each entry extends one of several hash chains
(lanes, see models.py), taken with SKIP LOCKED, and its seq comes from the id sequence.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from ecomap.core import context

from .models import AuditChainHead, AuditEntry, Outcome

GENESIS = "0" * 64
# Keys whose values never go into an audit entry, even in changed fields.
SECRET_KEYS = ("password", "secret", "token", "api_key")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _masked(values: dict) -> dict:
    return {
        key: "********" if any(s in key.lower() for s in SECRET_KEYS) else value
        for key, value in values.items()
    }


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "occurred_at": entry.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "actor_role": entry.actor_role,
        "client_id": entry.client_id,
        "action": entry.action,
        "outcome": entry.outcome,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "data": entry.data,
        "purpose": entry.purpose,
        "request_id": entry.request_id,
        "path": entry.path,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """Changed fields as {field: [before, after]}."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _jsonable(before.get(key)) != _jsonable(after.get(key))
    }


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for before/after comparison."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _jsonable(getattr(obj, name)) for name in names}


def record(
    action: str,
    *,
    actor,
    client=None,
    obj: models.Model | None = None,
    changes: dict | None = None,
    data: dict | None = None,
    outcome: str = Outcome.SUCCESS,
    purpose: str = "",
) -> AuditEntry:
    """Append one entry. `actor` is a User, or a string naming a system actor ("system:restore").

    `action` is namespaced, e.g. "ecomap.client.read". Runs in its own atomic block; inside a
    caller's transaction it commits or rolls back with the change it describes.
    """
    if not action.startswith("ecomap."):
        raise ValueError("Audit actions are namespaced under 'ecomap.'.")
    ctx = context.current()
    user = actor if isinstance(actor, models.Model) else None
    if user is not None and not user.is_authenticated:
        user = None
    entry = AuditEntry(
        occurred_at=timezone.now(),
        actor=user,
        actor_username=(user.get_username() if user else str(actor or "anonymous"))[:150],
        actor_role=getattr(user, "role", "") if user else "system",
        client=client,
        action=action,
        outcome=outcome,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        changes=_jsonable(_masked(changes or {})),
        data=_jsonable(_masked(data or {})),
        purpose=purpose,
        request_id=ctx.request_id if ctx else "",
        path=(ctx.path if ctx else "")[:500],
        ip=ctx.ip if ctx else "",
        user_agent=ctx.user_agent if ctx else "",
    )
    with transaction.atomic():
        entry.lane, entry.prev_seq, entry.prev_hash, entry.seq = _claim()
        entry.id = entry.seq
        entry.hash = entry_hash(entry.prev_hash, _hashed_fields(entry))
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=entry.lane).update(seq=entry.seq, hash=entry.hash)
    return entry


# A lane no other open transaction holds, locked until ours ends, with the new entry's seq.
# SKIP LOCKED: a busy lane is passed over, never waited for. A transaction that already holds a
# lane gets it again (its own lock does not count), so its entries stay on one chain. The seq is
# drawn after the lock is taken (outer query), so within a lane seqs grow in chain order.
# The seq is also the entry's id (ids of older entries are >= their seq, so both agree):
# - PostgreSQL: the id sequence, which never waits (it leaves gaps where a transaction rolls
#   back; backup/restore resets it past the highest id).
# - SQLite ignores FOR UPDATE, and needs it not: its write lock, held by our transaction
#   (BEGIN IMMEDIATE), serialises writers, so the first lane always serves and MAX + 1 is safe.
_CLAIM = {
    "postgresql": """
        SELECT lane.id, lane.seq, lane.hash,
               nextval(pg_get_serial_sequence('audit_auditentry', 'id'))
        FROM (SELECT id, seq, hash FROM audit_auditchainhead ORDER BY id LIMIT 1
              FOR NO KEY UPDATE SKIP LOCKED) AS lane""",
    "sqlite": """
        SELECT id, seq, hash, (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_auditentry)
        FROM audit_auditchainhead ORDER BY id LIMIT 1""",
}
_NEXT_SEQ = {
    "postgresql": "SELECT nextval(pg_get_serial_sequence('audit_auditentry', 'id'))",
    "sqlite": "SELECT COALESCE(MAX(id), 0) + 1 FROM audit_auditentry",
}


def _claim() -> tuple[int, int, str, int]:
    """(lane, seq of its last entry, hash of its last entry, the new entry's seq), in one query;
    a new lane when every lane is busy (or there is none yet)."""
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM[connection.vendor])
        row = cursor.fetchone()
    if row is not None:
        return row
    lane = AuditChainHead.objects.create()
    return lane.pk, lane.seq, lane.hash, _next_seq()


def _next_seq() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SEQ[connection.vendor])
        return cursor.fetchone()[0]


@dataclass
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def verify_chain(chunk_size: int = 2000) -> ChainReport:
    """Recompute every hash in seq order, lane by lane. Reports the first entry that was altered,
    inserted, removed or moved, or a lane whose last entries were removed.

    Heads are read after the entries, so an entry written during the check (its head moves in the
    same transaction) never counts as tampering: a head past the last entry seen must name an
    entry that exists now.
    """
    tips: dict[int, tuple[int, str]] = {}  # lane -> (seq, hash) of its last entry seen
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        tip_seq, tip_hash = tips.get(entry.lane, (0, GENESIS))
        if entry_hash(entry.prev_hash, _hashed_fields(entry)) != entry.hash:
            return ChainReport(False, checked, "was altered after it was written", entry.seq)
        # Entries from before lanes have no prev_seq; their chain (lane 1) had no gaps.
        prev_seq = entry.prev_seq if entry.prev_seq is not None else entry.seq - 1
        if prev_seq > tip_seq:
            return ChainReport(False, checked, f"entry {prev_seq} is missing", prev_seq)
        if prev_seq != tip_seq or entry.prev_hash != tip_hash:
            return ChainReport(False, checked, "does not follow the entry before it", entry.seq)
        tips[entry.lane] = (entry.seq, entry.hash)
        checked += 1
    heads = {head.pk: head for head in AuditChainHead.objects.all()}
    for lane in sorted(set(tips) - set(heads)):
        first = AuditEntry.objects.filter(lane=lane).order_by("seq").values_list("seq", flat=True)
        return ChainReport(False, checked, f"is on lane {lane}, which has no head",
                           first.first())
    for lane, head in sorted(heads.items()):
        tip_seq, tip_hash = tips.get(lane, (0, GENESIS))
        if head.seq == tip_seq and head.hash == tip_hash:
            continue
        if head.seq > tip_seq:
            if AuditEntry.objects.filter(lane=lane, seq=head.seq, hash=head.hash).exists():
                continue  # written since the entries were read
            return ChainReport(False, checked, f"entries after {tip_seq} on lane {lane} were "
                               "removed", head.seq)
        if head.seq == tip_seq:
            return ChainReport(False, checked, "does not match the head of its lane", tip_seq)
        beyond = (AuditEntry.objects.filter(lane=lane, seq__gt=head.seq).order_by("seq")
                  .values_list("seq", flat=True).first())
        return ChainReport(False, checked, "was not written through the head of its lane", beyond)
    return ChainReport(True, checked)
