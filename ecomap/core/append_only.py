"""Append-only records: clinical snapshots and logs that are written once and never changed or deleted.

A model derives from `AppendOnlyModel`; its rows are frozen once saved, or once `frozen_when` holds
(a questionnaire is a draft until completed). `amendable_fields` may still be written on a frozen row
through `save(update_fields=[...])`, `update()` or a `save()` that changes nothing else: marking an
entry in error, revoking a consent. Every other change refuses with `AppendOnlyError`: `save()`,
`delete()`, `queryset.update()`, `queryset.delete()`.

The database enforces the same rule, so raw SQL is refused too: a migration adds
`AppendOnlyTriggers("model")` after the table is created (and again when columns are added, so that
SQLite's trigger names them). On PostgreSQL one trigger function compares the whole row as JSON less the
amendable columns; on SQLite the trigger names each column and asks `ecomap_append_only_enforced()`, a
function each connection registers, so a connection without ecomap (the sqlite3 shell) fails closed.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import models
from django.db.backends.signals import connection_created
from django.db.migrations.operations.base import Operation
from django.utils.translation import gettext_lazy as _

from .refusal import Conflict


class AppendOnlyError(Conflict):
    """A frozen record was to be changed or deleted."""


def _refuse(model, what: str):
    raise AppendOnlyError(_("%(record)s records are never %(what)s; record a new one instead.") % {
        "record": str(model._meta.verbose_name).capitalize(), "what": what})


class AppendOnlyQuerySet(models.QuerySet):
    def _frozen(self):
        rule = self.model.frozen_when
        return self if rule is None else self.filter(**{rule[0]: rule[1]})

    def update(self, **kwargs):
        if not set(kwargs) <= _amendable(self.model) and self._frozen().exists():
            _refuse(self.model, _("changed"))
        return super().update(**kwargs)

    def delete(self):
        if self._frozen().exists():
            _refuse(self.model, _("deleted"))
        return super().delete()

    delete.queryset_only = True


def _amendable(model) -> set[str]:
    names = set()
    for name in model.amendable_fields:
        field = model._meta.get_field(name)
        names |= {field.name, field.attname}
    return names


class AppendOnlyModel(models.Model):
    """Abstract base of every append-only record."""

    # (field, value): rows are frozen once the field has this value; None: frozen once saved.
    frozen_when: tuple[str, Any] | None = None
    # Fields that may still be written on a frozen row (error marking, revocation).
    amendable_fields: tuple[str, ...] = ()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.is_frozen:
            amendable = _amendable(type(self))
            fields = kwargs.get("update_fields")
            if fields is None and amendable and not self._changed_beyond(amendable):
                # A plain save() that only amends: write the amendable columns, as the database
                # rule allows (it compares the other columns).
                kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                           if f.attname in amendable]
            elif fields is None or not set(fields) <= amendable:
                _refuse(type(self), _("changed"))
        super().save(*args, **kwargs)
        self._stored_frozen = self._frozen_now()

    def delete(self, *args, **kwargs):
        if self.is_frozen or self._frozen_now():
            _refuse(type(self), _("deleted"))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        rule = cls.frozen_when
        if rule is None or cls._meta.get_field(rule[0]).attname in instance.__dict__:
            instance._stored_frozen = instance._frozen_now()
        # else the rule's field was deferred (.only()): `is_frozen` asks the database if needed
        return instance

    def _changed_beyond(self, amendable: set[str]) -> bool:
        """Whether a field other than the amendable ones differs from the stored row."""
        names = [f.attname for f in self._meta.concrete_fields if f.attname not in amendable]
        stored = type(self)._base_manager.filter(pk=self.pk).values(*names).first()
        return stored is None or any(stored[name] != getattr(self, name) for name in names)

    def _frozen_now(self) -> bool:
        rule = self.frozen_when
        return rule is None or getattr(self, rule[0]) == rule[1]

    @property
    def is_frozen(self) -> bool:
        if self._state.adding:
            return False
        stored = getattr(self, "_stored_frozen", None)
        if stored is None:
            if self.frozen_when is None:
                return True
            stored = type(self)._base_manager.filter(
                pk=self.pk, **{self.frozen_when[0]: self.frozen_when[1]}).exists()
        return stored


# --- the database's half ---------------------------------------------------------------------------

_enforced = True


@contextlib.contextmanager
def suspended():
    """Lift the SQLite triggers for this process: only the test suite's database flush uses it."""
    global _enforced
    _enforced = False
    try:
        yield
    finally:
        _enforced = True


def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "ecomap_append_only_enforced", 0, lambda: int(_enforced))


connection_created.connect(_register_sqlite_function, dispatch_uid="ecomap_append_only")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ecomap_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(OLD) - coalesce(TG_ARGV, '{}'::text[]))
           IS NOT DISTINCT FROM (to_jsonb(NEW) - coalesce(TG_ARGV, '{}'::text[]))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' rows are append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def _quote(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def trigger_sql(vendor: str, table: str, columns: list[str], *, frozen_when=None,
                amendable: tuple[str, ...] = ()) -> list[str]:
    """The statements that make `table` append-only on `vendor` (after dropping older ones)."""
    frozen = f"OLD.{frozen_when[0]} = {_quote(frozen_when[1])}" if frozen_when else ""
    if vendor == "postgresql":
        when = f" WHEN ({frozen})" if frozen else ""
        args = ", ".join(_quote(c) for c in amendable)
        return [
            PG_FUNCTION,
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW{when} EXECUTE FUNCTION ecomap_append_only({args})",
        ]
    if vendor == "sqlite":
        guard = "ecomap_append_only_enforced()" + (f" AND {frozen}" if frozen else "")
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns if c not in amendable)
        raise_ = f"SELECT RAISE(ABORT, '{table} rows are append-only')"
        return [
            f"DROP TRIGGER IF EXISTS {table}_append_only_update",
            f"DROP TRIGGER IF EXISTS {table}_append_only_delete",
            f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN {guard} AND ({changed or '0'}) BEGIN {raise_}; END",
            f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} FOR EACH ROW "
            f"WHEN {guard} BEGIN {raise_}; END",
        ]
    return []


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only_update",
                f"DROP TRIGGER IF EXISTS {table}_append_only_delete"]
    return []


class AppendOnlyTriggers(Operation):
    """Migration operation: the database refuses changes to the model's frozen rows.

    The model's `frozen_when` and `amendable_fields` are read from the model class itself (not the
    migration state, which does not keep them), so the trigger always matches the Python rule.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label, state):
        pass

    def _rule(self, app_label):
        from django.apps import apps

        model = apps.get_model(app_label, self.model_name)
        amendable = tuple(model._meta.get_field(name).column for name in model.amendable_fields)
        frozen = model.frozen_when
        if frozen is not None:
            frozen = (model._meta.get_field(frozen[0]).column, frozen[1])
        return frozen, amendable

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        frozen, amendable = self._rule(app_label)
        columns = [field.column for field in model._meta.local_concrete_fields]
        for sql in trigger_sql(schema_editor.connection.vendor, model._meta.db_table, columns,
                               frozen_when=frozen, amendable=amendable):
            schema_editor.execute(sql, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        for sql in drop_sql(schema_editor.connection.vendor, model._meta.db_table):
            schema_editor.execute(sql, params=None)

    def describe(self):
        return f"Make {self.model_name} append-only in the database"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_append_only"
