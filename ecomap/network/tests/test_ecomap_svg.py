"""The eco-map SVG: valid, deterministic, accessible, CSP-safe; Hartman's line styles; comparison marks;
diff() and the text alternative."""

import itertools
import math
import random
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomap.network import ecomap_svg as E
from ecomap.network.choices import Relationship, Sector
from ecomap.network.graph import Member, Network

NS = "{http://www.w3.org/2000/svg}"
SECTOR_REL = {Sector.FAMILY: "parent", Sector.FRIENDS: "friend", Sector.WORK_SCHOOL: "coworker",
              Sector.COMMUNITY: "neighbour", Sector.MUTUAL_AID: "sponsor", Sector.SERVICES: "service"}


def m(key, circle=2, rel="friend", **kw):
    kw.setdefault("label", key)
    kw.setdefault("kind", "person")
    for name in ("support_received", "support_given"):
        if name in kw:
            kw[name] = frozenset(kw[name])
    return Member(key=key, relationship=rel, circle=circle, **kw)


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)


def members_of(root):
    return [g for g in root.iter(f"{NS}g") if "data-member" in g.attrib]


def line_of(root, key):
    (group,) = [g for g in root.iter(f"{NS}g") if g.get("data-line") == key]
    return group


def forty():
    """40 members spread over every sector and circle, long and short labels, all kinds."""
    rng = random.Random(40)
    names = ["Ann", "Bob", "Carla", "Dmitri", "Esther", "Farid", "Gwen", "Hamid", "Ines", "Jon", "Kemi",
             "Luis", "Mara", "Nadia", "Owen", "Pia", "Quinn", "Rosa", "Tariq", "Uma", "Vik", "Wen",
             "Xavi", "Yara", "Zoe", "Bernadette Fitzgerald-Smythe", "Al", "Benedict", "Cath", "Dee",
             "Eli", "Fran", "Gus", "Hal", "Ivy", "Jude", "Kit", "Lou", "Mo", "Ned"]
    rels = list(Relationship.values)
    members = [m(f"k{i:02d}", circle=rng.choice([1, 2, 2, 3, 3, 3]), rel=rels[i % len(rels)],
                 label=name, kind=rng.choice(["person", "group", "service"]),
                 contact=rng.choice(["daily", "weekly", "monthly", "less", "none"]),
                 valence=rng.choice(["supportive", "mixed", "stressful"]),
                 support_received=rng.sample(["emotional", "practical"], rng.randint(0, 1)),
                 support_given=rng.sample(["emotional", "practical"], rng.randint(0, 1)))
               for i, name in enumerate(names)]
    keys = [x.key for x in members]
    return Network.build(members, [(a, b) for a, b in itertools.combinations(keys, 2)
                                   if rng.random() < 0.04])


# ---------------------------------------------------------------------------------------------------
# Document basics


@pytest.mark.parametrize("network", [Network(), Network.build([m("a", 1, "parent")]), forty()],
                         ids=["empty", "one", "forty"])
def test_valid_accessible_svg(network):
    svg = E.render(network, client_label="Sam", id_prefix="map")
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {E.WIDTH} {E.HEIGHT}"
    assert root.get("width") is None and root.get("height") is None  # scales to its container
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title").get("id") == title_id == "map-title"
    desc = root.find(f"{NS}desc")
    assert desc.get("id") == desc_id == "map-desc"
    assert f"with {network.n} member" in desc.text


def test_output_is_deterministic_and_independent_of_input_order():
    net = forty()
    shuffled = Network.build(list(reversed(net.members)), [(b, a) for a, b in net.ties])
    first = E.render(net, client_label="Sam")
    assert first == E.render(net, client_label="Sam") == E.render(shuffled, client_label="Sam")
    earlier = Network.build(net.members[5:30])
    assert (E.render(net, client_label="Sam", compare_to=earlier)
            == E.render(shuffled, client_label="Sam", compare_to=earlier))


def test_empty_network_is_a_map_with_rings_sectors_and_legend():
    root = parse(E.render(Network(), client_label="Sam"))
    assert members_of(root) == []
    texts = [t.text for t in root.iter(f"{NS}text")]
    for word in ("INNER", "MIDDLE", "OUTER", "Family", "Friends", "Work and school", "Community",
                 "Mutual aid", "Services", "Strong (close, often)", "Tenuous (distant, rare)",
                 "Mixed feelings", "Stressful", "Person", "Group", "Service or agency", "Sam"):
        assert word in texts, word
    rings = [c for c in root.iter(f"{NS}circle") if c.get("fill") == "none"]
    assert sorted(float(c.get("r")) for c in rings) == pytest.approx([round(r, 1) for r in E.RINGS[1:]],
                                                                     abs=0.06)
    assert "No people, groups or services on the map yet" in texts
    assert "Since the earlier map" not in texts  # comparison key only when comparing


