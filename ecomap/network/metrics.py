"""Measures of a client's network: pure functions over `graph.Network`; `profile()` gathers them.

Definitions follow ../shared/research/ego_networks.md section 3 (formulas and test oracles) and 4.1
(Important People instrument). Nothing here touches the database or imports networkx: networkx is the
test oracle for the structural measures (tests/test_metrics.py), and the composition measures are
checked against hand-computed cases.

Notation
--------
The client is ego. A is the set of members, n = |A|. G_A is the graph of member-member ties (ego
excluded) with t ties. G is G_A plus ego tied to every member, unweighted and undirected. d_j is
member j's degree in G_A. For a categorical attribute with categories k = 1..K, n_k is the count and
p_k = n_k / n.

Structure (on G_A unless stated; networkx oracle in brackets)
    density          d = t / (n(n-1)/2)                                  [nx.density(G_A)]
    components       number of connected components of G_A              [nx.number_connected_components]
    isolates         members with d_j = 0                                [nx.isolates(G_A)]
    effective size   ES = n - 2t/n, Borgatti's form of Burt's measure on G, unweighted
                                                                   [nx.effective_size(G, nodes=[ego])]
    efficiency       ES / n                                              [effective size / G.degree(ego)]
    constraint       C = sum_j (p_ij + sum_{q != i,j} p_iq p_qj)^2 on G (Burt). Unweighted, with ego tied
                     to all: p_ij = 1/n and p_qj = [q~j] / (d_q + 1), so
                     C = (1/n^2) sum_j (1 + sum_{q ~ j} 1/(d_q + 1))^2  [nx.constraint(G, nodes=[ego])]
    Always call networkx with nodes=[ego]: networkx 3.6.1 is wrong for weighted graphs when nodes=None.

Composition
    share of a category   p_k = n_k / n, reported for EVERY value of the vocabulary (zeros included) so
                          that two assessments line up key by key. A value outside the vocabulary counts
                          in n but in no category.
    Blau                  B = 1 - sum_k p_k^2 over relationship categories.
    IQV                   B / (1 - 1/K), K = the number of POSSIBLE relationship categories (the 15
                          values of choices.Relationship, not the number observed), so IQV is comparable
                          across clients and over time. With n < K members the maximum is below 1.
    multiplexity          mean over members of the number of distinct support functions the client
                          receives from them; share_multiplex = share of members giving >= 2 functions.
    reciprocity           members with support flowing both ways (the client receives AND gives at least
                          one function) / members with any flow (receives OR gives). Members with no
                          support either way say nothing about reciprocity, so they are left out of the
                          denominator; reciprocity_all is the same count over all n members.
    weekly contact        members with contact daily or weekly (choices.WEEKLY_OR_MORE) / n.

Important People scores (IPA/IPDA style)
    Computed over the INFORMAL members (relationship not formal, i.e. not professional or service): the
    people and groups of the client's own life, whom the instrument asks about. Professionals and
    services, usually recorded as "unknown" use, would otherwise dilute every share. A group (for
    example "the lads at the pub") counts: its use is clinically relevant. Denominator: size_informal.
    Network-for-change candidates (SBNT, Network Support): informal PERSON members (people who can be
    recruited and join sessions) who support recovery (recovery_stance supportive), do not drink or
    use (substance_use none: the issue's "supportive non-using members"; IPDA's abstainers) and whose
    relationship is not stressful (valence supportive or mixed). "Ready" candidates have also agreed
    they could join sessions (could_join_sessions).

Conventions for small and tie-less networks
-------------------------------------------
A rule throughout: counts are 0 and shares are 0.0 when their denominator is empty (a share then
reads "none of them", which is true, and rule conditions such as `share_heavy_users >= 0.5` stay
false). Only the two Burt measures that describe the shape of ties to alters are None without alters,
because any number would read as a real extreme (constraint 0 = a perfect broker, efficiency 0 = a
fully redundant network). No value is ever NaN.

    | measure         | n=0  | n=1 | n=2, no tie | n=2, tie | t=0, n>=1 | networkx                |
    |-----------------|------|-----|-------------|----------|-----------|-------------------------|
    | density         | 0.0  | 0.0 | 0.0         | 1.0      | 0.0       | same (0 for n < 2)      |
    | components      | 0    | 1   | 2           | 1        | n         | same                    |
    | isolates        | 0    | 1   | 2           | 0        | n         | same                    |
    | effective_size  | 0.0  | 1.0 | 2.0         | 1.0      | n         | n=0: nan                |
    | efficiency      | None | 1.0 | 1.0         | 0.5      | 1.0       | n=0: 0/0 (ES / degree)  |
    | constraint      | None | 1.0 | 0.5         | 1.125    | 1/n       | n=0: nan                |
    | shares, means   | 0.0  |     |             |          |           | no oracle               |
    | blau, iqv       | 0.0  | 0.0 |             |          |           | no oracle               |
    | reciprocity     | 0.0 when no member has support flowing either way                             |
    | IP shares       | 0.0 when there are no informal members                                        |

Constraint can exceed 1 in very small dense networks (n = 2 tied: 1.125); that is Burt's measure, not
an error.

profile() keys
--------------
`profile(network)` returns a flat dict of int, float or None values, JSON-serialisable, always with the
same keys. It is frozen into a dated assessment and read by the intervention rules, so the names are
stable; a change of meaning bumps PROFILE_VERSION. `float?` is a float or None. `<kind>`, `<value>`
and `<fn>` stand for every value of choices.MemberKind, Relationship / Sector / Valence and
SupportFunction.

    | key                              | type   | meaning                                               |
    |----------------------------------|--------|-------------------------------------------------------|
    | `profile_version`                | int    | version of these definitions (not diffed by compare)  |
    | `size`                           | int    | n, all members                                        |
    | `size_<kind>`                    | int    | members of that kind (person, group, service)         |
    | `size_informal`                  | int    | members whose relationship is not formal              |
    | `ties`                           | int    | t, member-member ties                                 |
    | `density`                        | float  | t / (n(n-1)/2), ego excluded                          |
    | `components`                     | int    | connected components among members                    |
    | `isolates`                       | int    | members tied to no other member                       |
    | `effective_size`                 | float  | Burt/Borgatti n - 2t/n                                |
    | `efficiency`                     | float? | effective_size / n                                    |
    | `constraint`                     | float? | Burt's constraint on the client                       |
    | `share_kin`                      | float  | share of members who are family                       |
    | `share_formal`                   | float  | share of professionals and services                   |
    | `share_informal`                 | float  | 1 - share_formal (0.0 when n = 0)                     |
    | `share_circle_<1,2,3>`           | float  | share in the inner, middle, outer circle              |
    | `share_relationship_<value>`     | float  | share of each relationship category                   |
    | `share_sector_<value>`           | float  | share of each eco-map sector                          |
    | `share_valence_<value>`          | float  | share supportive, mixed, stressful                    |
    | `blau_relationship`              | float  | 1 - sum p_k^2 over relationship categories            |
    | `iqv_relationship`               | float  | blau / (1 - 1/15)                                     |
    | `support_providers`              | int    | members giving the client at least one function       |
    | `support_received_<fn>`          | int    | members giving the client that function               |
    | `support_given_<fn>`             | int    | members the client gives that function to             |
    | `multiplexity`                   | float  | mean number of functions received per member          |
    | `share_multiplex`                | float  | share of members giving >= 2 functions                |
    | `reciprocity`                    | float  | two-way support / members with any support flow       |
    | `reciprocity_all`                | float  | two-way support / all members                         |
    | `weekly_contacts`                | int    | members seen daily or weekly                          |
    | `share_weekly_contact`           | float  | weekly_contacts / n                                   |
    | `heavy_users`                    | int    | informal members who drink or use heavily             |
    | `share_heavy_users`              | float  | heavy_users / size_informal                           |
    | `non_users`                      | int    | informal members who do not drink or use              |
    | `share_non_users`                | float  | non_users / size_informal                             |
    | `substance_use_unknown`          | int    | informal members whose use is not known               |
    | `recovery_supporters`            | int    | informal members who support the client's recovery    |
    | `share_recovery_supporters`      | float  | recovery_supporters / size_informal                   |
    | `recovery_opponents`             | int    | informal members against the client's recovery        |
    | `network_for_change_candidates`  | int    | see "Network-for-change candidates" above             |
    | `network_for_change_ready`       | int    | candidates who could join sessions                    |
    | `inner_circle_stressful`         | int    | circle-1 members whose valence is stressful or mixed  |
    | `inner_circle_heavy_users`       | int    | circle-1 members who drink or use heavily (any kind)  |
    | `kin_stressful`                  | int    | family members whose valence is stressful or mixed    |

`compare(before, after)` gives after - before for every numeric key (None when either side is None or
missing), floats rounded to 12 decimals so that 0.6 - 0.5 reads 0.1. `profile_version` is not diffed.
"""

