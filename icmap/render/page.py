"""Charts laid out for a printed page: which direction fits better, how far the drawing is
scaled down, and whether its smallest text is still readable at that size.
"""

from __future__ import annotations

from dataclasses import dataclass

from icmap.render.chart import Chart
from icmap.render.dot import DIRECTIONS, to_dot, wants_fast_layout
from icmap.render.engine import LayoutCrashed
from icmap.render.flows import Variant
from icmap.render.layout import Layout, layout_of
from icmap.render.theme import Theme
from icmap.render.variants import choose_layout

# Portrait width and height in points (ISO 216 and ANSI sizes).
PAGES: dict[str, tuple[float, float]] = {
    "A4": (595.28, 841.89),
    "A3": (841.89, 1190.55),
    "A2": (1190.55, 1683.78),
    "A1": (1683.78, 2383.94),
    "letter": (612.0, 792.0),
    "tabloid": (792.0, 1224.0),
}
BIGGER = {"A4": "A3", "A3": "A2", "A2": "A1", "letter": "tabloid"}
READABLE = 7.0  # points: the smallest text a printed chart should have
PAGE_MARGIN = 28.35  # points (1 cm) left blank on each side at least: printers need some
# Graphviz rounds the page up or down to whole points; this much more margin on each side
# keeps it from coming out a point short.
ROUNDING = 0.25


@dataclass(frozen=True, slots=True)
class PageFit:
    """How a chart fits a page."""

    page: str
    landscape: bool
    direction: str
    scale: float  # the drawing's size on paper / its laid-out size (at most 1)
    smallest: float  # the smallest text as printed, in points

    @property
    def readable(self) -> bool:
        """True when the smallest text prints at READABLE points or more."""
        return self.smallest >= READABLE - 1e-9

    @property
    def size(self) -> tuple[float, float]:
        """The page's width and height in points, as oriented."""
        return page_size(self.page, self.landscape)

    def advice(self) -> str:
        """What to say when the chart is not readable on this page."""
        side = "landscape" if self.landscape else "portrait"
        bigger = f" or a bigger page (--page {BIGGER[self.page]})" if self.page in BIGGER else ""
        return (
            f"on {self.page} {side} the smallest text of this chart prints at "
            f"{self.smallest:.1f} pt (it is laid out at {self.scale:.0%} of its size; "
            f"{READABLE:g} pt is needed to read it); try --collapse departments, --focus ID"
            f"{bigger}"
        )


def page_size(page: str, landscape: bool) -> tuple[float, float]:
    """Width and height in points of a page in PAGES, turned for landscape."""
    width, height = PAGES[page]
    return (height, width) if landscape else (width, height)


def best_direction(
    chart: Chart, *, theme: Theme | str = "default", page: str = "A3", landscape: bool = True
) -> str:
    """The direction whose drawing prints larger on the page (A3 landscape unless told):
    what `icmap render` draws without `--direction` or `--page`. Left to right on a tie,
    for a chart of the fast layout (it is not laid out twice to choose), and when Graphviz
    crashes both ways; the other one when it crashes on one."""
    if wants_fast_layout(chart):
        return "LR"
    width, height = page_size(page, landscape)
    room = (width - 2 * PAGE_MARGIN, height - 2 * PAGE_MARGIN)

    def printed(direction: str) -> float:
        # The plain variant: the others draw lines differently, not the boxes' places.
        try:
            layout = layout_of(to_dot(chart, theme=theme, direction=direction))
        except LayoutCrashed:
            return -1.0  # Graphviz stops on this one (mincross, on some charts): the other
        return layout.smallest_font * min(1.0, room[0] / layout.width, room[1] / layout.height)

    return max(DIRECTIONS, key=printed)  # the first of the best: LR on a tie


def fit_to_page(
    chart: Chart,
    page: str,
    *,
    landscape: bool = True,
    direction: str | None = None,
    theme: Theme | str = "default",
    fast: bool | None = None,
    dpi: float | None = None,
) -> tuple[str, PageFit]:
    """The DOT of the chart laid out for the page, and how it fits.

    Without `direction`, both are laid out and the one whose smallest text prints larger is
    chosen (left-to-right on a tie). Each is laid out as `icmap render` draws it: the variant
    with no collisions (variants.py) unless the fast layout is used.
    """
    width, height = page_size(page, landscape)
    room = (width - 2 * PAGE_MARGIN, height - 2 * PAGE_MARGIN)
    fits: list[tuple[PageFit, float, float, Variant]] = []
    candidates = [direction] if direction else list(DIRECTIONS)
    for candidate in candidates:
        try:
            variant, layout = _laid_out(chart, theme, candidate, fast)
        except LayoutCrashed:
            if candidate == candidates[-1] and not fits:
                raise  # every direction: the caller draws with the fast layout
            continue  # Graphviz stops on this direction: the other one
        scale = min(1.0, room[0] / layout.width, room[1] / layout.height)
        fit = PageFit(page, landscape, candidate, scale, layout.smallest_font * scale)
        fits.append((fit, layout.width * scale, layout.height * scale, variant))
    best, drawn_width, drawn_height, variant = max(fits, key=lambda f: f[0].smallest)  # LR on a tie
    margins = ((width - drawn_width) / 2 + ROUNDING, (height - drawn_height) / 2 + ROUNDING)
    setting = (*room, *margins)
    dot = to_dot(
        chart,
        theme=theme,
        direction=best.direction,
        dpi=dpi,
        fast=fast,
        page=setting,
        variant=variant,
    )
    return dot, best


def _laid_out(
    chart: Chart, theme: Theme | str, direction: str, fast: bool | None
) -> tuple[Variant, Layout]:
    """The variant the chart is drawn with in this direction, and its layout."""
    if fast or (fast is None and wants_fast_layout(chart)):
        return Variant(), layout_of(to_dot(chart, theme=theme, direction=direction, fast=fast))
    choice = choose_layout(chart, theme=theme, direction=direction)
    return choice.variant, choice.layout