def test_rings_are_between_equal_area_and_equal_increment():
    r0, *radii = E.RINGS
    assert r0 == E.EGO_R and radii[-1] == E.OUTER_R
    for k, r in enumerate(radii, start=1):
        increment = r0 + k * (E.OUTER_R - r0) / 3
        area = math.sqrt(r0 ** 2 + k * (E.OUTER_R ** 2 - r0 ** 2) / 3)
        assert min(increment, area) <= r <= max(increment, area)


def test_one_member():
    root = parse(E.render(Network.build([m("a", 1, "parent", label="Mum")]), client_label="Sam"))
    (group,) = members_of(root)
    assert group.get("data-member") == "a"
    assert group.find(f"{NS}title").text.startswith("Mum (Parent)")
    assert [t.text for t in group.iter(f"{NS}text")][-1] == "Mum"


def test_no_inline_style_script_or_event_handlers():
    svg = E.render(forty(), client_label="Sam", compare_to=Network.build(forty().members[::2]))
    root = parse(svg)
    for el in root.iter():
        assert el.tag not in (f"{NS}style", f"{NS}script", f"{NS}foreignObject")
        assert "style" not in el.attrib
        assert not any(name.startswith("on") for name in el.attrib)
    assert "style=" not in svg and "<style" not in svg


def test_ids_are_prefixed_and_every_reference_resolves():
    svg = E.render(forty(), client_label="Sam", compare_to=Network.build(forty().members[:20]),
                   id_prefix="cmp-2")
    root = parse(svg)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert ids and all(i.startswith("cmp-2-") for i in ids)
    assert len(ids) == len(set(ids))
    refs = set(re.findall(r"url\(#([^)]+)\)", svg)) | set(root.get("aria-labelledby").split())
    assert refs and refs <= set(ids)
    other = parse(E.render(forty(), client_label="Sam", id_prefix="live"))
    assert not set(ids) & {el.get("id") for el in other.iter() if el.get("id")}


@pytest.mark.parametrize("prefix", ["", "1abc", "a b", 'x"y', "a:b"])
def test_bad_id_prefix_is_refused(prefix):
    with pytest.raises(ValueError):
        E.render(Network(), client_label="Sam", id_prefix=prefix)


def test_labels_are_escaped():
    nasty = 'Tom & "Jerry" <b>'
    net = Network.build([m("a<&>\"", 1, label=nasty), m("b", 2, label="bell\x07 ok")])
    svg = E.render(net, client_label='<Sam & "Co">', title="Map <1> & co")
    root = parse(svg)
    assert "<b>" not in svg and "Tom & " not in svg
    assert root.find(f"{NS}title").text == "Map <1> & co"
    titles = [g.find(f"{NS}title").text for g in members_of(root)]
    assert any(t.startswith(nasty) for t in titles)
    assert {g.get("data-member") for g in members_of(root)} == {"a<&>\"", "b"}
    assert any(t.startswith("bell ok") for t in titles)  # a control character is dropped
    ego = [g for g in root.iter(f"{NS}g") if g.get("data-client")][0]
    assert ego.find(f"{NS}title").text == '<Sam & "Co">'


def test_long_labels_are_truncated_with_the_full_label_in_the_title():
    long = "Community Mental Health Team North"
    root = parse(E.render(Network.build([m("a", 3, "service", label=long, kind="service")]),
                          client_label="Sam"))
    (group,) = members_of(root)
    shown = [t.text for t in group.iter(f"{NS}text")][-1]
    assert shown == "Community Mental\u2026"  # cut at MAX_LABEL, trailing space dropped
    assert len(shown) <= E.MAX_LABEL and long.startswith(shown[:-1])
    assert group.find(f"{NS}title").text.startswith(long)


# ---------------------------------------------------------------------------------------------------
# Layout


def test_forty_members_each_once_with_a_title_and_apart():
    net = forty()
    root = parse(E.render(net, client_label="Sam"))
    groups = members_of(root)
    assert sorted(g.get("data-member") for g in groups) == sorted(x.key for x in net.members)
    assert all(g.find(f"{NS}title") is not None and g.find(f"{NS}title").text for g in groups)
    placed = E.layout(net).placed
    assert min_distance(placed) >= 2 * E.GLYPH


