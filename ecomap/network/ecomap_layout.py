"""The eco-map's geometry, and the comparison of two networks: pure functions over `graph.Network`,
no SVG text (`ecomap_drawing` writes the picture, `ecomap_text` the words).

The client sits at the centre inside Antonucci's three circles of closeness. The ring radii are the
mean of equal-area and equal-increment rings around the client's disc, like Network Canvas's "skewed"
rings: the inner circle gets more room than equal areas would give it. Six wedges are Hartman's
systems around the person, in `Sector` order clockwise from the top, family centred at the top. Half
the circle is shared equally, half by how much room each sector's members need (`sector_spans`), so
a crowded sector widens and an empty one stays visible. A member sits in the band of its circle inside
the wedge of its sector; within a sector every member has its own angle (the circles interleaved,
each in label order), so that no line from the client runs under another member; a crowded circle is
staggered over two or more rows so that labels and glyphs stay apart. Promised by the tests: glyphs
never touch up to 40 members (10 per sector and circle, 20 in the inner circle); lines clear other
glyphs up to 20 members (6 per sector). Beyond that the map degrades gracefully.

Public: layout / Layout, sector_spans, diff / NetworkDiff, tie_strength.
"""

from __future__ import annotations

import math
import re
from dataclasses import astuple, dataclass, replace

from .choices import Contact, MemberKind, Sector
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
# Strength of a tie

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



def sector_index(member):
    try:
        return SECTORS.index(member.sector)
    except ValueError:
        return SECTORS.index(Sector.COMMUNITY)



# --------------------------------------------------------------------------------------------------
# Members in reading order, with their changes


def members_in_order(network, compare_to):
    """(member, change codes, earlier member or None) for the current members and, when comparing,
    the gone ones, in reading order: circle, sector, label."""
    changes = diff(compare_to, network) if compare_to is not None else None
    old = {m.key: m for m in compare_to.members} if compare_to is not None else {}
    entries = [(m, changes.status(m.key) if changes else (), old.get(m.key)) for m in network.members]
    if changes:
        entries += [(old[k], (STATUS_GONE,), old[k]) for k in changes.gone]
    entries.sort(key=lambda e: (e[0].circle, sector_index(e[0]), _natural(e[0].label), e[0].label,
                                e[0].key))
    return entries, changes


def _natural(label):
    """Sort key that puts "Member 2" before "Member 10"."""
    parts = re.split(r"(\d+)", label.casefold())
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))



# --------------------------------------------------------------------------------------------------
# Geometry

SECTORS = tuple(Sector.values)  # clockwise from the top
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
ARROW_LEN = 11.0


def truncate(text, limit=MAX_LABEL):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def text_width(text, size=FONT, bold=False):
    return len(text) * size * (0.6 if bold else CHAR_W)


def band(circle):
    """The radii between which a circle's members are centred."""
    # Inner members stay far enough from the client for a line with two arrowheads.
    lo = RINGS[circle - 1] + (44.0 if circle == 1 else 24.0)
    hi = RINGS[circle] - 22.0
    return lo, hi


def _home_radius(circle):
    lo, hi = band(circle)
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
class Placed:
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
    lo, hi = band(circle)
    home = _home_radius(circle)
    mid_angle = (a0 + a1) / 2
    tx, ty = abs(math.sin(mid_angle)), abs(math.cos(mid_angle))  # the wedge's tangent direction
    widest = max(text_width(truncate(entry[0].label)) for entry in group)
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
        placed.append(Placed(member, codes, old, CX + r * math.cos(angle), CY + r * math.sin(angle),
                              angle))
    return placed


@dataclass(frozen=True)
class Layout:
    spans: tuple[tuple[float, float], ...]  # each sector's wedge, in `Sector` order
    placed: tuple[Placed, ...]  # members (and gone members when comparing), in reading order


def layout(network: Network, compare_to: Network | None = None) -> Layout:
    """The map's geometry: deterministic, from the members' sectors, circles and labels only."""
    entries, _changes = members_in_order(network, compare_to)
    entries = [(m if m.circle in (1, 2, 3) else _clamped(m), codes, old) for m, codes, old in entries]
    by_sector = [[e for e in entries if sector_index(e[0]) == i] for i in range(len(SECTORS))]
    spans = sector_spans([_demand(items) for items in by_sector])
    placed = []
    for items, (a0, a1) in zip(by_sector, spans, strict=True):
        if items:
            placed += _place_sector(items, a0, a1)
    return Layout(tuple(spans), tuple(placed))


def _clamped(member):
    return replace(member, circle=min(max(int(member.circle), 1), 3))


def edge_distance(kind, ux, uy):
    """Distance from a glyph's centre to its outline in direction (ux, uy)."""
    if kind == MemberKind.GROUP:
        return 12.5 / max(abs(ux), abs(uy))
    if kind == MemberKind.SERVICE:
        return GLYPH / (abs(ux) + abs(uy))
    return 14.0


