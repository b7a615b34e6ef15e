"""Meetings a week between follow-up visits, as a server-rendered SVG bar chart.

One bar per interval between visits (the first from the referral date), its width in proportion to
the interval's length, so a long gap is seen as long. No inline styles (CSP), role="img" with a title
and a description; the page shows the same numbers in a table.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 40
INK, MUTED, BAR, ALERT, GRID = "#1b1f23", "#4a5560", "#0b5cad", "#b3261e", "#c9d1d9"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def describe(rows: list[dict]) -> str:
    if not rows:
        return _("No follow-up visits yet.")
    parts = [_("%(start)s to %(end)s: %(rate)s a week") % {
        "start": r["start"].isoformat(), "end": r["end"].isoformat(), "rate": _fmt(r["rate"])}
        for r in rows]
    return _("Meetings a week between visits. ") + "; ".join(parts) + "."


def render(rows: list[dict], *, flagged: set[int] = frozenset(), id_prefix: str = "attendance"
           ) -> str:
    """`rows` from referrals.attendance_series(); `flagged`: follow-up pks with a falling-attendance
    alert, drawn in the alert colour."""
    plot_left, plot_right, plot_top, plot_bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    top_rate = max([r["rate"] for r in rows] + [7.0])
    step = 1 if top_rate <= 7 else (2 if top_rate <= 14 else 5)
    high = -(-top_rate // step) * step

    def y(value: float) -> float:
        return plot_bottom - value / high * (plot_bottom - plot_top)

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{title_id} {desc_id}" '
           f'font-family="system-ui, sans-serif" font-size="12">',
           f'<title id="{title_id}">{escape(_("Meetings a week"))}</title>',
           f'<desc id="{desc_id}">{escape(describe(rows))}</desc>',
           f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>']
    tick = 0.0
    while tick <= high:
        out.append(f'<line x1="{plot_left}" y1="{y(tick):.1f}" x2="{plot_right}" '
                   f'y2="{y(tick):.1f}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{plot_left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                   f'fill="{INK}">{_fmt(tick)}</text>')
        tick += step
    if rows:
        first, last = rows[0]["start"].toordinal(), rows[-1]["end"].toordinal()
        span = max(last - first, 1)
        scale = (plot_right - plot_left) / span
        for i, row in enumerate(rows):
            x0 = plot_left + (row["start"].toordinal() - first) * scale
            x1 = plot_left + (row["end"].toordinal() - first) * scale
            width = max(x1 - x0 - 2, 3)
            fill = ALERT if row["follow_up"].pk in flagged else BAR
            tip = f'{row["start"].isoformat()} – {row["end"].isoformat()}: ' \
                  f'{row["meetings"]} ({_fmt(row["rate"])}/wk)'
            out.append(f'<g data-bar="{i}"><title>{escape(tip)}</title>'
                       f'<rect x="{x0 + 1:.1f}" y="{y(row["rate"]):.1f}" width="{width:.1f}" '
                       f'height="{max(plot_bottom - y(row["rate"]), 1):.1f}" fill="{fill}"/></g>')
            out.append(f'<text x="{x1:.1f}" y="{plot_bottom + 16}" text-anchor="end" '
                       f'fill="{INK}" font-size="11">{escape(row["end"].strftime("%m-%d"))}</text>')
    else:
        out.append(f'<text x="{(plot_left + plot_right) / 2}" y="{(plot_top + plot_bottom) / 2}" '
                   f'text-anchor="middle" fill="{MUTED}">{escape(_("No visits yet"))}</text>')
    out.append(f'<line x1="{plot_left}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}" '
               f'stroke="{MUTED}" stroke-width="1"/>')
    out.append(f'<text x="{plot_left}" y="{HEIGHT - 6}" fill="{MUTED}" font-size="11">'
               f'{escape(_("Visit date (month-day); bar width: time since the last visit"))}</text>')
    out.append("</svg>")
    return "\n".join(out)
