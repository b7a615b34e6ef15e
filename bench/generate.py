"""Build a large synthetic agency, fast, for the benchmark (bench/run.py) or to try pages at scale.

    .venv/bin/python bench/generate.py --data-dir /tmp/ecomap-big --migrate
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ecomap_bench_big \\
        .venv/bin/python bench/generate.py --migrate

Defaults: 30 teams, each with one supervisor and 10 practitioners (300), and 30,000 clients, about
100 per practitioner; a quarter of them also have a secondary practitioner from the same team, and
a few have a recorded caseload transfer. Everything comes from a seeded random generator, so the
same options give the same agency; all names are made up from syllables (no real person's data).

Rows are written with bulk_create in batches, which skips the services (and so `full_clean()` and
the audit log): the generated records have no "created" audit entries. That is deliberate: the audit
log is append-only and hash-chained, written one entry at a time by ecomap.audit.services.record,
and must never be bulk-created. Entries written later, by the benchmark's page views, chain normally.

The script refuses to run against the default ./data database: name the target with --data-dir,
ECOMAP_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SEED = 20261123
PASSWORD = "bench-password-not-secret"  # synthetic accounts in throw-away databases only
USERNAME_PREFIX = "bench."
TEAM_PREFIX = "Bench team"
# A fixed day, so the same seed gives the same dates whenever it runs (and none in the future).
ANCHOR = date(2025, 1, 1)

FIRST_NAMES = [
    "Alex", "Bea", "Carlos", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jade", "Kofi",
    "Lena", "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Ana", "Bo", "Cyra", "Dev", "Esme", "Femi", "Gia", "Hugo",
    "Ines", "Jonah", "Kai", "Lior", "Mina", "Noor", "Otto", "Pia", "Rafa", "Suri", "Teo", "Vera",
]
# Surnames are made from two syllables: 30 x 20 = 600 different ones, so a surname search finds a
# handful of a practitioner's clients, not half of them.
SURNAME_HEADS = [
    "Ab", "Bel", "Cor", "Dal", "Ek", "Fen", "Gar", "Hol", "Is", "Jar", "Kel", "Lom", "Mar", "Nor",
    "Ol", "Pen", "Quar", "Ros", "Sel", "Tam", "Ul", "Var", "Wes", "Yar", "Zan", "Bram", "Cal",
    "Dorn", "Frel", "Grim",
]
SURNAME_TAILS = [
    "ando", "berg", "cott", "dale", "escu", "ford", "gaard", "holm", "ing", "jian", "kova",
    "lund", "mont", "nesh", "oza", "perl", "quist", "rud", "sky", "tani",
]
PRONOUNS = ["she/her", "he/him", "they/them", "", "", "she/they", "he/they"]
LANGUAGES = ["English"] * 8 + ["Spanish", "Vietnamese", "Arabic", "Portuguese", "Polish"]
STREETS = ["Elm", "Harbour", "Mill", "Orchard", "Quarry", "Station", "Willow", "Brook"]


@dataclass
class Agency:
    teams: int = 0
    supervisors: int = 0
    practitioners: int = 0
    clients: int = 0
    secondary: int = 0
    transfers: int = 0
    seconds: float = 0.0
    caseloads: dict[str, int] = field(default_factory=dict)  # primary clients per username

    def summary(self) -> str:
        return (f"{self.teams} teams, {self.supervisors} supervisors, {self.practitioners} "
                f"practitioners, {self.clients} clients ({self.secondary} with a secondary "
                f"practitioner), {self.transfers} transfers in {self.seconds:.1f} s")


def surname(rng: random.Random) -> str:
    return rng.choice(SURNAME_HEADS) + rng.choice(SURNAME_TAILS)


def practitioner_username(n: int) -> str:
    return f"{USERNAME_PREFIX}p{n:04d}"


def bench_data_exists() -> bool:
    from ecomap.accounts.models import Team

    return Team.objects.filter(name__startswith=TEAM_PREFIX).exists()


def generate(*, practitioners: int = 300, teams: int = 30, clients: int = 30_000,
             secondary_share: float = 0.25, transfer_share: float = 0.03, seed: int = SEED,
             batch_size: int = 2000, progress=None) -> Agency:
    """Write the agency into the configured database (django.setup() must have run)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from ecomap.accounts.models import Role, Team, User
    from ecomap.clients.models import CaseloadTransfer, Client, Programme, Status

    if teams < 1 or practitioners < teams:
        raise ValueError("Need at least one team and at least one practitioner per team.")
    if bench_data_exists():
        raise RuntimeError("This database already holds a generated agency.")
    say = progress or (lambda message: None)
    started = time.perf_counter()
    rng = random.Random(seed)
    agency = Agency()
    # One hash for every account: hashing 300+ passwords with Argon2 would take most of the run.
    password = make_password(PASSWORD)
    now = datetime.combine(ANCHOR, datetime.min.time(), tzinfo=UTC)

    with transaction.atomic():
        team_rows = Team.objects.bulk_create(
            [Team(name=f"{TEAM_PREFIX} {n:02d}") for n in range(1, teams + 1)])
        agency.teams = len(team_rows)

        def person(username: str, role: str, team: Team | None) -> User:
            first, last = rng.choice(FIRST_NAMES), surname(rng)
            user = User(username=username, first_name=first, last_name=last, role=role, team=team,
                        email=f"{username}@bench.invalid", password=password)
            # User.save() derives these from the role; bulk_create does not call save().
            user.is_staff = user.is_superuser = role == Role.ADMIN
            return user

        staff = [person(f"{USERNAME_PREFIX}admin", Role.ADMIN, None)]
        staff += [person(f"{USERNAME_PREFIX}s{n:02d}", Role.SUPERVISOR, team)
                  for n, team in enumerate(team_rows, 1)]
        holders = [person(practitioner_username(n), Role.PRACTITIONER, team_rows[(n - 1) % teams])
                   for n in range(1, practitioners + 1)]
        User.objects.bulk_create(staff + holders, batch_size=batch_size)
        # Reload for primary keys (SQLite and PostgreSQL return them, but not every backend does).
        users = {u.username: u for u in User.objects.filter(username__startswith=USERNAME_PREFIX)}
        holders = [users[u.username] for u in holders]
        supervisors = {u.team_id: u for u in users.values() if u.role == Role.SUPERVISOR}
        team_members: dict[int, list[User]] = {}
        for holder in holders:
            team_members.setdefault(holder.team_id, []).append(holder)
        agency.supervisors, agency.practitioners = len(supervisors), len(holders)
        say(f"{agency.teams} teams, {agency.supervisors} supervisors, "
            f"{agency.practitioners} practitioners")

        programmes = Programme.values
        rows: list[Client] = []
        plans: list[tuple[int, User]] = []  # (row index, practitioner the client came from)
        for n in range(1, clients + 1):
            primary = rng.choice(holders)
            mates = [m for m in team_members[primary.team_id] if m.pk != primary.pk]
            secondary = rng.choice(mates) if mates and rng.random() < secondary_share else None
            first, last = rng.choice(FIRST_NAMES), surname(rng)
            admitted = ANCHOR - timedelta(days=rng.randint(30, 2500))
            roll = rng.random()
            status, discharged_on, reason, archived_at = Status.ACTIVE, None, "", None
            if roll < 0.15:
                status = Status.DISCHARGED
                discharged_on = admitted + timedelta(days=rng.randint(1, (ANCHOR - admitted).days))
                reason = rng.choice(["Goals met", "Moved away", "Chose to stop", "Referred on"])
                if roll < 0.03:
                    status = Status.ARCHIVED
                    archived_at = now - timedelta(days=rng.randint(0, 20))
            rows.append(Client(
                record_number=f"B-{n:07d}",
                legal_first_name=first,
                legal_last_name=last,
                preferred_name=rng.choice(["", "", "", "", first[:3]]),
                pronouns=rng.choice(PRONOUNS),
                date_of_birth=ANCHOR - timedelta(days=rng.randint(18 * 365, 75 * 365)),
                phone=f"555-01{rng.randint(0, 99):02d}",
                email=f"client{n}@bench.invalid",
                address=f"{rng.randint(1, 300)} {rng.choice(STREETS)} Street\nExampletown",
                preferred_language=rng.choice(LANGUAGES),
                programme=rng.choice(programmes),
                status=status,
                admitted_on=admitted,
                discharged_on=discharged_on,
                discharge_reason=reason,
                archived_at=archived_at,
                notes=rng.choice(["", "", "Prefers afternoon appointments.",
                                  "Contact by text first."]),
                primary_practitioner=primary,
                secondary_practitioner=secondary,
            ))
            agency.caseloads[primary.username] = agency.caseloads.get(primary.username, 0) + 1
            agency.secondary += secondary is not None
            if rng.random() < transfer_share and mates:
                plans.append((n - 1, rng.choice(mates)))

        for start in range(0, len(rows), batch_size):
            Client.objects.bulk_create(rows[start:start + batch_size])
            say(f"clients: {min(start + batch_size, len(rows))}/{len(rows)}")
        agency.clients = len(rows)
        if plans:
            ids = dict(Client.objects.filter(record_number__startswith="B-")
                       .values_list("record_number", "pk"))
            transfers = []
            for index, previous in plans:
                row = rows[index]
                transfers.append(CaseloadTransfer(
                    client_id=ids[row.record_number], role="primary",
                    from_practitioner=previous, to_practitioner=row.primary_practitioner,
                    transferred_by=supervisors[row.primary_practitioner.team_id],
                    transferred_at=now - timedelta(days=rng.randint(1, 700)),
                    reason="Caseload balancing",
                ))
            CaseloadTransfer.objects.bulk_create(transfers, batch_size=batch_size)
            agency.transfers = len(transfers)
    agency.seconds = time.perf_counter() - started
    return agency


