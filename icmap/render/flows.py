"""How a chart is shaped for a direction (wrapping, badges, separations) and the variants it
can be laid out in: plain settings, read by dot.py; variants.py chooses among the variants.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Flow:
    """How text is shaped for a direction: along the flow, every box's size in that
    direction adds up over the ranks (a column's width left to right, a row's height top to
    bottom), across it the boxes of a rank stand side by side."""

    name_width: int  # characters per line of a name
    label_width: int  # ... of what a handoff provides
    across: bool  # badges side by side and a box's figures on one line, instead of stacked
    time_inline: bool  # a handoff's time at the end of its label's last line, when it fits
    ranksep: float  # inches between ranks
    nodesep: float = 0.35  # inches between boxes of a rank
    legend_beside: bool = False  # the legend beside the title's lines instead of under them
    cluster_margin: int = 12  # points between a department's boxes and its border
    node_margin: tuple[float, float] = (0.12, 0.06)  # inches round a unit's text


FLOWS = {
    # Left to right, a chart is as wide as its columns: names and labels wrapped narrow.
    "LR": Flow(16, 16, across=False, time_inline=False, ranksep=0.25),
    # Top to bottom, as tall as its rows: one-line names, wide labels, badges in a row.
    "TB": Flow(
        36,
        64,
        across=True,
        time_inline=True,
        ranksep=0.1,
        nodesep=0.15,
        legend_beside=True,
        cluster_margin=8,
        node_margin=(0.12, 0.03),
    ),
}
LABEL_MARGIN = (0.04, 0.02)  # inches of room around an edge label's text in its box
ROOMIER = 0.15  # inches more room, per step, round a label a line ran through (Variant)


@dataclass(frozen=True, slots=True)
class Variant:
    """One of the few ways a chart is laid out when the first way has collisions
    (variants.py): how lines are drawn, and labels given more room round their text."""

    splines: str = "spline"  # Graphviz's `splines`: spline, polyline or ortho
    roomier: dict[str, int] = field(default_factory=dict)  # label box name -> steps