from __future__ import annotations

from collections.abc import Iterable

from .choices import (
    WEEKLY_OR_MORE,
    Circle,
    MemberKind,
    RecoveryStance,
    Relationship,
    Sector,
    SubstanceUse,
    SupportFunction,
    Valence,
)
from .graph import Member, Network

PROFILE_VERSION = 1

KINDS: tuple[str, ...] = tuple(MemberKind.values)
RELATIONSHIPS: tuple[str, ...] = tuple(Relationship.values)
SECTORS: tuple[str, ...] = tuple(Sector.values)
CIRCLES: tuple[int, ...] = tuple(Circle.values)
VALENCES: tuple[str, ...] = tuple(Valence.values)
FUNCTIONS: tuple[str, ...] = tuple(SupportFunction.values)

_STRAINED = frozenset({Valence.STRESSFUL.value, Valence.MIXED.value})
_NOT_COMPARED = frozenset({"profile_version"})


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _distribution(values: Iterable, categories: tuple, n: int) -> dict:
    counts = dict.fromkeys(categories, 0)
    for value in values:
        if value in counts:
            counts[value] += 1
    return {category: _share(count, n) for category, count in counts.items()}


# ---------------------------------------------------------------------------------------------
# Structure


class Adjacency:
    """The member-member graph G_A as index lists, built once and shared by the structural measures.

    `keys[i]` is the i-th member's key (members' order), `neighbours[i]` the indices tied to it
    (read-only by convention), `ties` = t. Pass it as `adjacency=` to avoid rebuilding it for each
    measure.
    """

    __slots__ = ("keys", "neighbours", "ties")

    def __init__(self, network: Network):
        index = {member.key: i for i, member in enumerate(network.members)}
        neighbours: list[list[int]] = [[] for _ in index]
        for a, b in network.ties:
            i, j = index[a], index[b]
            neighbours[i].append(j)
            neighbours[j].append(i)
        self.keys: tuple[str, ...] = tuple(index)
        self.neighbours = neighbours
        self.ties = len(network.ties)

    @property
    def n(self) -> int:
        return len(self.keys)


