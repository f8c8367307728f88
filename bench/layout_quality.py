"""Layout quality: label collisions and edges through boxes, per example and view.

    python bench/layout_quality.py

Lays out every example (examples/*.yaml, examples/*/*.yaml) and generated orgs of 20, 50 and
120 units (bench/generate.py, a department per 6 units) in five views: default (LR), `--direction
TB`, `--collapse departments`, `--focus` on the worst bottleneck, `--critical-only` (these three
in the direction `icmap render` chooses), each laid out in the variant render draws; counts
with icmap.render.layout what collides in Graphviz's own layout (`-Tjson`). Prints a Markdown
table for docs/render.md; tests/test_render_layout.py checks the same figures.
"""

from __future__ import annotations

import sys
import tempfile
from io import StringIO
from pathlib import Path

from generate import generate

from icmap.analysis.result import Analysis
from icmap.api import analyze, check
from icmap.render import Chart, ViewOptions, view_of
from icmap.render.layout import Layout, Overlaps
from icmap.render.page import best_direction
from icmap.render.variants import choose_layout

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    path.relative_to(REPO).as_posix()
    for path in [*(REPO / "examples").glob("*.yaml"), *(REPO / "examples").glob("*/*.yaml")]
)
GENERATED = (20, 50, 120)
VIEWS = ("default", "TB", "collapse", "focus", "critical")
CASES = [(org, view) for org in EXAMPLES for view in VIEWS] + [
    (f"generated-{n}", view) for n in GENERATED for view in VIEWS
]
_ANALYSES: dict[str, Analysis] = {}


def analysis_of(org: str) -> Analysis:
    """The analysis of an example (its path) or of `generated-N` (written to a temp dir)."""
    if org not in _ANALYSES:
        if org.startswith("generated-"):
            units = int(org.split("-")[1])
            text = StringIO()
            generate(text, units, max(1, units // 6))
            path = Path(tempfile.mkdtemp()) / f"{org}.yaml"
            path.write_text(text.getvalue(), encoding="utf-8")
        else:
            path = REPO / org
        result = check(str(path))
        assert result.org is not None and not result.errors, org
        _ANALYSES[org] = analyze(result.org, graph=result.graph)
    return _ANALYSES[org]


def view_chart(analysis: Analysis, view: str) -> tuple[Chart, str]:
    """The chart of one of the five views and its direction: `default` is the whole chart
    left to right, `TB` top to bottom; the other views in the direction `icmap render`
    draws them in without `--direction` (the one that prints larger on A3 landscape)."""
    worst = analysis.bottlenecks[0].id  # the unit a workshop would focus on
    options = {
        "default": ViewOptions(),
        "TB": ViewOptions(),
        "collapse": ViewOptions(collapse=True),
        "focus": ViewOptions(focus=worst),
        "critical": ViewOptions(critical_only=True),
    }[view]
    chart = view_of(analysis, options)
    if view in ("default", "TB"):
        return chart, "TB" if view == "TB" else "LR"  # the whole chart both ways
    return chart, best_direction(chart)  # the direction `icmap render` chooses for it


def measured(org: str, view: str) -> tuple[Layout, Overlaps, str]:
    """The layout `icmap render` draws for the org and view (the variant it chooses,
    icmap.render.variants), what collides in it, and the variant's lines."""
    chart, direction = view_chart(analysis_of(org), view)
    choice = choose_layout(chart, direction=direction)
    lines = choice.variant.splines + (" + room" if choice.variant.roomier else "")
    return choice.layout, choice.overlaps, lines


def main() -> int:
    """Print one row per org and view."""
    print(
        "| org | view | direction | size (pt) | label on box | label on title | label on label "
        "| edge through box | edge through label | lines |"
    )
    print("|---|---|---|--:|--:|--:|--:|--:|--:|---|")
    for org, view in CASES:
        layout, o, lines = measured(org, view)
        direction = view_chart(analysis_of(org), view)[1]
        print(
            f"| {org} | {view} | {direction} | {layout.width:.0f} × {layout.height:.0f} | {o.label_on_node} "
            f"| {o.label_on_title} | {o.label_on_label} | {o.edge_through_node} "
            f"| {o.edge_through_label} | {lines} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
