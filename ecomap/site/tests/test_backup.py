"""`ecomap backup` / `ecomap restore`: the file, the refusals, and true round trips.

In-process tests build varied data (non-ASCII names, dates, JSON, nullable foreign keys, m2m links to
groups and permissions, an admin log entry, a caseload transfer, audit entries). The round trips run
the real commands in subprocesses against throwaway databases: SQLite always; with DATABASE_URL on
PostgreSQL also PostgreSQL -> PostgreSQL and both cross-vendor directions (the databases are named
`ecomap_bk_*`, created and dropped here). Each compares the data sections of the source's backup and
of a backup taken after the restore, row by row.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ecomap.audit import services as audit
from ecomap.audit.models import AuditChainHead, AuditEntry
from ecomap.site import backup

REPO = Path(__file__).resolve().parents[3]
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


# --- data ----------------------------------------------------------------------------------------


def build_varied_data() -> dict:
    """Synthetic records exercising what a backup must carry exactly. Also run in subprocesses."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from ecomap.accounts.models import Role
    from ecomap.clients import services as client_services
    from ecomap.clients.models import Client, Status
    from ecomap.testing.factories import ClientFactory, TeamFactory, UserFactory

    team = TeamFactory(name="Équipe Nord – 北")
    admin = UserFactory(username="bk.admin", role=Role.ADMIN, first_name="Zoë",
                        last_name="Ñúñez-Østergaard")
    practitioner = UserFactory(username="bk.practitioner", team=team, first_name="Nguyễn",
                               last_name="Thị Minh Khai",
                               last_login=datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC))
    colleague = UserFactory(username="bk.colleague", team=team, first_name="Ōta", last_name="Ümit")
    group = Group.objects.create(name="Reviewers ✓")
    group.permissions.set(Permission.objects.filter(content_type__app_label="clients")
                          .order_by("codename")[:3])
    practitioner.groups.add(group)
    practitioner.user_permissions.add(Permission.objects.get(codename="view_client"))

    client = client_services.create_client(actor=admin, data={
        "legal_first_name": "Łucja", "legal_last_name": "O'Brien-Ådahl", "preferred_name": "Łu 🌱",
        "pronouns": "she/they", "date_of_birth": date(1950, 2, 28), "admitted_on": date(2024, 2, 29),
        "address": "Calle Mayor 5\n2º izq.\n28013 Madrid", "preferred_language": "Español",
        "notes": 'Prefers "tea" ☕ — and\ttabs', "programme": "co_occurring",
        "primary_practitioner": practitioner, "secondary_practitioner": None,
    })
    discharged = ClientFactory(
        primary_practitioner=practitioner, secondary_practitioner=colleague,
        legal_first_name="Đorđe", legal_last_name="Šćepanović", status=Status.DISCHARGED,
        discharged_on=date(2026, 1, 31), discharge_reason="Moved — to Zagreb",
        archived_at=datetime(2026, 2, 1, 23, 59, 59, 999999, tzinfo=UTC),
    )
    transfer = client_services.transfer_client(client, actor=admin, role="secondary", to=colleague,
                                               reason="Cobertura de vacaciones – julio")
    audit.record("ecomap.test.backup_data", actor=practitioner, client=client, obj=client,
                 data={"nested": {"list": [1, 2.5, None, True], "text": "ünïcödé ✓ \"q\""},
                       "empty": {}, "big": 2**53 + 1})
    audit.record("ecomap.test.no_client", actor="system:test")
    LogEntry.objects.create(
        user=admin, content_type=ContentType.objects.get_for_model(Client), object_id=str(client.pk),
        object_repr="client", action_flag=CHANGE, change_message='[{"changed": {"fields": ["x"]}}]',
    )
    return {"client": client, "discharged": discharged, "transfer": transfer, "group": group,
            "practitioner": practitioner}


def _counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backup.backed_up_models()}


def _read(path: Path) -> tuple[dict, list[bytes]]:
    with gzip.open(path, "rb") as gz:
        lines = gz.read().splitlines(keepends=True)
    return json.loads(lines[0]), lines[1:]


