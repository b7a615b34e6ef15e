"""The eco-map as a server-rendered SVG, drawn from `ecomap_layout`'s geometry with the site's SVG
helpers (`ecomap.core.svg`: `esc`, `num`, the Okabe-Ito palette and ink colours).

No JavaScript, no `style` attributes or `<style>` elements (the site's CSP forbids inline styles),
only SVG presentation attributes. The same document is meant for the page (inline, scaled by its
viewBox) and for the PDF.

Drawing conventions (../shared/research/ego_networks.md sections 2.3, 4.3, 4.4):

* Shape by kind (person circle, group rounded square, service diamond), fill by sector in the
  Okabe-Ito palette. Colour never carries meaning alone: shape, position, labels and the key repeat it.
* Lines after Hartman: the thickness and dashing give the strength of the tie (`tie_strength`: thick
  solid strong, thin solid moderate, thin dashed tenuous); cross-marks give its feeling (sparse ticks
  mixed, dense hatching stressful); arrows give the direction of support (towards the client when the
  member gives support, towards the member when the client gives it).
* Comparison with an earlier network (`diff`): new members get a double outline and a "+" badge, gone
  members are drawn ghosted with a dotted outline in their old place, members who changed circle get a
  dotted arrow from their old circle, and a changed feeling gets a "~" badge; moves and changed
  feelings also get a short status line under the label ("moved in", "was stressful").
* Accessibility: role="img" with <title> and <desc> (`ecomap_text.describe`), a <title> per member,
  and `ecomap_text.text_alternative` rows for the table that replaces the picture. Labels sit outside
  the glyph away from the client, or where they overlap least (`_place_labels`), with a white halo
  drawn as a separate <text> (not `paint-order`, which some PDF renderers ignore).

Public: render.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ecomap.core.svg import INK, MUTED, OKABE_ITO, close_svg, esc, num, open_svg

from .choices import Contact, MemberKind, Relationship, Sector, Valence
from .ecomap_layout import (
    ARROW_LEN,
    CX,
    CY,
    EGO_R,
    FONT,
    GLYPH,
    HEIGHT,
    MAP_HEIGHT,
    MODERATE,
    OUTER_R,
    RING_FONT,
    RINGS,
    SECTOR_FONT,
    SECTORS,
    STATUS_ADDED,
    STATUS_FONT,
    STATUS_VALENCE,
    STRONG,
    TENUOUS,
    WIDTH,
    Placed,
    band,
    edge_distance,
    layout,
    text_width,
    tie_strength,
    truncate,
)
from .ecomap_text import (
    choice_label,
    circle_label,
    describe,
    map_status,
    status_text,
    strength_label,
    support_labels,
)
from .graph import Network

# Okabe & Ito (2008): a colour-blind-safe fill for each sector.
SECTOR_COLOURS = {
    Sector.FAMILY: OKABE_ITO["orange"],
    Sector.FRIENDS: OKABE_ITO["sky_blue"],
    Sector.WORK_SCHOOL: OKABE_ITO["yellow"],
    Sector.COMMUNITY: OKABE_ITO["bluish_green"],
    Sector.MUTUAL_AID: OKABE_ITO["reddish_purple"],
    Sector.SERVICES: OKABE_ITO["blue"],
}
LINE = INK  # the client-member lines and their arrows
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# --------------------------------------------------------------------------------------------------
# SVG writing

_ID_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _attrs(attrs):
    out = []
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = num(value)
        out.append(f' {name}="{esc(value)}"')
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
        out.append(_tag("text", esc(text), x=x, y=y, fill="#ffffff", stroke="#ffffff", stroke_width=4,
                        stroke_linejoin="round", aria_hidden="true", **halo_attrs))
    out.append(_tag("text", esc(text), x=x, y=y, **{"fill": INK, **attrs}))
    return "".join(out)


def _glyph(kind, x, y, *, grow=0.0, **attrs):
    if kind == MemberKind.GROUP:
        h = 12.5 + grow
        return _tag("rect", x=x - h, y=y - h, width=2 * h, height=2 * h, rx=6 + grow / 2, **attrs)
    if kind == MemberKind.SERVICE:
        d = GLYPH + grow * 1.4
        return _tag("path", d=f"M{num(x)} {num(y - d)}L{num(x + d)} {num(y)}L{num(x)} {num(y + d)}"
                    f"L{num(x - d)} {num(y)}Z", **attrs)
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
    return f"{num(CX + r * math.cos(a))} {num(CY + r * math.sin(a))}"


def _background(spans, boxes):
    out = []
    for sector, (a0, a1) in zip(SECTORS, spans, strict=True):
        large = 1 if a1 - a0 > math.pi else 0
        out.append(_tag("path", d=f"M{_arc_point(EGO_R, a0)}L{_arc_point(OUTER_R, a0)}"
                        f"A{num(OUTER_R)} {num(OUTER_R)} 0 {large} 1 {_arc_point(OUTER_R, a1)}"
                        f"L{_arc_point(EGO_R, a1)}A{num(EGO_R)} {num(EGO_R)} 0 {large} 0 "
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
        out.append(_tag("path", d=f"M{_arc_point(r, a0 + 0.02)}A{num(r)} {num(r)} 0 {large} 1 "
                        f"{_arc_point(r, a1 - 0.02)}", fill="none", stroke=SECTOR_COLOURS[sector],
                        stroke_width=7))
        name = choice_label(Sector, sector)
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
        width = max(text_width(line, SECTOR_FONT, bold=True) for line in lines)
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
        parts.append(f"M{num(px + nx * half)} {num(py + ny * half)}L{num(px - nx * half)} "
                     f"{num(py - ny * half)}")
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
    out = [_tag("path", d=f"M{num(x1)} {num(y1)}L{num(x2)} {num(y2)}", fill="none", stroke=LINE,
                **_LINE_STYLE[strength],
                marker_start=f"url(#{p}-arrow-to-client)" if to_client else None,
                marker_end=f"url(#{p}-arrow-to-member)" if to_member else None, **extra)]
    if valence in _TICKS:
        spacing, half = _TICKS[valence]
        ticks = _tick_path(x1, y1, x2, y2, spacing, half, margin=10)
        if ticks:
            out.append(_tag("path", d=ticks, fill="none", stroke=LINE, stroke_width=1.6))
    return "".join(out)


def _ego_line(pl: Placed, p):
    m = pl.member
    dx, dy = pl.x - CX, pl.y - CY
    dist = math.hypot(dx, dy)
    ux, uy = dx / dist, dy / dist
    to_client, to_member = bool(m.support_received), bool(m.support_given)
    start = EGO_R + 2 + (ARROW_LEN if to_client else 0)
    end = dist - edge_distance(m.kind, ux, uy) - 2 - (ARROW_LEN if to_member else 0)
    return _tag("g", _connector(CX + ux * start, CY + uy * start, CX + ux * end, CY + uy * end,
                                strength=tie_strength(m), valence=m.valence, to_member=to_member,
                                to_client=to_client, p=p), data_line=m.key)


def _moved(pl: Placed) -> bool:
    return pl.old is not None and not pl.ghost and pl.old.circle != pl.member.circle


def _move_geometry(pl: Placed):
    """A moved member's arrow, beside its line, from the middle of its old circle's band to its glyph:
    (tail x, tail y, start x, start y, end x, end y)."""
    old_r = sum(band(pl.old.circle)) / 2
    dist = math.hypot(pl.x - CX, pl.y - CY)
    ux, uy = (pl.x - CX) / dist, (pl.y - CY) / dist
    ox, oy = -uy * 11.0, ux * 11.0
    inward = old_r > dist
    start = old_r + (-4 if inward else 4)
    end = dist + (16 if inward else -16)
    return (CX + ux * old_r + ox, CY + uy * old_r + oy, CX + ux * start + ox, CY + uy * start + oy,
            CX + ux * end + ox, CY + uy * end + oy)


def _move_arrow(pl: Placed, p):
    """A dotted arrow from the member's old circle to where it is now, with a small ring at its tail."""
    tx, ty, x1, y1, x2, y2 = _move_geometry(pl)
    return "".join([
        _tag("circle", cx=tx, cy=ty, r=3.5, fill="#ffffff", stroke=MUTED, stroke_width=1.4),
        _tag("path", d=f"M{num(x1)} {num(y1)}L{num(x2)} {num(y2)}", fill="none", stroke=MUTED,
             stroke_width=1.6, stroke_dasharray="3 3", marker_end=f"url(#{p}-arrow-move)"),
    ])


