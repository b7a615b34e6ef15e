"""network.metrics: structure against networkx, composition against hand-computed cases, profile()
and compare().

The hand-checked fixture of ../shared/research/ego_networks.md section 3 uses four relationship codes
(family, friend, professional, group). Mapped to our vocabulary: family -> sibling (A and B share the
code, as in the note), friend -> friend, professional -> professional (a person, formal), group (AA)
-> mutual_aid_group (kind group). "Uses" -> substance_use heavy (A) and some (C).
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from ecomap.network import metrics
from ecomap.network.choices import Relationship, SupportFunction
from ecomap.network.graph import Network
from ecomap.network.tests.strategies import complete, member, networks, star

EGO = ("ego",)  # not a str, so it cannot collide with a member key
TOL = {"rel_tol": 1e-9, "abs_tol": 1e-9}


def close(a, b) -> bool:
    return math.isclose(a, b, **TOL)


def to_networkx(network: Network) -> tuple[nx.Graph, nx.Graph]:
    """(G_A, G): the member-member graph, and the same with ego tied to every member."""
    g_a = nx.Graph()
    g_a.add_nodes_from(m.key for m in network.members)
    g_a.add_edges_from(network.ties)
    g = g_a.copy()
    g.add_node(EGO)
    g.add_edges_from((EGO, m.key) for m in network.members)
    return g_a, g


# ---------------------------------------------------------------------------------------------
# (1) The hand-checked fixture of the research note, section 3


@pytest.fixture
def fixture_network() -> Network:
    return Network.build(
        [
            member("A", relationship="sibling", circle=1, contact="daily", substance_use="heavy",
                   recovery_stance="against", valence="stressful",
                   support_received={"companionship"}, support_given={"companionship"}),
            member("B", relationship="sibling", circle=1, contact="weekly", substance_use="none",
                   recovery_stance="supportive", valence="mixed", could_join_sessions=True,
                   support_received={"emotional", "practical", "financial"},
                   support_given={"emotional"}),
            member("C", relationship="friend", circle=2, contact="monthly", substance_use="some",
                   recovery_stance="neutral"),
            member("D", relationship="friend", circle=2, contact="weekly", substance_use="none",
                   recovery_stance="supportive", support_received={"emotional", "informational"}),
            member("E", relationship="professional", circle=3, contact="monthly",
                   substance_use="unknown", recovery_stance="supportive",
                   support_received={"informational", "practical"}),
            member("F", kind="group", relationship="mutual_aid_group", circle=3, contact="weekly",
                   substance_use="none", recovery_stance="supportive",
                   support_received={"emotional", "companionship"}, support_given={"emotional"}),
        ],
        [("A", "B"), ("B", "C"), ("A", "C"), ("D", "F")],
    )


def test_fixture_structure_matches_the_research_note(fixture_network):
    p = metrics.profile(fixture_network)
    assert (p["size"], p["ties"]) == (6, 4)
    assert (p["size_person"], p["size_group"], p["size_service"]) == (5, 1, 0)
    assert p["density"] == pytest.approx(0.266667, abs=1e-6)
    assert p["effective_size"] == pytest.approx(4.666667, abs=1e-6)
    assert p["efficiency"] == pytest.approx(0.777778, abs=1e-6)
    hand = 3 * (5 / 18) ** 2 + 2 * (1 / 4) ** 2 + (1 / 6) ** 2
    assert p["constraint"] == pytest.approx(hand, abs=1e-12)
    assert p["constraint"] == pytest.approx(0.384259, abs=1e-6)
    assert p["components"] == 3
    assert metrics.component_sizes(fixture_network) == [3, 2, 1]
    assert metrics.isolates(fixture_network) == ("E",) and p["isolates"] == 1


def test_fixture_composition(fixture_network):
    p = metrics.profile(fixture_network)
    rel = metrics.relationship_shares(fixture_network)
    assert set(rel) == set(Relationship.values)  # every category, zeros included
    assert rel["sibling"] == rel["friend"] == pytest.approx(1 / 3)
    assert rel["professional"] == rel["mutual_aid_group"] == pytest.approx(1 / 6)
    assert sum(v for k, v in rel.items() if k not in {"sibling", "friend", "professional",
                                                      "mutual_aid_group"}) == 0
    assert p["blau_relationship"] == pytest.approx(0.722222, abs=1e-6)
    assert p["iqv_relationship"] == pytest.approx((13 / 18) / (14 / 15))  # K = 15 possible: 0.773810
    # The note's IQV with K = 5 possible categories, through the generic function:
    blau = metrics.blau_relationship(fixture_network)
    assert metrics.iqv(blau, 5) == pytest.approx(0.902778, abs=1e-6)
    assert p["share_kin"] == pytest.approx(1 / 3)
    assert (p["share_formal"], p["share_informal"]) == (pytest.approx(1 / 6), pytest.approx(5 / 6))
    assert [p[f"share_circle_{c}"] for c in (1, 2, 3)] == [pytest.approx(1 / 3)] * 3
    assert p["share_sector_family"] == p["share_sector_friends"] == pytest.approx(1 / 3)
    assert p["share_sector_services"] == p["share_sector_mutual_aid"] == pytest.approx(1 / 6)
    assert p["share_sector_community"] == p["share_sector_work_school"] == 0.0
    assert p["share_valence_supportive"] == pytest.approx(4 / 6)
    assert p["share_valence_mixed"] == p["share_valence_stressful"] == pytest.approx(1 / 6)


def test_fixture_support_and_contact(fixture_network):
    p = metrics.profile(fixture_network)
    assert {f: p[f"support_received_{f}"] for f in SupportFunction.values} == {
        "emotional": 3, "practical": 2, "informational": 2, "companionship": 2, "financial": 1}
    assert {f: p[f"support_given_{f}"] for f in SupportFunction.values} == {
        "emotional": 2, "practical": 0, "informational": 0, "companionship": 1, "financial": 0}
    assert p["support_providers"] == 5  # C gives nothing
    assert p["multiplexity"] == pytest.approx((1 + 3 + 0 + 2 + 2 + 2) / 6)
    assert p["share_multiplex"] == pytest.approx(4 / 6)  # B, D, E, F
    assert p["reciprocity"] == pytest.approx(3 / 5)  # A, B, F both ways; C has no flow at all
    assert p["reciprocity_all"] == pytest.approx(3 / 6)
    assert p["weekly_contacts"] == 4 and p["share_weekly_contact"] == pytest.approx(4 / 6)


def test_fixture_important_people_scores(fixture_network):
    p = metrics.profile(fixture_network)
    assert p["size_informal"] == 5  # E, the professional, is left out of the IP scores
    assert (p["heavy_users"], p["share_heavy_users"]) == (1, pytest.approx(1 / 5))
    assert (p["non_users"], p["share_non_users"]) == (3, pytest.approx(3 / 5))  # B, D, F
    assert p["substance_use_unknown"] == 0  # E is unknown but formal
    assert (p["recovery_supporters"], p["share_recovery_supporters"]) == (3, pytest.approx(3 / 5))
    assert p["recovery_opponents"] == 1
    # B (mixed) and D; not F (a group), not E (formal).
    assert metrics.network_for_change(fixture_network) == ("B", "D")
    assert metrics.network_for_change_ready(fixture_network) == ("B",)
    assert (p["network_for_change_candidates"], p["network_for_change_ready"]) == (2, 1)
    assert (p["inner_circle_stressful"], p["inner_circle_heavy_users"], p["kin_stressful"]) == (2, 1, 2)


# ---------------------------------------------------------------------------------------------
# (2) Structure against networkx on random networks


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_structure_matches_networkx(network):
    g_a, g = to_networkx(network)
    adjacency = metrics.Adjacency(network)
    n = network.n
    assert metrics.tie_count(network) == g_a.number_of_edges()
    assert close(metrics.density(network, adjacency=adjacency), nx.density(g_a))
    assert metrics.components(network, adjacency=adjacency) == nx.number_connected_components(g_a)
    assert sorted(metrics.component_sizes(network), reverse=True) == sorted(
        (len(c) for c in nx.connected_components(g_a)), reverse=True)
    assert set(metrics.isolates(network, adjacency=adjacency)) == set(nx.isolates(g_a))

    es = metrics.effective_size(network, adjacency=adjacency)
    eff = metrics.efficiency(network, adjacency=adjacency)
    con = metrics.constraint(network, adjacency=adjacency)
    nx_es = nx.effective_size(g, nodes=[EGO])[EGO]
    nx_con = nx.constraint(g, nodes=[EGO])[EGO]
    if n == 0:  # networkx: nan for an isolated ego; ours: 0.0 / None / None (module docstring)
        assert math.isnan(nx_es) and math.isnan(nx_con)
        assert (es, eff, con) == (0.0, None, None)
    else:
        assert close(es, nx_es)
        assert close(eff, nx_es / g.degree(EGO))
        assert close(con, nx_con)
    # The same values without a shared adjacency.
    assert metrics.constraint(network) == con
    assert metrics.isolates(network) == metrics.isolates(network, adjacency=adjacency)


@settings(max_examples=100, deadline=None)
@given(networks())
def test_profile_is_total_json_and_consistent(network):
    p = metrics.profile(network)
    assert list(p) == list(metrics.profile(star(0)))  # same keys, same order, whatever the network
    json.dumps(p, allow_nan=False)
    for key, value in p.items():
        assert value is None or (type(value) in (int, float) and math.isfinite(value)), key
    n = network.n
    for prefix in ("share_relationship_", "share_sector_", "share_valence_", "share_circle_"):
        total = sum(v for k, v in p.items() if k.startswith(prefix))
        assert close(total, 1.0 if n else 0.0), prefix
    assert p["size"] == p["size_person"] + p["size_group"] + p["size_service"]
    assert 0 <= p["blau_relationship"] <= 1 - 1 / max(n, 1) + 1e-12
    assert 0 <= p["iqv_relationship"] <= 1 + 1e-12
    assert 0 <= p["reciprocity_all"] <= p["reciprocity"] <= 1
    ready, candidates = p["network_for_change_ready"], p["network_for_change_candidates"]
    assert ready <= candidates <= p["recovery_supporters"]
    assert p["heavy_users"] + p["non_users"] + p["substance_use_unknown"] <= p["size_informal"]
    if n:
        assert close(p["share_formal"] + p["share_informal"], 1.0)


# profile() computes some values inline; each must equal its public function.
PUBLIC = {
    "size": metrics.size, "ties": metrics.tie_count, "density": metrics.density,
    "components": metrics.components, "isolates": lambda net: len(metrics.isolates(net)),
    "effective_size": metrics.effective_size, "efficiency": metrics.efficiency,
    "constraint": metrics.constraint, "share_kin": metrics.kin_share,
    "share_formal": metrics.formal_share, "share_informal": metrics.informal_share,
    "size_informal": lambda net: len(metrics.informal_members(net)),
    "blau_relationship": metrics.blau_relationship, "iqv_relationship": metrics.iqv_relationship,
    "support_providers": metrics.support_providers, "multiplexity": metrics.multiplexity,
    "share_multiplex": metrics.share_multiplex, "reciprocity": metrics.reciprocity,
    "reciprocity_all": metrics.reciprocity_all, "weekly_contacts": metrics.weekly_contacts,
    "share_weekly_contact": metrics.weekly_contact_share, "heavy_users": metrics.heavy_users,
    "share_heavy_users": metrics.share_heavy_users, "non_users": metrics.non_users,
    "share_non_users": metrics.share_non_users, "substance_use_unknown": metrics.substance_use_unknown,
    "recovery_supporters": metrics.recovery_supporters,
    "share_recovery_supporters": metrics.share_recovery_supporters,
    "recovery_opponents": metrics.recovery_opponents,
    "network_for_change_candidates": lambda net: len(metrics.network_for_change(net)),
    "network_for_change_ready": lambda net: len(metrics.network_for_change_ready(net)),
    "inner_circle_stressful": metrics.inner_circle_stressful,
    "inner_circle_heavy_users": metrics.inner_circle_heavy_users,
    "kin_stressful": metrics.kin_stressful,
}


@settings(max_examples=50, deadline=None)
@given(networks(max_members=15))
def test_profile_agrees_with_the_public_functions(network):
    p = metrics.profile(network)
    for key, function in PUBLIC.items():
        assert p[key] == function(network), key
    for kind, count in metrics.size_by_kind(network).items():
        assert p[f"size_{kind}"] == count
    for direction in ("received", "given"):
        for function, count in metrics.support_counts(network, direction).items():
            assert p[f"support_{direction}_{function}"] == count
    for prefix, shares in (("share_relationship_", metrics.relationship_shares(network)),
                           ("share_sector_", metrics.sector_shares(network)),
                           ("share_circle_", metrics.circle_shares(network)),
                           ("share_valence_", metrics.valence_shares(network))):
        assert {f"{prefix}{k}": v for k, v in shares.items()} == {
            k: v for k, v in p.items() if k.startswith(prefix)}


# ---------------------------------------------------------------------------------------------
# (3) Edge cases: n = 0, 1, 2, star, complete


STRUCTURE = ("density", "components", "isolates", "effective_size", "efficiency", "constraint")
EDGE_CASES = {
    "empty": (star(0), (0.0, 0, 0, 0.0, None, None)),
    "one": (star(1), (0.0, 1, 1, 1.0, 1.0, 1.0)),
    "two_untied": (star(2), (0.0, 2, 2, 2.0, 1.0, 0.5)),
    "two_tied": (complete(2), (1.0, 1, 0, 1.0, 0.5, 1.125)),
    "star_7": (star(7), (0.0, 7, 7, 7.0, 1.0, 1 / 7)),
    "complete_5": (complete(5), (1.0, 1, 0, 1.0, 0.2, 0.648)),
}


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_edge_cases(name):
    network, expected = EDGE_CASES[name]
    p = metrics.profile(network)
    for key, value in zip(STRUCTURE, expected, strict=True):
        if value is None:
            assert p[key] is None, key
        else:
            assert p[key] == pytest.approx(value, abs=1e-12), key
    json.dumps(p, allow_nan=False)
    assert all(v is None or math.isfinite(v) for v in p.values())
    # networkx agrees wherever it defines the value.
    g_a, g = to_networkx(network)
    assert p["density"] == nx.density(g_a) and p["components"] == nx.number_connected_components(g_a)
    if network.n:
        assert p["constraint"] == pytest.approx(nx.constraint(g, nodes=[EGO])[EGO], abs=1e-12)


def test_empty_network_reads_as_none_of_everything():
    p = metrics.profile(Network())
    assert {k for k, v in p.items() if v is None} == {"efficiency", "constraint"}
    assert all(v == 0 for k, v in p.items() if v is not None and k != "profile_version")


# ---------------------------------------------------------------------------------------------
# (4) Composition on hand-computed cases


def test_blau_and_iqv_by_hand():
    two_kinds = Network.build([member("a", relationship="parent"), member("b", relationship="friend")])
    assert metrics.blau_relationship(two_kinds) == pytest.approx(0.5)
    assert metrics.iqv_relationship(two_kinds) == pytest.approx(0.5 / (1 - 1 / 15))
    same = star(4, relationship="sibling")
    assert metrics.blau_relationship(same) == 0.0 and metrics.iqv_relationship(same) == 0.0
    assert metrics.blau_relationship(star(1)) == 0.0
    assert metrics.blau([]) == 0.0 and metrics.blau([0.0, 0.0]) == 0.0
    assert metrics.iqv(0.5, 1) == 0.0 and metrics.iqv(0.5, 2) == 1.0
    # 3 / 1 split: 1 - (9 + 1) / 16 = 0.375
    mix = Network.build([member(k, relationship="friend") for k in "abc"]
                        + [member("d", relationship="neighbour")])
    assert metrics.blau_relationship(mix) == pytest.approx(0.375)


def test_shares_cover_every_category_and_ignore_unknown_values():
    network = Network.build([member("a", relationship="friend", circle=1, valence="stressful"),
                             member("b", relationship="partner", circle=3)])
    assert metrics.circle_shares(network) == {1: 0.5, 2: 0.0, 3: 0.5}
    assert metrics.valence_shares(network) == {"supportive": 0.5, "mixed": 0.0, "stressful": 0.5}
    assert metrics.kin_share(network) == 0.5
    assert metrics.size_by_kind(network) == {"person": 2, "group": 0, "service": 0}
    odd = Network.build([member("a", valence="ambivalent"), member("b")])
    assert metrics.valence_shares(odd) == {"supportive": 0.5, "mixed": 0.0, "stressful": 0.0}


def test_support_multiplexity_and_reciprocity_by_hand():
    network = Network.build([
        member("a", support_received={"emotional", "practical"}, support_given={"practical"}),
        member("b", support_received={"emotional"}),
        member("c", support_given={"financial"}),  # the client helps c; c gives nothing back
        member("d"),  # no support either way: outside reciprocity's denominator
    ])
    assert metrics.support_counts(network, "received") == {
        "emotional": 2, "practical": 1, "informational": 0, "companionship": 0, "financial": 0}
    assert metrics.support_counts(network, "given")["financial"] == 1
    assert metrics.support_providers(network) == 2
    assert metrics.multiplexity(network) == pytest.approx(3 / 4)
    assert metrics.share_multiplex(network) == pytest.approx(1 / 4)
    assert metrics.reciprocity(network) == pytest.approx(1 / 3)
    assert metrics.reciprocity_all(network) == pytest.approx(1 / 4)
    assert metrics.reciprocity(star(3)) == 0.0  # no flow at all
    with pytest.raises(ValueError):
        metrics.support_counts(network, "sideways")


def test_weekly_contact_by_hand():
    network = Network.build([member("a", contact="daily"), member("b", contact="weekly"),
                             member("c", contact="monthly"), member("d", contact="none"),
                             member("e", contact="less")])
    assert metrics.weekly_contacts(network) == 2
    assert metrics.weekly_contact_share(network) == pytest.approx(0.4)


def test_important_people_scores_by_hand():
    network = Network.build([
        member("ok", recovery_stance="supportive", substance_use="none", valence="supportive"),
        member("some", recovery_stance="supportive", substance_use="some"),  # uses: not a candidate
        member("unknown", recovery_stance="supportive", substance_use="unknown"),  # not vetted
        member("stress", recovery_stance="supportive", substance_use="none", valence="stressful"),
        member("group", kind="group", relationship="mutual_aid_group", recovery_stance="supportive",
               substance_use="none"),
        member("pro", relationship="professional", recovery_stance="supportive", substance_use="none"),
        member("svc", kind="service", relationship="service", substance_use="heavy"),  # formal: ignored
        member("heavy", relationship="partner", circle=1, substance_use="heavy", valence="mixed",
               recovery_stance="against"),
    ])
    p = metrics.profile(network)
    assert p["size_informal"] == 6
    assert (p["heavy_users"], p["share_heavy_users"]) == (1, pytest.approx(1 / 6))
    assert (p["non_users"], p["share_non_users"]) == (3, pytest.approx(3 / 6))  # ok, stress, group
    assert p["substance_use_unknown"] == 1
    assert (p["recovery_supporters"], p["share_recovery_supporters"]) == (5, pytest.approx(5 / 6))
    assert p["recovery_opponents"] == 1
    assert metrics.network_for_change(network) == ("ok",)
    assert p["network_for_change_ready"] == 0
    assert (p["inner_circle_stressful"], p["inner_circle_heavy_users"], p["kin_stressful"]) == (1, 1, 1)
    formal_only = Network.build([member("pro", relationship="professional", substance_use="heavy")])
    q = metrics.profile(formal_only)
    assert (q["size_informal"], q["heavy_users"], q["share_heavy_users"]) == (0, 0, 0.0)


# ---------------------------------------------------------------------------------------------
# (5) compare()


def test_compare_gives_after_minus_before(fixture_network):
    before = metrics.profile(star(0))
    after = metrics.profile(fixture_network)
    diff = metrics.compare(before, after)
    assert "profile_version" not in diff
    assert set(diff) == set(after) - {"profile_version"}
    assert diff["size"] == 6 and isinstance(diff["size"], int)
    assert diff["density"] == pytest.approx(4 / 15)
    assert diff["constraint"] is None and diff["efficiency"] is None  # None before
    assert metrics.compare(after, after)["density"] == 0.0
    json.dumps(diff, allow_nan=False)


def test_compare_handles_none_missing_noise_and_non_numbers():
    before = {"a": 0.5, "b": None, "c": 3, "gone": 1, "label": "x", "flag": True, "both_none": None}
    after = {"a": 0.6, "b": 2.0, "c": 1, "new": 4, "label": "y", "flag": False, "both_none": None}
    assert metrics.compare(before, after) == {
        "a": 0.1, "b": None, "c": -2, "new": None, "both_none": None, "gone": None}


# ---------------------------------------------------------------------------------------------
# The module's promises: documented keys, no networkx or ORM at runtime


def test_every_profile_key_is_documented():
    rows = re.findall(r"^\s*\| `([a-z0-9_<>,]+)`", metrics.__doc__, flags=re.MULTILINE)
    patterns = [re.compile("^" + re.sub(r"<[^>]+>", "[a-z0-9_]+", row) + "$") for row in rows]
    keys = list(metrics.profile(star(0)))
    undocumented = [k for k in keys if not any(p.match(k) for p in patterns)]
    assert not undocumented
    unused = [row for row, p in zip(rows, patterns, strict=True) if not any(p.match(k) for k in keys)]
    assert not unused


def test_metrics_imports_neither_networkx_nor_the_orm():
    tree = ast.parse(Path(metrics.__file__).read_text())
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert imported <= {"__future__", "collections.abc", "choices", "graph"}, imported
