"""Layout quality, measured on Graphviz's own layout (`-Tjson`): labels that collide with
boxes, titles or each other, and edges that run through boxes or labels not their own; and
the variants a chart is laid out in until none does.

Every example in every view and generated orgs of 20, 50 and 120 units are laid out by the
Graphviz of the pygraphviz wheel; the figures per view are in docs/render.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from icmap.render.dot import to_dot
from icmap.render.flows import Variant
from icmap.render.layout import Box, EdgeShape, Layout, Overlaps, layout_of, overlaps
from icmap.render.variants import choose_layout, chosen_variant

REPO = Path(__file__).resolve().parent.parent


def test_overlaps_counted_by_hand() -> None:
    # Units a (0..100 x 0..40), b (100..200 x 0..40), c (300..340 x 40..60), three labels
    # L1 (50..90 x 45..55), L2 (90..130 x 30..50), L3 (120..160 x 45..60); an edge a -> b at
    # y = 20 from x = 50 to 150 with label L1, and an unlabelled edge a -> c at y = 50.
    nodes = {"a": Box(0, 0, 100, 40), "b": Box(100, 0, 200, 40), "c": Box(300, 40, 340, 60)}
    labels = [Box(50, 45, 90, 55), Box(90, 30, 130, 50), Box(120, 45, 160, 60)]
    edges = (
        EdgeShape("a", "b", ((50.0, 20.0), (150.0, 20.0)), labels[0]),
        EdgeShape("b", "b", (), labels[1]),
        EdgeShape("c", "c", (), labels[2]),
        EdgeShape("a", "c", ((50.0, 50.0), (300.0, 50.0)), None),
    )
    layout = Layout(340, 60, nodes, {}, None, edges)
    # label on node: L2 reaches into a (x 90 < 100, y 30 < 40) and into b: 2; L1 starts at
    # y = 45 above a's top (40). Label on label: L2 and L3 share 120..130 x 45..50: 1 (L1 and
    # L2 only touch at x = 90). Through a label: y = 50 is more than 2 pt inside L1 (45..55)
    # and L3 (45..60) but on L2's edge (30..50): 2. Through a node: y = 50 misses a and b
    # (0..40) and c is the edge's own end: 0.
    assert overlaps(layout) == Overlaps(
        label_on_node=2, label_on_label=1, edge_through_node=0, edge_through_label=2
    )


def test_a_real_layout_is_read_back() -> None:
    # Two boxes of 1 x 0.5 inch (72 x 36 pt) one rank apart, a label box between them.
    dot = (
        "digraph { node [shape=box, width=1, height=0.5, fixedsize=true];"
        ' _e1 [shape=box, label="hello", fontsize=9]; a -> _e1; _e1 -> b; }'
    )
    layout = layout_of(dot)
    assert sorted(layout.nodes) == ["a", "b"]
    assert layout.nodes["a"].x1 - layout.nodes["a"].x0 == pytest.approx(72)
    assert layout.nodes["a"].y1 - layout.nodes["a"].y0 == pytest.approx(36)
    (edge,) = layout.edges
    assert (edge.tail, edge.head, edge.label_box) == ("a", "b", "_e1")
    assert edge.label is not None and edge.label.y1 < layout.nodes["a"].y0
    assert layout.smallest_font == 9.0
    assert overlaps(layout).total == 0


def _quality() -> ModuleType:
    """bench/layout_quality.py, imported by path (bench/ is scripts, not a package)."""
    if "layout_quality" not in sys.modules:
        sys.path.insert(0, str(REPO / "bench"))  # for its `from generate import ...`
        spec = importlib.util.spec_from_file_location(
            "layout_quality", REPO / "bench" / "layout_quality.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["layout_quality"] = module
        spec.loader.exec_module(module)
    return sys.modules["layout_quality"]


CASES = _quality().CASES


@pytest.mark.parametrize(("org", "view"), CASES)
def test_nothing_collides_in_the_layout_render_draws(org: str, view: str) -> None:
    # The layout of the variant `icmap render` chooses (icmap.render.variants): no label on
    # a box, a title or another label, no line through a box or a label not its own.
    layout, found, _ = _quality().measured(org, view)
    assert found == Overlaps(), (org, view, found)
    assert layout.width > 0 and layout.height > 0


def test_the_plain_variant_is_kept_when_nothing_collides() -> None:
    # The clinic left to right: dot's own curved lines have no collision (docs/render.md), so
    # no other variant is tried and the plain one is drawn.
    chart, direction = _quality().view_chart(
        _quality().analysis_of("examples/clinic.yaml"), "default"
    )
    choice = choose_layout(chart, direction=direction)
    assert (choice.variant, choice.overlaps) == (Variant(), Overlaps())
    assert chosen_variant(chart, direction=direction) == Variant()


def test_a_variant_draws_lines_its_own_way() -> None:
    # The manufacturer top to bottom: curved and straight lines both cut through a box or a
    # label (a feedback line, a parallel handoff), so right-angled lines are chosen and
    # written into the DOT.
    quality = _quality()
    chart, direction = quality.view_chart(quality.analysis_of("examples/manufacturer.yaml"), "TB")
    plain = overlaps(layout_of(to_dot(chart, direction=direction)))
    straight = overlaps(layout_of(to_dot(chart, direction=direction, variant=Variant("polyline"))))
    assert plain.total > 0 and straight.total > 0
    choice = choose_layout(chart, direction=direction)
    assert (choice.variant, choice.overlaps) == (Variant(splines="ortho"), Overlaps())
    assert "splines=ortho" in to_dot(chart, direction=direction, variant=choice.variant)
    assert "splines=" not in to_dot(chart, direction=direction)