def _adj(network: Network, adjacency: Adjacency | None) -> Adjacency:
    return adjacency if adjacency is not None else Adjacency(network)


def size(network: Network) -> int:
    """n = |A|, every member (people, groups and services)."""
    return len(network.members)


def size_by_kind(network: Network) -> dict[str, int]:
    """Members per kind, for every MemberKind value (zeros included)."""
    counts = dict.fromkeys(KINDS, 0)
    for member in network.members:
        if member.kind in counts:
            counts[member.kind] += 1
    return counts


def tie_count(network: Network) -> int:
    """t = number of member-member ties (each unordered pair once; ego's ties not counted)."""
    return len(network.ties)


def density(network: Network, *, adjacency: Adjacency | None = None) -> float:
    """d = t / (n(n-1)/2), ego excluded; 0.0 for n < 2 (networkx's convention; egor gives NaN)."""
    n = len(network.members)
    return len(network.ties) / (n * (n - 1) / 2) if n >= 2 else 0.0


def component_sizes(network: Network, *, adjacency: Adjacency | None = None) -> list[int]:
    """Sizes of the connected components of G_A, largest first; [] for n = 0, [1] * n when t = 0."""
    adj = _adj(network, adjacency)
    seen = bytearray(adj.n)
    sizes = []
    for start in range(adj.n):
        if seen[start]:
            continue
        seen[start] = 1
        stack = [start]
        count = 0
        while stack:
            i = stack.pop()
            count += 1
            for j in adj.neighbours[i]:
                if not seen[j]:
                    seen[j] = 1
                    stack.append(j)
        sizes.append(count)
    sizes.sort(reverse=True)
    return sizes


