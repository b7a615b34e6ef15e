"""Lossless backup and restore of the whole database (`ecomap backup FILE`, `ecomap restore FILE`).

A backup is database-agnostic: taken from SQLite it restores into PostgreSQL and the other way round.

File format (format_version 1): gzip-compressed JSON lines, UTF-8.

    line 1    the manifest: {"format": "ecomap-backup", "format_version": 1, "ecomap_version",
              "created_at" (UTC, ISO 8601), "source_vendor" ("sqlite", "postgresql"),
              "migrations" {app label: latest applied migration}, "counts" {model label: rows},
              "rows" (total), "skipped" {model label: why its rows are not in the file},
              "data_sha256" (hex digest of the data section's bytes, as decompressed)}
    line 2..  the data section: one row per line in Django's serializer layout,
              {"model": "clients.client", "pk": 7, "fields": {...}}, grouped by model, in pk order.
              Primary keys are kept, so foreign keys, audit entries (whose hashes cover actor and
              client ids) and the audit chain head come back verbatim. Rows that point at a content
              type or a permission (recreated by `migrate`, with ids that differ between databases)
              name it by natural key. Date-times keep their microseconds (Django's own JSON encoder
              drops them, which would break the audit hash chain).

The manifest and the data section are two gzip members, so the counts and the checksum, known only
once every row is written, can come first without holding rows in memory; gzip readers see one stream
(`zcat FILE | head -1` shows the manifest).

Models are discovered (`apps.get_models()`), never listed; a new app's data is in the next backup.
Restore only loads into a freshly migrated, empty database with the same migrations, in one
transaction, and refuses (changing nothing) if anything is off, including an audit chain that does
not verify afterwards. Audit rows can never be deleted, so a restore never merges or overwrites.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import uuid
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol

from django.apps import apps
from django.core.management.color import no_style
from django.core.serializers import base as serializers_base
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise

from ecomap.audit import services as audit

FORMAT = "ecomap-backup"
FORMAT_VERSION = 1
CHUNK = 1000  # rows read per query and inserted per batch: memory stays flat for any agency size

# Whole apps whose rows are not records.
SKIPPED_APPS = {
    "sessions": "sign-ins are not records; everyone signs in again after a restore",
    "axes": "login-throttling state (recent failed sign-ins) that expires on its own; not records",
}
# Rows that `migrate` creates in every database; backed-up rows point at them by natural key.
RECREATED_BY_MIGRATE = {
    "contenttypes.contenttype": "created by migrate; rows that point at one name it by natural key",
    "auth.permission": "created by migrate; rows that point at one name it by natural key",
}


class BackupError(Exception):
    """A backup or restore was refused or failed; str(error) is a message for the operator.

    Messages name files, models, row counts and primary keys, never field values (personal data).
    """


class Progress(Protocol):
    def phase(self, description: str, total: int) -> None: ...

    def advance(self, rows: int) -> None: ...


class _NoProgress:
    def phase(self, description: str, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


@dataclass
class BackupSummary:
    path: Path
    counts: dict[str, int]
    rows: int
    size: int
    sha256: str
    manifest: dict[str, Any] = field(repr=False)


@dataclass
class RestoreSummary:
    counts: dict[str, int]
    rows: int
    audit_entries: int
    manifest: dict[str, Any] = field(repr=False)


# --- which models --------------------------------------------------------------------------------


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def skipped_models() -> dict[str, str]:
    """Model label -> why its rows are not backed up."""
    skipped = {}
    for model in apps.get_models():
        label, meta = _label(model), model._meta
        if meta.proxy:
            continue  # a proxy's rows are its concrete model's
        if label in RECREATED_BY_MIGRATE:
            skipped[label] = RECREATED_BY_MIGRATE[label]
        elif meta.app_label in SKIPPED_APPS:
            skipped[label] = SKIPPED_APPS[meta.app_label]
        elif not meta.managed:
            skipped[label] = "not managed by migrations (a view or an outside table)"
    return dict(sorted(skipped.items()))


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model of every installed app whose rows are records, in app order.

    Many-to-many links with an automatic through table travel inside their model's rows.
    """
    skipped = skipped_models()
    return [m for m in apps.get_models() if not m._meta.proxy and _label(m) not in skipped]


