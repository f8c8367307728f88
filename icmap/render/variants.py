"""Choosing how a chart is laid out: a few deterministic variants, tried in a fixed order,
and the first whose layout has no collision (counted by layout.py) is drawn.

dot's spline router goes round boxes in the ranks a line crosses, but now and then cuts the
corner of a label beside them or runs through a box next to the line's own end; which
charts it does that on changes with small changes to the layout. So a chart is laid out the
plain way first (curved lines), then with straight segments (polyline), then, for small
charts, with right-angled lines (ortho, which never runs through a box but costs seconds on
a large chart), then with more room round the labels that lines ran through. Same chart, same
variants, same choice: the output stays deterministic. Charts that use the fast layout
(dot.wants_fast_layout) are laid out once: they must not pay for retries.
"""

from __future__ import annotations

from dataclasses import dataclass

from icmap.render.chart import Chart
from icmap.render.dot import to_dot, wants_fast_layout
from icmap.render.engine import LayoutCrashed
from icmap.render.flows import Variant
from icmap.render.layout import Layout, Overlaps, layout_of, overlaps, struck_labels
from icmap.render.theme import Theme

ROOMIER_ROUNDS = 3  # layouts with more room round struck labels, after the first two
# Units, customers and handoffs up to which ortho is tried: 42 (the clinic) took 0.5 s, 150
# (a generated org of 50 units) 2.4 s, 365 (120 units) 23 s.
ORTHO_BOXES = 100


@dataclass(frozen=True, slots=True)
class Choice:
    """The variant a chart is drawn with, its layout and what still collides in it."""

    variant: Variant
    layout: Layout
    overlaps: Overlaps


def choose_layout(chart: Chart, *, theme: Theme | str = "default", direction: str = "LR") -> Choice:
    """The first variant whose layout has no collision, else the one with the fewest
    (the earliest of those). Raises LayoutCrashed when Graphviz crashed on every one."""
    tried: list[Choice] = []
    crashes: list[LayoutCrashed] = []

    def attempt(variant: Variant) -> Choice | None:
        try:
            layout = layout_of(to_dot(chart, theme=theme, direction=direction, variant=variant))
        except LayoutCrashed as exc:
            crashes.append(exc)
            return None
        tried.append(Choice(variant, layout, overlaps(layout)))
        return tried[-1]

    # Right-angled lines (ortho) come before more room: they keep the layout's size (a page
    # fit depends on it) but cost seconds on a large chart, so only small ones get them.
    small = len(chart.nodes) + len(chart.edges) <= ORTHO_BOXES
    lines = ("spline", "polyline", "ortho") if small else ("spline", "polyline")
    for splines in lines:
        choice = attempt(Variant(splines=splines))
        if choice is not None and choice.overlaps.total == 0:
            return choice
    # More room round the labels lines ran through, with straight segments (they cut fewer
    # corners than curves): each round adds a step of room round every label struck in the
    # round before.
    last = next((c for c in tried if c.variant.splines == "polyline"), None)
    roomier: dict[str, int] = {}
    for _ in range(ROOMIER_ROUNDS):
        if last is None or not last.overlaps.edge_through_label:
            break
        for name in struck_labels(last.layout):
            roomier[name] = roomier.get(name, 0) + 1
        last = attempt(Variant(splines="polyline", roomier=dict(sorted(roomier.items()))))
        if last is not None and last.overlaps.total == 0:
            return last
    if not tried:
        raise crashes[0]
    return min(tried, key=lambda c: c.overlaps.total)  # the earliest of the best


def chosen_variant(
    chart: Chart, *, theme: Theme | str = "default", direction: str = "LR"
) -> Variant:
    """The variant to draw the chart with: the plain one for the fast layout (no retries),
    and when Graphviz crashed on every variant (drawing it then says so, as before)."""
    if wants_fast_layout(chart):
        return Variant()
    try:
        return choose_layout(chart, theme=theme, direction=direction).variant
    except LayoutCrashed:
        return Variant()
