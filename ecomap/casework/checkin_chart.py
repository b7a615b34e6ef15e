"""The caregiver check-in totals over time as a small server-rendered SVG line chart (no script, no
inline style: presentation attributes only, so the strict CSP holds). A table beside it carries the
same numbers for screen readers; the chart itself is marked as an image with a text alternative."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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

    points = " ".join(f"{x(i):.1f},{y(c.total):.1f}" for i, c in enumerate(checkins))
    label = _("Caregiver check-in totals from %(first)s to %(last)s: %(values)s (of %(top)s).") % {
        "first": checkins[0].checked_on.isoformat(), "last": checkins[-1].checked_on.isoformat(),
        "values": ", ".join(str(c.total) for c in checkins), "top": top}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" class="checkin-chart">',
        f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" y2="{TOP + inner_h}" '
        'stroke="#4a5560" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + inner_h}" stroke="#4a5560" '
        'stroke-width="1"/>',
    ]
    for value in (0, definition.high_total, top):
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#1b1f23">{value}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{y(definition.high_total):.1f}" x2="{WIDTH - RIGHT}" '
                 f'y2="{y(definition.high_total):.1f}" stroke="#a4262c" stroke-width="1" '
                 'stroke-dasharray="4 3"/>')
    parts.append(f'<polyline points="{points}" fill="none" stroke="#0b5cad" '
                 'stroke-width="2"/>')
    for i, c in enumerate(checkins):
        colour = "#a4262c" if c.high_strain else "#0b5cad"
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(c.total):.1f}" r="4" fill="{colour}"/>')
    for i, anchor in ((0, "start"), (n - 1, "end")):
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" '
                     f'font-size="11" fill="#1b1f23">{checkins[i].checked_on:%Y-%m-%d}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is a number, a date or escaped
