"""Charts of an analysed org: views (what to show), DOT and Mermaid text, drawn images.

chart = view_of(analysis, ViewOptions(customer="patient"))
dot = to_dot(chart, theme="print", direction="LR")
png = draw(dot, "png")
"""

from __future__ import annotations

from icmap.render.chart import Chart, ChartEdge, ChartNode, NodeKind, chart_of
from icmap.render.dot import (
    CROWDED,
    DIRECTIONS,
    LARGE,
    is_crowded,
    to_dot,
    too_big_to_draw,
    wants_fast_layout,
)
from icmap.render.engine import (
    IMAGE_FORMATS,
    DrawFailed,
    Drawing,
    EngineMissing,
    LayoutCrashed,
    draw,
    drawing,
    engine_name,
)
from icmap.render.mermaid import to_markdown, to_mermaid
from icmap.render.theme import THEMES, Theme, theme_named
from icmap.render.views import UnknownId, ViewOptions, view_of

__all__ = [
    "CROWDED",
    "DIRECTIONS",
    "IMAGE_FORMATS",
    "LARGE",
    "THEMES",
    "Chart",
    "ChartEdge",
    "ChartNode",
    "DrawFailed",
    "Drawing",
    "EngineMissing",
    "LayoutCrashed",
    "NodeKind",
    "Theme",
    "UnknownId",
    "ViewOptions",
    "chart_of",
    "draw",
    "drawing",
    "engine_name",
    "is_crowded",
    "theme_named",
    "to_dot",
    "to_markdown",
    "to_mermaid",
    "too_big_to_draw",
    "view_of",
    "wants_fast_layout",
]
