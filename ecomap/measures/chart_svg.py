"""A score over time as a server-rendered SVG line chart.

Pure function over the frozen points: no ORM, no JavaScript, no `style` attributes or `<style>`
elements (the site's CSP forbids inline styles), only SVG presentation attributes, so the same
document serves the page and a PDF. Interpretation bands are drawn as pale horizontal zones named at
the right; each administration is a marked point with a <title> (date, score, band); the y axis is
the score's whole possible range, so the height of a point means the same in every chart of that
score. Time runs left to right in proportion to the dates, with administrations on the same day
set a little apart. role="img" with <title> and <desc> (`describe`); the page puts the same data in
a table beside the chart. Drawn with the site's SVG helpers (`ecomap.core.svg`): every text through
`esc()`, the picture opened with its title and description by `open_svg()`.
"""

from __future__ import annotations

from datetime import date

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ecomap.core.svg import GRID, INK, LINE, MUTED, close_svg, esc, num, open_svg

from .instruments import ScoreDef

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 178, 16, 40
# Pale fills for the bands, alternating, all light enough for dark text (WCAG AA on each).
BAND_FILLS = ("#eef3f8", "#fbf3e4", "#eef6ee", "#f6eef6")
MIN_GAP = 14


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _ticks(low: float, high: float, integer: bool) -> list[float]:
    span = high - low
    for step in (0.5, 1, 2, 5, 10, 20, 50):
        if integer and step < 1:
            continue
        if span / step <= 6:
            break
    first = -(-low // step) * step
    ticks, value = [], first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _xs(dates: list[date]) -> list[float]:
    plot_left, plot_right = LEFT + 10, WIDTH - RIGHT - 10
    if not dates:
        return []
    if len(dates) == 1:
        return [(plot_left + plot_right) / 2]
    first, last = dates[0].toordinal(), dates[-1].toordinal()
    span = last - first
    if span == 0:
        step = (plot_right - plot_left) / (len(dates) - 1)
        return [plot_left + i * step for i in range(len(dates))]
    xs = [plot_left + (d.toordinal() - first) / span * (plot_right - plot_left) for d in dates]
    for i in range(1, len(xs)):
        xs[i] = max(xs[i], xs[i - 1] + MIN_GAP)
    if xs[-1] > plot_right:  # squeeze back inside, keeping the order and the gaps' proportions
        scale = (plot_right - plot_left) / (xs[-1] - plot_left)
        xs = [plot_left + (x - plot_left) * scale for x in xs]
    return xs


def describe(title: str, score: ScoreDef, dated: list[tuple[date, float, str]]) -> str:
    if not dated:
        return _("%(title)s: no completed administrations yet.") % {"title": title}
    (d0, v0, _b0), (d1, v1, b1) = dated[0], dated[-1]
    text = _("%(title)s: %(n)s administrations from %(first)s to %(last)s. First %(v0)s, latest "
             "%(v1)s%(band)s, change %(change)s. Possible range %(low)s to %(high)s.") % {
        "title": title, "n": len(dated), "first": d0.isoformat(), "last": d1.isoformat(),
        "v0": _fmt(v0, score.decimals), "v1": _fmt(v1, score.decimals),
        "band": f" ({b1})" if b1 else "",
        "change": f"{round(v1 - v0, score.decimals):+.{score.decimals}f}",
        "low": score.display(score.low), "high": score.display(score.high)}
    return text


def render(points, score: ScoreDef, *, title: str, id_prefix: str = "chart") -> SafeString:
    """`points`: objects with .administration.administered_on, .value (float or None), .band."""
    dated = [(p.administration.administered_on, float(p.value), p.band)
             for p in points if p.value is not None]
    low, high = float(score.low), float(score.high)
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    plot_right = WIDTH - RIGHT

    def y(value: float) -> float:
        return plot_bottom - (value - low) / ((high - low) or 1) * (plot_bottom - plot_top)

    out = open_svg(WIDTH, HEIGHT, title=title, desc=describe(title, score, dated),
                   id_prefix=id_prefix, extra=f' width="{WIDTH}" height="{HEIGHT}" '
                   'font-family="system-ui, sans-serif" font-size="12"')
    out.append(f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>')
    for index, band in enumerate(score.bands):
        top, bottom = y(float(band.high)), y(float(band.low))
        out.append(f'<rect x="{LEFT}" y="{num(top)}" width="{plot_right - LEFT}" '
                   f'height="{num(max(bottom - top, 1))}" fill="{BAND_FILLS[index % len(BAND_FILLS)]}"'
                   f' data-band="{index}"/>')
        if bottom - top >= 11:
            out.append(f'<text x="{plot_right + 6}" y="{num((top + bottom) / 2 + 4)}" '
                       f'fill="{MUTED}" font-size="11">{esc(_short(band.label))}</text>')
    for tick in _ticks(low, high, score.integer_valued):
        ty = y(tick)
        out.append(f'<line x1="{LEFT}" y1="{num(ty)}" x2="{plot_right}" y2="{num(ty)}" '
                   f'stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{num(ty + 4)}" text-anchor="end" fill="{INK}">'
                   f'{_fmt(tick, 0 if float(tick).is_integer() else 1)}</text>')
    out.append(f'<line x1="{LEFT}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}" '
               f'stroke="{MUTED}" stroke-width="1"/>')
    xs = _xs([d for d, _v, _b in dated])
    if len(dated) > 1:
        path = " ".join(f"{num(x)},{num(y(v))}" for x, (_d, v, _b) in zip(xs, dated, strict=True))
        out.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2.5" '
                   f'stroke-linejoin="round"/>')
    label_every = max(1, -(-len(dated) // 6))
    for i, (x, (d, v, band)) in enumerate(zip(xs, dated, strict=True)):
        tip = f"{d.isoformat()}: {_fmt(v, score.decimals)}" + (f" ({band})" if band else "")
        out.append(f'<g data-point="{i}"><title>{esc(tip)}</title>'
                   f'<circle cx="{num(x)}" cy="{num(y(v))}" r="5" fill="{LINE}" stroke="#ffffff" '
                   f'stroke-width="1.5"/></g>')
        if i % label_every == 0 or i == len(dated) - 1:
            out.append(f'<text x="{num(x)}" y="{plot_bottom + 16}" text-anchor="middle" '
                       f'fill="{INK}" font-size="11">{esc(d.strftime("%Y-%m-%d"))}</text>')
    if not dated:
        out.append(f'<text x="{(LEFT + plot_right) / 2}" y="{(plot_top + plot_bottom) / 2}" '
                   f'text-anchor="middle" fill="{MUTED}">{esc(_("No scores yet"))}</text>')
    out.append(f'<text x="{LEFT}" y="{HEIGHT - 6}" fill="{MUTED}" font-size="11">'
               f'{esc(_("Date given"))}</text>')
    return close_svg(out)


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
