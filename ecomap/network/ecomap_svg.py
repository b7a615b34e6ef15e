"""The eco-map as a server-rendered SVG, its text alternative, and the comparison of two assessments.

Pure functions over `graph.Network`: no ORM, no JavaScript, no `style` attributes or `<style>` elements
(the site's CSP forbids inline styles), only SVG presentation attributes. The same document is meant for
the page (inline, scaled by its viewBox) and for the PDF.

Drawing conventions (../shared/research/ego_networks.md sections 2.3, 4.3, 4.4):

* The client sits at the centre inside Antonucci's three circles of closeness. The ring radii are the
  mean of equal-area and equal-increment rings around the client's disc, like Network Canvas's "skewed"
  rings: the inner circle gets more room than equal areas would give it.
* Six wedges are Hartman's systems around the person, in `Sector` order clockwise from the top, family
  centred at the top. Half the circle is shared equally, half by how much room each sector's members
  need (`sector_spans`), so a crowded sector widens and an empty one stays visible. A member sits in the
  band of its circle inside the wedge of its sector; within a sector every member has its own angle
  (the circles interleaved, each in label order), so that no line from the client runs under another
  member; a crowded circle is staggered over two or more rows so that labels and glyphs stay apart.
  Labels sit outside the glyph away from the client, or where they overlap least (`_place_labels`).
  Promised by the tests: glyphs never touch up to 40 members (10 per sector and circle, 20 in the inner
  circle); lines clear other glyphs up to 20 members (6 per sector). Beyond that the map degrades
  gracefully (lines may pass behind glyphs, then glyphs may touch).
* Shape by kind (person circle, group rounded square, service diamond), fill by sector in the Okabe-Ito
  palette. Colour never carries meaning alone: shape, position, labels and the key repeat it.
* Lines after Hartman: the thickness and dashing give the strength of the tie (`tie_strength`: thick
  solid strong, thin solid moderate, thin dashed tenuous); cross-marks give its feeling (sparse ticks
  mixed, dense hatching stressful); arrows give the direction of support (towards the client when the
  member gives support, towards the member when the client gives it).
* Comparison with an earlier network (`diff`): new members get a double outline and a "+" badge, gone
  members are drawn ghosted with a dotted outline in their old place, members who changed circle get a
  dotted arrow from their old circle, and a changed feeling gets a "~" badge; moves and changed feelings
  also get a short status line under the label ("moved in", "was stressful").
* Accessibility: role="img" with <title> and <desc> (`describe`), a <title> per member, and
  `text_alternative` rows for the table that replaces the picture for screen-reader users. Labels have
  a white halo drawn as a separate <text> (not `paint-order`, which some PDF renderers ignore).

Public: render, diff / NetworkDiff, text_alternative, describe, tie_strength, layout, sector_spans.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import astuple, dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import (
    Contact,
    MemberKind,
    Relationship,
    Sector,
    SupportFunction,
    Valence,
)
from .graph import Member, Network

# --------------------------------------------------------------------------------------------------
# Comparison of two networks

STATUS_ADDED = "added"
STATUS_GONE = "gone"
STATUS_MOVED_IN = "moved_in"
STATUS_MOVED_OUT = "moved_out"
STATUS_VALENCE = "valence_changed"
STATUS_CONTACT = "contact_changed"


@dataclass(frozen=True)
class NetworkDiff:
    """What changed from `before` to `after`, members matched by key. Every tuple is sorted by key."""

    added: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    moved: tuple[tuple[str, int, int], ...] = ()  # (key, from_circle, to_circle)
    valence_changed: tuple[tuple[str, str, str], ...] = ()  # (key, from_valence, to_valence)
    contact_changed: tuple[tuple[str, str, str], ...] = ()  # (key, from_contact, to_contact)
    ties_added: tuple[tuple[str, str], ...] = ()
    ties_gone: tuple[tuple[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(astuple(self))

    def status(self, key: str) -> tuple[str, ...]:
        """The change codes of one member, in a fixed order (empty if unchanged or unknown)."""
        codes = []
        if key in self.added:
            codes.append(STATUS_ADDED)
        if key in self.gone:
            codes.append(STATUS_GONE)
        for k, old, new in self.moved:
            if k == key:
                codes.append(STATUS_MOVED_IN if new < old else STATUS_MOVED_OUT)
        if any(k == key for k, _old, _new in self.valence_changed):
            codes.append(STATUS_VALENCE)
        if any(k == key for k, _old, _new in self.contact_changed):
            codes.append(STATUS_CONTACT)
        return tuple(codes)


def diff(before: Network, after: Network) -> NetworkDiff:
    """Members added and gone, circle moves, valence and contact changes, ties added and gone."""
    old = {m.key: m for m in before.members}
    new = {m.key: m for m in after.members}
    both = sorted(old.keys() & new.keys())
    return NetworkDiff(
        added=tuple(sorted(new.keys() - old.keys())),
        gone=tuple(sorted(old.keys() - new.keys())),
        moved=tuple((k, old[k].circle, new[k].circle) for k in both if old[k].circle != new[k].circle),
        valence_changed=tuple((k, old[k].valence, new[k].valence) for k in both
                              if old[k].valence != new[k].valence),
        contact_changed=tuple((k, old[k].contact, new[k].contact) for k in both
                              if old[k].contact != new[k].contact),
        ties_added=tuple(sorted(after.ties - before.ties)),
        ties_gone=tuple(sorted(before.ties - after.ties)),
    )


# --------------------------------------------------------------------------------------------------
# Vocabulary helpers

STRONG, MODERATE, TENUOUS = "strong", "moderate", "tenuous"

_CONTACT_SCORE = {Contact.DAILY: 2, Contact.WEEKLY: 2, Contact.MONTHLY: 1, Contact.LESS: 0,
                  Contact.NONE: 0}


def tie_strength(member: Member) -> str:
    """Hartman's strength of the client-member line, from closeness and contact (not from valence).

    Score = closeness (inner 2, middle 1, outer 0) + contact (weekly or more 2, monthly 1, less 0):
    3-4 strong, 2 moderate, 0-1 tenuous. So the inner circle with monthly contact or better, or the
    middle circle with weekly contact, is strong; the outer circle without weekly contact, or rare
    contact outside the inner circle, is tenuous; the conflicting cases (inner but rarely in touch,
    outer but seen every week) are moderate.
    """
    score = (3 - member.circle) + _CONTACT_SCORE.get(member.contact, 1)
    if score >= 3:
        return STRONG
    return MODERATE if score == 2 else TENUOUS


def _strength_label(value):
    return {STRONG: _("Strong"), MODERATE: _("Moderate"), TENUOUS: _("Tenuous")}[value]


def _circle_label(circle):
    return {1: _("Inner circle"), 2: _("Middle circle"), 3: _("Outer circle")}.get(circle, str(circle))


def _choice_label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _support_codes(values):
    order = list(SupportFunction.values)
    return tuple(sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v)))


def _support_labels(values):
    return [_choice_label(SupportFunction, v) for v in _support_codes(values)]


def _sector_index(member):
    try:
        return SECTORS.index(member.sector)
    except ValueError:
        return SECTORS.index(Sector.COMMUNITY)


def _status_text(codes, old, new):
    parts = []
    for code in codes:
        if code == STATUS_ADDED:
            parts.append(_("new"))
        elif code == STATUS_GONE:
            parts.append(_("gone"))
        elif code == STATUS_MOVED_IN:
            parts.append(_("moved in from %(circle)s") % {"circle": _circle_label(old.circle).lower()})
        elif code == STATUS_MOVED_OUT:
            parts.append(_("moved out from %(circle)s") % {"circle": _circle_label(old.circle).lower()})
        elif code == STATUS_VALENCE:
            parts.append(_("was %(valence)s") % {"valence": _choice_label(Valence, old.valence).lower()})
        elif code == STATUS_CONTACT:
            parts.append(_("contact was %(contact)s") % {
                "contact": _choice_label(Contact, old.contact).lower()})
    return ", ".join(parts)


def _map_status(codes, old, new):
    """The short status line under a label on the map: "new" is left to the badge, contact changes to
    the table, and the arrow shows which circle a member moved from."""
    parts = []
    for code in codes:
        if code == STATUS_MOVED_IN:
            parts.append(_("moved in"))
        elif code == STATUS_MOVED_OUT:
            parts.append(_("moved out"))
        elif code == STATUS_VALENCE:
            parts.append(_("was %(valence)s") % {"valence": _choice_label(Valence, old.valence).lower()})
    return " \u00b7 ".join(parts)


# --------------------------------------------------------------------------------------------------
# Text alternative


def _entries(network, compare_to):
    """(member, change codes, earlier member or None) for the current members and, when comparing,
    the gone ones, in reading order: circle, sector, label."""
    changes = diff(compare_to, network) if compare_to is not None else None
    old = {m.key: m for m in compare_to.members} if compare_to is not None else {}
    entries = [(m, changes.status(m.key) if changes else (), old.get(m.key)) for m in network.members]
    if changes:
        entries += [(old[k], (STATUS_GONE,), old[k]) for k in changes.gone]
    entries.sort(key=lambda e: (e[0].circle, _sector_index(e[0]), _natural(e[0].label), e[0].label,
                                e[0].key))
    return entries, changes


def _natural(label):
    """Sort key that puts "Member 2" before "Member 10"."""
    parts = re.split(r"(\d+)", label.casefold())
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def text_alternative(network: Network, compare_to: Network | None = None) -> list[dict]:
    """One row per member (and per gone member when comparing), in reading order (circle, sector,
    label), for the HTML table that screen-reader users get in place of the SVG. Codes and display
    labels both: `support_received` and `support_given` are display strings ("Emotional, Practical"),
    their `_codes` twins tuples of values; `change` is a tuple of STATUS_* codes ("" label if none)."""
    rows = []
    entries, _changes = _entries(network, compare_to)
    for member, codes, old in entries:
        strength = tie_strength(member)
        rows.append({
            "key": member.key,
            "label": member.label,
            "kind": member.kind,
            "kind_label": _choice_label(MemberKind, member.kind),
            "relationship": member.relationship,
            "relationship_label": _choice_label(Relationship, member.relationship),
            "sector": member.sector,
            "sector_label": _choice_label(Sector, member.sector),
            "circle": member.circle,
            "circle_label": _circle_label(member.circle),
            "contact": member.contact,
            "contact_label": _choice_label(Contact, member.contact),
            "support_received": ", ".join(_support_labels(member.support_received)),
            "support_given": ", ".join(_support_labels(member.support_given)),
            "support_received_codes": _support_codes(member.support_received),
            "support_given_codes": _support_codes(member.support_given),
            "valence": member.valence,
            "valence_label": _choice_label(Valence, member.valence),
            "strength": strength,
            "strength_label": _strength_label(strength),
            "change": codes,
            "change_label": _status_text(codes, old, member),
        })
    return rows


def describe(network: Network, *, client_label: str, compare_to: Network | None = None) -> str:
    """The one-paragraph summary used as the SVG's <desc> (and usable as a figure caption)."""
    members = network.members
    parts = [ngettext("Eco-map of %(client)s with %(n)d member.",
                      "Eco-map of %(client)s with %(n)d members.", len(members))
             % {"client": client_label, "n": len(members)}]
    if members:
        circles = Counter(m.circle for m in members)
        parts.append(", ".join(f"{_circle_label(c)} {circles[c]}" for c in (1, 2, 3)) + ".")
        sectors = Counter(m.sector for m in members)
        parts.append(", ".join(f"{_choice_label(Sector, s)} {sectors[s]}" for s in SECTORS if sectors[s])
                     + ".")
        strengths = Counter(tie_strength(m) for m in members)
        valences = Counter(m.valence for m in members)
        parts.append(_("Ties: %(strong)d strong, %(moderate)d moderate, %(tenuous)d tenuous; "
                       "%(mixed)d mixed, %(stressful)d stressful.") % {
            "strong": strengths[STRONG], "moderate": strengths[MODERATE], "tenuous": strengths[TENUOUS],
            "mixed": valences[Valence.MIXED], "stressful": valences[Valence.STRESSFUL]})
        parts.append(ngettext("%(n)d tie between members.", "%(n)d ties between members.",
                              len(network.ties)) % {"n": len(network.ties)})
    if compare_to is not None:
        d = diff(compare_to, network)
        parts.append(_("Since the earlier map: %(added)d new, %(gone)d gone, %(moved)d moved between "
                       "circles, %(valence)d changed in feeling.") % {
            "added": len(d.added), "gone": len(d.gone), "moved": len(d.moved),
            "valence": len(d.valence_changed)})
    return " ".join(parts)