def _natural_key_models(backed_up: list[type[models.Model]]) -> set[type[models.Model]]:
    """Models that are not in the file but are pointed at: named by natural key instead of pk."""
    included = set(backed_up)
    natural = set()
    for model in backed_up:
        for f in model._meta.get_fields():
            if not (f.concrete and f.is_relation) or f.related_model in included:
                continue
            target = f.related_model._meta.concrete_model
            if target in included:
                continue
            if not hasattr(target, "natural_key") or not hasattr(
                target._default_manager, "get_by_natural_key"
            ):
                raise BackupError(
                    f"{_label(model)}.{f.name} points at {_label(target)}, whose rows are not backed "
                    "up and have no natural key; the backup could not be restored. Back it up too."
                )
            natural.add(target)
    return natural


# --- writing -------------------------------------------------------------------------------------


class _Encoder(json.JSONEncoder):
    """Lossless JSON for field values (DjangoJSONEncoder truncates times to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime | date | time):
            return o.isoformat()
        if isinstance(o, Decimal | uuid.UUID | Promise):
            return str(o)
        if isinstance(o, timedelta):
            return duration_iso_string(o)
        return super().default(o)


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, cls=_Encoder, ensure_ascii=False, separators=(",", ":")).encode()


class _RowSerializer(PythonSerializer):
    """Django's serializer, writing each row as it is made; natural keys only for `natural` targets."""

    def __init__(self, natural: set[type[models.Model]], emit):
        super().__init__()
        self._natural = natural
        self._emit = emit

    def end_object(self, obj):
        self._emit(self.get_dump_object(obj))
        self._current = None

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in self._natural
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in self._natural
        super().handle_m2m_field(obj, field)


def _queryset(model: type[models.Model], natural: set[type[models.Model]]) -> models.QuerySet:
    """All rows in pk order, with what the serializer needs fetched per chunk, not per row."""
    qs = model._base_manager.order_by("pk")
    related = []
    for f in model._meta.local_fields:
        if f.is_relation and f.related_model in natural:
            related.append(f.name)
            related += [f"{f.name}__{g.name}" for g in f.related_model._meta.local_fields
                        if g.is_relation and g.related_model in natural]
    if related:
        qs = qs.select_related(*related)
    prefetches = []
    for f in model._meta.local_many_to_many:
        if not f.remote_field.through._meta.auto_created:
            continue  # an explicit through model is backed up as a model of its own
        target = f.related_model
        if target in natural:
            inner = [g.name for g in target._meta.local_fields
                     if g.is_relation and g.related_model in natural]
            prefetches.append(Prefetch(f.name, target._base_manager.select_related(*inner)))
        else:
            prefetches.append(Prefetch(f.name, target._base_manager.only("pk")))
    if prefetches:
        qs = qs.prefetch_related(*prefetches)
    return qs


@contextmanager
def _snapshot():
    """One consistent view of the database while it is read, without stopping the app's writers.

    Rows written during the dump (say an audit entry) are then either wholly in the file or not at
    all, so the chain head and the entries always agree. Inside a caller's transaction (tests),
    that transaction's view is used.
    """
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django's atomic() would BEGIN IMMEDIATE (settings) and block writers for the whole dump;
        # a deferred read transaction in WAL mode is a snapshot that lets them carry on.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            yield


def applied_migrations() -> dict[str, str]:
    """App label -> name of the latest migration applied to the database."""
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app_label, ""):
            latest[app_label] = name
    return dict(sorted(latest.items()))


def ecomap_version() -> str:
    try:
        return importlib.metadata.version("ecomap")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish(tmp: Path, path: Path, force: bool) -> None:
    """Give the finished file its name in one step; never replace a file unless forced."""
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if `path` exists, even if it appeared a moment ago
    except FileExistsError:
        raise BackupError(f"{path} already exists; choose another name or add --force.") from None
    except OSError:  # no hard links on this file system
        if path.exists():
            raise BackupError(f"{path} already exists; choose another name or add --force.") from None
        os.replace(tmp, path)
    else:
        os.unlink(tmp)


