"""Benchmark the main pages against the bare /healthz view, served by gunicorn on 127.0.0.1.

    .venv/bin/python bench/run.py                      # SQLite in a temporary folder
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ecomap_bench .venv/bin/python bench/run.py

Steps: a fresh temporary data folder (and, with DATABASE_URL, a freshly created PostgreSQL database
whose name must start with `ecomap_bench`), migrate, generate the agency (bench/generate.py), count
each page's SQL queries in-process, start gunicorn, sign in one practitioner through the real login
form, then for each target send a warm-up and N measured requests from a few client threads over
keep-alive connections. Every response must be 200 with the content the page should show, or it
counts as an error. Reports requests/s and latency percentiles, and each page's ratio to the
baseline measured in the same run (the ratios travel between machines better than the raw figures).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
HOST = "127.0.0.1"  # all traffic stays on this machine
DB_NAME = re.compile(r"^ecomap_bench[a-z0-9_]*$")
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# What is measured


@dataclass
class Target:
    name: str
    paths: list[str]  # requests rotate over these
    check: Callable[[int, bytes], str | None]  # (request index, body) -> problem or None
    user: str | None = None  # username signed in as; None for anonymous requests
    queries: int | None = None  # SQL queries per request, counted in-process
    query_log: list[str] = field(default_factory=list)

    def path(self, index: int) -> str:
        return self.paths[index % len(self.paths)]


@dataclass
class Result:
    name: str
    path: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    cpu_ms: float  # server CPU time per measured request: app_cpu_ms + db_cpu_ms
    app_cpu_ms: float  # gunicorn's master and workers (with SQLite, the database work too)
    db_cpu_ms: float  # PostgreSQL backends serving the benchmark database (0 with SQLite)
    client_cpu_ms: float  # this process's CPU time per request: the load generator's cost
    queries: int | None
    complete: bool
    error_samples: list[str] = field(default_factory=list)
    rps_ratio: float | None = None  # page throughput / baseline throughput
    p50_ratio: float | None = None  # page p50 / baseline p50
    cpu_ratio: float | None = None  # page server CPU per request / baseline's


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(pct / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


# ---------------------------------------------------------------------------------------------
# The database and the agency


def postgres_database(url: str) -> tuple[str, dict]:
    """The database name in DATABASE_URL (which must be a bench database) and how to reach the server."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit("DATABASE_URL must be a postgresql:// URL (or unset for SQLite).")
    name = parts.path.lstrip("/")
    if not DB_NAME.match(name):
        sys.exit(f"The benchmark drops and recreates its database, so the name must start with "
                 f"'ecomap_bench' (lower case, digits, _), not {name!r}.")
    server = {"host": parts.hostname or HOST, "port": parts.port or 5432,
              "user": parts.username or "postgres", "dbname": "postgres"}
    if parts.password:
        server["password"] = parts.password
    return name, server