def components(network: Network, *, adjacency: Adjacency | None = None) -> int:
    """c = number of connected components of G_A (ego excluded: on G there is always one); 0 for n = 0,
    n when t = 0."""
    return len(component_sizes(network, adjacency=adjacency))


def isolates(network: Network, *, adjacency: Adjacency | None = None) -> tuple[str, ...]:
    """Keys of members tied to no other member (degree 0 in G_A), in members' order; () for n = 0."""
    adj = _adj(network, adjacency)
    return tuple(key for key, nbrs in zip(adj.keys, adj.neighbours, strict=True) if not nbrs)


def effective_size(network: Network, *, adjacency: Adjacency | None = None) -> float:
    """Burt's effective size of the client's ego network, unweighted (Borgatti): ES = n - 2t/n.

    n members less their redundancy; t = 0 gives n, a complete G_A gives 1. 0.0 for n = 0 (no
    non-redundant contacts; networkx returns nan).
    """
    n = len(network.members)
    return n - 2 * len(network.ties) / n if n else 0.0


def efficiency(network: Network, *, adjacency: Adjacency | None = None) -> float | None:
    """Burt's efficiency ES / n = 1 - 2t/n^2: 1.0 when no member knows another, 1/n when all do.
    None for n = 0 (undefined: no alters)."""
    n = len(network.members)
    return 1 - 2 * len(network.ties) / (n * n) if n else None


def constraint(network: Network, *, adjacency: Adjacency | None = None) -> float | None:
    """Burt's constraint on the client in G (ego tied to every member, unweighted, undirected).

    C = sum_j (p_ij + sum_{q != i,j} p_iq p_qj)^2 with p_xy = a_xy / sum_k a_xk. Here p_ij = 1/n and
    p_qj = [q ~ j] / (d_q + 1), so C = (1/n^2) sum_j (1 + sum_{q ~ j} 1/(d_q + 1))^2.
    Star (t = 0): 1/n. Complete: rises toward 1 (n = 5: 0.648); n = 2 tied: 1.125. None for n = 0.
    """
    adj = _adj(network, adjacency)
    n = adj.n
    if not n:
        return None
    inverse = [1 / (len(nbrs) + 1) for nbrs in adj.neighbours]
    total = 0.0
    for nbrs in adj.neighbours:
        s = 1.0
        for q in nbrs:
            s += inverse[q]
        total += s * s
    return total / (n * n)


# ---------------------------------------------------------------------------------------------
# Composition


def relationship_shares(network: Network) -> dict[str, float]:
    """p_k = n_k / n for every Relationship value (zeros included); all 0.0 for n = 0."""
    return _distribution((m.relationship for m in network.members), RELATIONSHIPS, len(network.members))


def sector_shares(network: Network) -> dict[str, float]:
    """Share of members in each eco-map Sector (derived from the relationship); all 0.0 for n = 0."""
    return _distribution((m.sector for m in network.members), SECTORS, len(network.members))


def circle_shares(network: Network) -> dict[int, float]:
    """Share of members in each of Antonucci's circles {1, 2, 3}; all 0.0 for n = 0."""
    return _distribution((m.circle for m in network.members), CIRCLES, len(network.members))


