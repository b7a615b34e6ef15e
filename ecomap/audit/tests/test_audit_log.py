from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from ecomap.audit import services as audit
from ecomap.audit.models import AppendOnlyError, AuditChainHead, AuditEntry
from ecomap.core import context

from .tampering import tamper


@pytest.mark.django_db
def test_record_holds_the_e2147_fields(practitioner, client_record):
    ctx = context.RequestContext(path="/clients/1/", ip="10.0.0.7", user_agent="pytest")
    with context.bind(ctx):
        entry = audit.record("ecomap.client.viewed", actor=practitioner, client=client_record,
                             obj=client_record, purpose="treatment")
    assert entry.occurred_at is not None  # 7.1.1
    assert entry.client == client_record  # 7.1.2
    assert entry.action == "ecomap.client.viewed"  # 7.1.6
    assert (entry.actor, entry.actor_username, entry.actor_role) == (
        practitioner, "practitioner", "practitioner")  # 7.1.7
    assert (entry.object_type, entry.object_id) == ("clients.client", str(client_record.pk))  # 7.1.8
    assert (entry.ip, entry.user_agent, entry.request_id) == ("10.0.0.7", "pytest",
                                                             ctx.request_id)  # 7.1.9


@pytest.mark.django_db
def test_system_actor_without_request():
    entry = audit.record("ecomap.system.backup", actor="system:backup")
    assert entry.actor is None and entry.actor_username == "system:backup"
    assert entry.actor_role == "system" and entry.request_id == ""


@pytest.mark.django_db
def test_actions_are_namespaced():
    with pytest.raises(ValueError, match="namespaced"):
        audit.record("viewed", actor="system:test")


@pytest.mark.django_db
def test_secrets_are_masked(admin_user):
    entry = audit.record("ecomap.admin.accounts.user.changed", actor=admin_user,
                         changes={"password": ["a", "b"], "role": ["practitioner", "admin"]})
    assert entry.changes == {"password": "********", "role": ["practitioner", "admin"]}


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted(practitioner):
    entry = audit.record("ecomap.auth.login", actor=practitioner)
    entry.action = "ecomap.auth.logout"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry()])


@pytest.mark.django_db
def test_chain_links_each_entry_to_the_one_before(practitioner):
    first = audit.record("ecomap.auth.login", actor=practitioner)
    second = audit.record("ecomap.auth.logout", actor=practitioner)
    assert first.prev_hash == audit.GENESIS and first.prev_seq == 0
    assert second.prev_hash == first.hash and second.prev_seq == first.seq
    assert second.seq > first.seq and (first.id, second.id) == (first.seq, second.seq)
    head = AuditChainHead.objects.get()  # one writer at a time: one lane
    assert (head.pk, head.seq, head.hash) == (second.lane, second.seq, second.hash)
    assert audit.verify_chain().ok


# Tampering is tested at large in test_tampering.py; these keep the original cases.


@pytest.mark.django_db
def test_verify_detects_an_altered_entry(practitioner):
    entries = [audit.record("ecomap.client.viewed", actor=practitioner) for _ in range(4)]
    tamper("UPDATE audit_auditentry SET actor_username = %s WHERE id = %s",
           ["someone_else", entries[2].pk])
    report = audit.verify_chain()
    assert not report.ok and report.seq == entries[2].seq
    assert "altered" in report.problem and report.checked == 2


@pytest.mark.django_db
def test_verify_detects_a_removed_entry(practitioner):
    entries = [audit.record("ecomap.client.viewed", actor=practitioner) for _ in range(4)]
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    report = audit.verify_chain()
    assert not report.ok and report.seq == entries[1].seq and "missing" in report.problem


@pytest.mark.django_db
def test_verify_detects_entries_removed_from_the_end(practitioner):
    entries = [audit.record("ecomap.client.viewed", actor=practitioner) for _ in range(3)]
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    report = audit.verify_chain()
    assert not report.ok and "removed" in report.problem and report.seq == entries[-1].seq


@pytest.mark.django_db
def test_the_database_refuses_update_and_delete_in_sql(practitioner):
    entries = [audit.record("ecomap.auth.login", actor=practitioner) for _ in range(3)]
    lane = entries[0].lane
    refused = [
        ("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entries[0].pk]),
        ("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk]),
        ("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk]),
        ("UPDATE audit_auditchainhead SET seq = %s WHERE id = %s", [entries[1].seq, lane]),
        ("UPDATE audit_auditchainhead SET hash = 'x' WHERE id = %s", [lane]),
    ]
    for sql, params in refused:
        with (pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
              connection.cursor() as cursor):
            cursor.execute(sql, params)
    assert audit.verify_chain().ok
    # The oldest rows too, on both databases (SQLite's triggers no longer spare them for flush).
    oldest = [("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk]),
              ("DELETE FROM audit_auditchainhead WHERE id = %s", [lane])]
    for sql, params in oldest:
        with (pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
              connection.cursor() as cursor):
            cursor.execute(sql, params)
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_audit_verify_command(practitioner, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    audit.record("ecomap.auth.login", actor=practitioner)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out
    entry = audit.record("ecomap.auth.logout", actor=practitioner)
    tamper("UPDATE audit_auditentry SET data = %s WHERE id = %s", ['{"x": 1}', entry.pk])
    with pytest.raises(CommandError, match="FAILED"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_diff_lists_only_changed_fields():
    assert audit.diff({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": None}) == {"b": ["x", "y"]}