def create_backup(path: str | Path, *, force: bool = False, progress: Progress | None = None
                  ) -> BackupSummary:
    """Write the whole database to `path` (see the module docstring for the format).

    The file appears under its name only when complete. Before reading, an
    `ecomap.system.backup` audit entry is written, so the backup holds the record of itself.
    """
    path = Path(path)
    progress = progress or _NoProgress()
    if path.is_dir():
        raise BackupError(f"{path} is a folder; name the backup file to write.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; choose another name or add --force.")
    if _unapplied_migrations():
        raise BackupError("This database is not fully migrated: run `ecomap migrate` first (or back "
                          "it up with the ecomap version that last migrated it).")
    selected = backed_up_models()
    natural = _natural_key_models(selected)

    audit.record("ecomap.system.backup", actor="system:backup", data={"file": path.name})

    tmp_data = tmp_final = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".data")
        tmp_data = Path(name)
        digest = hashlib.sha256()
        counts: dict[str, int] = {}
        with (os.fdopen(fd, "wb") as raw,
              gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out,
              _snapshot()):
            created_at = timezone.now().astimezone(UTC)
            migrations = applied_migrations()
            expected = {_label(m): m._base_manager.count() for m in selected}
            progress.phase("Backing up", sum(expected.values()))
            for model in selected:
                counts[_label(model)] = _dump_model(model, natural, out, digest, progress)
        if counts != expected:  # cannot happen inside a snapshot; never publish a torn backup
            raise BackupError("Rows changed while the backup was being written; run it again.")
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "ecomap_version": ecomap_version(),
            "created_at": created_at.isoformat(),
            "source_vendor": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "rows": sum(counts.values()),
            "skipped": skipped_models(),
            "data_sha256": digest.hexdigest(),
        }
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
        tmp_final = Path(name)
        with os.fdopen(fd, "wb") as final:
            with gzip.GzipFile(fileobj=final, mode="wb", mtime=0) as head:
                head.write(_dumps(manifest) + b"\n")
            with tmp_data.open("rb") as data:
                shutil.copyfileobj(data, final, 1 << 20)
            final.flush()
            os.fsync(final.fileno())
        _publish(tmp_final, path, force)
        _fsync_dir(path.parent)
    finally:
        for tmp in (tmp_data, tmp_final):
            if tmp is not None:
                tmp.unlink(missing_ok=True)
    return BackupSummary(path=path, counts=counts, rows=manifest["rows"], size=path.stat().st_size,
                         sha256=manifest["data_sha256"], manifest=manifest)


def _dump_model(model, natural, out: IO[bytes], digest, progress: Progress) -> int:
    written = pending = 0

    def emit(row: dict) -> None:
        nonlocal written, pending
        line = _dumps(row) + b"\n"
        digest.update(line)
        out.write(line)
        written += 1
        pending += 1
        if pending >= CHUNK:
            progress.advance(pending)
            pending = 0

    _RowSerializer(natural, emit).serialize(_queryset(model, natural).iterator(chunk_size=CHUNK))
    progress.advance(pending)
    return written


# --- reading -------------------------------------------------------------------------------------


def _damaged(path: Path, exc: BaseException) -> BackupError:
    return BackupError(f"{path} is not a readable ecomap backup: the file is damaged or truncated "
                       f"({type(exc).__name__}). Nothing was changed.")


@contextmanager
def _lines(path: Path) -> Iterator[Iterator[bytes]]:
    """The file's lines (bytes), turning read errors into a BackupError."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")

    def read(gz) -> Iterator[bytes]:
        try:
            yield from gz
        except (OSError, EOFError, zlib.error) as exc:
            raise _damaged(path, exc) from exc

    try:
        gz = gzip.open(path, "rb")  # noqa: SIM115 - closed below; opening errors are reported apart
    except OSError as exc:
        raise _damaged(path, exc) from exc
    with gz:
        yield read(gz)


def _parse_manifest(path: Path, line: bytes | None) -> dict[str, Any]:
    refused = f"{path} is not an ecomap backup (no manifest). Nothing was changed."
    if not line:
        raise BackupError(refused)
    try:
        manifest = json.loads(line)
    except ValueError:
        raise BackupError(refused) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(refused)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is an ecomap backup in format {manifest.get('format_version')!r}, written by "
            f"ecomap {manifest.get('ecomap_version')}; this ecomap ({ecomap_version()}) reads "
            f"format {FORMAT_VERSION}. Restore it with the ecomap version that wrote it."
        )
    expected_types = {"ecomap_version": str, "created_at": str, "source_vendor": str,
                      "migrations": dict, "counts": dict, "rows": int, "data_sha256": str}
    for key, kind in expected_types.items():
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"{path} has a damaged manifest ({key}). Nothing was changed.")
    return manifest


def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of a backup file, checked for shape (not the data: see `verify_backup`)."""
    path = Path(path)
    with _lines(path) as lines:
        return _parse_manifest(path, next(lines, None))