def min_distance(placed):
    return min((math.hypot(a.x - b.x, a.y - b.y) for a, b in itertools.combinations(placed, 2)),
               default=math.inf)


def test_members_sit_in_their_circle_band_and_sector_wedge():
    net = forty()
    geometry = E.layout(net)
    for pl in geometry.placed:
        r = math.hypot(pl.x - E.CX, pl.y - E.CY)
        assert E.RINGS[pl.member.circle - 1] < r - E.GLYPH
        assert r + E.GLYPH <= E.RINGS[pl.member.circle] + 8
        a0, a1 = geometry.spans[E.SECTORS.index(pl.member.sector)]
        angle = math.atan2(pl.y - E.CY, pl.x - E.CX)
        angle = a0 + (angle - a0) % math.tau
        assert a0 < angle < a1


@st.composite
def typical_networks(draw):
    """Up to 20 members, at most 6 in a sector: a typical map, on which no line is to pass under a
    member's glyph."""
    cells = draw(st.lists(st.tuples(st.sampled_from(list(SECTOR_REL)), st.sampled_from([1, 2, 3])),
                          min_size=2, max_size=20))
    kept = [cell for i, cell in enumerate(cells) if [s for s, _c in cells[:i]].count(cell[0]) < 6]
    labels = draw(st.lists(st.text(min_size=1, max_size=24), min_size=len(kept), max_size=len(kept)))
    return Network.build([m(f"k{i:02d}", c, SECTOR_REL[s], label=label)
                          for i, ((s, c), label) in enumerate(zip(kept, labels, strict=True))])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typical_networks())
def test_lines_from_the_client_do_not_run_under_other_members(net):
    placed = E.layout(net).placed
    for pl in placed:
        reach = math.hypot(pl.x - E.CX, pl.y - E.CY)
        for other in placed:
            if other is not pl and math.hypot(other.x - E.CX, other.y - E.CY) < reach:
                assert distance_to_segment(other, (E.CX, E.CY), (pl.x, pl.y)) > 14


def distance_to_segment(point, a, b):
    (ax, ay), (bx, by) = a, b
    t = max(0, min(1, ((point.x - ax) * (bx - ax) + (point.y - ay) * (by - ay))
                   / ((bx - ax) ** 2 + (by - ay) ** 2)))
    return math.hypot(point.x - (ax + t * (bx - ax)), point.y - (ay + t * (by - ay)))


def test_sectors_cover_the_circle_family_on_top_and_crowded_sectors_get_room():
    spans = E.sector_spans([0] * 6)
    assert spans[0][0] + spans[0][1] == pytest.approx(-math.pi)  # family centred at the top
    assert spans[-1][1] - spans[0][0] == pytest.approx(math.tau)
    assert all(b - a == pytest.approx(math.tau / 6) for a, b in spans)
    crowded = E.sector_spans([0, 30, 0, 0, 0, 1])
    widths = [b - a for a, b in crowded]
    assert widths[1] > math.pi / 2 and min(widths) >= math.tau * E.EQUAL_SHARE / 6
    assert crowded[-1][1] - crowded[0][0] == pytest.approx(math.tau)


def test_members_are_in_label_order_within_a_circle():
    net = Network.build([m(f"k{i}", 3, "parent", label=f"Member {i}") for i in (10, 2, 1, 33, 4)])
    placed = E.layout(net).placed
    top = sorted(placed, key=lambda pl: pl.x)  # family sits at the top: left to right
    assert [pl.member.label for pl in top] == ["Member 1", "Member 2", "Member 4", "Member 10",
                                               "Member 33"]


KINDS = st.sampled_from(["person", "group", "service"])


