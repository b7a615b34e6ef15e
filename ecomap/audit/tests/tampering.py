"""Test helpers: an intruder with SQL access, and writers forced onto chosen lanes."""

from __future__ import annotations

import importlib
from contextlib import contextmanager

from django.db import connection

from ecomap.audit import services as audit
from ecomap.audit.models import AuditChainHead, AuditEntry
from ecomap.core import append_only

lanes_migration = importlib.import_module("ecomap.audit.migrations.0003_lanes")


LANE_FORWARD_ONLY = next(sql for sql in lanes_migration.SQLITE if "audit_lane_forward_only" in sql)


@contextmanager
def triggers_off():
    """Switch the append-only triggers off, as a superuser could (and back on afterwards; the
    test's transaction rolls everything back anyway)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rather than ALTER TABLE ... DISABLE TRIGGER, which PostgreSQL refuses while the
            # transaction has deferred foreign key checks pending.
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER audit_lane_forward_only")
    try:
        with append_only.suspended():  # SQLite: the kernel's triggers ask this process
            yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = origin")
            else:
                cursor.execute(LANE_FORWARD_ONLY)


def tamper(sql: str, params=()) -> None:
    """Change audit rows behind the application's back."""
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def forge_after(entry: AuditEntry, seq: int) -> AuditEntry:
    """Insert an entry the application never wrote, chained onto `entry` with a correct hash
    (the intruder knows the algorithm), but without moving the lane's head."""
    forged = AuditEntry.objects.get(pk=entry.pk)
    forged.pk = forged.id = forged.seq = seq
    forged._state.adding = True
    forged.action = "ecomap.forged"
    forged.prev_seq, forged.prev_hash = entry.seq, entry.hash
    forged.hash = audit.entry_hash(forged.prev_hash, audit._hashed_fields(forged))
    forged.save(force_insert=True)
    return forged


def swap_seqs(a: AuditEntry, b: AuditEntry) -> None:
    """Reorder two entries: each takes the other's place in the sequence."""
    parked = 10**15
    tamper("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [parked, a.pk])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [a.seq, b.pk])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [b.seq, a.pk])


class LanePicker:
    """Stands in for services._claim: writes go to `lane`, so tests interleave lanes on
    SQLite too (where one connection could only ever use the first)."""

    def __init__(self):
        self.lane = 1

    def __call__(self) -> tuple[int, int, str, int]:
        head = (AuditChainHead.objects.filter(pk=self.lane).first()
                or AuditChainHead.objects.create(pk=self.lane))
        return head.pk, head.seq, head.hash, audit._next_seq()


def next_seq_with_gaps(real):
    """Stands in for services._next_seq, leaving a gap before every entry (as rolled-back
    transactions do on PostgreSQL), so that forged entries can be slipped in between."""

    def with_gap() -> int:
        if connection.vendor == "postgresql":
            real()
            return real()
        return real() + 1

    return with_gap