def _rows(path: Path) -> tuple[dict, dict[str, dict]]:
    """The manifest and {model label: {pk: fields}} of a backup file."""
    manifest, lines = _read(path)
    rows: dict[str, dict] = {label: {} for label in manifest["counts"]}
    for line in lines:
        row = json.loads(line)
        rows[row["model"]][row["pk"]] = row["fields"]
    return manifest, rows


def _write(path: Path, manifest: dict, lines: list[bytes], *, rehash: bool = False) -> Path:
    if rehash:
        manifest = {**manifest, "data_sha256": hashlib.sha256(b"".join(lines)).hexdigest()}
    with gzip.open(path, "wb") as gz:
        gz.write(json.dumps(manifest).encode() + b"\n" + b"".join(lines))
    return path


def assert_same_records(before: Path, after: Path, *, appended: list[str]) -> None:
    """Every row of `before` is in `after` unchanged; `after` adds only the audit entries `appended`
    (actions, in order), which continue the hash chain."""
    m1, rows1 = _rows(before)
    m2, rows2 = _rows(after)
    assert m2["migrations"] == m1["migrations"]
    assert set(rows2) == set(rows1)
    for label in rows1:
        if label in {"audit.auditentry", "audit.auditchainhead"}:
            continue
        assert rows2[label] == rows1[label], label
    entries1 = sorted(rows1["audit.auditentry"].values(), key=lambda e: e["seq"])
    entries2 = sorted(rows2["audit.auditentry"].values(), key=lambda e: e["seq"])
    assert entries2[: len(entries1)] == entries1  # the same entries, hashes included
    assert set(rows1["audit.auditentry"]) <= set(rows2["audit.auditentry"])  # same ids too
    added = entries2[len(entries1):]
    assert [e["action"] for e in added] == appended
    previous = entries1[-1]["hash"]
    for entry in added:
        assert entry["prev_hash"] == previous
        previous = entry["hash"]
    [head1] = rows1["audit.auditchainhead"].values()
    [head2] = rows2["audit.auditchainhead"].values()
    assert (head1["seq"], head1["hash"]) == (entries1[-1]["seq"], entries1[-1]["hash"])
    assert (head2["seq"], head2["hash"]) == (entries2[-1]["seq"], entries2[-1]["hash"])


@pytest.fixture
def agency(practitioner, colleague, client_record, admin_user):
    """Varied data next to the conftest cast."""
    data = build_varied_data()
    audit.record("ecomap.client.viewed", actor=practitioner, client=client_record, obj=client_record)
    return data


@pytest.fixture
def rolled_back_backup(db, tmp_path):
    """A backup of varied data that was then rolled back: the test database is empty again."""
    path = tmp_path / "agency.ecomap.gz"
    with transaction.atomic():
        build_varied_data()
        backup.create_backup(path)
        transaction.set_rollback(True)
    assert not any(_counts().values())
    return path


# --- the file ------------------------------------------------------------------------------------