# --------------------------------------------------------------------------------------------------
# Geometry

SECTORS = tuple(Sector.values)  # clockwise from the top
# Okabe & Ito (2008) colour-blind-safe palette.
SECTOR_COLOURS = {
    Sector.FAMILY: "#E69F00",  # orange
    Sector.FRIENDS: "#56B4E9",  # sky blue
    Sector.WORK_SCHOOL: "#F0E442",  # yellow
    Sector.COMMUNITY: "#009E73",  # bluish green
    Sector.MUTUAL_AID: "#CC79A7",  # reddish purple
    Sector.SERVICES: "#0072B2",  # blue
}

WIDTH, MAP_HEIGHT, HEIGHT = 1040, 880, 1090
CX, CY = 520.0, 440.0
EGO_R = 52.0
OUTER_R = 390.0


def _ring_radii(r0=EGO_R, r=OUTER_R, n=3):
    radii = [r0]
    for k in range(1, n + 1):
        equal_increment = r0 + k * (r - r0) / n
        equal_area = math.sqrt(r0 * r0 + k * (r * r - r0 * r0) / n)
        radii.append((equal_increment + equal_area) / 2)
    return tuple(radii)


RINGS = _ring_radii()  # client disc, inner, middle, outer: about 52, 197, 298, 390
GLYPH = 16.0  # half the largest glyph extent (the service diamond)
MIN_GAP = 2 * GLYPH + 4  # no two member centres closer than this (while a sector has room)
ROW_GAP = 46.0  # radial distance between staggered rows
EDGE_PAD = 19.0  # distance from a member centre to its sector's separators
EQUAL_SHARE = 0.5  # how much of the circle is shared equally by the sectors; the rest goes by size
FONT = 13.0
STATUS_FONT = 10.5
SECTOR_FONT = 15.0
RING_FONT = 11.0
MAX_LABEL = 18
CHAR_W = 0.56  # average advance of a sans-serif character, in ems (bold: 0.6)
INK = "#1f2328"
LINE = "#2b3036"
MUTED = "#5c636b"
ARROW_LEN = 11.0


