"""The caregiver check-in totals over time as a small server-rendered SVG line chart, drawn with
ecomap.core.svg (no script, no inline style, a title and a description for screen readers). A
table beside it carries the same numbers."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ecomap.core.svg import ALARM, INK, LINE, MUTED, close_svg, esc, num, open_svg

WIDTH, HEIGHT = 480, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 28


def svg(checkins, definition) -> SafeString:
    """`checkins` oldest first; the high-strain total is drawn as a dashed line."""
    top = definition.maximum
    n = len(checkins)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i):
        return LEFT + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)

    def y(value):
        return TOP + inner_h * (1 - value / top)

    desc = _("Caregiver check-in totals from %(first)s to %(last)s: %(values)s (of %(top)s).") % {
        "first": checkins[0].checked_on.isoformat(), "last": checkins[-1].checked_on.isoformat(),
        "values": ", ".join(str(c.total) for c in checkins), "top": top}
    parts = open_svg(WIDTH, HEIGHT, title=_("Caregiver check-in totals"), desc=desc,
                     id_prefix="checkin-chart", css_class="checkin-chart")
    base = num(TOP + inner_h)
    parts += [
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{MUTED}" '
        'stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{MUTED}" stroke-width="1"/>',
    ]
    for value in (0, definition.high_total, top):
        parts.append(f'<text x="{LEFT - 6}" y="{num(y(value) + 4)}" text-anchor="end" '
                     f'font-size="11" fill="{INK}">{esc(value)}</text>')
    high = num(y(definition.high_total))
    parts.append(f'<line x1="{LEFT}" y1="{high}" x2="{WIDTH - RIGHT}" y2="{high}" '
                 f'stroke="{ALARM}" stroke-width="1" stroke-dasharray="4 3"/>')
    points = " ".join(f"{num(x(i))},{num(y(c.total))}" for i, c in enumerate(checkins))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for i, c in enumerate(checkins):
        colour = ALARM if c.high_strain else LINE
        parts.append(f'<circle cx="{num(x(i))}" cy="{num(y(c.total))}" r="4" fill="{colour}"/>')
    for i, anchor in ((0, "start"), (n - 1, "end")):
        parts.append(f'<text x="{num(x(i))}" y="{HEIGHT - 8}" text-anchor="{anchor}" '
                     f'font-size="11" fill="{INK}">{esc(checkins[i].checked_on.isoformat())}</text>')
    return close_svg(parts)
