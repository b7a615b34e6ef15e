"""What the audit write costs: client overview with the audit on against the same app with it off.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ecomap_bench .venv/bin/python bench/audit.py

One PostgreSQL database (dropped and recreated; its name must start with ecomap_bench), one agency
(smaller than bench/run.py's by default), two gunicorns side by side on it: the app as it is, and
the settings variant bench.settings_audit_off (ECOMAP_AUDIT_DISABLED_FOR_BENCH=true; refused under
ECOMAP_ENV=production). The client overview is measured on each in turns (rounds), so a burst of
other work lands on both; the ratio of their throughputs is the figure. Meanwhile a thread samples
pg_stat_activity for sessions waiting on a lock (wait_event_type 'Lock') while running a statement
on an audit table, or on an advisory lock.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import run  # noqa: E402

SAMPLE = """
SELECT state = 'active', wait_event_type, wait_event,
       query ILIKE '%%audit\\_%%' AS on_audit
FROM pg_stat_activity
WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'
"""


class Sampler(threading.Thread):
    """Samples the benchmark database's sessions every `interval` seconds, per phase."""

    def __init__(self, server: dict, database: str, interval: float = 0.02):
        super().__init__(daemon=True)
        self.server, self.database, self.interval = server, database, interval
        self.phase: str | None = None
        self.stop = threading.Event()
        self.samples: Counter = Counter()  # phase -> samples
        self.active: Counter = Counter()  # phase -> active sessions seen, summed over samples
        self.audit_waits: Counter = Counter()  # phase -> active sessions waiting on an audit lock
        self.waits: Counter = Counter()  # (phase, wait_event) of sessions waiting on any lock

    def run(self):
        import psycopg

        with psycopg.connect(**{**self.server, "dbname": self.database}, autocommit=True) as conn:
            while not self.stop.is_set():
                phase = self.phase
                if phase:
                    rows = conn.execute(SAMPLE, [self.database]).fetchall()
                    self.samples[phase] += 1
                    for active, kind, event, on_audit in rows:
                        self.active[phase] += bool(active)
                        if kind == "Lock":
                            self.waits[(phase, event)] += 1
                            if on_audit or event == "advisory":
                                self.audit_waits[phase] += 1
                time.sleep(self.interval)


