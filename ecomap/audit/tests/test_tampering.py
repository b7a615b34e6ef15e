"""verify_chain() against an intruder with SQL access: every kind of change to the log, at every
kind of place (an entry followed by others in its lane, the last entry of a lane; one lane, several
lanes interleaved), and a property test over random histories."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomap.audit import services as audit
from ecomap.audit.models import AuditChainHead, AuditEntry

from .tampering import LanePicker, forge_after, next_seq_with_gaps, swap_seqs, tamper


@pytest.fixture
def lanes(monkeypatch):
    picker = LanePicker()
    monkeypatch.setattr(audit, "_claim", picker)
    monkeypatch.setattr(audit, "_next_seq", next_seq_with_gaps(audit._next_seq))
    return picker


def write(lanes, count: int, lane_count: int) -> list[AuditEntry]:
    entries = []
    for number in range(count):
        lanes.lane = number % lane_count + 1
        entries.append(audit.record("ecomap.client.viewed", actor="system:test",
                                    data={"n": number}))
    return entries


def successor(entries, entry):
    return next(e for e in entries if e.lane == entry.lane and e.seq > entry.seq)


KINDS = ["alter", "delete", "insert", "reorder"]


@pytest.mark.django_db
@pytest.mark.parametrize("lane_count", [1, 3])
@pytest.mark.parametrize("place", ["inside", "tip"])
@pytest.mark.parametrize("kind", KINDS)
def test_verify_detects_every_tampering(lanes, kind, place, lane_count):
    entries = write(lanes, 9, lane_count)
    assert audit.verify_chain().ok
    target = entries[1] if place == "inside" else entries[-1]  # tip: last entry of its lane
    if kind == "alter":
        tamper("UPDATE audit_auditentry SET data = %s WHERE id = %s", ['{"n": 99}', target.pk])
        expected, words = target.seq, "altered"
    elif kind == "delete":
        tamper("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
        expected, words = target.seq, ("missing" if place == "inside" else "removed")
    elif kind == "insert":
        forged = forge_after(target, target.seq + 1)  # into the gap after it
        if place == "inside":
            expected, words = successor(entries, target).seq, "does not follow"
        else:
            expected, words = forged.seq, "not written through the head"
    else:
        other = successor(entries, target) if place == "inside" else entries[-2]
        swap_seqs(target, other)
        expected, words = min(target.seq, other.seq), "altered"
    report = audit.verify_chain()
    assert not report.ok
    assert (report.seq, words in report.problem) == (expected, True), report


@pytest.mark.django_db
def test_verify_detects_an_entry_moved_to_another_lane(lanes):
    entries = write(lanes, 6, 2)
    tamper("UPDATE audit_auditentry SET lane = 2 WHERE id = %s", [entries[2].pk])
    assert not audit.verify_chain().ok


@pytest.mark.django_db
def test_verify_detects_a_lane_without_head_or_with_a_rewound_head(lanes):
    entries = write(lanes, 4, 2)
    tamper("UPDATE audit_auditchainhead SET seq = %s, hash = %s WHERE id = 2",
           [entries[1].seq, entries[1].hash])
    report = audit.verify_chain()
    assert not report.ok and report.seq == entries[3].seq
    tamper("DELETE FROM audit_auditchainhead WHERE id = 2")
    report = audit.verify_chain()
    assert not report.ok and "no head" in report.problem and report.seq == entries[1].seq


@pytest.mark.django_db
def test_rolled_back_entries_do_not_break_verification(practitioner):
    audit.record("ecomap.auth.login", actor=practitioner)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record("ecomap.client.updated", actor=practitioner)
        raise ZeroDivisionError  # the change the entry describes fails: both roll back
    after = audit.record("ecomap.auth.logout", actor=practitioner)
    assert audit.verify_chain() == audit.ChainReport(True, 2)
    assert after.prev_seq == AuditEntry.objects.order_by("seq").first().seq
    assert "ecomap.client.updated" not in AuditEntry.objects.values_list("action", flat=True)


@pytest.mark.django_db
def test_a_lane_created_by_a_rolled_back_transaction_leaves_no_trace(lanes):
    write(lanes, 2, 1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        lanes.lane = 7
        audit.record("ecomap.client.updated", actor="system:test")
        raise ZeroDivisionError
    assert not AuditChainHead.objects.filter(pk=7).exists()
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_a_log_written_before_lanes_still_verifies_and_continues():
    """What migration 0003 leaves: the old single chain (no prev_seq, lane 1, ids >= seqs, as
    on PostgreSQL where the old write path's rollbacks used ids) with its head as lane 1."""
    prev = audit.GENESIS
    for seq in range(1, 4):
        entry = AuditEntry(seq=seq, id=audit._next_seq(), action=f"ecomap.old.{seq}",
                           actor_username="system:old", actor_role="system",
                           occurred_at=audit.timezone.now(), prev_hash=prev, lane=1)
        entry.hash = audit.entry_hash(prev, audit._hashed_fields(entry))
        entry.save(force_insert=True)
        prev = entry.hash
    AuditChainHead.objects.create(pk=1, seq=3, hash=prev)
    assert audit.verify_chain().ok
    new = audit.record("ecomap.auth.login", actor="system:test")
    assert (new.lane, new.prev_seq, new.prev_hash) == (1, 3, prev) and new.seq > 3
    assert audit.verify_chain() == audit.ChainReport(True, 4)
    tamper("DELETE FROM audit_auditentry WHERE seq = 2")
    report = audit.verify_chain()
    assert not report.ok and report.seq == 2 and "missing" in report.problem


# --- property: any history verifies; any single change to it does not ----------------------------

steps = st.lists(st.tuples(st.sampled_from(["write", "write", "rollback", "verify"]),
                           st.integers(1, 4)), min_size=1, max_size=25)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=steps, kind=st.sampled_from(KINDS), pick=st.integers(0, 10**6))
def test_random_histories_verify_and_any_tampering_is_caught(lanes, history, kind, pick):
    with transaction.atomic():
        written = []
        for step, lane in history:
            lanes.lane = lane
            if step == "write":
                written.append(audit.record("ecomap.client.viewed", actor="system:test"))
            elif step == "rollback":
                try:
                    with transaction.atomic():
                        audit.record("ecomap.client.viewed", actor="system:test")
                        raise RuntimeError
                except RuntimeError:
                    pass
            else:
                assert audit.verify_chain().ok
        report = audit.verify_chain()
        assert report.ok and report.checked == len(written)
        if written:
            target = written[pick % len(written)]
            if kind == "alter":
                tamper("UPDATE audit_auditentry SET actor_username = 'x' WHERE id = %s",
                       [target.pk])
            elif kind == "delete":
                tamper("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
            elif kind == "insert":  # a fork: a second successor of target, at the end
                forge_after(target, max(e.seq for e in written) + 1)
            elif len(written) > 1:
                others = [e for e in written if e.pk != target.pk]
                swap_seqs(target, others[pick % len(others)])
            else:
                tamper("UPDATE audit_auditentry SET seq = seq + 1 WHERE id = %s", [target.pk])
            assert not audit.verify_chain().ok
        transaction.set_rollback(True)
