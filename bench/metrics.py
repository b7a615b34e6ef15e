"""Benchmark the network metrics (ecomap.network.metrics) against networkx on synthetic networks.

    .venv/bin/python bench/metrics.py                       # 10,000 networks of 20-40 members
    .venv/bin/python bench/metrics.py --networks 1000 --json

Generates N client networks in memory from a seeded random generator (no database: the metrics are
pure functions of `graph.Network`), then times, in turns, over all of them:

- ecomap's structural measures: one `metrics.Adjacency` per network, shared by density, components,
  isolates, effective size, efficiency and constraint (the way `profile()` calls them);
- ecomap's full `metrics.profile()`: the structural measures plus every composition, support and
  Important People measure (networkx has no counterpart for those);
- networkx computing the same structural measures on the same data, the way the tests use it as the
  oracle: build G_A (members and member-member ties) and G (G_A plus ego tied to every member) as
  `nx.Graph`, then `nx.density(G_A)`, `nx.number_connected_components(G_A)`, `list(nx.isolates(G_A))`,
  `nx.effective_size(G, nodes=[ego])`, efficiency = effective size / `G.degree(ego)` and
  `nx.constraint(G, nodes=[ego])`. The graph construction is part of what a caller pays, so the main
  figure includes it; it is also reported on its own.

Every value computed in the first repeat is checked against networkx's, on every network, to 1e-9
(integers and isolate sets exactly); any difference ends the run with status 1 before any figure is
printed. Reports the best of the repeats (wall time, time.perf_counter), per network and in total,
and the ratio networkx / ecomap.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import os
import platform
import random
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import networkx as nx  # noqa: E402

from bench.run import cpu_model, git_revision, machine_busy_seconds  # noqa: E402
from ecomap.network import metrics  # noqa: E402
from ecomap.network.choices import (  # noqa: E402
    RELATIONSHIP_PROFILE,
    Contact,
    Relationship,
    SupportFunction,
)
from ecomap.network.graph import Member, Network  # noqa: E402

SEED = 20261123
EGO = ("ego",)  # networkx's node for the client: not a str, so it cannot collide with a member key
TOLERANCE = 1e-9
STRUCTURAL = ("density", "components", "isolates", "effective_size", "efficiency", "constraint")

# ---------------------------------------------------------------------------------------------
# Synthetic networks
#
# Weights, not shares. The mix is that of a client of an addiction or mental-health service asked to
# name about 30 people, groups and services: family and friends first, some co-workers and neighbours,
# a few professionals and services, recovery contacts for some. Only the structure is timed against
# networkx, but profile() reads every attribute, so they follow the real vocabulary and plausible
# correlations (inner circle: more contact and support; heavy users: more often against recovery).

RELATIONSHIP_WEIGHTS = {
    "partner": 3, "parent": 4, "child": 4, "sibling": 6, "other_kin": 7, "friend": 18,
    "neighbour": 4, "coworker": 6, "recovery_peer": 6, "sponsor": 1, "faith_community": 2,
    "mutual_aid_group": 3, "professional": 8, "service": 5, "other": 3,
}
RELATIONSHIP_LIMITS = {"partner": 1, "parent": 2, "sponsor": 1}  # at most this many per network
GROUPS = frozenset({"faith_community", "mutual_aid_group"})
RECOVERY = frozenset({"recovery_peer", "sponsor", "mutual_aid_group"})
CLOSE = frozenset({"partner", "parent", "child"})
CIRCLE_WEIGHTS = {  # inner, middle, outer
    "close": (70, 25, 5), "kin": (35, 40, 25), "friend": (25, 45, 30), "formal": (10, 40, 50),
    "other": (15, 40, 45),
}
CONTACTS = (Contact.DAILY, Contact.WEEKLY, Contact.MONTHLY, Contact.LESS, Contact.NONE)
CONTACT_WEIGHTS = {1: (50, 35, 10, 5, 0), 2: (10, 40, 35, 12, 3), 3: (2, 15, 35, 35, 13)}
FUNCTIONS = tuple(SupportFunction.values)
FORMAL_FUNCTIONS = ("informational", "practical", "emotional")
RECEIVED_WEIGHTS = {1: (5, 20, 30, 25, 15, 5), 2: (15, 35, 30, 15, 5, 0), 3: (35, 40, 20, 5, 0, 0)}
GIVEN_WEIGHTS = (45, 30, 15, 10)  # 0-3 functions the client gives an informal member
VALENCES = ("supportive", "mixed", "stressful")
SUBSTANCE_USE = ("none", "some", "heavy", "unknown")
STANCES = ("supportive", "neutral", "against", "unknown")
STANCE_WEIGHTS = {
    "none": (70, 15, 2, 13), "some": (40, 30, 10, 20), "heavy": (15, 30, 35, 20),
    "unknown": (25, 20, 5, 50), "formal": (85, 0, 0, 15),
}
SAME_SECTOR_WEIGHT = 3  # members of one sector (a family, a mutual-aid group) know each other more


def _closeness(relationship: str) -> str:
    if relationship in CLOSE:
        return "close"
    _, kin, formal = RELATIONSHIP_PROFILE[relationship]
    return "kin" if kin else "formal" if formal else "friend" if relationship == "friend" else "other"


class Generator:
    """Seeded: the same seed and options give the same networks, member keys included."""

    def __init__(self, seed: int, members: tuple[int, int], densities: tuple[float, float]):
        if set(RELATIONSHIP_WEIGHTS) != set(Relationship.values):
            raise RuntimeError("RELATIONSHIP_WEIGHTS no longer matches choices.Relationship")
        self.rng = random.Random(seed)
        self.members, self.densities = members, densities
        self.relationships = tuple(RELATIONSHIP_WEIGHTS)
        self.weights = tuple(RELATIONSHIP_WEIGHTS.values())
        self._sets: dict[tuple[str, ...], frozenset[str]] = {}  # one frozenset per combination

    def _functions(self, pool: tuple[str, ...], weights: tuple[int, ...]) -> frozenset[str]:
        rng = self.rng
        k = min(len(pool), rng.choices(range(len(weights)), weights)[0])
        chosen = tuple(sorted(rng.sample(pool, k)))
        return self._sets.setdefault(chosen, frozenset(chosen))

    def member(self, number: int, relationship: str, heavy_share: float) -> Member:
        rng = self.rng
        formal = RELATIONSHIP_PROFILE[relationship][2]
        kind = ("service" if relationship == "service" else "group" if relationship in GROUPS
                else "person")
        circle = rng.choices((1, 2, 3), CIRCLE_WEIGHTS[_closeness(relationship)])[0]
        received = self._functions(FORMAL_FUNCTIONS if formal else FUNCTIONS, RECEIVED_WEIGHTS[circle])
        given = self._sets.setdefault((), frozenset()) if formal else self._functions(
            FUNCTIONS, GIVEN_WEIGHTS)
        strained = 0.45 if relationship in CLOSE else 0.3
        valence = rng.choices(VALENCES, (1 - strained, strained * 0.65, strained * 0.35))[0]
        if formal:
            use = rng.choices(("none", "unknown"), (30, 70))[0]
            stance = rng.choices(STANCES, STANCE_WEIGHTS["formal"])[0]
        else:
            if relationship in RECOVERY:
                use = rng.choices(("none", "unknown"), (90, 10))[0]
            else:
                use = rng.choices(SUBSTANCE_USE, (0.35, 0.45 - heavy_share, heavy_share, 0.2))[0]
            stance = rng.choices(STANCES, STANCE_WEIGHTS[use])[0]
        return Member(
            key=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),  # as NetworkMember's uuid
            label=f"Member {number}", kind=kind, relationship=relationship, circle=circle,
            contact=rng.choices(CONTACTS, CONTACT_WEIGHTS[circle])[0].value,
            support_received=received, support_given=given, valence=valence, substance_use=use,
            recovery_stance=stance,
            could_join_sessions=kind == "person" and not formal and rng.random() < 0.3)

    def network(self) -> Network:
        rng = self.rng
        n = rng.randint(*self.members)
        heavy_share = rng.uniform(0.05, 0.35)  # clients differ: some networks are mostly users
        counts: dict[str, int] = {}
        members = []
        for number in range(1, n + 1):
            while True:
                relationship = rng.choices(self.relationships, self.weights)[0]
                if counts.get(relationship, 0) < RELATIONSHIP_LIMITS.get(relationship, n):
                    break
            counts[relationship] = counts.get(relationship, 0) + 1
            members.append(self.member(number, relationship, heavy_share))
        # Ties: a target density for this client, same-sector pairs SAME_SECTOR_WEIGHT times likelier,
        # scaled so that the expected density is the target.
        sectors = [m.sector for m in members]
        pairs = [(i, j, SAME_SECTOR_WEIGHT if sectors[i] == sectors[j] else 1)
                 for i in range(n) for j in range(i + 1, n)]
        target = rng.uniform(*self.densities)
        scale = target * len(pairs) / sum(w for _, _, w in pairs) if pairs else 0.0
        ties = [(members[i].key, members[j].key) for i, j, w in pairs if rng.random() < w * scale]
        return Network.build(members, ties)


def generate(count: int, *, seed: int = SEED, members: tuple[int, int] = (20, 40),
             densities: tuple[float, float] = (0.05, 0.40)) -> list[Network]:
    generator = Generator(seed, members, densities)
    return [generator.network() for _ in range(count)]


def digest(networks: list[Network]) -> str:
    """A short fingerprint of the generated data, to see that a seed gives the same networks."""
    h = hashlib.sha256()
    for network in networks:
        for m in network.members:
            h.update(f"{m.key}{m.relationship}{m.circle}{m.substance_use}|".encode())
        for a, b in sorted(network.ties):
            h.update(f"{a}{b}".encode())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# What is timed: each returns one result per network, checked against networkx afterwards.


def ecomap_structural(networks: list[Network]) -> list[tuple]:
    Adjacency, density, components, isolates = (metrics.Adjacency, metrics.density,
                                                metrics.components, metrics.isolates)
    effective_size, efficiency, constraint = (metrics.effective_size, metrics.efficiency,
                                              metrics.constraint)
    out = []
    append = out.append
    for network in networks:
        adj = Adjacency(network)
        append((density(network, adjacency=adj), components(network, adjacency=adj),
                isolates(network, adjacency=adj), effective_size(network, adjacency=adj),
                efficiency(network, adjacency=adj), constraint(network, adjacency=adj)))
    return out


def ecomap_profile(networks: list[Network]) -> list[dict]:
    profile = metrics.profile
    return [profile(network) for network in networks]


def build_graphs(network: Network) -> tuple[nx.Graph, nx.Graph]:
    """(G_A, G) as in ecomap/network/tests/test_metrics.py."""
    g_a = nx.Graph()
    g_a.add_nodes_from(m.key for m in network.members)
    g_a.add_edges_from(network.ties)
    g = g_a.copy()
    g.add_node(EGO)
    g.add_edges_from((EGO, m.key) for m in network.members)
    return g_a, g


NX_PHASES = ("construction", *STRUCTURAL)


def networkx_structural(networks: list[Network], phases: dict[str, float]) -> list[tuple]:
    """Build the graphs and compute the measures for each network; `phases` receives the seconds spent
    in each step (a clock read between steps: about 0.1 us each, nothing next to networkx's cost)."""
    clock = time.perf_counter
    density, ncc, isolates = nx.density, nx.number_connected_components, nx.isolates
    effective_size, constraint = nx.effective_size, nx.constraint
    sums = [0.0] * len(NX_PHASES)
    out = []
    append = out.append
    nodes = [EGO]
    for network in networks:
        t0 = clock()
        g_a, g = build_graphs(network)
        t1 = clock()
        d = density(g_a)
        t2 = clock()
        c = ncc(g_a)
        t3 = clock()
        iso = list(isolates(g_a))
        t4 = clock()
        es = effective_size(g, nodes=nodes)[EGO]
        t5 = clock()
        eff = es / g.degree(EGO)
        t6 = clock()
        con = constraint(g, nodes=nodes)[EGO]
        t7 = clock()
        append((d, c, iso, es, eff, con))
        for k, (a, b) in enumerate(((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6),
                                    (t6, t7))):
            sums[k] += b - a
    phases.update(zip(NX_PHASES, sums, strict=True))
    return out


def ecomap_phases(networks: list[Network]) -> dict[str, Callable[[], object]]:
    """One pass per step of ecomap_structural, over prebuilt adjacencies (for the breakdown table)."""
    adjacencies = [metrics.Adjacency(network) for network in networks]
    pairs = list(zip(networks, adjacencies, strict=True))

    def adjacency():  # built and dropped, as in ecomap_structural (keeping 10,000 costs GC time)
        for network in networks:
            metrics.Adjacency(network)

    def measure(function):
        return lambda: [function(network, adjacency=adj) for network, adj in pairs]

    return {"construction": adjacency,
            **{name: measure(getattr(metrics, name)) for name in STRUCTURAL}}


# ---------------------------------------------------------------------------------------------
# Checking the results


def check(networks: list[Network], ours: list[tuple], profiles: list[dict], theirs: list[tuple],
          limit: int = 10) -> tuple[list[str], dict[str, float]]:
    """Problems found (at most `limit` described), and the largest absolute difference per float
    measure."""
    problems: list[str] = []
    worst = dict.fromkeys(("density", "effective_size", "efficiency", "constraint"), 0.0)
    failures = 0

    def fail(index: int, message: str) -> None:
        nonlocal failures
        failures += 1
        if len(problems) < limit:
            network = networks[index]
            problems.append(f"network {index} (n={network.n}, t={len(network.ties)}): {message}")

    for index, (mine, nxs, prof) in enumerate(zip(ours, theirs, profiles, strict=True)):
        for name, a, b in zip(STRUCTURAL, mine, nxs, strict=True):
            if name == "isolates":
                if len(a) != len(b) or set(a) != set(b):
                    fail(index, f"isolates {sorted(a)} != networkx {sorted(b)}")
            elif name == "components":
                if a != b:
                    fail(index, f"components {a} != networkx {b}")
            else:
                if a is None or not math.isfinite(b) or not math.isclose(
                        a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
                    fail(index, f"{name} {a!r} != networkx {b!r}")
                elif abs(a - b) > worst[name]:
                    worst[name] = abs(a - b)
            expected = len(a) if name == "isolates" else a
            if prof[name] != expected:
                fail(index, f"profile()[{name!r}] {prof[name]!r} != {expected!r} from the functions")
    if failures > len(problems):
        problems.append(f"... {failures - len(problems)} more")
    return problems, worst


# ---------------------------------------------------------------------------------------------
# Timing


@dataclass
class Timing:
    name: str
    runs: list[float] = field(default_factory=list)  # wall seconds of each repeat
    cpu: list[float] = field(default_factory=list)  # this process's CPU seconds of each repeat
    others: list[float] = field(default_factory=list)  # other processes' share of the machine's CPU
    phases: list[dict[str, float]] = field(default_factory=list)  # networkx: seconds per step

    @property
    def best(self) -> int:
        return min(range(len(self.runs)), key=self.runs.__getitem__)

    @property
    def seconds(self) -> float:
        return self.runs[self.best]


def timed(timing: Timing, run: Callable[[], object]):
    gc.collect()
    busy, cpu, began = machine_busy_seconds(), time.process_time(), time.perf_counter()
    result = run()
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu
    others = machine_busy_seconds() - busy - cpu
    timing.runs.append(wall)
    timing.cpu.append(cpu)
    timing.others.append(max(0.0, others / (wall * (os.cpu_count() or 1))) if wall > 0 else 0.0)
    return result


def wait_for_quiet(seconds: float, limit: float = 0.15) -> float:
    """Wait (at most `seconds`) until other processes use under `limit` of the CPU for 3 s."""
    deadline = time.monotonic() + seconds
    said = 0.0
    while True:
        busy, cpu, began = machine_busy_seconds(), time.process_time(), time.monotonic()
        time.sleep(3)
        wall = time.monotonic() - began
        share = max(0.0, (machine_busy_seconds() - busy - (time.process_time() - cpu))
                    / (wall * (os.cpu_count() or 1)))
        if share < limit or time.monotonic() >= deadline:
            return share
        if time.monotonic() - said > 30:
            print(f"  other processes are using {share:.0%} of the CPU; waiting for a quieter "
                  f"moment (at most {deadline - time.monotonic():.0f} s more)")
            said = time.monotonic()


# ---------------------------------------------------------------------------------------------
# Report


def machine() -> dict:
    return {"cpu": cpu_model(), "cores": os.cpu_count(),
            "python": platform.python_version(), "networkx": nx.__version__,
            "platform": platform.platform()}


def render(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                          strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ratio(a: float, b: float) -> str:
    return f"{a / b:,.0f}x" if b and a / b >= 100 else f"{a / b:.1f}x" if b else "-"


def main_table(rows: list[tuple[str, float, float | None]], count: int, base: float) -> str:
    """rows: (name, best wall seconds, CPU seconds of that repeat or None)."""
    out = [("target", "per network us", "total s", "cpu s", "vs ecomap structural")]
    for name, seconds, cpu in rows:
        out.append((name, f"{seconds / count * 1e6:,.1f}", f"{seconds:.3f}",
                    "-" if cpu is None else f"{cpu:.3f}", ratio(seconds, base)))
    return render(out)


def breakdown_table(ours: dict[str, float], theirs: dict[str, float], count: int) -> str:
    out = [("step", "ecomap us", "networkx us", "networkx/ecomap", "share of networkx")]
    total = sum(theirs.values())
    for name in NX_PHASES:
        out.append((name.replace("_", " "), f"{ours[name] / count * 1e6:.2f}",
                    f"{theirs[name] / count * 1e6:,.1f}", ratio(theirs[name], ours[name]),
                    f"{theirs[name] / total:.1%}"))
    return render(out)


def write_json(path_arg: str, payload: dict) -> Path:
    if path_arg == "auto":
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-metrics.json"
    else:
        path = Path(path_arg)
    path.write_text(json.dumps(payload, indent=2, allow_nan=False) + "\n")
    return path


# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    data = parser.add_argument_group("data")
    data.add_argument("--networks", type=int, default=10_000, help="synthetic networks (10000)")
    data.add_argument("--members-min", type=int, default=20, help="fewest members (20)")
    data.add_argument("--members-max", type=int, default=40, help="most members (40)")
    data.add_argument("--density-min", type=float, default=0.05,
                      help="lowest target density of member-member ties (0.05)")
    data.add_argument("--density-max", type=float, default=0.40,
                      help="highest target density of member-member ties (0.40)")
    data.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    run = parser.add_argument_group("run")
    run.add_argument("--repeats", type=int, default=3,
                     help="repeats of the ecomap passes; the best is reported (3)")
    run.add_argument("--nx-repeats", type=int, default=None,
                     help="repeats of the networkx pass (default: as --repeats); networkx takes about "
                          "50 ms a network here, so 10,000 networks take about 8 minutes a pass")
    run.add_argument("--quiet-wait", type=float, default=60, metavar="SECONDS",
                     help="first wait up to this long for other processes to use under 15%% of the "
                          "CPU (default 60; 0 to start at once)")
    out = parser.add_argument_group("output")
    out.add_argument("--json", nargs="?", const="auto", metavar="PATH",
                     help="write the results as JSON (default path: bench/results/<time>-metrics.json)")
    args = parser.parse_args(argv)
    if args.nx_repeats is None:
        args.nx_repeats = args.repeats
    if args.networks < 1 or args.repeats < 1 or args.nx_repeats < 1:
        parser.error("--networks, --repeats and --nx-repeats must be at least 1")
    if not 1 <= args.members_min <= args.members_max <= 200:
        parser.error("need 1 <= --members-min <= --members-max <= 200 (networkx's effective size and "
                     "constraint are nan without members, so n = 0 cannot be compared)")
    if not 0 <= args.density_min <= args.density_max <= 1:
        parser.error("need 0 <= --density-min <= --density-max <= 1")
    if args.networks > 1_000_000 or args.repeats > 20 or args.nx_repeats > 20:
        parser.error("keep the run bounded: at most 1,000,000 networks and 20 repeats")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    count = args.networks
    print(f"Generating {count:,} networks ({args.members_min}-{args.members_max} members, target tie "
          f"density {args.density_min:.0%}-{args.density_max:.0%}, seed {args.seed}) ...")
    began = time.perf_counter()
    networks = generate(count, seed=args.seed, members=(args.members_min, args.members_max),
                        densities=(args.density_min, args.density_max))
    sizes = [network.n for network in networks]
    ties = [len(network.ties) for network in networks]
    densities = [metrics.density(network) for network in networks]
    data = {
        "networks": count, "members_min": args.members_min, "members_max": args.members_max,
        "density_min": args.density_min, "density_max": args.density_max, "seed": args.seed,
        "members_mean": round(sum(sizes) / count, 2), "members_total": sum(sizes),
        "ties_mean": round(sum(ties) / count, 2), "ties_total": sum(ties),
        "density_mean": round(sum(densities) / count, 4),
        "density_range": [round(min(densities), 4), round(max(densities), 4)],
        "isolates_mean": round(sum(len(metrics.isolates(nw)) for nw in networks) / count, 2),
        "components_mean": round(sum(metrics.components(nw) for nw in networks) / count, 2),
        "digest": digest(networks),
    }
    print(f"  {data['members_mean']} members and {data['ties_mean']} ties a network on average "
          f"(density {data['density_mean']:.1%}, from {data['density_range'][0]:.1%} to "
          f"{data['density_range'][1]:.1%}; {data['components_mean']} components and "
          f"{data['isolates_mean']} isolates on average); data digest {data['digest']}; "
          f"{time.perf_counter() - began:.1f} s")

    # Warm-up (not measured): imports, caches, networkx's dispatch machinery.
    sample = networks[:200]
    ecomap_structural(sample), ecomap_profile(sample), networkx_structural(sample, {})

    if args.quiet_wait:
        share = wait_for_quiet(args.quiet_wait)
        print(f"  other processes used {share:.0%} of the CPU just before the measurements")
    structural, full, graph = Timing("ecomap structural"), Timing("ecomap profile"), Timing("networkx")
    steps = ecomap_phases(networks)
    step_timings = {name: Timing(name) for name in steps}
    load_before = os.getloadavg()
    worst: dict[str, float] = {}
    for repeat in range(max(args.repeats, args.nx_repeats)):
        if repeat < args.repeats:
            ours = timed(structural, lambda: ecomap_structural(networks))
            profiles = timed(full, lambda: ecomap_profile(networks))
            for name, step in steps.items():
                timed(step_timings[name], step)
        if repeat < args.nx_repeats:
            print(f"  repeat {repeat + 1}: networkx on {count:,} networks ...", flush=True)
            phases: dict[str, float] = {}
            theirs = timed(graph, lambda phases=phases: networkx_structural(networks, phases))
            graph.phases.append(phases)
        if repeat == 0:
            problems, worst = check(networks, ours, profiles, theirs)
            if problems:
                print(f"! ecomap and networkx differ (tolerance {TOLERANCE:g}); no figures reported:",
                      file=sys.stderr)
                for problem in problems:
                    print(f"    {problem}", file=sys.stderr)
                return 1
            print(f"  checked: all {count:,} networks give the same values as networkx (largest "
                  f"difference {max(worst.values()):.1e}) and profile() agrees with the functions")
            del ours, profiles, theirs
        parts = [f"ecomap structural {structural.runs[-1]:.3f} s"] if repeat < args.repeats else []
        if repeat < args.nx_repeats:
            parts.append(f"networkx {graph.runs[-1]:.1f} s")
        print(f"  repeat {repeat + 1}/{max(args.repeats, args.nx_repeats)}: {', '.join(parts)}")
    load_after = os.getloadavg()

    nx_phases = graph.phases[graph.best]
    nx_build = nx_phases["construction"]
    nx_measures = sum(v for k, v in nx_phases.items() if k != "construction")
    ours_steps = {name: t.seconds for name, t in step_timings.items()}
    base = structural.seconds
    disturbance = max(max(t.others) for t in (structural, full, graph))
    run = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "git": git_revision(),
        "repeats": args.repeats, "nx_repeats": args.nx_repeats, "tolerance": TOLERANCE,
        "max_abs_difference": worst,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "other_processes_cpu_share_max": round(disturbance, 3), "machine": machine(),
    }
    rows = [
        ("ecomap structural (Adjacency + 6 measures)", base, structural.cpu[structural.best]),
        ("ecomap profile() (all measures)", full.seconds, full.cpu[full.best]),
        ("networkx, construction + measures", graph.seconds, graph.cpu[graph.best]),
        ("networkx, measures only", nx_measures, None),
        ("networkx, graph construction only", nx_build, None),
    ]
    results = {
        "ecomap_structural_s": base, "ecomap_profile_s": full.seconds,
        "networkx_total_s": graph.seconds, "networkx_measures_s": nx_measures,
        "networkx_construction_s": nx_build,
        "ratio_networkx_total_vs_ecomap_structural": graph.seconds / base,
        "ratio_networkx_measures_vs_ecomap_structural": nx_measures / base,
        "ratio_networkx_total_vs_ecomap_profile": graph.seconds / full.seconds,
        "ecomap_steps_s": ours_steps, "networkx_steps_s": nx_phases,
        "timings": [asdict(t) for t in (structural, full, graph, *step_timings.values())],
    }
    m = run["machine"]
    print()
    print(f"{run['date']}  {m['cpu']}, {m['cores']} cores; Python {m['python']}, networkx "
          f"{m['networkx']}; ecomap {run['git'] or '(no git)'}")
    print(f"{count:,} networks, {data['members_mean']} members and {data['ties_mean']} ties on average; "
          f"best of {args.repeats} (ecomap) and {args.nx_repeats} (networkx) repeats, wall time")
    print(main_table(rows, count, base))
    print(f"RATIO networkx / ecomap structural: {graph.seconds / base:,.0f}x with graph construction, "
          f"{nx_measures / base:,.0f}x measures only; networkx / ecomap profile(): "
          f"{graph.seconds / full.seconds:,.0f}x")
    print("\nPer step (ecomap: one pass per step over prebuilt adjacencies; networkx: clock reads "
          "between steps of the pass above):")
    print(breakdown_table(ours_steps, nx_phases, count))
    cores = os.cpu_count() or 1
    print(f"Load average (1 min) {load_before[0]:.2f} before and {load_after[0]:.2f} after on {cores} "
          f"cores; other processes used at most {disturbance:.0%} of the machine's CPU during a pass.")
    slow = [t.name for t in (structural, full, graph) if t.cpu[t.best] < 0.95 * t.seconds]
    if slow:
        print(f"! This process got under 95% of a CPU during the best repeat of {', '.join(slow)}: "
              "other work disturbed the wall-clock figures; run again when the machine is quiet.",
              file=sys.stderr)
    if args.json:
        path = write_json(args.json, {"run": run, "data": data, "results": results})
        print(f"Results written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