class _DataCheck:
    """Running checksum and per-model counts of the data section, compared with the manifest."""

    def __init__(self, path: Path, manifest: dict[str, Any]):
        self.path, self.manifest = path, manifest
        self.digest = hashlib.sha256()
        self.counts: Counter[str] = Counter()

    def row(self, line: bytes) -> dict[str, Any]:
        self.digest.update(line)
        try:
            row = json.loads(line)
        except ValueError:
            row = None
        if (not isinstance(row, dict) or not isinstance(row.get("model"), str)
                or not isinstance(row.get("fields"), dict) or "pk" not in row):
            raise BackupError(f"{self.path} has a damaged row after {self.counts.total()} rows. "
                              "Nothing was changed.")
        self.counts[row["model"]] += 1
        return row

    def finish(self) -> None:
        if self.digest.hexdigest() != self.manifest["data_sha256"]:
            raise BackupError(f"{self.path} failed its checksum: the file was changed or truncated "
                              "after it was written. Nothing was changed.")
        declared = {k: v for k, v in self.manifest["counts"].items() if v}
        if dict(self.counts) != declared:
            raise BackupError(f"{self.path} holds other row counts than its manifest declares. "
                              "Nothing was changed.")


def verify_backup(path: str | Path, progress: Progress | None = None) -> dict[str, Any]:
    """Read the whole file: manifest, every row's JSON, counts and checksum. Returns the manifest."""
    path = Path(path)
    progress = progress or _NoProgress()
    with _lines(path) as lines:
        manifest = _parse_manifest(path, next(lines, None))
        progress.phase("Checking", manifest["rows"])
        check = _DataCheck(path, manifest)
        for number, line in enumerate(lines, 1):
            check.row(line)
            if number % CHUNK == 0:
                progress.advance(CHUNK)
        progress.advance(check.counts.total() % CHUNK)
        check.finish()
    return manifest


# --- restoring -----------------------------------------------------------------------------------


def _unapplied_migrations() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def _check_migrations(manifest: dict[str, Any]) -> None:
    if _unapplied_migrations():
        raise BackupError("This database is not fully migrated. Run `ecomap migrate` on the empty "
                          "database first, then restore. Nothing was changed.")
    ours, theirs = applied_migrations(), manifest["migrations"]
    if ours != theirs:
        differences = [
            f"{app}: backup {theirs.get(app, '(none)')}, database {ours.get(app, '(none)')}"
            for app in sorted(set(ours) | set(theirs)) if ours.get(app) != theirs.get(app)
        ]
        raise BackupError(
            f"The backup was written by ecomap {manifest['ecomap_version']} with other migrations than "
            f"this database has ({'; '.join(differences)}). Restore it with the same ecomap version "
            "into a database migrated by that version (then upgrade and run `ecomap migrate`). "
            "Nothing was changed."
        )


def _check_empty(selected: list[type[models.Model]]) -> None:
    holding = [f"{_label(m)} ({m._base_manager.count()})" for m in selected
               if m._base_manager.exists()]
    if holding:
        raise BackupError(
            "This database already holds records: " + ", ".join(holding) + ". Restore only loads "
            "into a freshly migrated, empty database (audit entries can never be deleted, so a "
            "restore never merges or overwrites). Create a new database, run `ecomap migrate`, "
            "and restore into it. Nothing was changed."
        )


def _insert(rows: list[dict[str, Any]]) -> None:
    """Insert one model's rows verbatim (pks, auto_now dates and all), then their m2m links."""
    try:
        objects = list(PythonDeserializer(rows, using=connection.alias))
    except serializers_base.DeserializationError as exc:
        # The original message may quote a field value; name only the model and the row.
        first = rows[0]
        raise BackupError(f"A {first['model']} row near pk={first['pk']} could not be read "
                          f"({type(getattr(exc, 'original_exc', exc)).__name__}). "
                          "Nothing was changed.") from exc
    model = type(objects[0].object)
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    instances = [o.object for o in objects]
    size = max(1, min(CHUNK, connection.ops.bulk_batch_size(fields, instances)))
    for start in range(0, len(instances), size):
        # raw=True: values as stored in the file; no auto_now, defaults or signals.
        model._base_manager._insert(instances[start:start + size], fields=fields,
                                    using=connection.alias, raw=True)
    for name in {name for o in objects for name in o.m2m_data}:
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through
        source = through._meta.get_field(m2m.m2m_field_name()).attname
        target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
        links = [through(**{source: o.object.pk, target: pk})
                 for o in objects for pk in o.m2m_data.get(name, ())]
        through._base_manager.bulk_create(links, batch_size=CHUNK)