def _truncate(text, limit=MAX_LABEL):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _text_width(text, size=FONT, bold=False):
    return len(text) * size * (0.6 if bold else CHAR_W)


def _band(circle):
    """The radii between which a circle's members are centred."""
    # Inner members stay far enough from the client for a line with two arrowheads.
    lo = RINGS[circle - 1] + (44.0 if circle == 1 else 24.0)
    hi = RINGS[circle] - 22.0
    return lo, hi


def _home_radius(circle):
    lo, hi = _band(circle)
    # The inner band is wide but short near the client, so its members sit further out.
    return lo + (0.62 if circle == 1 else 0.5) * (hi - lo)


def sector_spans(demands) -> list[tuple[float, float]]:
    """Start and end angle (radians, clockwise from the x axis) of each sector's wedge, in `Sector`
    order, family centred at the top. Half the circle is shared equally, half by each sector's demand
    for room (`_demand`; an empty sector counts as 1.5): a crowded sector gets room and an empty one
    stays visible."""
    weights = [max(d, 1.5) for d in demands]
    total = sum(weights)
    shares = [EQUAL_SHARE / len(weights) + (1 - EQUAL_SHARE) * w / total for w in weights]
    start = -math.pi / 2 - shares[0] * math.pi
    spans = []
    for share in shares:
        spans.append((start, start + share * math.tau))
        start += share * math.tau
    return spans


def _demand(items):
    """A sector's need for angle: its members weighted by how short their circle's arc is (an inner
    member needs about 2.5 times the angle of an outer one)."""
    return sum(_home_radius(3) / _home_radius(entry[0].circle) for entry in items)


@dataclass(frozen=True)
class _Placed:
    member: Member
    codes: tuple[str, ...]
    old: Member | None
    x: float
    y: float
    angle: float

    @property
    def ghost(self):
        return STATUS_GONE in self.codes


def _usable(a0, a1, r):
    pad = min(EDGE_PAD / r, (a1 - a0) / 3)
    return a0 + pad, a1 - pad


def _rows(group, circle, a0, a1, slots, n_sector):
    """Staggered rows for one circle's members in one sector: (the rows' radii, each member's row).
    As few rows as keep neighbouring labels apart (a slight stagger of two rows at most, unless many
    members), and as many as keep glyphs from touching while the band has room."""
    n = len(group)
    lo, hi = _band(circle)
    home = _home_radius(circle)
    mid_angle = (a0 + a1) / 2
    tx, ty = abs(math.sin(mid_angle)), abs(math.cos(mid_angle))  # the wedge's tangent direction
    widest = max(_text_width(_truncate(entry[0].label)) for entry in group)
    # Neighbours' labels stay apart if far enough apart sideways (labels are side by side at the top
    # and bottom) or far enough apart vertically (labels are stacked on the left and right).
    sideways = tx * (widest + 14) if tx > 0.05 else math.inf
    stacked = 38 / ty if ty > 0.05 else math.inf
    need = max(MIN_GAP + 8, min(sideways, stacked))
    soft_rows = max(2, math.ceil(n / 4))
    best, best_spacing = ([home], [0] * n), -1.0
    for k in range(1, n + 1):
        radii = [home]
        if k > 1:
            gap = min(ROW_GAP, (hi - lo) / (k - 1))
            if gap < MIN_GAP:
                break
            centre = min(max(home, lo + (k - 1) * gap / 2), hi - (k - 1) * gap / 2)
            radii = [centre + (j - (k - 1) / 2) * gap for j in range(k)]
        # Arc between two neighbouring slots of the sector, on each row.
        step = [(b - a) * r / n_sector for r in radii for a, b in [_usable(a0, a1, r)]]
        for rows in ([i % k for i in range(n)], _row_sequence(radii, n)):
            spacing = min((_min_run(rows, slots, j) * step[j] for j in range(k)), default=math.inf)
            if spacing >= MIN_GAP and (spacing >= need or k >= soft_rows):
                return radii, rows
            if spacing > best_spacing:
                best, best_spacing = (radii, rows), spacing
    return best


