"""Writing and checking the audit log. Every service that reads or changes a client's record calls
`record()` with the actor passed in, so commands and background tasks are audited like web requests."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
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

    `action` is namespaced, e.g. "ecomap.client.viewed". Runs in its own atomic block; inside a
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
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry.seq = head.seq + 1
        entry.prev_hash = head.hash
        entry.hash = entry_hash(entry.prev_hash, _hashed_fields(entry))
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


@dataclass
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def verify_chain(chunk_size: int = 2000) -> ChainReport:
    """Recompute every hash in order. Reports the first entry that was altered, inserted or removed."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return ChainReport(False, checked, f"entry {expected_seq} is missing", expected_seq)
        if entry.prev_hash != expected_prev:
            return ChainReport(False, checked, "does not follow the entry before it", entry.seq)
        if entry_hash(entry.prev_hash, _hashed_fields(entry)) != entry.hash:
            return ChainReport(False, checked, "was altered after it was written", entry.seq)
        expected_prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and (head.seq != checked or head.hash != expected_prev):
        return ChainReport(False, checked, f"entries after {checked} were removed", checked + 1)
    return ChainReport(True, checked)