def valence_shares(network: Network) -> dict[str, float]:
    """Share of members per Valence (supportive, mixed, stressful); all 0.0 for n = 0."""
    return _distribution((m.valence for m in network.members), VALENCES, len(network.members))


def kin_share(network: Network) -> float:
    """Share of members who are family (choices.RELATIONSHIP_PROFILE kin flag); 0.0 for n = 0."""
    return _share(sum(1 for m in network.members if m.kin), len(network.members))


def formal_share(network: Network) -> float:
    """Share of formal members (professionals and services); 0.0 for n = 0."""
    return _share(sum(1 for m in network.members if m.formal), len(network.members))


def informal_share(network: Network) -> float:
    """Share of informal members, 1 - formal_share for n >= 1; 0.0 for n = 0."""
    return _share(sum(1 for m in network.members if not m.formal), len(network.members))


def blau(shares: Iterable[float]) -> float:
    """Blau's heterogeneity B = 1 - sum_k p_k^2; 0.0 for a single category and when all shares are 0
    (n = 0)."""
    shares = list(shares)
    return 1.0 - sum(p * p for p in shares) if any(shares) else 0.0


def iqv(blau_index: float, categories: int) -> float:
    """Agresti's index of qualitative variation B / (1 - 1/K), K = number of possible categories;
    0.0 when K <= 1."""
    return blau_index / (1 - 1 / categories) if categories > 1 else 0.0


def blau_relationship(network: Network) -> float:
    """Blau's B over the relationship categories; 0.0 for n = 0 and n = 1."""
    return blau(relationship_shares(network).values())


def iqv_relationship(network: Network) -> float:
    """IQV over the relationship categories with K = len(Relationship) = 15 (possible, not observed)."""
    return iqv(blau_relationship(network), len(RELATIONSHIPS))


# ---------------------------------------------------------------------------------------------
# Support, multiplexity, reciprocity, contact


def support_counts(network: Network, direction: str = "received") -> dict[str, int]:
    """Members per SupportFunction (zeros included): `received` = members giving the client that
    function, `given` = members the client gives it to."""
    if direction not in ("received", "given"):
        raise ValueError("direction is 'received' or 'given'")
    counts = dict.fromkeys(FUNCTIONS, 0)
    for member in network.members:
        for function in member.support_received if direction == "received" else member.support_given:
            if function in counts:
                counts[function] += 1
    return counts


def support_providers(network: Network) -> int:
    """Members giving the client at least one support function."""
    return sum(1 for m in network.members if m.support_received)


def multiplexity(network: Network) -> float:
    """Mean number of distinct support functions the client receives per member,
    (1/n) sum_j |received_j|; 0.0 for n = 0."""
    return _share(sum(len(m.support_received) for m in network.members), len(network.members))


def share_multiplex(network: Network) -> float:
    """Share of members giving the client >= 2 distinct functions (multiplex ties); 0.0 for n = 0."""
    return _share(sum(1 for m in network.members if len(m.support_received) >= 2), len(network.members))


def reciprocity(network: Network) -> float:
    """|{j: received_j and given_j}| / |{j: received_j or given_j}|: among members with any support flow,
    the share with support both ways. 0.0 when no member has any flow (including n = 0)."""
    both = flowing = 0
    for member in network.members:
        if member.support_received or member.support_given:
            flowing += 1
            if member.support_received and member.support_given:
                both += 1
    return _share(both, flowing)


def reciprocity_all(network: Network) -> float:
    """|{j: received_j and given_j}| / n: two-way support over all members; 0.0 for n = 0."""
    both = sum(1 for m in network.members if m.support_received and m.support_given)
    return _share(both, len(network.members))


def weekly_contacts(network: Network) -> int:
    """Members in contact with the client daily or weekly (choices.WEEKLY_OR_MORE)."""
    return sum(1 for m in network.members if m.contact in WEEKLY_OR_MORE)


def weekly_contact_share(network: Network) -> float:
    """weekly_contacts / n; 0.0 for n = 0."""
    return _share(weekly_contacts(network), len(network.members))


