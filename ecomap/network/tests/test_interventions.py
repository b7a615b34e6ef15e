from __future__ import annotations

import pytest

from ecomap.clients.models import Client, Programme
from ecomap.network import interventions, metrics
from ecomap.network.graph import Member, Network


def _profile(members, ties=(), programme=Programme.CO_OCCURRING):
    client = Client(programme=programme)  # unsaved: only `is_part2` is asked
    return interventions.client_profile(client, metrics.profile(Network.build(members, ties)))


def _m(key, rel="friend", **kw):
    kw.setdefault("circle", 2)
    kind = {"mutual_aid_group": "group", "service": "service"}.get(rel, "person")
    return Member(key=key, label=key, kind=kind, relationship=rel, **kw)


def _ids(profile):
    return [m.rule.id for m in interventions.recommend(profile)]


def test_every_rule_uses_known_metrics_and_cites_a_source():
    known = set(metrics.profile(Network())) | interventions.CLIENT_KEYS
    rules = interventions.parse_rules(interventions.RULES_PATH.read_text(), known)
    assert len(rules) >= 10
    assert all(rule.sources and rule.evidence and rule.outcome for rule in rules)


def test_isolated_client():
    ids = _ids(_profile([]))
    assert "small-network" in ids and "no-services" not in ids  # nothing to say about services yet


def test_only_professionals():
    ids = _ids(_profile([_m("gp", "professional"), _m("clinic", "service")]))
    assert {"small-network", "only-formal-support"} <= set(ids)


def test_kin_dense_and_stressful():
    members = [_m("dad", "parent", valence="stressful", circle=1),
               _m("mum", "parent", valence="mixed", circle=1), _m("sis", "sibling"),
               _m("amy"), _m("bo"), _m("cy")]
    ids = _ids(_profile(members))
    assert {"stressful-family", "stressful-inner-circle"} <= set(ids)


def test_using_network_with_and_without_candidates():
    heavy = [_m("a", substance_use="heavy", circle=1), _m("b", substance_use="heavy")]
    supporter = _m("s", "sibling", substance_use="none", recovery_stance="supportive")
    assert "using-network" in _ids(_profile([*heavy, supporter]))
    ids = _ids(_profile(heavy))
    assert "using-network-no-supporters" in ids and "using-network" not in ids
    # The same network for a client in the mental-health programme gets no substance rules.
    assert not {"using-network", "no-mutual-aid"} & set(_ids(_profile(heavy, programme="mental_health")))


def test_well_supported_network_gets_few_recommendations():
    members = [_m("p", "partner", circle=1, support_received=frozenset({"emotional"}),
                  support_given=frozenset({"emotional"}), substance_use="none",
                  recovery_stance="supportive"),
               _m("f", circle=1, support_received=frozenset({"companionship"}),
                  support_given=frozenset({"practical"})),
               _m("g", "mutual_aid_group"), _m("w", "coworker"), _m("d", "professional"),
               _m("s", "sibling")]
    assert _ids(_profile(members)) == []


def test_reason_is_filled_from_the_profile():
    match = next(m for m in interventions.recommend(_profile([_m("a")]))
                 if m.rule.id == "small-network")
    assert match.reason == "Only 1 people outside services are in the client's network."


@pytest.mark.parametrize(("text", "message"), [
    ("rules: [{id: x}]", "needs exactly the fields"),
    ("not yaml: [", "not valid YAML"),
    ("rules: 3", "list under 'rules'"),
])
def test_bad_rule_files_are_refused_with_a_clear_message(text, message):
    with pytest.raises(interventions.RuleError, match=message):
        interventions.parse_rules(text)


def test_unknown_metric_is_refused():
    text = interventions.RULES_PATH.read_text().replace("metric: size_informal, lt: 4",
                                                        "metric: sizee, lt: 4", 1)
    with pytest.raises(interventions.RuleError, match="unknown metrics"):
        interventions.parse_rules(text, set(metrics.profile(Network())) | interventions.CLIENT_KEYS)


def test_the_rules_are_registered_content():
    from ecomap.core.content import registry

    assert interventions.CONTENT_KEY in registry.keys()  # noqa: SIM118 - a list, not a dict
    assert registry.get(interventions.CONTENT_KEY) == interventions.rules()
    assert registry.problems() == [] or all(
        "interventions" not in problem for problem in registry.problems())