def test_backup_manifest_counts_and_own_audit_entry(agency, tmp_path):
    path = tmp_path / "agency.ecomap.gz"
    out = StringIO()
    call_command("backup", str(path), stdout=out)
    assert "Backup written" in out.getvalue() and "clients.client" in out.getvalue()
    assert "Łucja" not in out.getvalue()

    manifest, lines = _read(path)
    assert manifest["format"] == "ecomap-backup" and manifest["format_version"] == 1
    assert manifest["ecomap_version"] == backup.ecomap_version()
    assert manifest["source_vendor"] == connection.vendor
    created = datetime.fromisoformat(manifest["created_at"])
    assert created.utcoffset().total_seconds() == 0
    assert manifest["migrations"] == backup.applied_migrations()
    assert manifest["migrations"]["clients"].startswith("0001")
    assert manifest["counts"] == _counts()  # every backed-up model, its rows as they are now
    assert manifest["counts"]["clients.caseloadtransfer"] == 1
    assert manifest["counts"]["admin.logentry"] == 1 and manifest["counts"]["auth.group"] == 1
    assert manifest["rows"] == sum(manifest["counts"].values()) == len(lines)
    assert {"sessions.session", "contenttypes.contenttype", "auth.permission",
            "axes.accessattempt"} <= set(manifest["skipped"])
    assert manifest["data_sha256"] == hashlib.sha256(b"".join(lines)).hexdigest()

    rows = [json.loads(line) for line in lines]
    entries = [r["fields"] for r in rows if r["model"] == "audit.auditentry"]
    assert entries[-1]["action"] == "ecomap.system.backup"  # written before the dump: in the file
    assert entries[-1]["actor_username"] == "system:backup"
    assert entries[-1]["data"] == {"file": path.name}
    [head] = [r["fields"] for r in rows if r["model"] == "audit.auditchainhead"]
    assert (head["seq"], head["hash"]) == (entries[-1]["seq"], entries[-1]["hash"])
    # Microseconds survive (Django's JSON encoder would drop them and break the chain).
    [discharged] = [r["fields"] for r in rows if r["model"] == "clients.client"
                    and r["pk"] == agency["discharged"].pk]
    assert discharged["archived_at"] == "2026-02-01T23:59:59.999999+00:00"
    # Permissions travel by natural key, users and groups by pk.
    [user] = [r["fields"] for r in rows if r["model"] == "accounts.user"
              and r["pk"] == agency["practitioner"].pk]
    assert user["user_permissions"] == [["view_client", "clients", "client"]]
    assert user["groups"] == [agency["group"].pk]

    assert os.stat(path).st_mode & 0o777 == 0o600  # holds every record: private to its owner
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary files left


def test_backup_refuses_to_overwrite_unless_forced(agency, tmp_path):
    path = tmp_path / "b.ecomap.gz"
    path.write_text("precious")
    entries = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(path), stdout=StringIO())
    assert path.read_text() == "precious" and AuditEntry.objects.count() == entries
    call_command("backup", str(path), "--force", stdout=StringIO())
    assert backup.read_manifest(path)["rows"] > 0
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nowhere" / "b.gz"), stdout=StringIO())


