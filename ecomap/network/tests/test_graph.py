import pytest

from ecomap.network.graph import Member, Network


def _m(key, **kw):
    return Member(key=key, label=key, kind="person", relationship=kw.pop("rel", "friend"), circle=1,
                  **kw)


def test_build_normalises_ties():
    net = Network.build([_m("a"), _m("b"), _m("c")], [("b", "a"), ("a", "b"), ("c", "b")])
    assert net.ties == {("a", "b"), ("b", "c")}


@pytest.mark.parametrize("ties", [[("a", "a")], [("a", "zz")]])
def test_bad_ties_are_refused(ties):
    with pytest.raises(ValueError):
        Network.build([_m("a"), _m("b")], ties)


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError):
        Network.build([_m("a"), _m("a")])


def test_round_trip_through_json_shape():
    net = Network.build([_m("a", rel="parent", support_received=frozenset({"emotional"})), _m("b")],
                        [("a", "b")])
    assert Network.from_dict(net.to_dict()) == net
    assert net.members[0].kin and net.members[0].sector == "family" and not net.members[0].formal