def start(port: int, log: Path, args, settings: str, extra_env: dict) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, **extra_env}
    command = [
        sys.executable, "-m", "gunicorn", "ecomap.wsgi:application",
        "--bind", f"{run.HOST}:{port}", "--chdir", str(REPO),
        "--worker-class", "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
        "--keep-alive", "5", "--log-level", "warning", "--error-logfile", "-",
    ]
    with log.open("wb") as handle:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=handle,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=1500,
                        help="measured requests per variant (1500)")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("-c", "--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=150, help="per variant")
    parser.add_argument("--practitioners", type=int, default=60)
    parser.add_argument("--teams", type=int, default=6)
    parser.add_argument("--clients", type=int, default=6000)
    parser.add_argument("--secondary-share", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    args.user, args.extra, args.no_query_count = None, False, True
    if args.requests > 20000 or args.max_seconds > 600 or args.concurrency > 32:
        parser.error("keep the load bounded: at most 20000 requests, 32 threads, 600 s")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.generate import PASSWORD

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("bench/audit.py measures PostgreSQL: set DATABASE_URL (ecomap_bench...).")
    name, server = run.postgres_database(url)
    workdir = Path(tempfile.mkdtemp(prefix="ecomap-bench-audit-"))
    os.environ.update({
        "ECOMAP_DATA_DIR": str(workdir / "data"), "ECOMAP_ENV": "local",
        "ECOMAP_DEBUG": "false", "ECOMAP_HTTPS": "false",
        "ECOMAP_ALLOWED_HOSTS": f"{run.HOST},localhost", "ECOMAP_LOG_LEVEL": "WARNING",
    })
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecomap.settings")
    variants = {
        "audit on": ("ecomap.settings", {}),
        "audit off": ("bench.settings_audit_off", {"ECOMAP_AUDIT_DISABLED_FOR_BENCH": "true"}),
    }
    processes: dict[str, subprocess.Popen] = {}
    sampler = Sampler(server, name)
    try:
        run.recreate_database(name, server)
        print(f"Preparing PostgreSQL {name} ...")
        targets, info = run.prepare(args)
        overview = next(t for t in targets if t.name.startswith("client overview"))
        ports = {}
        for variant, (settings, env) in variants.items():
            ports[variant] = run.free_port()
            processes[variant] = start(ports[variant], workdir / f"{variant}.log", args,
                                       settings, env)
        for variant, process in processes.items():
            run.wait_until_up(process, ports[variant])
        cookies = {v: {overview.user: run.log_in(ports[v], overview.user, PASSWORD)}
                   for v in variants}
        print(f"  {overview.name} as {info['practitioner']}; {args.workers} workers x "
              f"{args.threads} threads per gunicorn, {args.concurrency} client threads")
        tallies = {v: run.Tally(budget=args.max_seconds) for v in variants}
        for variant in variants:
            tallies[variant].add(overview, ports[variant], cookies[variant], args.warmup, args,
                                 run.Meter(processes[variant].pid, name), measured=False)
        load_before = os.getloadavg()
        sampler.start()
        share = args.requests // args.rounds
        for number in range(args.rounds):
            for variant in variants:
                sampler.phase = variant
                tallies[variant].add(overview, ports[variant], cookies[variant], share, args,
                                     run.Meter(processes[variant].pid, name))
                sampler.phase = None
            print(f"  round {number + 1}/{args.rounds}")
        results = {v: tallies[v].result(overview, share * args.rounds) for v in variants}
        load_after = os.getloadavg()
    except (RuntimeError, OSError) as error:
        print(f"The benchmark failed: {error}", file=sys.stderr)
        for log in workdir.glob("*.log"):
            print(f"{log.name}:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-20:]),
                  file=sys.stderr)
        return 1
    finally:
        sampler.stop.set()
        for process in processes.values():
            run.stop(process)
        from django.db import connections

        connections.close_all()
        if sampler.is_alive():
            sampler.join(timeout=5)
        run.recreate_database(name, server, create=False)
        shutil.rmtree(workdir, ignore_errors=True)

    on, off = results["audit on"], results["audit off"]
    print(f"\necomap {run.git_revision() or '(no git)'}; {run.cpu_model()}, {os.cpu_count()} cores; "
          f"PostgreSQL {info['database_version']}; agency {info['agency']}")
    print("| variant | req/s | p50 ms | p95 ms | server CPU ms/req | errors |")
    print("|---|--:|--:|--:|--:|--:|")
    for variant, r in results.items():
        print(f"| {variant} | {r.rps} | {r.p50_ms} | {r.p95_ms} | {r.cpu_ms} | {r.errors} |")
    print(f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"throughput ratio audit on / off: {on.rps / off.rps:.3f}" if off.rps else "no ratio")
    # On a busy shared machine the wall-clock ratio swings; CPU per request is steadier.
    if on.cpu_ms == on.cpu_ms and on.cpu_ms:  # not NaN
        print(f"server CPU per request, audit off / on: {off.cpu_ms / on.cpu_ms:.3f}")
    for variant in variants:
        samples = sampler.samples[variant]
        active = sampler.active[variant]
        waits = {event: n for (phase, event), n in sampler.waits.items() if phase == variant}
        print(f"{variant}: {samples} samples of pg_stat_activity, {active / max(samples, 1):.2f} "
              f"active sessions on average; waiting on an audit lock: "
              f"{sampler.audit_waits[variant]} session-samples "
              f"({sampler.audit_waits[variant] / max(active, 1):.1%} of active); "
              f"all lock waits by wait_event: {waits or 'none'}")
    return 1 if on.errors or off.errors else 0


if __name__ == "__main__":
    sys.exit(main())
