"""Every append-only model has its database triggers after all migrations, and on SQLite the update
trigger names each column that may not change: a later migration that rebuilt a table (SQLite does
for most field changes) or added a column without making the triggers again fails here."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from ecomap.core.append_only import AppendOnlyModel


def append_only_models():
    return sorted((m for m in apps.get_models() if issubclass(m, AppendOnlyModel)),
                  key=lambda m: m._meta.label)


def test_the_logs_and_snapshots_are_append_only():
    labels = {m._meta.label for m in append_only_models()}
    assert {"audit.AuditEntry", "network.Assessment", "casework.NeedsAssessment",
            "measures.Administration", "consents.Consent", "consents.Disclosure"} <= labels


@pytest.mark.django_db
@pytest.mark.parametrize("model", append_only_models(), ids=lambda m: m._meta.label)
def test_the_database_has_the_triggers(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                           "AND NOT tgisinternal", [table])
            assert f"{table}_append_only" in {row[0] for row in cursor.fetchall()}
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                       "AND tbl_name = %s", [table])
        triggers = dict(cursor.fetchall())
    assert {f"{table}_append_only_update", f"{table}_append_only_delete"} <= set(triggers)
    amendable = {model._meta.get_field(name).column for name in model.amendable_fields}
    update = triggers[f"{table}_append_only_update"]
    for field in model._meta.local_concrete_fields:
        if field.column not in amendable:
            assert f'OLD."{field.column}"' in update, f"{table}.{field.column} is not guarded"
