"""Server-rendered SVG: the eco-map and every chart are written with these few helpers.

The site's CSP forbids inline styles, so pictures use presentation attributes only. Every picture is
`role="img"` with a <title> and a <desc> (its text alternative), and the page shows the same data as a
table. Text from records (a member's label, a date) always goes through `esc()`, which also drops
characters XML cannot hold, so a label can neither break the document nor inject markup.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe

# Okabe & Ito (2008): a palette told apart with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "black": "#000000",
}
# The site's ink colours (WCAG AA on white): text, muted text, data line, grid, alarm.
INK, MUTED, LINE, GRID, ALARM = "#1b1f23", "#4a5560", "#0b5cad", "#c9d1d9", "#a4262c"

# Characters XML 1.0 cannot hold, even as references (lone surrogates included).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
             # A parser turns these into spaces in an attribute, and \r into \n in text: keep them.
             "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_SPECIAL = re.compile("[&<>\"\t\n\r]")


def esc(text) -> str:
    """Text or attribute value made safe for SVG/XML (quotes included), read back as it was."""
    text = _XML_INVALID.sub("", str(text))
    return _SPECIAL.sub(lambda match: _ENTITIES[match.group()], text)


def num(value: float) -> str:
    """A coordinate with one decimal, without a trailing `.0`."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def open_svg(width: float, height: float, *, title: str, desc: str, id_prefix: str,
             css_class: str = "", extra: str = "") -> list[str]:
    """The opening of an accessible picture: the <svg> element with its <title> and <desc>.

    `id_prefix` makes the ids unique on a page that shows several pictures.
    """
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    attrs = f' class="{esc(css_class)}"' if css_class else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}"{attrs}{extra}>',
        f'<title id="{title_id}">{esc(title)}</title>',
        f'<desc id="{desc_id}">{esc(desc)}</desc>',
    ]


def close_svg(parts: list[str]) -> SafeString:
    """Join the parts into the finished document, marked safe for templates."""
    return mark_safe("".join([*parts, "</svg>"]))  # noqa: S308 - every text went through esc()