@st.composite
def crowded_networks(draw):
    """Up to 40 members, at most 10 per sector and circle and 20 in the inner circle: the most a map is
    promised to hold without glyphs touching."""
    cells = draw(st.lists(st.tuples(st.sampled_from(list(SECTOR_REL)), st.sampled_from([1, 2, 3])),
                          min_size=2, max_size=40))
    kept, counts = [], {}
    for cell in cells:
        inner = sum(v for (_s, c), v in counts.items() if c == 1)
        if counts.get(cell, 0) < 10 and (cell[1] != 1 or inner < 20):
            counts[cell] = counts.get(cell, 0) + 1
            kept.append(cell)
    labels = draw(st.lists(st.text(min_size=1, max_size=30), min_size=len(kept), max_size=len(kept)))
    kinds = draw(st.lists(KINDS, min_size=len(kept), max_size=len(kept)))
    rows = zip(kept, labels, kinds, strict=True)
    return Network.build([m(f"k{i:02d}", c, SECTOR_REL[s], label=label, kind=kind)
                          for i, ((s, c), label, kind) in enumerate(rows)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crowded_networks())
def test_glyphs_never_touch(net):
    placed = E.layout(net).placed
    assert len(placed) == net.n
    assert min_distance(placed) >= 2 * E.GLYPH


# ---------------------------------------------------------------------------------------------------
# Hartman's lines


@pytest.mark.parametrize(("circle", "contact", "expected"), [
    (1, "daily", "strong"), (1, "monthly", "strong"), (1, "less", "moderate"), (1, "none", "moderate"),
    (2, "weekly", "strong"), (2, "monthly", "moderate"), (2, "less", "tenuous"),
    (3, "daily", "moderate"), (3, "monthly", "tenuous"), (3, "none", "tenuous"),
])
def test_tie_strength(circle, contact, expected):
    assert E.tie_strength(m("a", circle, contact=contact)) == expected


def styled_network():
    return Network.build([
        m("strong", 1, "parent", contact="daily"),
        m("moderate", 2, "friend", contact="monthly"),
        m("tenuous", 3, "friend", contact="less"),
        m("mixed", 2, "friend", contact="monthly", valence="mixed"),
        m("stressful", 2, "friend", contact="monthly", valence="stressful"),
        m("strong-stressful", 1, "partner", contact="daily", valence="stressful"),
    ])


def test_line_styles_follow_strength_and_valence():
    root = parse(E.render(styled_network(), client_label="Sam"))

    def paths(key):
        return line_of(root, key).findall(f"{NS}path")

    def main(key):
        return paths(key)[0]

    assert main("strong").get("stroke-width") == "4.5"
    assert main("moderate").get("stroke-width") == "2"
    assert main("strong").get("stroke-dasharray") is None is main("moderate").get("stroke-dasharray")
    assert main("tenuous").get("stroke-dasharray") and float(main("tenuous").get("stroke-width")) < 2
    for key in ("strong", "moderate", "tenuous"):
        assert len(paths(key)) == 1  # no cross-marks on a supportive tie
    ticks = {key: paths(key)[1].get("d").count("M") for key in ("mixed", "stressful")}
    assert 0 < ticks["mixed"] < ticks["stressful"] / 2  # sparse cross-marks vs dense hatching
    assert main("strong-stressful").get("stroke-width") == "4.5" and len(paths("strong-stressful")) == 2


def test_arrows_show_the_direction_of_support():
    net = Network.build([m("gives", 2, support_received={"emotional"}),
                         m("gets", 2, support_given={"practical"}),
                         m("both", 2, support_received={"practical"}, support_given={"emotional"}),
                         m("none", 2)])
    root = parse(E.render(net, client_label="Sam", id_prefix="p"))
    markers = {key: (line_of(root, key).find(f"{NS}path").get("marker-start"),
                     line_of(root, key).find(f"{NS}path").get("marker-end"))
               for key in ("gives", "gets", "both", "none")}
    assert markers == {"gives": ("url(#p-arrow-to-client)", None),
                       "gets": (None, "url(#p-arrow-to-member)"),
                       "both": ("url(#p-arrow-to-client)", "url(#p-arrow-to-member)"),
                       "none": (None, None)}
    defined = {mk.get("id") for mk in root.iter(f"{NS}marker")}
    assert {"p-arrow-to-client", "p-arrow-to-member", "p-arrow-move"} <= defined


def test_member_ties_are_thin_grey_lines_beneath_the_members():
    net = Network.build([m("a", 1), m("b", 2), m("c", 3)], [("a", "b"), ("b", "c")])
    svg = E.render(net, client_label="Sam")
    tie_lines = [el for el in parse(svg).iter(f"{NS}line") if el.get("stroke") == "#9aa3ad"]
    assert len(tie_lines) == 2 and all(float(el.get("stroke-width")) < 2 for el in tie_lines)
    assert svg.index('stroke="#9aa3ad"') < svg.index('data-line=') < svg.index("data-member=")


def test_shapes_by_kind():
    net = Network.build([m("p", 2, kind="person"), m("g", 2, kind="group"), m("s", 2, kind="service")])
    root = parse(E.render(net, client_label="Sam"))
    shape = {g.get("data-member"): g[1].tag for g in members_of(root)}
    assert shape == {"p": f"{NS}circle", "g": f"{NS}rect", "s": f"{NS}path"}
    rect = [g for g in members_of(root) if g.get("data-member") == "g"][0][1]
    assert float(rect.get("rx")) > 0  # rounded


def test_colours_are_okabe_ito_and_never_alone():
    assert set(E.SECTOR_COLOURS.values()) <= {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                                              "#D55E00", "#CC79A7", "#000000"}
    assert len(set(E.SECTOR_COLOURS.values())) == len(Sector.values)
    root = parse(E.render(Network(), client_label="Sam"))
    texts = {t.text for t in root.iter(f"{NS}text")}
    assert {str(label) for label in Sector.labels} <= texts  # named on the map and in the key


# ---------------------------------------------------------------------------------------------------
# Comparison


def before_after():
    before = Network.build([
        m("stay", 2, "friend", label="Priya"),
        m("in", 2, "parent", label="Mum", valence="stressful"),
        m("out", 1, "friend", label="Old mates"),
        m("gone", 1, "friend", label="Kev"),
    ], [("stay", "gone"), ("stay", "in")])
    after = Network.build([
        m("stay", 2, "friend", label="Priya"),
        m("in", 1, "parent", label="Mum", valence="supportive", contact="daily"),
        m("out", 3, "friend", label="Old mates"),
        m("new", 2, "sponsor", label="Alex"),
    ], [("stay", "in"), ("new", "in")])
    return before, after


def test_diff():
    before, after = before_after()
    d = E.diff(before, after)
    assert d == E.NetworkDiff(added=("new",), gone=("gone",), moved=(("in", 2, 1), ("out", 1, 3)),
                              valence_changed=(("in", "stressful", "supportive"),),
                              contact_changed=(("in", "monthly", "daily"),),
                              ties_added=(("in", "new"),), ties_gone=(("gone", "stay"),))
    assert not d.is_empty
    assert d.status("in") == (E.STATUS_MOVED_IN, E.STATUS_VALENCE, E.STATUS_CONTACT)
    assert d.status("out") == (E.STATUS_MOVED_OUT,)
    assert d.status("new") == (E.STATUS_ADDED,) and d.status("gone") == (E.STATUS_GONE,)
    assert d.status("stay") == () and d.status("nobody") == ()


def test_comparison_marks_on_the_map():
    before, after = before_after()
    root = parse(E.render(after, client_label="Sam", compare_to=before, id_prefix="c"))
    groups = {g.get("data-member"): g for g in members_of(root)}
    assert set(groups) == {"stay", "in", "out", "new", "gone"}  # the gone member too, once

    def texts(key):
        return [t.text for t in groups[key].iter(f"{NS}text")]

    def outlines(key):
        return [el for el in groups[key] if el.tag in (f"{NS}circle", f"{NS}rect", f"{NS}path")]

    assert "+" in texts("new") and len(outlines("new")) >= 3  # double outline and badge
    assert "Kev (gone)" in texts("gone")
    assert outlines("gone")[0].get("stroke-dasharray")  # dotted, ghosted
    assert "gone" not in {line.get("data-line") for line in root.iter(f"{NS}g")}  # no line to it
    assert "moved in \u00b7 was stressful" in texts("in") and "~" in texts("in")
    assert "moved out" in texts("out")
    assert texts("stay") == ["Priya", "Priya"]  # label and its halo, nothing else
    moves = [p for p in root.iter(f"{NS}path") if p.get("marker-end") == "url(#c-arrow-move)"]
    assert len(moves) == 3  # "in", "out" and the key's sample
    legend = [t.text for t in root.iter(f"{NS}text")]
    assert {"Since the earlier map", "New", "Gone (dotted)", "Moved between circles",
            "Feels different now"} <= set(legend)
    desc = root.find(f"{NS}desc").text
    assert "1 new, 1 gone, 2 moved between circles, 1 changed in feeling" in desc


def test_gone_members_keep_their_old_place():
    before, after = before_after()
    placed = {pl.member.key: pl for pl in E.layout(after, before).placed}
    gone = placed["gone"]
    assert gone.ghost and gone.member.circle == 1 and gone.member.sector == Sector.FRIENDS
    r = math.hypot(gone.x - E.CX, gone.y - E.CY)
    assert E.RINGS[0] < r < E.RINGS[1]


def network_pairs():
    """Two networks over a shared pool of keys (so members are added, gone, kept and changed)."""
    member = st.builds(
        lambda circle, valence, contact: (circle, valence, contact),
        st.sampled_from([1, 2, 3]), st.sampled_from(["supportive", "mixed", "stressful"]),
        st.sampled_from(["daily", "weekly", "monthly", "less", "none"]))

    def build(chosen):
        members = [m(k, c, valence=v, contact=ct) for k, (c, v, ct) in sorted(chosen.items())]
        keys = sorted(chosen)
        return Network.build(members, [(a, b) for a, b in itertools.combinations(keys, 2)
                                       if (int(a[1:]) * 7 + int(b[1:]) + len(keys)) % 3 == 0])

    pool = [f"k{i}" for i in range(8)]
    side = st.dictionaries(st.sampled_from(pool), member, max_size=8).map(build)
    return st.tuples(side, side)


@given(network_pairs())
def test_diff_of_a_network_with_itself_is_empty(pair):
    a, _b = pair
    assert E.diff(a, a).is_empty
    assert E.diff(a, a) == E.NetworkDiff()


@given(network_pairs())
def test_diff_is_symmetric_when_swapped(pair):
    a, b = pair
    forward, backward = E.diff(a, b), E.diff(b, a)
    assert forward.added == backward.gone and forward.gone == backward.added
    assert forward.ties_added == backward.ties_gone and forward.ties_gone == backward.ties_added
    assert {(k, y, x) for k, x, y in forward.moved} == set(backward.moved)
    assert {(k, y, x) for k, x, y in forward.valence_changed} == set(backward.valence_changed)
    assert set(forward.added).isdisjoint({x.key for x in a.members})
    assert set(forward.gone).isdisjoint({x.key for x in b.members})


@settings(max_examples=30, deadline=None)
@given(network_pairs())
def test_comparison_map_shows_every_member_once(pair):
    a, b = pair
    root = parse(E.render(b, client_label="Sam", compare_to=a))
    shown = sorted(g.get("data-member") for g in members_of(root))
    assert shown == sorted({x.key for x in a.members} | {x.key for x in b.members})


# ---------------------------------------------------------------------------------------------------
# Text alternative


def test_text_alternative_rows():
    net = Network.build([
        m("b", 2, "friend", label="Sam", contact="weekly", support_received={"practical", "emotional"}),
        m("a", 1, "parent", label="Mum", valence="mixed", support_given={"financial"}),
        m("c", 3, "service", label="CMHT", kind="service"),
    ])
    rows = E.text_alternative(net)
    assert [r["label"] for r in rows] == ["Mum", "Sam", "CMHT"]  # by circle, then sector, then label
    mum, sam, cmht = rows
    assert mum["relationship_label"] == "Parent" and mum["sector_label"] == "Family"
    assert mum["circle_label"] == "Inner circle" and mum["valence_label"] == "Mixed"
    assert mum["support_given"] == "Financial" and mum["support_given_codes"] == ("financial",)
    assert sam["support_received"] == "Emotional, Practical"  # in SupportFunction order
    assert sam["contact_label"] == "At least weekly" and sam["strength"] == "strong"
    assert cmht["kind_label"] == "Service or agency" and cmht["strength_label"] == "Tenuous"
    assert all(r["change"] == () and r["change_label"] == "" for r in rows)
    expected = {"key", "label", "kind", "kind_label", "relationship", "relationship_label", "sector",
                "sector_label", "circle", "circle_label", "contact", "contact_label",
                "support_received", "support_given", "support_received_codes", "support_given_codes",
                "valence", "valence_label", "strength", "strength_label", "change", "change_label"}
    assert all(set(r) == expected for r in rows)


def test_text_alternative_with_comparison():
    before, after = before_after()
    rows = {r["key"]: r for r in E.text_alternative(after, compare_to=before)}
    assert set(rows) == {"stay", "in", "out", "new", "gone"}
    assert rows["gone"]["change"] == (E.STATUS_GONE,) and rows["gone"]["change_label"] == "gone"
    assert rows["new"]["change_label"] == "new"
    assert rows["in"]["change_label"] == ("moved in from middle circle, was stressful, "
                                          "contact was at least monthly")
    assert rows["out"]["change"] == (E.STATUS_MOVED_OUT,)
    assert rows["stay"]["change"] == ()


def test_describe():
    text = E.describe(forty(), client_label="Sam")
    assert text.startswith("Eco-map of Sam with 40 members.")
    assert "Inner circle" in text and "Family" in text and "ties between members" in text
    assert E.describe(Network(), client_label="Sam") == "Eco-map of Sam with 0 members."
