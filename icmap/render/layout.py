"""Where Graphviz put things: boxes of nodes, labels and cluster titles read from its JSON
layout, the overlaps between them, and the smallest text, for tests and page fitting.

All coordinates are points (1/72 inch) in Graphviz's layout space, y upwards.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from icmap.render.engine import LAYOUT_FORMAT, drawing

SAMPLES = 16  # points per Bézier segment when asking whether an edge crosses a box
INSIDE = 2.0  # points: an edge must run this far inside a box to count as passing through it
LABEL_BOX = "_e"  # names of the boxes dot.py draws edge labels in: `_e1`, `_e2`...


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """True when the two rectangles share some area (touching edges do not count)."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def holds(self, x: float, y: float, inset: float = 0.0) -> bool:
        """True when (x, y) lies inside the rectangle shrunk by `inset` on every side."""
        return self.x0 + inset < x < self.x1 - inset and self.y0 + inset < y < self.y1 - inset


@dataclass(frozen=True, slots=True)
class EdgeShape:
    """One drawn edge: its ends (node names), its spline points and its label's box."""

    tail: str
    head: str
    points: tuple[tuple[float, float], ...]
    label: Box | None
    label_box: str = ""  # the name of the label's own box, when it has one


@dataclass(frozen=True, slots=True)
class Layout:
    """The laid-out chart: its size, boxes and edges, and every font size used in it."""

    width: float
    height: float
    nodes: dict[str, Box]
    clusters: dict[str, Box]  # the cluster's title
    title: Box | None  # the chart's title and legend
    edges: tuple[EdgeShape, ...]
    font_sizes: tuple[float, ...] = field(default=())

    @property
    def smallest_font(self) -> float:
        """The smallest font size of any text in the chart, in points at layout size."""
        return min(self.font_sizes, default=0.0)


@dataclass(frozen=True, slots=True)
class Overlaps:
    """Counts of what a reader would see as a collision."""

    label_on_node: int = 0  # an edge label's box intersects a node's box
    label_on_title: int = 0  # ... a cluster title or the chart's title
    label_on_label: int = 0  # two edge labels intersect
    edge_through_node: int = 0  # an edge runs through a node that is not one of its ends
    edge_through_label: int = 0  # an edge strikes through another edge's label

    @property
    def total(self) -> int:
        """All collisions together."""
        return (
            self.label_on_node
            + self.label_on_title
            + self.label_on_label
            + self.edge_through_node
            + self.edge_through_label
        )


def layout_of(dot: str) -> Layout:
    """Lay the DOT out with Graphviz and read where everything went."""
    return read_layout(json.loads(drawing(dot, LAYOUT_FORMAT).data))


def read_layout(data: dict[str, Any]) -> Layout:
    """A Layout from Graphviz's `-Tjson` output (parsed).

    A label drawn as a box of its own (dot.py writes `tail -> _eN -> head`) is read back as
    the label of one edge from tail to head; its box is the text it holds.
    """
    fonts: list[float] = []
    nodes: dict[str, Box] = {}
    names: dict[int, str] = {}
    clusters: dict[str, Box] = {}
    label_boxes: dict[str, Box | None] = {}
    for obj in data.get("objects", []):
        fonts += _font_sizes(obj.get("_ldraw_"))
        if "nodes" in obj or "bb" in obj:  # a cluster
            if "lp" in obj and obj.get("lwidth"):
                clusters[obj["name"]] = _centred(obj["lp"], obj["lwidth"], obj["lheight"])
            continue
        names[obj["_gvid"]] = obj["name"]
        if obj["name"].startswith(LABEL_BOX):
            label_boxes[obj["name"]] = _text_box(obj.get("_ldraw_"))
        else:
            nodes[obj["name"]] = _centred(obj["pos"], obj["width"], obj["height"])
    edges: list[EdgeShape] = []
    halves: dict[str, list[tuple[str, str, tuple[tuple[float, float], ...]]]] = {}
    for edge in data.get("edges", []):
        tail, head = names[edge["tail"]], names[edge["head"]]
        points = _spline(edge.get("pos", ""))
        box = tail if tail in label_boxes else head if head in label_boxes else None
        if box is not None:
            halves.setdefault(box, []).append((tail, head, points))
            continue
        label = None
        for key in ("_ldraw_", "_hldraw_", "_tldraw_"):
            fonts += _font_sizes(edge.get(key))
            if key == "_ldraw_":
                label = _text_box(edge.get(key))
        edges.append(EdgeShape(tail, head, points, label))
    for box, parts in sorted(halves.items()):
        ends = [t for t, _, _ in parts if t != box] + [h for _, h, _ in parts if h != box]
        points = tuple(p for _, _, part in parts for p in part)
        edges.append(EdgeShape(ends[0], ends[-1], points, label_boxes[box], box))
    fonts += _font_sizes(data.get("_ldraw_"))
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    title = _text_box(data.get("_ldraw_"))
    return Layout(x1 - x0, y1 - y0, nodes, clusters, title, tuple(edges), tuple(fonts))