def test_failed_backup_leaves_no_file(agency, tmp_path, monkeypatch):
    def broken(model, *args):
        if model._meta.label_lower == "clients.client":
            raise OSError("disk full")
        return real(model, *args)

    real = backup._dump_model
    monkeypatch.setattr(backup, "_dump_model", broken)
    with pytest.raises(OSError, match="disk full"):
        backup.create_backup(tmp_path / "b.ecomap.gz")
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_on_a_terminal(agency, tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    with backup.terminal_progress(screen) as progress:
        backup.create_backup(tmp_path / "b.ecomap.gz", progress=progress)
    assert "Backing up" in screen.getvalue()
    with backup.terminal_progress(io.StringIO()) as progress:
        assert progress is None  # plain output when not on a terminal


# --- refusals ------------------------------------------------------------------------------------


def test_restore_into_a_database_with_records_is_refused_and_changes_nothing(agency, tmp_path):
    path = tmp_path / "agency.ecomap.gz"
    backup.create_backup(path)
    before, head = _counts(), AuditChainHead.objects.get()
    with pytest.raises(CommandError, match="already holds records") as refused:
        call_command("restore", str(path), stdout=StringIO())
    assert "accounts.user" in str(refused.value) and "Łucja" not in str(refused.value)
    assert _counts() == before
    assert AuditChainHead.objects.get().seq == head.seq  # not even an audit entry
    assert audit.verify_chain().ok


def test_tampered_file_is_refused(rolled_back_backup, tmp_path):
    manifest, lines = _read(rolled_back_backup)
    edited = [line.replace("Łucja".encode(), b"Lucja") for line in lines]
    assert edited != lines
    path = _write(tmp_path / "edited.gz", manifest, edited)
    with pytest.raises(backup.BackupError, match="checksum"):
        backup.restore_backup(path)

    path = _write(tmp_path / "dropped.gz", manifest, lines[:-1])  # a row removed
    with pytest.raises(backup.BackupError, match="checksum"):
        backup.restore_backup(path)

    recounted = {**manifest, "counts": {**manifest["counts"], "clients.client": 99}}
    path = _write(tmp_path / "recounted.gz", recounted, lines)
    with pytest.raises(backup.BackupError, match="row counts"):
        backup.restore_backup(path)
    assert not any(_counts().values())


def test_damaged_or_foreign_files_are_refused(rolled_back_backup, tmp_path):
    data = rolled_back_backup.read_bytes()
    cases = {
        "truncated.gz": (data[: len(data) // 2], "damaged or truncated"),
        "plain.txt": (b"not a backup\n", "damaged or truncated"),
        "empty.gz": (b"", "not an ecomap backup"),
        "other.json.gz": (gzip.compress(b'{"model": "x"}\n'), "not an ecomap backup"),
        "newer.gz": (gzip.compress(json.dumps({"format": "ecomap-backup", "format_version": 2,
                                               "ecomap_version": "9.0"}).encode()),
                     "format 2"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.gz"), stdout=StringIO())
    assert not any(_counts().values())


def test_other_migrations_are_refused(rolled_back_backup, tmp_path):
    manifest, lines = _read(rolled_back_backup)
    future = {**manifest, "migrations": {**manifest["migrations"], "clients": "0099_future"}}
    path = _write(tmp_path / "future.gz", future, lines)
    with pytest.raises(backup.BackupError, match="other migrations") as refused:
        backup.restore_backup(path)
    assert "clients: backup 0099_future" in str(refused.value)
    assert "ecomap migrate" in str(refused.value)
    assert not any(_counts().values())


def test_rows_of_unknown_models_are_refused(rolled_back_backup, tmp_path):
    manifest, lines = _read(rolled_back_backup)
    extra = json.dumps({"model": "gone.thing", "pk": 1, "fields": {}}).encode() + b"\n"
    stranger = {**manifest, "counts": {**manifest["counts"], "gone.thing": 1}}
    path = _write(tmp_path / "stranger.gz", stranger, [*lines, extra], rehash=True)
    with pytest.raises(backup.BackupError, match="gone.thing"):
        backup.restore_backup(path)


def test_audit_chain_that_does_not_verify_rolls_everything_back(rolled_back_backup, tmp_path):
    manifest, lines = _read(rolled_back_backup)
    edited, done = [], False
    for line in lines:
        row = json.loads(line)
        if row["model"] == "audit.auditentry" and row["fields"]["action"] == "ecomap.test.no_client":
            row["fields"]["action"] = "ecomap.test.rewritten"
            line, done = json.dumps(row, ensure_ascii=False).encode() + b"\n", True
        edited.append(line)
    assert done
    path = _write(tmp_path / "rewritten.gz", manifest, edited, rehash=True)  # checksum passes
    with pytest.raises(CommandError, match="audit log in the backup does not verify"):
        call_command("restore", str(path), stdout=StringIO())
    assert not any(_counts().values())  # loaded, checked, rolled back: nothing remains


def test_rows_that_break_a_constraint_roll_everything_back(rolled_back_backup, tmp_path):
    manifest, lines = _read(rolled_back_backup)
    edited = []
    for line in lines:
        row = json.loads(line)
        if row["model"] == "clients.caseloadtransfer":
            row["fields"]["client"] = 987654  # no such client
            line = json.dumps(row, ensure_ascii=False).encode() + b"\n"
        edited.append(line)
    path = _write(tmp_path / "dangling.gz", manifest, edited, rehash=True)
    with pytest.raises(backup.BackupError, match="Nothing was changed"):
        backup.restore_backup(path)
    assert not any(_counts().values())


# --- in-process round trip -----------------------------------------------------------------------


def test_round_trip_in_process(rolled_back_backup, tmp_path):
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.models import Group

    from ecomap.accounts.models import Team, User
    from ecomap.clients.models import CaseloadTransfer, Client

    out = StringIO()
    call_command("restore", str(rolled_back_backup), stdout=out)
    assert "Restored" in out.getvalue() and "audit log verified" in out.getvalue()
    assert "Łucja" not in out.getvalue()

    client = Client.objects.get(legal_first_name="Łucja")
    assert (client.legal_last_name, client.preferred_name) == ("O'Brien-Ådahl", "Łu 🌱")
    assert client.address == "Calle Mayor 5\n2º izq.\n28013 Madrid"
    assert client.admitted_on == date(2024, 2, 29)
    assert client.secondary_practitioner.username == "bk.colleague"
    discharged = Client.objects.get(legal_last_name="Šćepanović")
    assert discharged.archived_at == datetime(2026, 2, 1, 23, 59, 59, 999999, tzinfo=UTC)
    practitioner = User.objects.get(username="bk.practitioner")
    assert practitioner.last_login.microsecond == 123456
    assert practitioner.check_password("correct horse battery staple")
    assert list(practitioner.groups.values_list("name", flat=True)) == ["Reviewers ✓"]
    assert Group.objects.get().permissions.count() == 3
    assert list(practitioner.user_permissions.values_list("codename", flat=True)) == ["view_client"]
    assert LogEntry.objects.get().get_edited_object() == client
    transfer = CaseloadTransfer.objects.get()
    assert transfer.client == client and transfer.reason == "Cobertura de vacaciones – julio"
    assert transfer.from_practitioner is None  # a null foreign key stays null
    entry = AuditEntry.objects.get(action="ecomap.test.backup_data")
    assert entry.data["nested"]["text"] == "ünïcödé ✓ \"q\"" and entry.data["big"] == 2**53 + 1

    report = audit.verify_chain()
    assert report.ok
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.action, last.actor_username) == ("ecomap.system.restore", "system:restore")
    # On PostgreSQL seqs come from a sequence and have gaps (rolled-back writes): count entries.
    assert last.data["file"] == rolled_back_backup.name
    assert report.checked == AuditEntry.objects.count()

    again = tmp_path / "again.ecomap.gz"
    backup.create_backup(again)
    assert_same_records(rolled_back_backup, again,
                        appended=["ecomap.system.restore", "ecomap.system.backup"])
    # New ids follow the restored ones (on PostgreSQL the sequences were reset).
    newest = max(Team.objects.values_list("pk", flat=True))
    assert Team.objects.create(name="After restore").pk > newest
    assert Client.objects.create(record_number="X-1", legal_first_name="A", legal_last_name="B",
                                 date_of_birth=date(1990, 1, 1), programme="mental_health",
                                 primary_practitioner=practitioner).pk > discharged.pk


# --- true round trips: the real commands in subprocesses -----------------------------------------


def ecomap(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-m", "ecomap.cli", *args], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"ecomap {args[0]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def _env(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ECOMAP_DATA_DIR=str(data_dir), ECOMAP_ENV="local",
               DJANGO_SETTINGS_MODULE="ecomap.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# The demo agency plus the varied data, with the fast password hasher of conftest.py (hashes travel
# verbatim whatever the hasher; argon2 would only make the test slow).
SEED = "; ".join([
    "from django.conf import settings",
    "settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']",
    "from django.core.management import call_command",
    "call_command('demo', verbosity=0)",
    "from ecomap.site.tests.test_backup import build_varied_data",
    "build_varied_data()",
])


@pytest.fixture(scope="module")
def sqlite_migrated(tmp_path_factory) -> Path:
    """A folder with a freshly migrated SQLite database, copied for each source and target."""
    folder = tmp_path_factory.mktemp("sqlite_migrated")
    ecomap("migrate", "-v0", env=_env(folder))
    return folder


def fresh_sqlite(migrated: Path, folder: Path) -> dict[str, str]:
    """Environment for `ecomap` on a new SQLite database in `folder`, as `ecomap migrate` makes it."""
    for file in migrated.glob("ecomap.sqlite3*"):
        shutil.copy(file, folder / file.name)
    return _env(folder)


@pytest.fixture(scope="module")
def sqlite_source(sqlite_migrated, tmp_path_factory) -> Path:
    """demo + varied data + `ecomap backup`, on a throwaway SQLite database."""
    folder = tmp_path_factory.mktemp("sqlite_source")
    env = fresh_sqlite(sqlite_migrated, folder)
    ecomap("shell", "-v0", "-c", SEED, env=env)
    ecomap("backup", str(folder / "source.ecomap.gz"), env=env)
    return folder / "source.ecomap.gz"


def test_round_trip_sqlite(sqlite_migrated, sqlite_source, tmp_path):
    env = fresh_sqlite(sqlite_migrated, tmp_path)
    ecomap("restore", str(sqlite_source), env=env)
    ecomap("backup", str(tmp_path / "after.ecomap.gz"), env=env)
    assert_same_records(sqlite_source, tmp_path / "after.ecomap.gz",
                        appended=["ecomap.system.restore", "ecomap.system.backup"])
    manifest, _ = _read(sqlite_source)
    assert manifest["source_vendor"] == "sqlite" and manifest["counts"]["clients.client"] >= 30


class PostgreSQL:
    """Throwaway databases on the test server, all named ecomap_bk_*, dropped at the end."""

    def __init__(self):
        import psycopg

        db = settings.DATABASES["default"]
        self.params = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432,
                       "user": db.get("USER") or "postgres", "password": db.get("PASSWORD") or None}
        self.admin = psycopg.connect(dbname="postgres", autocommit=True, **self.params)
        self.names: list[str] = []

    def create(self, template: str | None = None) -> str:
        from psycopg import sql

        name = f"ecomap_bk_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self.admin.execute(statement)
        self.names.append(name)
        return name

    def url(self, name: str) -> str:
        p = self.params
        auth = quote(p["user"]) + (f":{quote(p['password'])}" if p["password"] else "")
        return f"postgresql://{auth}@{p['host']}:{p['port']}/{name}"

    def close(self):
        from psycopg import sql

        for name in self.names:
            assert name.startswith("ecomap_bk_")
            self.admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
        self.admin.close()


needs_postgresql = pytest.mark.skipif(not ON_POSTGRESQL,
                                      reason="runs when DATABASE_URL points at PostgreSQL")


@pytest.fixture(scope="module")
def postgresql(tmp_path_factory):
    server = PostgreSQL()
    try:
        # Migrated once; every fresh database is a copy (CREATE DATABASE ... TEMPLATE): what
        # `ecomap migrate` makes, in a fraction of the time.
        server.migrated = server.create()
        ecomap("migrate", "-v0", env=_env(tmp_path_factory.mktemp("pg"), server.url(server.migrated)))
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def postgresql_source(postgresql, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pg_source")
    env = _env(folder, postgresql.url(postgresql.create(template=postgresql.migrated)))
    ecomap("shell", "-v0", "-c", SEED, env=env)
    ecomap("backup", str(folder / "source.ecomap.gz"), env=env)
    return folder / "source.ecomap.gz"


def _restore_into_postgresql(postgresql, source: Path, folder: Path) -> Path:
    env = _env(folder, postgresql.url(postgresql.create(template=postgresql.migrated)))
    ecomap("restore", str(source), env=env)
    ecomap("audit_verify", env=env)
    ecomap("backup", str(folder / "after.ecomap.gz"), env=env)
    return folder / "after.ecomap.gz"


@needs_postgresql
def test_round_trip_postgresql(postgresql, postgresql_source, tmp_path):
    after = _restore_into_postgresql(postgresql, postgresql_source, tmp_path)
    assert _read(postgresql_source)[0]["source_vendor"] == "postgresql"
    assert_same_records(postgresql_source, after, appended=[
        "ecomap.system.restore", "ecomap.audit.verified", "ecomap.system.backup"])


@needs_postgresql
def test_round_trip_sqlite_to_postgresql(postgresql, sqlite_source, tmp_path):
    after = _restore_into_postgresql(postgresql, sqlite_source, tmp_path)
    assert _read(after)[0]["source_vendor"] == "postgresql"
    assert_same_records(sqlite_source, after, appended=[
        "ecomap.system.restore", "ecomap.audit.verified", "ecomap.system.backup"])


@needs_postgresql
def test_round_trip_postgresql_to_sqlite(sqlite_migrated, postgresql_source, tmp_path):
    env = fresh_sqlite(sqlite_migrated, tmp_path)
    ecomap("restore", str(postgresql_source), env=env)
    ecomap("backup", str(tmp_path / "after.ecomap.gz"), env=env)
    assert_same_records(postgresql_source, tmp_path / "after.ecomap.gz",
                        appended=["ecomap.system.restore", "ecomap.system.backup"])

