"""The eco-map's public names in one place, for callers that want the picture, its words and its
geometry together (the tests, the PDF): the work is done in `ecomap_layout` (geometry and the
comparison of two networks), `ecomap_drawing` (the SVG) and `ecomap_text` (the text alternative)."""

from .ecomap_drawing import SECTOR_COLOURS, render
from .ecomap_layout import (
    CX,
    CY,
    EGO_R,
    EQUAL_SHARE,
    GLYPH,
    HEIGHT,
    MAX_LABEL,
    OUTER_R,
    RINGS,
    SECTORS,
    STATUS_ADDED,
    STATUS_CONTACT,
    STATUS_GONE,
    STATUS_MOVED_IN,
    STATUS_MOVED_OUT,
    STATUS_VALENCE,
    WIDTH,
    Layout,
    NetworkDiff,
    diff,
    layout,
    sector_spans,
    tie_strength,
)
from .ecomap_text import describe, text_alternative

__all__ = [
    "CX", "CY", "EGO_R", "EQUAL_SHARE", "GLYPH", "HEIGHT", "MAX_LABEL", "OUTER_R", "RINGS",
    "SECTORS", "SECTOR_COLOURS", "STATUS_ADDED", "STATUS_CONTACT", "STATUS_GONE", "STATUS_MOVED_IN",
    "STATUS_MOVED_OUT", "STATUS_VALENCE", "WIDTH", "Layout", "NetworkDiff", "describe", "diff",
    "layout", "render", "sector_spans", "text_alternative", "tie_strength",
]