def overlaps(layout: Layout) -> Overlaps:
    """Count label collisions, edges through boxes that are not their ends, and edges that
    strike through another edge's label."""
    labels = [e.label for e in layout.edges if e.label is not None]
    on_node = sum(label.overlaps(box) for label in labels for box in layout.nodes.values())
    titles = [*layout.clusters.values(), *([layout.title] if layout.title else [])]
    on_title = sum(label.overlaps(box) for label in labels for box in titles)
    on_label = sum(
        labels[i].overlaps(labels[j]) for i in range(len(labels)) for j in range(i + 1, len(labels))
    )
    through = struck = 0
    for _, other in _collisions(layout):
        if isinstance(other, str):
            through += 1
        else:
            struck += 1
    return Overlaps(on_node, on_title, on_label, through, struck)


def struck_labels(layout: Layout) -> set[str]:
    """The names of the label boxes that some other edge strikes through."""
    return {
        other.label_box
        for _, other in _collisions(layout)
        if isinstance(other, EdgeShape) and other.label_box
    }


def _collisions(layout: Layout) -> Iterator[tuple[EdgeShape, str | EdgeShape]]:
    """(edge, the node it runs through) and (edge, the other edge whose label it strikes)."""
    for edge in layout.edges:
        points = _sampled(edge.points)
        if not points:
            continue
        # Only boxes that meet the edge's bounding box can hold one of its points: checking
        # those alone keeps a chart of 240 handoffs to a fraction of a second.
        reach = Box(
            min(x for x, _ in points),
            min(y for _, y in points),
            max(x for x, _ in points),
            max(y for _, y in points),
        )
        for name, box in layout.nodes.items():
            if (
                name not in (edge.tail, edge.head)
                and box.overlaps(reach)
                and any(box.holds(x, y, INSIDE) for x, y in points)
            ):
                yield edge, name
        for other in layout.edges:
            label = other.label
            if (
                other is not edge
                and label
                and label.overlaps(reach)
                and any(label.holds(x, y, INSIDE) for x, y in points)
            ):
                yield edge, other


def _centred(pos: str, width: str | float, height: str | float) -> Box:
    """A box from a centre `x,y` in points and a size in inches."""
    x, y = (float(v) for v in str(pos).split(",")[:2])
    w, h = float(width) * 36.0, float(height) * 36.0  # half, in points
    return Box(x - w, y - h, x + w, y + h)


def _ops(value: Any) -> list[dict[str, Any]]:
    """xdot drawing operations; pygraphviz gives them as a list or as its printed form."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value:
        import ast

        parsed = ast.literal_eval(value)
        return parsed if isinstance(parsed, list) else []
    return []


def _font_sizes(value: Any) -> list[float]:
    """The size of the font of every piece of text the operations draw."""
    sizes, size = [], 14.0
    for op in _ops(value):
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T" and str(op.get("text", "")).strip():
            sizes.append(size)
    return sizes


def _text_box(value: Any) -> Box | None:
    """The box around all the text the operations draw (baseline to cap height)."""
    boxes, size = [], 14.0
    for op in _ops(value):
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T" and str(op.get("text", "")).strip():
            x, y = (float(v) for v in op["pt"])
            width = float(op["width"])
            start = {"l": x, "c": x - width / 2, "r": x - width}[op.get("align", "c")]
            boxes.append(Box(start, y - 0.25 * size, start + width, y + 0.8 * size))
    if not boxes:
        return None
    return Box(
        min(b.x0 for b in boxes),
        min(b.y0 for b in boxes),
        max(b.x1 for b in boxes),
        max(b.y1 for b in boxes),
    )


def _spline(pos: str) -> tuple[tuple[float, float], ...]:
    """The Bézier control points of an edge's `pos` (arrow end points left out)."""
    points = []
    for part in pos.split():
        if part.startswith(("e,", "s,")):
            continue
        x, y = part.split(",")[:2]
        points.append((float(x), float(y)))
    return tuple(points)


def _sampled(points: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    """Points along a cubic B-spline given as Graphviz control points (1 + 3n of them)."""
    out = []
    for start in range(0, len(points) - 3, 3):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = points[start : start + 4]
        for step in range(SAMPLES + 1):
            t = step / SAMPLES
            u = 1 - t
            out.append(
                (
                    u * u * u * ax + 3 * u * u * t * bx + 3 * u * t * t * cx + t * t * t * dx,
                    u * u * u * ay + 3 * u * u * t * by + 3 * u * t * t * cy + t * t * t * dy,
                )
            )
    if len(points) < 4:  # a straight line (splines=line gives two points)
        out.extend(_line(points))
    return out


def _line(points: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    out = []
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        out += [
            (ax + (bx - ax) * k / SAMPLES, ay + (by - ay) * k / SAMPLES) for k in range(SAMPLES + 1)
        ]
    return out