def _reset_sequences(selected: list[type[models.Model]]) -> None:
    """After rows with explicit ids, point PostgreSQL's id sequences past them (SQLite needs none)."""
    with_links = list(selected)
    for model in selected:
        with_links += [f.remote_field.through for f in model._meta.local_many_to_many
                       if f.remote_field.through._meta.auto_created]
    statements = connection.ops.sequence_reset_sql(no_style(), with_links)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def restore_backup(path: str | Path, progress: Progress | None = None) -> RestoreSummary:
    """Load a backup into this freshly migrated, empty database: everything or nothing.

    Refuses (BackupError, nothing changed) for a damaged or edited file, other migrations, a
    database that holds records, rows that break a constraint, or an audit chain that does not
    verify once loaded. On success appends an `ecomap.system.restore` audit entry.
    """
    path = Path(path)
    progress = progress or _NoProgress()
    manifest = read_manifest(path)
    _check_migrations(manifest)
    selected = backed_up_models()
    by_label = {_label(m): m for m in selected}
    unknown = sorted(set(manifest["counts"]) - set(by_label))
    if unknown:
        raise BackupError(f"The backup holds rows of models this ecomap does not restore "
                          f"({', '.join(unknown)}). Nothing was changed.")
    _check_empty(selected)
    verify_backup(path, progress)

    progress.phase("Restoring", manifest["rows"])
    try:
        with transaction.atomic():
            _check_empty(selected)  # again, now inside the transaction that writes
            with _lines(path) as lines:
                check = _DataCheck(path, _parse_manifest(path, next(lines, None)))
                if check.manifest != manifest:
                    raise BackupError(f"{path} changed during the restore. Nothing was changed.")
                batch: list[dict[str, Any]] = []
                for line in lines:
                    row = check.row(line)
                    if row["model"] not in by_label:
                        raise BackupError(f"The backup holds rows of {row['model']}, which this "
                                          "ecomap does not restore. Nothing was changed.")
                    if batch and (batch[0]["model"] != row["model"] or len(batch) >= CHUNK):
                        _insert(batch)
                        progress.advance(len(batch))
                        batch = []
                    batch.append(row)
                if batch:
                    _insert(batch)
                    progress.advance(len(batch))
                check.finish()
            try:
                connection.check_constraints(table_names=[m._meta.db_table for m in selected])
            except DatabaseError as exc:
                raise BackupError("The backup's rows break the database's rules (a row points at "
                                  "a missing one, or a value is out of range); run with "
                                  "--traceback for details. Nothing was changed.") from exc
            _reset_sequences(selected)
            report = audit.verify_chain()
            if not report.ok:
                raise BackupError(f"The audit log in the backup does not verify (entry {report.seq}: "
                                  f"{report.problem}). Nothing was changed.")
            audit.record("ecomap.system.restore", actor="system:restore", data={
                "file": path.name,
                "backup_created_at": manifest["created_at"],
                "source_vendor": manifest["source_vendor"],
                "ecomap_version": manifest["ecomap_version"],
                "rows": manifest["rows"],
                "data_sha256": manifest["data_sha256"],
            })
    except DatabaseError as exc:
        raise BackupError(f"The database refused the backup's rows ({type(exc).__name__}); run with "
                          "--traceback for details. Nothing was changed.") from exc
    return RestoreSummary(counts=dict(manifest["counts"]), rows=manifest["rows"],
                          audit_entries=report.checked, manifest=manifest)


# --- progress on a terminal ----------------------------------------------------------------------


class _RichProgress:
    def __init__(self, progress):
        self._progress = progress
        self._task = None

    def phase(self, description: str, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total)
        self._task = self._progress.add_task(description, total=total or None)

    def advance(self, rows: int) -> None:
        if self._task is not None and rows:
            self._progress.advance(self._task, rows)


def terminal_progress(stream: IO[str] | None = None):
    """A context manager giving a rich progress bar on a terminal (stderr), nothing otherwise."""
    stream = stream or sys.stderr
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return nullcontext(None)
    return _rich_progress(stream)


@contextmanager
def _rich_progress(stream):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(file=stream)) as bar:
        yield _RichProgress(bar)