# ---------------------------------------------------------------------------------------------
# Important People style scores (over informal members) and risk counts


def informal_members(network: Network) -> tuple[Member, ...]:
    """Members whose relationship is not formal: the denominator of the Important People scores."""
    return tuple(m for m in network.members if not m.formal)


def _important_people(network: Network) -> tuple[int, int, int, int, int, int]:
    """One pass over the informal members: (informal, heavy, none, unknown use, supporting recovery,
    against recovery)."""
    informal = heavy = abstain = unknown = supporting = against = 0
    for m in network.members:
        if m.formal:
            continue
        informal += 1
        use, stance = m.substance_use, m.recovery_stance
        if use == SubstanceUse.HEAVY:
            heavy += 1
        elif use == SubstanceUse.NONE:
            abstain += 1
        elif use == SubstanceUse.UNKNOWN:
            unknown += 1
        if stance == RecoveryStance.SUPPORTIVE:
            supporting += 1
        elif stance == RecoveryStance.AGAINST:
            against += 1
    return informal, heavy, abstain, unknown, supporting, against


def heavy_users(network: Network) -> int:
    """Informal members who drink or use heavily (IPDA: % heavy drinkers / drug users)."""
    return _important_people(network)[1]


def share_heavy_users(network: Network) -> float:
    """heavy_users / informal members; 0.0 when there are none."""
    informal, heavy, *_ = _important_people(network)
    return _share(heavy, informal)


def non_users(network: Network) -> int:
    """Informal members who do not drink or use (IPDA: abstainers and people in recovery)."""
    return _important_people(network)[2]


def share_non_users(network: Network) -> float:
    """non_users / informal members; 0.0 when there are none."""
    informal, _, abstain, *_ = _important_people(network)
    return _share(abstain, informal)


def substance_use_unknown(network: Network) -> int:
    """Informal members whose use is not known: read the shares above against this."""
    return _important_people(network)[3]


def recovery_supporters(network: Network) -> int:
    """Informal members who support the client's recovery (IPA: support for abstinence)."""
    return _important_people(network)[4]


def share_recovery_supporters(network: Network) -> float:
    """recovery_supporters / informal members; 0.0 when there are none."""
    informal, *_, supporting, _ = _important_people(network)
    return _share(supporting, informal)


def recovery_opponents(network: Network) -> int:
    """Informal members against the client's recovery (IPA: support for drinking)."""
    return _important_people(network)[5]


def is_network_for_change_candidate(member: Member) -> bool:
    """An informal person who supports recovery, does not drink or use, and is not a stressful tie."""
    return (member.kind == MemberKind.PERSON and not member.formal
            and member.recovery_stance == RecoveryStance.SUPPORTIVE
            and member.substance_use == SubstanceUse.NONE
            and member.valence != Valence.STRESSFUL)


def network_for_change(network: Network) -> tuple[str, ...]:
    """Keys of the members who could form a 'network for change' (SBNT, Network Support), in members'
    order: see is_network_for_change_candidate()."""
    return tuple(m.key for m in network.members if is_network_for_change_candidate(m))


def network_for_change_ready(network: Network) -> tuple[str, ...]:
    """Candidates who could also join sessions (could_join_sessions)."""
    return tuple(m.key for m in network.members
                 if m.could_join_sessions and is_network_for_change_candidate(m))


def inner_circle_stressful(network: Network) -> int:
    """Inner-circle (circle 1) members whose valence is stressful or mixed."""
    return sum(1 for m in network.members if m.circle == Circle.INNER and m.valence in _STRAINED)


def inner_circle_heavy_users(network: Network) -> int:
    """Inner-circle members who drink or use heavily (IPDA: use among the most important people)."""
    return sum(1 for m in network.members
               if m.circle == Circle.INNER and m.substance_use == SubstanceUse.HEAVY)


def kin_stressful(network: Network) -> int:
    """Family members whose valence is stressful or mixed."""
    return sum(1 for m in network.members if m.kin and m.valence in _STRAINED)