def configure_django(data_dir: str | None) -> None:
    """Point settings at the target database and set Django up (before any model import)."""
    if data_dir:
        os.environ["ECOMAP_DATA_DIR"] = str(Path(data_dir).resolve())
    if not os.environ.get("ECOMAP_DATA_DIR") and not os.environ.get("DATABASE_URL"):
        sys.exit("Name the target database: --data-dir DIR, ECOMAP_DATA_DIR or DATABASE_URL "
                 "(the default ./data database is left alone).")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecomap.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="SQLite data folder (else ECOMAP_DATA_DIR/DATABASE_URL)")
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    parser.add_argument("--practitioners", type=int, default=300)
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument("--clients", type=int, default=30_000)
    parser.add_argument("--secondary-share", type=float, default=0.25,
                        help="share of clients with a secondary practitioner (default 0.25)")
    parser.add_argument("--transfer-share", type=float, default=0.03,
                        help="share of clients with a recorded transfer (default 0.03)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)

    configure_django(args.data_dir)
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        sys.exit("The generator creates accounts with a published password; never in production.")
    if args.migrate:
        call_command("migrate", interactive=False, verbosity=0)
    try:
        agency = generate(practitioners=args.practitioners, teams=args.teams, clients=args.clients,
                          secondary_share=args.secondary_share,
                          transfer_share=args.transfer_share, seed=args.seed, progress=print)
    except (RuntimeError, ValueError) as error:
        sys.exit(str(error))
    print(f"Generated {agency.summary()}.")
    print(f"Log in as {practitioner_username(1)} (or any {USERNAME_PREFIX}pNNNN, "
          f"{USERNAME_PREFIX}sNN, {USERNAME_PREFIX}admin) with the password {PASSWORD!r}.")


if __name__ == "__main__":
    main()
