"""Meetings a week between follow-up visits, as a server-rendered SVG bar chart.

One bar per interval between visits (the first from the referral date), its width in proportion to
the interval's length, so a long gap is seen as long. No inline styles (CSP), role="img" with a title
and a description; the page shows the same numbers in a table.
"""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ecomap.core.svg import ALARM, GRID, INK, LINE, MUTED, close_svg, esc, num, open_svg

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 40


def describe(rows: list[dict]) -> str:
    if not rows:
        return _("No follow-up visits yet.")
    parts = [_("%(start)s to %(end)s: %(rate)s a week") % {
        "start": r["start"].isoformat(), "end": r["end"].isoformat(), "rate": num(r["rate"])}
        for r in rows]
    return _("Meetings a week between visits. ") + "; ".join(parts) + "."


def render(rows: list[dict], *, flagged: set[int] = frozenset(), id_prefix: str = "attendance"
           ) -> SafeString:
    """`rows` from referrals.attendance_series(); `flagged`: follow-up pks with a falling-attendance
    alert, drawn in the alert colour."""
    plot_left, plot_right, plot_top, plot_bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    top_rate = max([r["rate"] for r in rows] + [7.0])
    step = 1 if top_rate <= 7 else (2 if top_rate <= 14 else 5)
    high = -(-top_rate // step) * step

    def y(value: float) -> float:
        return plot_bottom - value / high * (plot_bottom - plot_top)

    out = open_svg(WIDTH, HEIGHT, title=_("Meetings a week"), desc=describe(rows),
                   id_prefix=id_prefix,
                   extra=f' width="{WIDTH}" height="{HEIGHT}" font-family="system-ui, sans-serif" '
                         f'font-size="12"')
    out.append(f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>')
    tick = 0.0
    while tick <= high:
        out.append(f'<line x1="{plot_left}" y1="{num(y(tick))}" x2="{plot_right}" '
                   f'y2="{num(y(tick))}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{plot_left - 6}" y="{num(y(tick) + 4)}" text-anchor="end" '
                   f'fill="{INK}">{num(tick)}</text>')
        tick += step
    if rows:
        first, last = rows[0]["start"].toordinal(), rows[-1]["end"].toordinal()
        span = max(last - first, 1)
        scale = (plot_right - plot_left) / span
        for i, row in enumerate(rows):
            x0 = plot_left + (row["start"].toordinal() - first) * scale
            x1 = plot_left + (row["end"].toordinal() - first) * scale
            width = max(x1 - x0 - 2, 3)
            fill = ALARM if row["follow_up"].pk in flagged else LINE
            tip = f'{row["start"].isoformat()} – {row["end"].isoformat()}: ' \
                  f'{row["meetings"]} ({num(row["rate"])}/wk)'
            out.append(f'<g data-bar="{i}"><title>{esc(tip)}</title>'
                       f'<rect x="{num(x0 + 1)}" y="{num(y(row["rate"]))}" width="{num(width)}" '
                       f'height="{num(max(plot_bottom - y(row["rate"]), 1))}" fill="{fill}"/></g>')
            out.append(f'<text x="{num(x1)}" y="{plot_bottom + 16}" text-anchor="end" '
                       f'fill="{INK}" font-size="11">{esc(row["end"].strftime("%m-%d"))}</text>')
    else:
        out.append(f'<text x="{(plot_left + plot_right) / 2}" y="{(plot_top + plot_bottom) / 2}" '
                   f'text-anchor="middle" fill="{MUTED}">{esc(_("No visits yet"))}</text>')
    out.append(f'<line x1="{plot_left}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}" '
               f'stroke="{MUTED}" stroke-width="1"/>')
    out.append(f'<text x="{plot_left}" y="{HEIGHT - 6}" fill="{MUTED}" font-size="11">'
               f'{esc(_("Visit date (month-day); bar width: time since the last visit"))}</text>')
    return close_svg(out)
