"""Writers in separate transactions (separate connections) never wait for each other."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from ecomap.audit import services as audit
from ecomap.audit.models import AuditChainHead, AuditEntry


class OpenTransaction:
    """A writer in a thread of its own (its own connection) that records entries and keeps its
    transaction open until told to commit."""

    def __init__(self, entries: int = 1):
        self.entries, self.written, self.error = entries, [], None
        self.ready, self.finish = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            with transaction.atomic():
                for _ in range(self.entries):
                    self.written.append(audit.record("ecomap.client.viewed", actor="system:a"))
                self.ready.set()
                assert self.finish.wait(timeout=60)
        except Exception as error:  # reported by the test, in its own thread
            self.error = error
        finally:
            self.ready.set()
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(timeout=60)
        assert self.error is None, self.error
        return self

    def __exit__(self, *exc):
        self.finish.set()
        self.thread.join(timeout=60)
        assert self.error is None, self.error


def no_waiting():
    """Make any lock wait of this connection an error rather than a delay."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")


postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite serialises writers by design (one write transaction at a time)")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_second_writer_completes_while_the_first_transaction_is_open():
    with OpenTransaction(entries=2) as first:
        no_waiting()
        with transaction.atomic():
            second = audit.record("ecomap.client.viewed", actor="system:b")
        assert first.thread.is_alive()  # still open: the second did not wait for its commit
        # Verification while an entry is in flight sees only committed entries and heads.
        assert audit.verify_chain() == audit.ChainReport(True, 1)
    lanes = {e.lane for e in first.written}
    assert len(lanes) == 1 and second.lane not in lanes  # one lane per open transaction
    assert [e.prev_seq for e in first.written][1] == first.written[0].seq
    assert audit.verify_chain() == audit.ChainReport(True, 3)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_lanes_are_reused_once_free():
    with OpenTransaction() as first, OpenTransaction() as other:
        no_waiting()
        third = audit.record("ecomap.client.viewed", actor="system:c")
    assert AuditChainHead.objects.count() == 3
    fourth = audit.record("ecomap.client.viewed", actor="system:d")  # all free: the first lane
    assert fourth.lane == min(AuditChainHead.objects.values_list("pk", flat=True))
    assert len({first.written[0].lane, other.written[0].lane, third.lane}) == 3
    assert audit.verify_chain() == audit.ChainReport(True, 4)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_verification_never_counts_an_in_flight_entry_as_tampering():
    audit.record("ecomap.client.viewed", actor="system:a")
    with OpenTransaction(entries=3):
        assert audit.verify_chain() == audit.ChainReport(True, 1)
    assert audit.verify_chain() == audit.ChainReport(True, 4)


@pytest.mark.django_db(transaction=True)
def test_entries_written_outside_any_transaction_verify():
    """Autocommit, as management commands write. Afterwards the tables are emptied by Django's
    flush, which the append-only triggers must let through (SQLite: see migration 0003)."""
    entries = [audit.record("ecomap.client.viewed", actor="system:test") for _ in range(3)]
    assert [e.prev_seq for e in entries[1:]] == [e.seq for e in entries[:-1]]
    assert audit.verify_chain() == audit.ChainReport(True, 3)
    assert AuditEntry.objects.count() == 3