def _min_run(rows, slots, j):
    """The fewest slots between two consecutive members on row j."""
    where = [slots[i] for i, row in enumerate(rows) if row == j]
    return min((b - a for a, b in zip(where, where[1:], strict=False)), default=math.inf)


def _row_sequence(radii, n):
    """Which row each of n members goes to: smooth weighted round-robin, weighted by the rows' radii, so
    that the longer outer rows take more members."""
    current = [0.0] * len(radii)
    total = sum(radii)
    rows = []
    for _i in range(n):
        current = [c + r for c, r in zip(current, radii, strict=True)]
        best = max(range(len(radii)), key=lambda j: (current[j], j))
        current[best] -= total
        rows.append(best)
    return rows


def _place_sector(items, a0, a1):
    """Members of one sector: each in the band of its circle, all at different angles so that no line
    from the client runs through another member; the circles' members interleaved, each circle's
    spread evenly, in label order; staggered over rows where a circle is crowded."""
    n = len(items)
    groups = {c: [e for e in items if e[0].circle == c] for c in (1, 2, 3)}
    ideal = []
    for circle, group in groups.items():
        for i, entry in enumerate(group):
            ideal.append(((i + 0.5) * n / len(group), circle, i, entry))
    ideal.sort(key=lambda t: t[:3])
    mid_angle = (a0 + a1) / 2
    # Reading order: left to right in the top and bottom wedges, top to bottom at the sides.
    reverse = (-math.sin(mid_angle) + math.cos(mid_angle)) < 0
    placed = []
    slots = {c: [slot for slot, t in enumerate(ideal) if t[1] == c] for c in groups}
    rows = {c: _rows(g, c, a0, a1, slots[c], n) for c, g in groups.items() if g}
    for slot, (_ideal, circle, i, (member, codes, old)) in enumerate(ideal):
        radii, row_of = rows[circle]
        r = radii[row_of[i]]
        lo, hi = _usable(a0, a1, r)
        fraction = (slot + 0.5) / n
        angle = hi - (hi - lo) * fraction if reverse else lo + (hi - lo) * fraction
        placed.append(_Placed(member, codes, old, CX + r * math.cos(angle), CY + r * math.sin(angle),
                              angle))
    return placed


@dataclass(frozen=True)
class Layout:
    spans: tuple[tuple[float, float], ...]  # each sector's wedge, in `Sector` order
    placed: tuple[_Placed, ...]  # members (and gone members when comparing), in reading order


def layout(network: Network, compare_to: Network | None = None) -> Layout:
    """The map's geometry: deterministic, from the members' sectors, circles and labels only."""
    entries, _changes = _entries(network, compare_to)
    entries = [(m if m.circle in (1, 2, 3) else _clamped(m), codes, old) for m, codes, old in entries]
    by_sector = [[e for e in entries if _sector_index(e[0]) == i] for i in range(len(SECTORS))]
    spans = sector_spans([_demand(items) for items in by_sector])
    placed = []
    for items, (a0, a1) in zip(by_sector, spans, strict=True):
        if items:
            placed += _place_sector(items, a0, a1)
    return Layout(tuple(spans), tuple(placed))


def _clamped(member):
    return replace(member, circle=min(max(int(member.circle), 1), 3))


def _edge_distance(kind, ux, uy):
    """Distance from a glyph's centre to its outline in direction (ux, uy)."""
    if kind == MemberKind.GROUP:
        return 12.5 / max(abs(ux), abs(uy))
    if kind == MemberKind.SERVICE:
        return GLYPH / (abs(ux) + abs(uy))
    return 14.0