# ---------------------------------------------------------------------------------------------
# Profile and comparison


def profile(network: Network) -> dict[str, int | float | None]:
    """Every measure in one flat, JSON-serialisable dict with the stable keys of the module docstring."""
    adjacency = Adjacency(network)
    n = len(network.members)
    n_informal, heavy, abstain, unknown, supporters, opponents = _important_people(network)
    weekly = weekly_contacts(network)
    candidates = [m for m in network.members if is_network_for_change_candidate(m)]
    relationships = relationship_shares(network)
    relationship_blau = blau(relationships.values())

    result: dict[str, int | float | None] = {"profile_version": PROFILE_VERSION, "size": size(network)}
    for kind, count in size_by_kind(network).items():
        result[f"size_{kind}"] = count
    result["size_informal"] = n_informal
    result.update({
        "ties": tie_count(network),
        "density": density(network, adjacency=adjacency),
        "components": components(network, adjacency=adjacency),
        "isolates": len(isolates(network, adjacency=adjacency)),
        "effective_size": effective_size(network, adjacency=adjacency),
        "efficiency": efficiency(network, adjacency=adjacency),
        "constraint": constraint(network, adjacency=adjacency),
        "share_kin": kin_share(network),
        "share_formal": _share(n - n_informal, n),
        "share_informal": _share(n_informal, n),
    })
    for circle, share in circle_shares(network).items():
        result[f"share_circle_{circle}"] = share
    for relationship, share in relationships.items():
        result[f"share_relationship_{relationship}"] = share
    for sector, share in sector_shares(network).items():
        result[f"share_sector_{sector}"] = share
    for valence, share in valence_shares(network).items():
        result[f"share_valence_{valence}"] = share
    result["blau_relationship"] = relationship_blau
    result["iqv_relationship"] = iqv(relationship_blau, len(RELATIONSHIPS))
    result["support_providers"] = support_providers(network)
    for function, count in support_counts(network, "received").items():
        result[f"support_received_{function}"] = count
    for function, count in support_counts(network, "given").items():
        result[f"support_given_{function}"] = count
    result.update({
        "multiplexity": multiplexity(network),
        "share_multiplex": share_multiplex(network),
        "reciprocity": reciprocity(network),
        "reciprocity_all": reciprocity_all(network),
        "weekly_contacts": weekly,
        "share_weekly_contact": _share(weekly, n),
        "heavy_users": heavy,
        "share_heavy_users": _share(heavy, n_informal),
        "non_users": abstain,
        "share_non_users": _share(abstain, n_informal),
        "substance_use_unknown": unknown,
        "recovery_supporters": supporters,
        "share_recovery_supporters": _share(supporters, n_informal),
        "recovery_opponents": opponents,
        "network_for_change_candidates": len(candidates),
        "network_for_change_ready": sum(1 for m in candidates if m.could_join_sessions),
        "inner_circle_stressful": inner_circle_stressful(network),
        "inner_circle_heavy_users": inner_circle_heavy_users(network),
        "kin_stressful": kin_stressful(network),
    })
    return result


def _numeric(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def compare(before: dict, after: dict) -> dict[str, int | float | None]:
    """after - before for every key that is numeric (or None) on either side, after's keys first, then
    keys only in before. None when either side is None or missing (so constraint of an empty network
    before and after gives None). Floats are rounded to 12 decimals so that representation noise
    (0.6 - 0.5 = 0.09999999999999998) does not reach rule thresholds. `profile_version` and values
    that are not measures (text, lists, booleans) are left out."""
    changes: dict[str, int | float | None] = {}
    for key in (*after, *(k for k in before if k not in after)):
        if key in _NOT_COMPARED:
            continue
        old, new = before.get(key), after.get(key)
        if not (_numeric(old) or _numeric(new) or (old is None and new is None)):
            continue  # not a measure (text, lists, booleans)
        if _numeric(old) and _numeric(new):
            delta = new - old
            changes[key] = round(delta, 12) if isinstance(delta, float) else delta
        else:
            changes[key] = None
    return changes