def _badge(x, y, symbol):
    return (_tag("circle", cx=x, cy=y, r=8, fill="#ffffff", stroke=INK, stroke_width=1.4)
            + _tag("text", esc(symbol), x=x, y=y + 4.2, text_anchor="middle", font_size=12.5,
                   font_weight="bold", fill=INK))


def _member_title(pl: Placed):
    m = pl.member
    bits = [f"{m.label} ({choice_label(Relationship, m.relationship)})",
            f"{choice_label(Sector, m.sector)}, {circle_label(m.circle).lower()}",
            _("contact: %(c)s") % {"c": choice_label(Contact, m.contact).lower()},
            _("%(v)s, %(s)s tie") % {"v": choice_label(Valence, m.valence),
                                     "s": strength_label(tie_strength(m)).lower()}]
    if m.support_received:
        bits.append(_("gives the client: %(f)s") % {"f": ", ".join(support_labels(m.support_received))
                                                      .lower()})
    if m.support_given:
        bits.append(_("receives from the client: %(f)s") % {
            "f": ", ".join(support_labels(m.support_given)).lower()})
    status = status_text(pl.codes, pl.old, m)
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


def _label_block(pl: Placed, dx: float, dy: float) -> _Label:
    """A member's label just outside its glyph in direction (dx, dy)."""
    m = pl.member
    reach = GLYPH + 5 + (4 if STATUS_ADDED in pl.codes else 0)
    x, y = pl.x + dx * reach, pl.y + dy * reach
    anchor = _anchor(dx)
    label = truncate(m.label)
    if pl.ghost:
        label = _("%(label)s (gone)") % {"label": label}
    status = "" if pl.ghost else map_status(pl.codes, pl.old, m)
    height = FONT + (STATUS_FONT + 2 if status else 0)
    top = y - height / 2 + dy * height / 2
    lines, baselines = [label], [top + 0.8 * FONT]
    width = text_width(label)
    if status:
        lines.append(status)
        baselines.append(top + FONT + 2 + 0.8 * STATUS_FONT)
        width = max(width, text_width(status, STATUS_FONT))
    return _Label(x, anchor, tuple(lines), tuple(baselines), _box(x, top, width, height, anchor))


