"""Audit entries use the kernel's append-only rule (ecomap.core.append_only), as every other
clinical log does: one trigger refuses UPDATE and DELETE on PostgreSQL and SQLite alike.

This replaces 0002's PostgreSQL trigger and 0003's SQLite entry triggers, whose DELETE trigger let
the oldest row go so that the test suite's flush could empty the table; the kernel's SQLite trigger
asks `ecomap_append_only_enforced()` instead, which only the test suite's flush turns off, and which
a connection without ecomap (the sqlite3 shell) does not have, so there every change is refused.
The lanes' SQLite DELETE trigger gets the same guard in place of its oldest-row exception.
"""

from django.db import migrations

from ecomap.core.append_only import AppendOnlyTriggers

LANE_NO_DELETE = """CREATE TRIGGER audit_lane_no_delete BEFORE DELETE ON audit_auditchainhead
    WHEN ecomap_append_only_enforced()
    BEGIN SELECT RAISE(ABORT, 'audit lanes are append-only: DELETE refused'); END"""
LANE_NO_DELETE_OLD = """CREATE TRIGGER audit_lane_no_delete BEFORE DELETE ON audit_auditchainhead
    WHEN OLD.id > (SELECT MIN(id) FROM audit_auditchainhead)
    BEGIN SELECT RAISE(ABORT, 'audit lanes are append-only: DELETE refused'); END"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
    elif vendor == "sqlite":
        for name in ("audit_entry_no_update", "audit_entry_no_delete", "audit_lane_no_delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(LANE_NO_DELETE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_lane_no_delete")
        schema_editor.execute(LANE_NO_DELETE_OLD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_lanes")]
    operations = [
        migrations.RunPython(forwards, backwards),
        AppendOnlyTriggers("auditentry"),
    ]