def recreate_database(name: str, server: dict, *, create: bool = True) -> None:
    import psycopg

    with psycopg.connect(**server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(args) -> tuple[list[Target], dict]:
    """Migrate, generate the agency and build the targets with their expected content."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.urls import reverse

    from bench import generate
    from ecomap.accounts.models import Role, User
    from ecomap.clients import services
    from ecomap.clients.models import Client, Status

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter() - started
    agency = generate.generate(
        practitioners=args.practitioners, teams=args.teams, clients=args.clients,
        secondary_share=args.secondary_share, seed=args.seed)
    print(f"  migrated in {migrated:.1f} s; generated {agency.summary()}")
    if connection.vendor == "postgresql":
        # What autovacuum would do within a minute of the bulk load; without it the planner works
        # from empty statistics and the first minutes of a run measure that instead.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # The practitioner: as asked, or the one whose caseload is nearest the average.
    if args.user:
        user = User.objects.get(username=args.user)
    else:
        mean = args.clients / args.practitioners
        visible = ~Q(status=Status.ARCHIVED)
        primary = dict(Client.objects.filter(visible).values_list("primary_practitioner")
                       .annotate(n=Count("pk")).values_list("primary_practitioner", "n"))
        secondary = dict(Client.objects.filter(visible, secondary_practitioner__isnull=False)
                         .values_list("secondary_practitioner").annotate(n=Count("pk"))
                         .values_list("secondary_practitioner", "n"))
        holders = User.objects.filter(role=Role.PRACTITIONER).order_by("username")
        user = min(holders, key=lambda u: abs(primary.get(u.pk, 0) + secondary.get(u.pk, 0) - mean))

    caseload_url = reverse("clients:caseload")
    page_size = _page_size()
    me = user.username
    targets = [Target("healthz (baseline)", ["/healthz"], _expect_exact(b"ok"))]

    everyone = services.caseload(user)
    targets.append(Target("caseload", [caseload_url], _expect_listing(everyone, page_size), me))

    # The surname shared by most of the practitioner's clients: a search that finds some.
    surnames = Counter(everyone.values_list("legal_last_name", flat=True))
    surname = sorted(surnames.items(), key=lambda item: (-item[1], item[0]))[0][0]
    found = services.caseload(user, q=surname)
    targets.append(Target(f"caseload search ({found.count()} hits)",
                          [f"{caseload_url}?{urlencode({'q': surname})}"],
                          _expect_listing(found, page_size), me))

    mine = list(Client.objects.for_user(user).order_by("pk"))
    targets.append(Target(
        f"client overview ({len(mine)} rotating)",
        [reverse("clients:overview", kwargs={"client_pk": c.pk}) for c in mine],
        _expect_overview([(c.display_name, c.record_number) for c in mine]), me))

    supervisor = None
    if args.extra:
        today_url = reverse("site:today")
        targets.append(Target("today", [today_url], _expect_today(), me))
        supervisor = (User.objects.filter(role=Role.SUPERVISOR, team_id=user.team_id)
                      .order_by("username").first())
        if supervisor is not None:
            theirs = services.caseload(supervisor)
            targets.append(Target(f"supervisor caseload ({theirs.count()} clients)",
                                  [caseload_url], _expect_listing(theirs, page_size),
                                  supervisor.username))
            targets.append(Target("supervisor today", [today_url], _expect_today(),
                                  supervisor.username))

    if not args.no_query_count:
        count_queries(targets, [user, supervisor])
    info = {
        "practitioner": me,
        "supervisor": supervisor.username if supervisor else None,
        "caseload": everyone.count(),
        "search_term": surname,
        "overview_clients": len(mine),
        "agency": {k: v for k, v in asdict(agency).items() if k != "caseloads"},
        "database": connection.vendor,
        "database_version": _database_version(connection),
    }
    connection.close()
    return targets, info


def _page_size() -> int:
    from django.conf import settings

    return settings.CASELOAD_PAGE_SIZE


def _database_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


def _expect_exact(expected: bytes):
    def check(index: int, body: bytes) -> str | None:
        return None if body == expected else f"body is not {expected!r}"

    return check


def _expect_listing(queryset, page_size: int):
    """The caseload page must say how many clients match and link to each one on its first page."""
    total = queryset.count()
    if total == 0:
        raise SystemExit("The benchmark needs a caseload page that lists clients.")
    first_page = list(queryset.values_list("pk", flat=True)[:page_size])
    marks = [f">{total} client{'s' if total != 1 else ''}</p>".encode()]
    marks += [f'href="/clients/{pk}/"'.encode() for pk in first_page]

    def check(index: int, body: bytes) -> str | None:
        if b"<h1>Caseload</h1>" not in body:
            return "not the caseload page"
        missing = [m for m in marks if m not in body]
        return f"missing {missing[0].decode()!r}" if missing else None

    return check


def _expect_today():
    def check(index: int, body: bytes) -> str | None:
        return None if b"<h1>Today</h1>" in body else "not the Today page"

    return check


def _expect_overview(clients: list[tuple[str, str]]):
    """The overview of client i must show that client's name and record number."""
    from django.utils.html import escape

    expected = [(f"<h1>{escape(name)}".encode(), number.encode()) for name, number in clients]

    def check(index: int, body: bytes) -> str | None:
        heading, number = expected[index % len(expected)]
        if heading not in body or number not in body:
            return "not this client's overview"
        return None

    return check


def count_queries(targets: list[Target], users) -> None:
    """Queries per request, counted in-process with Django's test client (same code path)."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    browsers = {None: TestClient(HTTP_HOST=HOST)}
    for user in users:
        if user is not None:
            browsers[user.username] = TestClient(HTTP_HOST=HOST)
            browsers[user.username].force_login(user)
    for target in targets:
        client = browsers[target.user]
        client.get(target.path(0))  # first request of a session warms caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target.path(1))
        if response.status_code != 200 or target.check(1, response.content):
            raise SystemExit(f"{target.name}: the in-process request failed "
                             f"({response.status_code}): the benchmark would measure an error page.")
        # BEGIN/COMMIT are logged on SQLite (transaction_mode) but not on PostgreSQL: leave them out.
        target.query_log = [q["sql"] for q in captured.captured_queries
                            if not TRANSACTION_CONTROL.match(q["sql"])]
        target.queries = len(target.query_log)


# ---------------------------------------------------------------------------------------------
# gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(args, port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "ecomap.wsgi:application",
        "--bind", f"{HOST}:{port}", "--chdir", str(REPO),
        "--worker-class", "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
        "--keep-alive", "5", "--log-level", "warning", "--error-logfile", "-",
    ]
    with log.open("wb") as handle:
        return subprocess.Popen(command, cwd=REPO, env=os.environ.copy(), stdout=handle,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def wait_until_up(process: subprocess.Popen, port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} while starting")
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # SIGTERM: the master stops its workers gracefully
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def log_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form, as a browser does (CSRF, django-axes); the Cookie header."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or not token or "csrftoken" not in cookies:
        raise RuntimeError(f"the login page did not load ({response.status})")
    body = urlencode({"username": username, "password": password, "next": "/clients/",
                      "csrfmiddlewaretoken": token.group(1)})
    conn.request("POST", "/accounts/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookies['csrftoken'].value}",
    })
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    conn.close()
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in failed ({response.status}); is the account locked out?")
    return f"csrftoken={cookies['csrftoken'].value}; sessionid={cookies['sessionid'].value}"


# ---------------------------------------------------------------------------------------------
# The load


def fire(target: Target, port: int, cookies: dict[str, str], *, count: int, concurrency: int,
         deadline: float, start: int = 0) -> tuple[list[float], list[str], float, int]:
    """Send `count` requests from `concurrency` threads, each on its own keep-alive connection;
    request i goes to target.path(start + i), so successive calls carry on the rotation.

    Returns (latencies of good responses in seconds, error descriptions, wall seconds, sent).
    """
    headers = {"User-Agent": "ecomap-bench", "Accept": "text/html", "Accept-Encoding": "identity"}
    if target.user:
        headers["Cookie"] = cookies[target.user]
    lock = threading.Lock()
    issued = [0]
    latencies: list[float] = []
    errors: list[str] = []

    def next_index() -> int | None:
        with lock:
            if issued[0] >= count or time.monotonic() > deadline:
                return None
            issued[0] += 1
            return start + issued[0] - 1

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        mine: list[float] = []
        problems: list[str] = []
        try:
            while (index := next_index()) is not None:
                path = target.path(index)
                began = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as error:
                    problems.append(f"{type(error).__name__}: {error}")
                    conn.close()  # the next request opens a new connection
                    continue
                elapsed = time.perf_counter() - began
                if response.status != 200:
                    problems.append(f"HTTP {response.status} for {path}")
                elif problem := target.check(index, body):
                    problems.append(f"{problem} ({path})")
                else:
                    mine.append(elapsed)
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)
                errors.extend(problems)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 90))
    return latencies, errors, time.perf_counter() - began, issued[0]


def _cpu_seconds(pid: str) -> float:
    """utime + stime of one process, from /proc (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all processes have used since boot (user, nice, system, irq, softirq, steal)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    user, nice, system, _idle, _iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Meter:
    """CPU time used by the server side: gunicorn's master and workers, and, on PostgreSQL, the
    backends serving the benchmark's database (found by their process title). Linux /proc only;
    elsewhere the CPU figures are NaN and everything else still works."""

    def __init__(self, master: int, database: str | None):
        self.master = master
        self.title = f" {database} " if database else None

    def app(self) -> float:
        try:
            children = Path(f"/proc/{self.master}/task/{self.master}/children").read_text().split()
        except OSError:
            return float("nan")
        return sum(_cpu_seconds(pid) for pid in [str(self.master), *children])

    def database(self) -> float:
        if not self.title:
            return 0.0  # SQLite works inside the gunicorn workers
        total = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                        errors="replace")
                except OSError:
                    continue
                if title.startswith("postgres: ") and self.title in title:
                    total += _cpu_seconds(entry.name)
        return total

    def others(self) -> Others:
        return Others(self)


class Others:
    """How much CPU the rest of the machine (not the server side, not this process) is using."""

    def __init__(self, meter: Meter):
        self.meter = meter
        self.mark()

    def _ours(self) -> float:
        return self.meter.app() + self.meter.database() + time.process_time()

    def mark(self) -> None:
        self.wall, self.busy, self.ours = time.monotonic(), machine_busy_seconds(), self._ours()

    def share(self) -> float:
        """Share of the machine's CPU used by others since mark(), 0..1."""
        wall = time.monotonic() - self.wall
        others = machine_busy_seconds() - self.busy - (self._ours() - self.ours)
        return max(0.0, others / (wall * (os.cpu_count() or 1))) if wall > 0 else 0.0


def wait_for_quiet(meter: Meter, seconds: float, limit: float = 0.15) -> float:
    """Wait (at most `seconds`) until other processes use under `limit` of the CPU for 3 s."""
    deadline = time.monotonic() + seconds
    others = meter.others()
    said = 0.0
    while True:
        time.sleep(3)
        share = others.share()
        if share < limit or time.monotonic() >= deadline:
            return share
        if time.monotonic() - said > 30:
            print(f"  other processes are using {share:.0%} of the CPU; waiting for a quieter "
                  f"moment (at most {deadline - time.monotonic():.0f} s more)")
            said = time.monotonic()
        others.mark()


@dataclass
class Tally:
    """One target's measurements, added up over the rounds."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    sent: int = 0
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    client_cpu: float = 0.0
    budget: float = 0.0  # seconds left under --max-seconds
    issued: int = 0  # requests sent so far, warm-up included (the rotation carries on)

    def add(self, target: Target, port: int, cookies: dict[str, str], count: int, args,
            meter: Meter, *, measured: bool = True) -> None:
        began = time.monotonic()
        app, db, client = meter.app(), meter.database(), time.process_time()
        latencies, errors, seconds, sent = fire(target, port, cookies, count=count,
                                                concurrency=args.concurrency,
                                                deadline=began + self.budget, start=self.issued)
        self.issued += sent
        app, db = meter.app() - app, meter.database() - db
        client = time.process_time() - client
        self.budget -= time.monotonic() - began
        self.errors += errors
        if measured:
            self.latencies += latencies
            self.seconds += seconds
            self.sent += sent
            self.app_cpu += app
            self.db_cpu += db
            self.client_cpu += client

    def result(self, target: Target, requests: int) -> Result:
        ms = sorted(value * 1000 for value in self.latencies)
        good = len(ms)

        def per_request(seconds: float) -> float:
            return round(seconds * 1000 / self.sent, 2) if self.sent else float("nan")

        return Result(
            name=target.name, path=target.path(0), requests=good, errors=len(self.errors),
            seconds=round(self.seconds, 3),
            rps=round(good / self.seconds, 1) if self.seconds else 0.0,
            p50_ms=round(percentile(ms, 50), 2), p95_ms=round(percentile(ms, 95), 2),
            p99_ms=round(percentile(ms, 99), 2),
            mean_ms=round(sum(ms) / good, 2) if good else float("nan"),
            max_ms=round(ms[-1], 2) if ms else float("nan"),
            cpu_ms=per_request(self.app_cpu + self.db_cpu), app_cpu_ms=per_request(self.app_cpu),
            db_cpu_ms=per_request(self.db_cpu), client_cpu_ms=per_request(self.client_cpu),
            queries=target.queries, complete=self.sent == requests and not self.errors,
            error_samples=[f"{n}x {text}" for text, n in Counter(self.errors).most_common(5)],
        )


def measure_all(targets: list[Target], port: int, cookies: dict[str, str], args,
                meter: Meter) -> tuple[list[Result], float]:
    """Warm each target up, then measure them in turns (rounds), so that a burst of other work
    on the machine spreads over all targets instead of landing on one."""
    tallies = [Tally(budget=args.max_seconds) for _ in targets]
    if args.quiet_wait:
        share = wait_for_quiet(meter, args.quiet_wait)
        print(f"  other processes used {share:.0%} of the CPU just before the measurements")
    for target, tally in zip(targets, tallies, strict=True):
        if args.warmup:
            tally.add(target, port, cookies, args.warmup, args, meter, measured=False)
    others = meter.others()
    shares = [args.requests // args.rounds + (r < args.requests % args.rounds)
              for r in range(args.rounds)]
    for number, share in enumerate(shares, 1):
        for target, tally in zip(targets, tallies, strict=True):
            if share and tally.budget > 0:
                tally.add(target, port, cookies, share, args, meter)
        done = ", ".join(f"{len(t.latencies)}" for t in tallies)
        print(f"  round {number}/{args.rounds}: good responses so far per target: {done}")
    results = [tally.result(t, args.requests) for t, tally in zip(targets, tallies, strict=True)]
    return results, others.share()


# ---------------------------------------------------------------------------------------------
# Report


def cpu_model() -> str:
    """The CPU's model name as /proc/cpuinfo gives it (or the platform's answer elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def machine() -> dict:
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import django

    return {"cpu": cpu_model(), "cores": os.cpu_count(), "memory": memory,
            "python": platform.python_version(), "django": django.get_version(),
            "platform": platform.platform()}


def table(results: list[Result]) -> str:
    def ratio(value: float | None, digits: int) -> str:
        return "-" if value is None else f"{value:.{digits}f}x"

    rows = [("target", "ok", "err", "req/s", "p50 ms", "p95 ms", "p99 ms", "cpu ms/req", "queries",
             "req/s vs base", "p50 vs base", "cpu vs base")]
    for r in results:
        rows.append((
            r.name, str(r.requests), str(r.errors), f"{r.rps:.0f}", f"{r.p50_ms:.1f}",
            f"{r.p95_ms:.1f}", f"{r.p99_ms:.1f}", f"{r.cpu_ms:.2f}",
            "-" if r.queries is None else str(r.queries),
            ratio(r.rps_ratio, 3), ratio(r.p50_ratio, 1), ratio(r.cpu_ratio, 1),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                          strict=True)]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def git_revision() -> str:
    """The commit measured, with '-dirty' when the working tree has changes."""
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, text=True,
                              capture_output=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def write_json(path_arg: str, payload: dict) -> Path:
    if path_arg == "auto":
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = RESULTS / f"{stamp}-{payload['run']['database']}.json"
    else:
        path = Path(path_arg)
    def clean(value):  # NaN (no measurement) becomes null: JSON has no NaN
        if isinstance(value, float) and value != value:
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    path.write_text(json.dumps(clean(payload), indent=2, allow_nan=False) + "\n")
    return path


# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    load = parser.add_argument_group("load")
    load.add_argument("-n", "--requests", type=int, default=500,
                      help="measured requests per target (default 500)")
    load.add_argument("--warmup", type=int, default=50, help="unmeasured requests first (50)")
    load.add_argument("-c", "--concurrency", type=int, default=8,
                      help="client threads, one keep-alive connection each (default 8)")
    load.add_argument("--rounds", type=int, default=5,
                      help="measure the targets in turns, N/rounds requests each time (default 5)")
    load.add_argument("--quiet-wait", type=float, default=60, metavar="SECONDS",
                      help="first wait up to this long for other processes to use under 15%% of "
                           "the CPU (default 60; 0 to start at once)")
    load.add_argument("--max-seconds", type=float, default=120,
                      help="time limit per target; a target cut short is reported (default 120)")
    load.add_argument("--extra", action="store_true",
                      help="also measure the Today page, and a supervisor's caseload and Today page")
    load.add_argument("--only", action="append", default=[],
                      help="measure only targets whose name starts with this (repeatable); "
                           "the baseline always runs")
    server = parser.add_argument_group("server")
    server.add_argument("--workers", type=int, default=2,
                        help="gunicorn workers (default 2: one per core)")
    server.add_argument("--threads", type=int, default=2,
                        help="threads per gunicorn worker, gthread (default 2)")
    data = parser.add_argument_group("data (see bench/generate.py)")
    data.add_argument("--practitioners", type=int, default=300)
    data.add_argument("--teams", type=int, default=30)
    data.add_argument("--clients", type=int, default=30_000)
    data.add_argument("--secondary-share", type=float, default=0.25)
    data.add_argument("--seed", type=int, default=20261123)
    data.add_argument("--user", help="practitioner to sign in as (default: the one whose caseload "
                                     "is nearest the average)")
    out = parser.add_argument_group("output")
    out.add_argument("--json", nargs="?", const="auto", metavar="PATH",
                     help="write the results as JSON (default path: bench/results/<time>-<db>.json)")
    out.add_argument("--show-queries", action="store_true",
                     help="print the SQL each page runs (from the in-process count)")
    out.add_argument("--no-query-count", action="store_true", help="skip the in-process count")
    out.add_argument("--keep", action="store_true",
                     help="keep the temporary data folder and the PostgreSQL database")
    args = parser.parse_args(argv)
    if min(args.requests, args.concurrency, args.workers, args.threads, args.rounds) < 1 \
            or args.warmup < 0:
        parser.error("counts must be positive")
    if args.requests > 100_000 or args.concurrency > 64 or args.max_seconds > 3600:
        parser.error("keep the load bounded: at most 100000 requests, 64 threads, 3600 s")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from bench.generate import PASSWORD

    database_url = os.environ.get("DATABASE_URL", "")
    pg = postgres_database(database_url) if database_url else None
    workdir = Path(tempfile.mkdtemp(prefix="ecomap-bench-"))
    os.environ.update({
        "ECOMAP_DATA_DIR": str(workdir / "data"),
        "ECOMAP_ENV": "local", "ECOMAP_DEBUG": "false", "ECOMAP_HTTPS": "false",
        "ECOMAP_ALLOWED_HOSTS": f"{HOST},localhost", "ECOMAP_LOG_LEVEL": "WARNING",
    })
    # A settings variant can be measured with DJANGO_SETTINGS_MODULE (and PYTHONPATH to find it).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecomap.settings")
    process = None
    log = workdir / "gunicorn.log"
    results: list[Result] = []
    try:
        if pg:
            recreate_database(*pg)
        print(f"Preparing {'PostgreSQL ' + pg[0] if pg else 'SQLite in ' + str(workdir)} ...")
        targets, info = prepare(args)
        if args.only:
            targets = targets[:1] + [t for t in targets[1:]
                                     if any(t.name.startswith(o) for o in args.only)]
        if args.show_queries:
            for target in targets:
                print(f"\n{target.name}: {target.queries} queries")
                for sql in target.query_log:
                    print(f"  {sql}")
            print()
        port = free_port()
        process = start_gunicorn(args, port, log)
        wait_until_up(process, port)
        cookies = {name: log_in(port, name, PASSWORD)
                   for name in {t.user for t in targets if t.user}}
        print(f"  gunicorn on {HOST}:{port} ({args.workers} workers x {args.threads} threads); "
              f"signed in as {info['practitioner']} (caseload {info['caseload']}); "
              f"{args.warmup} warm-up + {args.requests} requests per target, "
              f"{args.concurrency} client threads")
        load_before = os.getloadavg()
        meter = Meter(process.pid, pg[0] if pg else None)
        results, disturbance = measure_all(targets, port, cookies, args, meter)
        load_after = os.getloadavg()
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
    except (RuntimeError, OSError) as error:
        print(f"The benchmark failed: {error}", file=sys.stderr)
        if log.exists():
            print("gunicorn log (last lines):\n" + "\n".join(
                log.read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
        return 1
    finally:
        if process is not None:
            stop(process)
        if pg and not args.keep:
            from django.db import connections

            connections.close_all()
            recreate_database(*pg, create=False)
        if args.keep:
            print(f"Kept {workdir}" + (f" and database {pg[0]}" if pg else ""))
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    baseline = results[0]
    for result in results[1:]:
        if baseline.rps and result.rps:
            result.rps_ratio = round(result.rps / baseline.rps, 3)
        if baseline.p50_ms:
            result.p50_ratio = round(result.p50_ms / baseline.p50_ms, 2)
        if baseline.cpu_ms and result.cpu_ms == result.cpu_ms:  # not NaN
            result.cpu_ratio = round(result.cpu_ms / baseline.cpu_ms, 2)
    run = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": info["database"], "database_version": info["database_version"],
        "workers": args.workers, "threads": args.threads, "concurrency": args.concurrency,
        "requests": args.requests, "warmup": args.warmup, "rounds": args.rounds,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "other_processes_cpu_share": round(disturbance, 3),
        "git": git_revision(),
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        **{k: v for k, v in info.items() if k not in {"database", "database_version"}},
        "machine": machine(),
    }
    print()
    print(f"{run['date']}  {run['machine']['cpu']}, {run['machine']['cores']} cores, "
          f"{run['machine']['memory']}; {info['database']} {info['database_version']}; "
          f"Django {run['machine']['django']}, Python {run['machine']['python']}; "
          f"ecomap {run['git'] or '(no git)'}")
    print(table(results))
    print("req/s vs base: the page's throughput as a share of /healthz's; p50 vs base: its median "
          "latency as a multiple of /healthz's;\ncpu ms/req: server CPU time per request (gunicorn, "
          "and PostgreSQL's backends if used; the figure least disturbed by other work on the "
          "machine);\ncpu vs base: as a multiple of /healthz's.")
    cores = os.cpu_count() or 1
    print(f"Load average (1 min) {load_before[0]:.2f} before and {load_after[0]:.2f} after "
          f"the measurements on {cores} cores.")
    print(f"Other processes used {disturbance:.0%} of the machine's CPU during the measurements.")
    if disturbance > 0.15:
        print("! Other work on the machine disturbed the measurements: the wall-clock figures and "
              "their ratios are not representative; run again when the machine is quiet.",
              file=sys.stderr)
    failed = [r for r in results if r.errors or not r.complete]
    for r in failed:
        print(f"! {r.name}: {r.errors} errors, {r.requests} good of {args.requests} "
              f"{'(cut short by --max-seconds)' if not r.errors else ''}", file=sys.stderr)
        for sample in r.error_samples:
            print(f"    {sample}", file=sys.stderr)
    if args.json:
        path = write_json(args.json, {"run": run, "results": [asdict(r) for r in results]})
        print(f"Results written to {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