def _label_candidates(pl: Placed):
    """Label positions in order of preference: away from the client (so the member's own line never
    crosses its label), then diagonally outwards, then to either side."""
    ux, uy = math.cos(pl.angle), math.sin(pl.angle)
    tx, ty = -uy, ux
    d = math.sqrt(0.5)
    for dx, dy in ((ux, uy), (d * (ux + tx), d * (uy + ty)), (d * (ux - tx), d * (uy - ty)),
                   (tx, ty), (-tx, -ty)):
        yield _label_block(pl, dx, dy)


def _glyph_box(pl: Placed):
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


def _member(pl: Placed, label: _Label):
    m = pl.member
    ghost = pl.ghost
    fill = SECTOR_COLOURS.get(m.sector, "#999999")
    out = [_tag("title", esc(_member_title(pl)))]
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
    lines = [truncate(line, 12) for line in lines]
    # As large as fits the disc (bold text is about 0.6 em a character).
    size = min(15.0, 2 * (EGO_R - 8) / (0.6 * max(len(line) for line in lines)))
    out = [_tag("title", esc(label)),
           _tag("circle", cx=CX, cy=CY, r=EGO_R, fill="#263238", stroke="#ffffff", stroke_width=3)]
    first = CY + size * 0.35 - (len(lines) - 1) * size * 0.6
    for j, line in enumerate(lines):
        out.append(_tag("text", esc(line), x=CX, y=first + j * size * 1.2, text_anchor="middle",
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
    out.append(_tag("path", d=f"M{num(x)} {num(y)}L{num(x + 56)} {num(y)}", stroke="#9aa3ad",
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
                        transform=f"translate({num(x + 28)} {num(y)}) scale(0.62) "
                                  f"translate({num(-x - 28)} {num(-y)})"))
        out.append(entry(x, j, text))

    # Sectors.
    x = cols[2]
    out.append(heading(x, _("Sectors")))
    for j, sector in enumerate(SECTORS):
        y = y0 + 44 + j * row
        out.append(_tag("rect", x=x + 18, y=y - 8, width=24, height=16, rx=3,
                        fill=SECTOR_COLOURS[sector], stroke=INK, stroke_width=1))
        out.append(entry(x, j, choice_label(Sector, sector)))

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
        out.append(_tag("path", d=f"M{num(x + 12)} {num(y)}L{num(x + 44)} {num(y)}", stroke=MUTED,
                        stroke_width=1.6, stroke_dasharray="3 3", marker_end=f"url(#{p}-arrow-move)"))
        out.append(entry(x, 2, _("Moved between circles")))
        y += row
        out.append(_badge(x + 28, y, "~"))
        out.append(entry(x, 3, _("Feels different now")))
    return _tag("g", "".join(out), aria_hidden="true")


def render(network: Network, *, client_label: str, compare_to: Network | None = None,
           title: str | None = None, id_prefix: str = "ecomap") -> SafeString:
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

    parts = open_svg(WIDTH, HEIGHT, title=title, id_prefix=p,
                     desc=describe(network, client_label=client_label, compare_to=compare_to),
                     extra=f' font-family="{FONT_FAMILY}"')
    parts += [
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
    ]
    return close_svg(parts)
