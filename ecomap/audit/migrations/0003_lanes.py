"""Lanes: the log becomes several hash chains written side by side (see models.py).

Existing entries keep their hashes: they are lane 1, whose head is the old single chain head (pk 1),
so a log written before this migration verifies unchanged after it.

Database guards, now on SQLite too:
- entries: UPDATE refused (PostgreSQL since 0002).
- lanes: DELETE refused, and an UPDATE may only move a head forward (the writer's UPDATE).
- SQLite only: DELETE of an entry refused too, except of the oldest remaining row, and likewise for
  lanes. That exception is how Django's flush empties the tables between transactional tests
  (DELETE FROM in rowid order); deleting a prefix of the log and leaving the rest still fails
  `verify_chain()`, since the next entry's predecessor is gone. PostgreSQL's flush uses TRUNCATE,
  which row triggers do not see, so there every DELETE is refused.
A later migration that makes SQLite rebuild one of these tables (it does for most field changes)
drops its triggers: such a migration must run `create_sqlite_triggers` again.
"""

from django.db import migrations, models

POSTGRESQL = """
CREATE OR REPLACE FUNCTION audit_lane_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION USING MESSAGE = 'audit lanes are append-only: DELETE refused';
    END IF;
    IF NEW.id <> OLD.id OR NEW.seq <= OLD.seq THEN
        RAISE EXCEPTION USING MESSAGE = 'audit lanes are append-only: a head only moves forward';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_lane_forward_only ON audit_auditchainhead;
CREATE TRIGGER audit_lane_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_lane_forward_only();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS audit_lane_forward_only ON audit_auditchainhead;
DROP FUNCTION IF EXISTS audit_lane_forward_only();
"""

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_auditentry
    WHEN OLD.id > (SELECT MIN(id) FROM audit_auditentry)
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_lane_forward_only BEFORE UPDATE ON audit_auditchainhead
    WHEN NEW.id <> OLD.id OR NEW.seq <= OLD.seq
    BEGIN SELECT RAISE(ABORT, 'audit lanes are append-only: a head only moves forward'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_lane_no_delete BEFORE DELETE ON audit_auditchainhead
    WHEN OLD.id > (SELECT MIN(id) FROM audit_auditchainhead)
    BEGIN SELECT RAISE(ABORT, 'audit lanes are append-only: DELETE refused'); END""",
]
SQLITE_TRIGGERS = ["audit_entry_no_update", "audit_entry_no_delete", "audit_lane_forward_only",
                   "audit_lane_no_delete"]


def create_sqlite_triggers(schema_editor):
    for sql in SQLITE:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        create_sqlite_triggers(schema_editor)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [
        migrations.AlterModelOptions(name="auditchainhead",
                                     options={"verbose_name": "audit lane"}),
        migrations.AddField(model_name="auditentry", name="lane",
                            field=models.PositiveIntegerField(default=1, editable=False)),
        migrations.AddField(model_name="auditentry", name="prev_seq",
                            field=models.PositiveBigIntegerField(editable=False, null=True)),
        migrations.RunPython(forwards, backwards),
    ]