# --------------------------------------------------------------------------------------------------
# SVG writing

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _esc(text):
    text = _XML_INVALID.sub("", str(text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _num(value):
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _attrs(attrs):
    out = []
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = _num(value)
        out.append(f' {name}="{_esc(value)}"')
    return "".join(out)


def _tag(name, content=None, **attrs):
    attrs = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    if content is None:
        return f"<{name}{_attrs(attrs)}/>"
    return f"<{name}{_attrs(attrs)}>{content}</{name}>"


def _text(x, y, text, *, halo=True, **attrs):
    """A label, with a white halo drawn as a separate element beneath it (not `paint-order`, which some
    PDF renderers ignore) so that it stays readable over lines."""
    out = []
    if halo:
        halo_attrs = {k: v for k, v in attrs.items() if k != "fill"}
        out.append(_tag("text", _esc(text), x=x, y=y, fill="#ffffff", stroke="#ffffff", stroke_width=4,
                        stroke_linejoin="round", aria_hidden="true", **halo_attrs))
    out.append(_tag("text", _esc(text), x=x, y=y, **{"fill": INK, **attrs}))
    return "".join(out)


def _glyph(kind, x, y, *, grow=0.0, **attrs):
    if kind == MemberKind.GROUP:
        h = 12.5 + grow
        return _tag("rect", x=x - h, y=y - h, width=2 * h, height=2 * h, rx=6 + grow / 2, **attrs)
    if kind == MemberKind.SERVICE:
        d = GLYPH + grow * 1.4
        return _tag("path", d=f"M{_num(x)} {_num(y - d)}L{_num(x + d)} {_num(y)}L{_num(x)} {_num(y + d)}"
                    f"L{_num(x - d)} {_num(y)}Z", **attrs)
    return _tag("circle", cx=x, cy=y, r=14 + grow, **attrs)


def _defs(p):
    marker = {"markerUnits": "userSpaceOnUse", "markerWidth": 12, "markerHeight": 12,
              "viewBox": "0 0 12 12", "refY": 6, "orient": "auto"}
    return _tag("defs", "".join([
        # Drawn forwards at the member end of the line: support the client gives.
        _tag("marker", _tag("path", d="M0 1L11 6L0 11Z", fill=LINE), id=f"{p}-arrow-to-member",
             refX=0, **marker),
        # Drawn backwards at the client end of the line: support the client receives.
        _tag("marker", _tag("path", d="M12 1L1 6L12 11Z", fill=LINE), id=f"{p}-arrow-to-client",
             refX=12, **marker),
        _tag("marker", _tag("path", d="M0 2L9 6L0 10Z", fill=MUTED), id=f"{p}-arrow-move", refX=0,
             **{**marker, "markerWidth": 10, "markerHeight": 10}),
    ]))


def _arc_point(r, a):
    return f"{_num(CX + r * math.cos(a))} {_num(CY + r * math.sin(a))}"


def _background(spans, boxes):
    out = []
    for sector, (a0, a1) in zip(SECTORS, spans, strict=True):
        large = 1 if a1 - a0 > math.pi else 0
        out.append(_tag("path", d=f"M{_arc_point(EGO_R, a0)}L{_arc_point(OUTER_R, a0)}"
                        f"A{_num(OUTER_R)} {_num(OUTER_R)} 0 {large} 1 {_arc_point(OUTER_R, a1)}"
                        f"L{_arc_point(EGO_R, a1)}A{_num(EGO_R)} {_num(EGO_R)} 0 {large} 0 "
                        f"{_arc_point(EGO_R, a0)}Z", fill=SECTOR_COLOURS[sector], fill_opacity=0.08))
    for circle in (1, 2, 3):
        out.append(_tag("circle", cx=CX, cy=CY, r=RINGS[circle], fill="none", stroke="#aab1b9",
                        stroke_width=1.4 if circle == 3 else 1.1))
    for a0, _a1 in spans:
        out.append(_tag("path", d=f"M{_arc_point(EGO_R, a0)}L{_arc_point(OUTER_R, a0)}",
                        stroke="#c9ced4", stroke_width=1))
    # A coloured rim and the name of each sector outside the outer circle, slid along the rim if a
    # member's label is in the way.
    for sector, (a0, a1) in zip(SECTORS, spans, strict=True):
        large = 1 if a1 - a0 > math.pi else 0
        r = OUTER_R + 5
        out.append(_tag("path", d=f"M{_arc_point(r, a0 + 0.02)}A{_num(r)} {_num(r)} 0 {large} 1 "
                        f"{_arc_point(r, a1 - 0.02)}", fill="none", stroke=SECTOR_COLOURS[sector],
                        stroke_width=7))
        name = _choice_label(Sector, sector)
        x, lines, anchor = _sector_label_position(name, a0, a1, boxes)
        for y, line in lines:
            out.append(_text(x, y, line, halo=False, text_anchor=anchor, font_size=SECTOR_FONT,
                             font_weight="bold"))
    for x, y, name, _extent in _ring_labels(spans):
        out.append(_text(x, y, name, text_anchor="middle", font_size=RING_FONT, letter_spacing=1,
                         fill=MUTED))
    return _tag("g", "".join(out), aria_hidden="true")


def _ring_labels(spans):
    """The circles' names on the separator at the start of the first sector: (x, baseline, name, box)."""
    a = spans[0][0]
    out = []
    for circle in (1, 2, 3):
        r = RINGS[circle] - 11
        x, y = CX + r * math.cos(a), CY + r * math.sin(a)
        name = {1: _("INNER"), 2: _("MIDDLE"), 3: _("OUTER")}[circle]
        width = len(name) * (RING_FONT * 0.62 + 1)
        out.append((x, y + 4, name, _box(x, y - RING_FONT / 2, width, RING_FONT, "middle")))
    return out


def _anchor(ux):
    return "start" if ux > 0.3 else "end" if ux < -0.3 else "middle"


def _box(x, top, width, height, anchor):
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (left, top, left + width, top + height)


def _overlaps(a, b, margin=3.0):
    return (a[0] < b[2] + margin and b[0] < a[2] + margin
            and a[1] < b[3] + margin and b[1] < a[3] + margin)


def _off_canvas(box):
    return box[0] < 4 or box[2] > WIDTH - 4 or box[1] < 4 or box[3] > MAP_HEIGHT


def _sector_label_position(name, a0, a1, boxes):
    """Outside the rim at the middle of the wedge, or slid along the rim clear of members' labels, on
    one line or, if it would run off the canvas, two: (x, [(baseline, line), ...], anchor)."""
    mid = (a0 + a1) / 2
    half = max(0.0, (a1 - a0) / 2 - 0.12)
    tries = [mid] + [mid + sign * d for d in _frange(0.05, half) for sign in (-1, 1)]
    words = name.split(" ")
    cut = max(1, (len(words) + 1) // 2)
    layouts = [[name]] + ([[" ".join(words[:cut]), " ".join(words[cut:])]] if len(words) > 1 else [])
    best, best_cost = None, math.inf
    for extra, lines in enumerate(layouts):
        width = max(_text_width(line, SECTOR_FONT, bold=True) for line in lines)
        height = SECTOR_FONT * 1.15 * len(lines)
        for a in tries:
            ux, uy = math.cos(a), math.sin(a)
            r = OUTER_R + 18
            x, y = CX + r * ux, CY + r * uy
            anchor = _anchor(ux)
            top = y - height / 2 + uy * height / 2
            box = _box(x, top, width, height, anchor)
            cost = sum(_overlaps(box, other) for other in boxes) + 10 * _off_canvas(box) + 0.5 * extra
            if cost < best_cost:
                baselines = [top + 0.8 * SECTOR_FONT + j * SECTOR_FONT * 1.15 for j in range(len(lines))]
                best, best_cost = (x, list(zip(baselines, lines, strict=True)), anchor), cost
            if cost == extra * 0.5:
                return best
    return best


def _frange(step, stop):
    values, v = [], step
    while v <= stop:
        values.append(v)
        v += step
    return values


def _tick_path(x1, y1, x2, y2, spacing, half, margin):
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= 2 * margin:
        return ""
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy, ux
    count = max(1, int((length - 2 * margin) // spacing) + 1)
    start = margin + ((length - 2 * margin) - (count - 1) * spacing) / 2
    parts = []
    for j in range(count):
        t = start + j * spacing
        px, py = x1 + ux * t, y1 + uy * t
        parts.append(f"M{_num(px + nx * half)} {_num(py + ny * half)}L{_num(px - nx * half)} "
                     f"{_num(py - ny * half)}")
    return "".join(parts)


_LINE_STYLE = {
    STRONG: {"stroke_width": 4.5},
    MODERATE: {"stroke_width": 2},
    TENUOUS: {"stroke_width": 1.6, "stroke_dasharray": "7 5"},
}
_TICKS = {Valence.MIXED: (22.0, 6.0), Valence.STRESSFUL: (7.0, 7.5)}  # spacing, half length


def _connector(x1, y1, x2, y2, *, strength, valence, to_member, to_client, p, **extra):
    """One Hartman line from (x1, y1) at the client to (x2, y2) at a member, with its arrows and
    cross-marks. Returns SVG."""
    out = [_tag("path", d=f"M{_num(x1)} {_num(y1)}L{_num(x2)} {_num(y2)}", fill="none", stroke=LINE,
                **_LINE_STYLE[strength],
                marker_start=f"url(#{p}-arrow-to-client)" if to_client else None,
                marker_end=f"url(#{p}-arrow-to-member)" if to_member else None, **extra)]
    if valence in _TICKS:
        spacing, half = _TICKS[valence]
        ticks = _tick_path(x1, y1, x2, y2, spacing, half, margin=10)
        if ticks:
            out.append(_tag("path", d=ticks, fill="none", stroke=LINE, stroke_width=1.6))
    return "".join(out)


def _ego_line(pl: _Placed, p):
    m = pl.member
    dx, dy = pl.x - CX, pl.y - CY
    dist = math.hypot(dx, dy)
    ux, uy = dx / dist, dy / dist
    to_client, to_member = bool(m.support_received), bool(m.support_given)
    start = EGO_R + 2 + (ARROW_LEN if to_client else 0)
    end = dist - _edge_distance(m.kind, ux, uy) - 2 - (ARROW_LEN if to_member else 0)
    return _tag("g", _connector(CX + ux * start, CY + uy * start, CX + ux * end, CY + uy * end,
                                strength=tie_strength(m), valence=m.valence, to_member=to_member,
                                to_client=to_client, p=p), data_line=m.key)


def _moved(pl: _Placed) -> bool:
    return pl.old is not None and not pl.ghost and pl.old.circle != pl.member.circle


def _move_geometry(pl: _Placed):
    """A moved member's arrow, beside its line, from the middle of its old circle's band to its glyph:
    (tail x, tail y, start x, start y, end x, end y)."""
    old_r = sum(_band(pl.old.circle)) / 2
    dist = math.hypot(pl.x - CX, pl.y - CY)
    ux, uy = (pl.x - CX) / dist, (pl.y - CY) / dist
    ox, oy = -uy * 11.0, ux * 11.0
    inward = old_r > dist
    start = old_r + (-4 if inward else 4)
    end = dist + (16 if inward else -16)
    return (CX + ux * old_r + ox, CY + uy * old_r + oy, CX + ux * start + ox, CY + uy * start + oy,
            CX + ux * end + ox, CY + uy * end + oy)


def _move_arrow(pl: _Placed, p):
    """A dotted arrow from the member's old circle to where it is now, with a small ring at its tail."""
    tx, ty, x1, y1, x2, y2 = _move_geometry(pl)
    return "".join([
        _tag("circle", cx=tx, cy=ty, r=3.5, fill="#ffffff", stroke=MUTED, stroke_width=1.4),
        _tag("path", d=f"M{_num(x1)} {_num(y1)}L{_num(x2)} {_num(y2)}", fill="none", stroke=MUTED,
             stroke_width=1.6, stroke_dasharray="3 3", marker_end=f"url(#{p}-arrow-move)"),
    ])


def _badge(x, y, symbol):
    return (_tag("circle", cx=x, cy=y, r=8, fill="#ffffff", stroke=INK, stroke_width=1.4)
            + _tag("text", _esc(symbol), x=x, y=y + 4.2, text_anchor="middle", font_size=12.5,
                   font_weight="bold", fill=INK))


def _member_title(pl: _Placed):
    m = pl.member
    bits = [f"{m.label} ({_choice_label(Relationship, m.relationship)})",
            f"{_choice_label(Sector, m.sector)}, {_circle_label(m.circle).lower()}",
            _("contact: %(c)s") % {"c": _choice_label(Contact, m.contact).lower()},
            _("%(v)s, %(s)s tie") % {"v": _choice_label(Valence, m.valence),
                                     "s": _strength_label(tie_strength(m)).lower()}]
    if m.support_received:
        bits.append(_("gives the client: %(f)s") % {"f": ", ".join(_support_labels(m.support_received))
                                                      .lower()})
    if m.support_given:
        bits.append(_("receives from the client: %(f)s") % {
            "f": ", ".join(_support_labels(m.support_given)).lower()})
    status = _status_text(pl.codes, pl.old, m)
    if status:
        bits.append(status)
    return "; ".join(bits)


@dataclass(frozen=True)
class _Label:
    x: float
    anchor: str
    lines: tuple[str, ...]  # the (truncated) label and, when comparing, a short status
    baselines: tuple[float, ...]
    box: tuple[float, float, float, float]  # estimated extent: left, top, right, bottom


def _label_block(pl: _Placed, dx: float, dy: float) -> _Label:
    """A member's label just outside its glyph in direction (dx, dy)."""
    m = pl.member
    reach = GLYPH + 5 + (4 if STATUS_ADDED in pl.codes else 0)
    x, y = pl.x + dx * reach, pl.y + dy * reach
    anchor = _anchor(dx)
    label = _truncate(m.label)
    if pl.ghost:
        label = _("%(label)s (gone)") % {"label": label}
    status = "" if pl.ghost else _map_status(pl.codes, pl.old, m)
    height = FONT + (STATUS_FONT + 2 if status else 0)
    top = y - height / 2 + dy * height / 2
    lines, baselines = [label], [top + 0.8 * FONT]
    width = _text_width(label)
    if status:
        lines.append(status)
        baselines.append(top + FONT + 2 + 0.8 * STATUS_FONT)
        width = max(width, _text_width(status, STATUS_FONT))
    return _Label(x, anchor, tuple(lines), tuple(baselines), _box(x, top, width, height, anchor))


def _label_candidates(pl: _Placed):
    """Label positions in order of preference: away from the client (so the member's own line never
    crosses its label), then diagonally outwards, then to either side."""
    ux, uy = math.cos(pl.angle), math.sin(pl.angle)
    tx, ty = -uy, ux
    d = math.sqrt(0.5)
    for dx, dy in ((ux, uy), (d * (ux + tx), d * (uy + ty)), (d * (ux - tx), d * (uy - ty)),
                   (tx, ty), (-tx, -ty)):
        yield _label_block(pl, dx, dy)


def _glyph_box(pl: _Placed):
    return (pl.x - GLYPH, pl.y - GLYPH, pl.x + GLYPH, pl.y + GLYPH)


def _grow(box, pad):
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def _hits(segment, box):
    """Whether a line segment (x1, y1, x2, y2) passes through a box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _place_labels(placed, fixed, ties) -> list[_Label]:
    """Greedy, deterministic labelling in reading order: the first candidate that overlaps no glyph,
    no label placed before it, no line, and stays on the canvas, else the one that overlaps least (a
    line crossing a label costs less than a glyph or a label: the label's halo keeps it readable)."""
    glyphs = [_glyph_box(pl) for pl in placed]
    ego = (CX - EGO_R, CY - EGO_R, CX + EGO_R, CY + EGO_R)
    # (owner, segment, half-width): cross-marks make a line wider.
    segments = [(i, (CX, CY, pl.x, pl.y), 8.0 if pl.member.valence in _TICKS else 2.0)
                for i, pl in enumerate(placed) if not pl.ghost]
    segments += [(-1, _move_geometry(pl)[2:], 2.0) for pl in placed if _moved(pl)]
    segments += [(-1, tie, 1.0) for tie in ties]
    labels = []
    for i, pl in enumerate(placed):
        best, best_cost = None, math.inf
        for candidate in _label_candidates(pl):
            box = candidate.box
            cost = sum(_overlaps(box, g) for j, g in enumerate(glyphs) if j != i)
            cost += sum(_overlaps(box, other.box) for other in labels) + _overlaps(box, ego)
            cost += sum(_overlaps(box, other) for other in fixed) + 2 * _off_canvas(box)
            cost += 0.3 * sum(_hits(segment, _grow(box, pad)) for j, segment, pad in segments if j != i)
            if cost < best_cost:
                best, best_cost = candidate, cost
            if cost == 0:
                break
        labels.append(best)
    return labels


def _member(pl: _Placed, label: _Label):
    m = pl.member
    ghost = pl.ghost
    fill = SECTOR_COLOURS.get(m.sector, "#999999")
    out = [_tag("title", _esc(_member_title(pl)))]
    if STATUS_ADDED in pl.codes:
        out.append(_glyph(m.kind, pl.x, pl.y, grow=4.5, fill="#ffffff", stroke=INK, stroke_width=1.5))
    if ghost:
        out.append(_glyph(m.kind, pl.x, pl.y, fill="#ffffff", fill_opacity=0.85, stroke=MUTED,
                          stroke_width=1.6, stroke_dasharray="2 3"))
    else:
        out.append(_glyph(m.kind, pl.x, pl.y, fill=fill, stroke=INK, stroke_width=1.5))
    out.append(_text(label.x, label.baselines[0], label.lines[0], text_anchor=label.anchor,
                     font_size=FONT, fill=MUTED if ghost else INK,
                     font_style="italic" if ghost else None))
    if len(label.lines) > 1:
        out.append(_text(label.x, label.baselines[1], label.lines[1], text_anchor=label.anchor,
                         font_size=STATUS_FONT, font_style="italic", fill=MUTED))
    # A badge on the glyph's rim, between the client's line and the label's likely places.
    badge = pl.angle + math.pi * 2 / 3
    bx, by = pl.x + 16 * math.cos(badge), pl.y + 16 * math.sin(badge)
    if STATUS_ADDED in pl.codes:
        out.append(_badge(bx, by, "+"))
    elif STATUS_VALENCE in pl.codes:
        out.append(_badge(bx, by, "~"))
    return _tag("g", "".join(out), data_member=m.key)


def _ego(client_label):
    label = " ".join(str(client_label).split()) or _("Client")
    lines = [label]
    if len(label) > 10 and " " in label:
        words = label.split(" ")
        cut = 1
        while cut < len(words) - 1 and len(" ".join(words[: cut + 1])) <= 12:
            cut += 1
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    lines = [_truncate(line, 12) for line in lines]
    # As large as fits the disc (bold text is about 0.6 em a character).
    size = min(15.0, 2 * (EGO_R - 8) / (0.6 * max(len(line) for line in lines)))
    out = [_tag("title", _esc(label)),
           _tag("circle", cx=CX, cy=CY, r=EGO_R, fill="#263238", stroke="#ffffff", stroke_width=3)]
    first = CY + size * 0.35 - (len(lines) - 1) * size * 0.6
    for j, line in enumerate(lines):
        out.append(_tag("text", _esc(line), x=CX, y=first + j * size * 1.2, text_anchor="middle",
                        font_size=size, font_weight="bold", fill="#ffffff"))
    return _tag("g", "".join(out), data_client="true")


def _legend(p, comparing):
    y0 = MAP_HEIGHT + 18
    out = [_tag("line", x1=30, y1=y0 - 4, x2=WIDTH - 30, y2=y0 - 4, stroke="#d5dae0", stroke_width=1)]
    cols = (30, 290, 560, 790) if comparing else (30, 350, 690)
    row = 23.0

    def heading(x, text):
        return _text(x, y0 + 20, text, halo=False, font_size=13.5, font_weight="bold")

    def entry(x, j, text):
        return _text(x + 66, y0 + 48 + j * row, text, halo=False, font_size=12.5)

    # Lines.
    x = cols[0]
    out.append(heading(x, _("Lines to the client")))
    samples = [(STRONG, Valence.SUPPORTIVE, _("Strong (close, often)")),
               (MODERATE, Valence.SUPPORTIVE, _("Moderate")),
               (TENUOUS, Valence.SUPPORTIVE, _("Tenuous (distant, rare)")),
               (MODERATE, Valence.MIXED, _("Mixed feelings")),
               (MODERATE, Valence.STRESSFUL, _("Stressful"))]
    for j, (strength, valence, text) in enumerate(samples):
        y = y0 + 44 + j * row
        out.append(_connector(x, y, x + 56, y, strength=strength, valence=valence, to_member=False,
                              to_client=False, p=p))
        out.append(entry(x, j, text))
    y = y0 + 44 + 5 * row
    out.append(_tag("path", d=f"M{_num(x)} {_num(y)}L{_num(x + 56)} {_num(y)}", stroke="#9aa3ad",
                    stroke_width=1.3))
    out.append(entry(x, 5, _("Know each other")))

    # Arrows and shapes.
    x = cols[1]
    out.append(heading(x, _("Arrows and shapes")))
    for j, (to_client, to_member, text) in enumerate([
            (True, False, _("Gives the client support")),
            (False, True, _("Gets support from client")),
            (True, True, _("Support both ways"))]):
        y = y0 + 44 + j * row
        out.append(_tag("circle", cx=x + 4, cy=y, r=4, fill="#263238"))
        out.append(_tag("circle", cx=x + 52, cy=y, r=4, fill="#ffffff", stroke=INK, stroke_width=1.3))
        out.append(_connector(x + 9 + (ARROW_LEN if to_client else 0), y,
                              x + 46 - (ARROW_LEN if to_member else 0), y, strength=MODERATE,
                              valence=Valence.SUPPORTIVE, to_member=to_member, to_client=to_client, p=p))
        out.append(entry(x, j, text))
    for j, (kind, text) in enumerate([(MemberKind.PERSON, _("Person")), (MemberKind.GROUP, _("Group")),
                                      (MemberKind.SERVICE, _("Service or agency"))], start=3):
        y = y0 + 44 + j * row
        out.append(_tag("g", _glyph(kind, x + 28, y, fill="#ffffff", stroke=INK, stroke_width=1.4),
                        transform=f"translate({_num(x + 28)} {_num(y)}) scale(0.62) "
                                  f"translate({_num(-x - 28)} {_num(-y)})"))
        out.append(entry(x, j, text))

    # Sectors.
    x = cols[2]
    out.append(heading(x, _("Sectors")))
    for j, sector in enumerate(SECTORS):
        y = y0 + 44 + j * row
        out.append(_tag("rect", x=x + 18, y=y - 8, width=24, height=16, rx=3,
                        fill=SECTOR_COLOURS[sector], stroke=INK, stroke_width=1))
        out.append(entry(x, j, _choice_label(Sector, sector)))

    if comparing:
        x = cols[3]
        out.append(heading(x, _("Since the earlier map")))
        y = y0 + 44
        out.append(_glyph(MemberKind.PERSON, x + 28, y + 2, grow=-3.5, fill="#ffffff", stroke=INK,
                          stroke_width=1.3))
        out.append(_glyph(MemberKind.PERSON, x + 28, y + 2, grow=-7.5, fill="#bbbbbb", stroke=INK,
                          stroke_width=1.3))
        out.append(_badge(x + 40, y - 6, "+"))
        out.append(entry(x, 0, _("New")))
        y += row
        out.append(_glyph(MemberKind.PERSON, x + 28, y, grow=-5, fill="#ffffff", stroke=MUTED,
                          stroke_width=1.5, stroke_dasharray="2 3"))
        out.append(entry(x, 1, _("Gone (dotted)")))
        y += row
        out.append(_tag("circle", cx=x + 8, cy=y, r=3.5, fill="#ffffff", stroke=MUTED, stroke_width=1.4))
        out.append(_tag("path", d=f"M{_num(x + 12)} {_num(y)}L{_num(x + 44)} {_num(y)}", stroke=MUTED,
                        stroke_width=1.6, stroke_dasharray="3 3", marker_end=f"url(#{p}-arrow-move)"))
        out.append(entry(x, 2, _("Moved between circles")))
        y += row
        out.append(_badge(x + 28, y, "~"))
        out.append(entry(x, 3, _("Feels different now")))
    return _tag("g", "".join(out), aria_hidden="true")


def render(network: Network, *, client_label: str, compare_to: Network | None = None,
           title: str | None = None, id_prefix: str = "ecomap") -> str:
    """The eco-map of `network` as a standalone SVG document (a string starting with "<svg").

    `compare_to` is an earlier network of the same client: the map then marks what changed since.
    `id_prefix` starts every id in the document; give each map on one page its own.
    """
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError("id_prefix must be a letter followed by letters, digits, '-' or '_'")
    p = id_prefix
    title = title or _("Eco-map of %(client)s") % {"client": client_label}
    geometry = layout(network, compare_to)
    placed = geometry.placed
    where = {pl.member.key: pl for pl in placed if not pl.ghost}
    tie_segments = [(where[a].x, where[a].y, where[b].x, where[b].y) for a, b in sorted(network.ties)
                    if a in where and b in where]
    labels = _place_labels(placed, [box for *_rest, box in _ring_labels(geometry.spans)], tie_segments)
    boxes = [label.box for label in labels] + [_glyph_box(pl) for pl in placed]

    ties = [_tag("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke="#9aa3ad", stroke_width=1.3)
            for x1, y1, x2, y2 in tie_segments]
    lines = [_ego_line(pl, p) for pl in placed if not pl.ghost]
    moves = [_move_arrow(pl, p) for pl in placed if _moved(pl)]
    members = [_member(pl, label) for pl, label in zip(placed, labels, strict=True)]

    body = "".join([
        _tag("title", _esc(title), id=f"{p}-title"),
        _tag("desc", _esc(describe(network, client_label=client_label, compare_to=compare_to)),
             id=f"{p}-desc"),
        _defs(p),
        _tag("rect", x=0, y=0, width=WIDTH, height=HEIGHT, fill="#ffffff"),
        _background(geometry.spans, boxes),
        _tag("g", "".join(ties), aria_hidden="true"),
        _tag("g", "".join(lines), aria_hidden="true"),
        _tag("g", "".join(moves), aria_hidden="true"),
        _tag("g", "".join(members)),
        _ego(client_label),
        "" if placed else _text(CX, CY + EGO_R + 34, _("No people, groups or services on the map yet"),
                                text_anchor="middle", font_size=14, font_style="italic", fill=MUTED),
        _legend(p, compare_to is not None),
    ])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{p}-title {p}-desc" font-family="system-ui, -apple-system, \'Segoe UI\', '
            f'Roboto, \'Helvetica Neue\', Arial, sans-serif">{body}</svg>\n')
