"""The chart as Graphviz DOT text: a pure function, sorted, the same bytes for the same org.

DOT is written by hand rather than through `graphviz.Digraph` so that every byte is under
our control. All text a user wrote goes into HTML-like labels (labels.py escapes it); node
and cluster names in the DOT are ids that match the org format's id pattern, anything else
gets a generated name, so no user text is ever a bare DOT token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from icmap.format import ID_PATTERN
from icmap.render.chart import (
    Chart,
    ChartEdge,
    ChartNode,
    Cluster,
    NodeKind,
    cluster_details,
    tooltip,
    wrap,
)
from icmap.render.flows import FLOWS, LABEL_MARGIN, ROOMIER, Flow, Variant
from icmap.render.labels import edge_label, lines, node_label, styled, title
from icmap.render.theme import FONT, Theme, theme_named

DIRECTIONS = ("LR", "TB")
LARGE = 300  # units in a view above which dot gets settings that trade polish for speed
# Handoffs in a view above which dot gets them too, and their labels are placed after the
# layout (`xlabel`) instead of taking part in it: a 50-box view with 850 labelled handoffs
# (an org of 10,000 roles collapsed by department) took 211 s to lay out; this way, 1 s.
CROWDED = 300
# External customers share the last column up to this many; beyond, each sits after the work
# it gets. dot's cost for one rank of many boxes grows fast: 1,000 customers in one column
# took 25.6 s to lay out, 0.3 s without it.
SINK_CUSTOMERS = 100


def is_crowded(chart: Chart) -> bool:
    """True when the chart has more handoffs than dot lays out with labels in good time."""
    return len(chart.edges) > CROWDED


# Beyond these, even the fast layout takes dot many minutes (measured in docs/benchmarks.md):
# the chart is refused before Graphviz starts, with a suggestion of a smaller view.
MAX_DRAWN_BOXES = 5_000
MAX_DRAWN_HANDOFFS = 20_000


def too_big_to_draw(chart: Chart) -> str:
    """Why the chart is too big for dot to lay out in good time ("" when it is not)."""
    if len(chart.edges) > MAX_DRAWN_HANDOFFS:
        return f"this chart has {len(chart.edges):,} handoffs (at most {MAX_DRAWN_HANDOFFS:,})"
    if len(chart.nodes) > MAX_DRAWN_BOXES:
        return f"this chart has {len(chart.nodes):,} boxes (at most {MAX_DRAWN_BOXES:,})"
    return ""


def wants_fast_layout(chart: Chart) -> bool:
    """True when dot should trade polish for speed: many units, handoffs or customers.

    External customers count as boxes too: 1,000 of them in the last column took dot past
    300 s with the full settings.
    """
    return chart.units > LARGE or is_crowded(chart) or len(chart.nodes) > LARGE


_SAFE_ID = re.compile(ID_PATTERN)


def to_dot(
    chart: Chart,
    *,
    theme: Theme | str = "default",
    direction: str = "LR",
    dpi: float | None = None,
    fast: bool | None = None,
    page: tuple[float, float, float, float] | None = None,
    variant: Variant | None = None,
) -> str:
    """DOT text for a chart: clusters per department, marks per the theme, a title, a legend.

    `dpi` is written into the graph (it sets the pixel size of PNG output). `fast` asks for
    the fast layout (straight lines, labels placed after the layout); by default it is used
    when `wants_fast_layout(chart)`. `page` (the room's width and height and the margins
    left and right, top and bottom, in points) puts the drawing on a page (page.py).
    `variant` is another way of laying it out (variants.py chooses one).
    """
    if fast is None:
        fast = wants_fast_layout(chart)
    if isinstance(theme, str):
        theme = theme_named(theme)
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; choose one of {', '.join(DIRECTIONS)}")
    variant = variant or Variant()
    flow = FLOWS[direction]
    names = _dot_names(n.id for n in chart.nodes)
    cluster_names = _dot_names(c.id for c in chart.clusters)
    out = ["digraph icmap {"]
    graph = _graph_attrs(chart, theme, direction, dpi, fast, page)
    if not fast and variant.splines != "spline":
        graph.append(("splines", variant.splines))
    out.append("  graph [" + _attrs(graph) + "];")
    out.append("  node [" + _attrs(_node_defaults(theme, flow)) + "];")
    out.append("  edge [" + _attrs(_edge_defaults(theme)) + "];")
    backwards = _against_the_flow(chart)
    drawn = [
        _edge(e, i, names, chart, theme, e in backwards, fast, flow)
        for i, e in enumerate(chart.edges, 1)
    ]
    department = {n.id: n.department for n in chart.nodes}
    boxes: dict[str | None, list[str]] = {}
    for edge, (box, _) in zip(chart.edges, drawn, strict=True):
        if box:
            home = department[edge.supplier]
            home = home if home == department[edge.customer] else None
            # On the colour of what is behind it, so a line that passes close stays behind.
            fill = theme.cluster_fill if home else theme.background
            boxes.setdefault(home, []).append(
                _label_box(box, fill, theme, variant.roomier.get(box[0], 0))
            )
    for cluster in chart.clusters:
        members = [n for n in chart.nodes if n.department == cluster.id]
        out.append(f"  subgraph {_quote('cluster_' + cluster_names[cluster.id])} {{")
        out.append("    graph [" + _attrs(_cluster_attrs(cluster, theme, flow)) + "];")
        out.extend(f"    {_node(n, names, chart, theme, flow)}" for n in members)
        out.extend(f"    {box}" for box in boxes.get(cluster.id, ()))
        out.append("  }")
    out.extend(
        f"  {_node(n, names, chart, theme, flow)}" for n in chart.nodes if n.department is None
    )
    out.extend(f"  {box}" for box in boxes.get(None, ()))
    customers = [names[n.id] for n in chart.nodes if n.kind is NodeKind.CUSTOMER]
    if customers and len(customers) <= SINK_CUSTOMERS:
        # The external customers are where value ends up: one column (or row) at the end.
        out.append("  { rank=sink; " + " ".join(_quote(c) + ";" for c in customers) + " }")
    out.extend(f"  {line}" for _, lines in drawn for line in lines)
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_names(ids: Iterable[str]) -> dict[str, str]:
    """DOT names: the id when it is a well-formed id, else `_n<i>` (never a valid id)."""
    return {
        key: key if _SAFE_ID.fullmatch(key) else f"_n{index}" for index, key in enumerate(ids, 1)
    }


def _graph_attrs(
    chart: Chart,
    theme: Theme,
    direction: str,
    dpi: float | None,
    fast: bool,
    page: tuple[float, float, float, float] | None = None,
) -> list[tuple[str, str]]:
    attrs = [
        ("rankdir", direction),
        ("bgcolor", _quote(theme.background)),
        ("fontname", _quote(FONT)),
        ("fontcolor", _quote(theme.text)),
        ("label", f"<{title(chart, theme, FLOWS[direction].legend_beside)}>"),
        ("labelloc", "t"),
        ("labeljust", "l"),
        ("newrank", "true"),
        ("nodesep", _number(FLOWS[direction].nodesep)),
        ("ranksep", _number(FLOWS[direction].ranksep)),
        ("pad", "0.3"),
        ("outputorder", "edgesfirst"),
    ]
    if dpi is not None:
        attrs.append(("dpi", _number(dpi)))
    if page is not None:
        # Scaled down to fit the room when larger (size), centred on the page (the margins
        # page.py worked out): the output is the page's size.
        room_width, room_height, margin_x, margin_y = (side / 72 for side in page)
        attrs = [(k, v) for k, v in attrs if k != "pad"]
        attrs += [
            ("pad", "0"),
            ("margin", _quote(f"{margin_x:.4f},{margin_y:.4f}")),
            ("size", _quote(f"{room_width:.4f},{room_height:.4f}")),
        ]
    if fast:
        # Mainly for supply chains of thousands of stages: straight edges and fewer
        # crossing-minimisation passes keep dot's layout to seconds instead of minutes.
        attrs += [
            ("splines", "line"),
            ("mclimit", "0.2"),
            ("nslimit", "2"),
            ("nslimit1", "2"),
            ("remincross", "false"),
        ]
    return attrs


def _node_defaults(theme: Theme, flow: Flow) -> list[tuple[str, str]]:
    return [
        ("shape", "box"),
        ("style", _quote("rounded,filled")),
        ("fontname", _quote(FONT)),
        ("fontsize", "12"),
        ("fontcolor", _quote(theme.text)),
        ("color", _quote(theme.node_border)),
        ("fillcolor", _quote(theme.node_fill)),
        ("penwidth", "1.2"),
        ("margin", _quote(",".join(_number(side) for side in flow.node_margin))),
    ]


def _edge_defaults(theme: Theme) -> list[tuple[str, str]]:
    return [
        ("fontname", _quote(FONT)),
        ("fontsize", "9"),
        ("fontcolor", _quote(theme.muted)),
        ("color", _quote(theme.edge)),
        ("penwidth", "1.2"),
        ("arrowsize", "0.7"),
    ]


def _cluster_attrs(cluster: Cluster, theme: Theme, flow: Flow) -> list[tuple[str, str]]:
    label = f'<FONT POINT-SIZE="13">{styled("B", lines(wrap(cluster.name, 32))) or " "}</FONT>'
    details = cluster_details(cluster)
    if details:
        small = lines(wrap(details, 48))
        label += f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="9" COLOR="{theme.muted}">{small}</FONT>'
        label += '<BR ALIGN="LEFT"/>'
    attrs = [
        ("label", f"<{label}>"),
        ("style", _quote("rounded,filled")),
        ("fillcolor", _quote(theme.cluster_fill)),
        ("color", _quote(theme.cluster_border)),
        ("fontcolor", _quote(theme.text)),
        ("labeljust", "l"),
        ("margin", str(flow.cluster_margin)),
    ]
    if cluster.description or cluster.owner:
        attrs.append(
            ("tooltip", _escaped(tooltip(cluster.name, cluster.description, cluster.owner)))
        )
    return attrs


def _node(node: ChartNode, names: dict[str, str], chart: Chart, theme: Theme, flow: Flow) -> str:
    label = node_label(node, chart.settings, theme, flow.name_width, flow.across)
    attrs = {"label": f"<{label}>"}
    if node.kind is NodeKind.CUSTOMER:
        # An arrow-like box pointing along the flow: where value leaves the organization.
        attrs |= {
            "shape": "cds",
            "margin": _quote("0.3,0.08"),
            "style": _quote("filled"),
            "fillcolor": _quote(theme.customer_fill),
            "color": _quote(theme.late if node.late else theme.customer_border),
            "fontcolor": _quote(theme.customer_text),
            "penwidth": "2.5" if node.late else "1.5",
        }
    elif node.orphan:
        attrs |= {
            "style": _quote("rounded,filled,dashed"),
            "fillcolor": _quote(theme.orphan_fill),
            "color": _quote(theme.orphan_text),
            "fontcolor": _quote(theme.orphan_text),
        }
    else:
        if node.kind is NodeKind.DEPARTMENT:
            attrs["fillcolor"] = _quote(theme.cluster_fill)
        if node.bottleneck is not None:
            attrs["fillcolor"] = _quote(theme.bottleneck_fill)
        if node.critical:
            attrs |= {"color": _quote(theme.critical), "penwidth": "2.5"}
    if node.spof:
        attrs["peripheries"] = "2"
    if node.description or node.owner:
        attrs["tooltip"] = _escaped(tooltip(node.name, node.description, node.owner))
    return f"{_quote(names[node.id])} [{_attrs(list(attrs.items()))}];"


def _edge(
    edge: ChartEdge,
    index: int,
    names: dict[str, str],
    chart: Chart,
    theme: Theme,
    backwards: bool,
    fast: bool = False,
    flow: Flow | None = None,
) -> tuple[tuple[str, str] | None, list[str]]:
    """The edge as DOT: (its label box's name and label, when it has one; its statements)."""
    flow = flow or FLOWS["LR"]
    label = edge_label(edge, chart.settings, theme, flow.label_width, flow.time_inline)
    attrs: list[tuple[str, str]] = []
    if edge.feedback:
        attrs += [("style", "dashed"), ("color", _quote(theme.feedback))]
        # Feedback must not bend the layout. One that runs back up the stream is written
        # along it, with its arrow at the tail: the rank order it implies already holds, and
        # dot lays it beside the forward handoff with a label of its own (written against
        # the stream with constraint=false, the two lines and labels overlap).
        attrs += [("dir", "back")] if backwards else [("constraint", "false")]
    elif edge.critical:
        # The critical path keeps its one colour even where a handoff also breaches its
        # standard: the red ratio in the label tells that part.
        attrs += [("color", _quote(theme.critical)), ("penwidth", "3"), ("weight", "4")]
    elif edge.breach is not None:
        attrs += [("color", _quote(theme.breach)), ("penwidth", "2")]
        if theme.breach_style != "solid":
            attrs.append(("style", theme.breach_style))
    tail, head = (edge.customer, edge.supplier) if backwards else (edge.supplier, edge.customer)
    ends = (_quote(names[tail]), _quote(names[head]))
    flat = edge.feedback and not backwards
    if label and not fast:
        # The label is a box of its own on the line, tail -> label -> head: dot keeps boxes
        # apart and routes lines around them, so no label sits on a box, a title or another
        # label (as a plain edge label, dot placed some across others).
        box = f"_e{index}"
        plain = [a for a in attrs if a[0] not in ("dir", "constraint")]
        if flat:
            # Feedback against the stream must not bend the layout: its box stands beside
            # the tail, in the same rank, and the second half does not constrain. (A label
            # of an edge joining two boxes of one rank made dot abort in mincross.c
            # fixLabelOrder on some graphs; a box of its own has no such label.)
            return (box, label), [
                f"{ends[0]} -> {_quote(box)} [{_attrs([*plain, ('dir', 'none')])}];",
                f"{_quote(box)} -> {ends[1]} [{_attrs([*plain, ('constraint', 'false')])}];",
                f"{{ rank=same; {ends[0]}; {_quote(box)}; }}",
            ]
        first = [*plain, ("dir", "back" if backwards else "none")]
        second = [*plain, *([("dir", "none")] if backwards else [])]
        return (box, label), [
            f"{ends[0]} -> {_quote(box)} [{_attrs(first)}];",
            f"{_quote(box)} -> {ends[1]}" + (f" [{_attrs(second)}];" if second else ";"),
        ]
    # In the fast layout, labels are placed after the layout (xlabel): laid out as part of
    # it, labels on hundreds of edges are what make dot slow.
    if label:
        attrs.insert(0, ("xlabel", f"<{label}>"))
    line = f"{ends[0]} -> {ends[1]}"
    return None, [f"{line} [{_attrs(attrs)}];" if attrs else f"{line};"]


def _label_box(box: tuple[str, str], fill: str, theme: Theme, roomier: int = 0) -> str:
    """The statement of an edge label's own box: borderless, on the colour behind it, as
    small as its text (a node's default least size, 0.75 x 0.5 inch, made every label rank
    at least 36 pt tall or 54 pt wide), with `roomier` steps more room round the text."""
    name, label = box
    room_x, room_y = (side + ROOMIER * roomier for side in LABEL_MARGIN)
    attrs = [
        ("class", _quote("label")),  # in SVG: <g class="node label">, told apart from units
        ("shape", "box"),
        ("style", "filled"),
        ("penwidth", "0"),
        ("fillcolor", _quote(fill)),
        # The edge label's font and colour (a box would take the units' 12 pt).
        ("fontsize", "9"),
        ("fontcolor", _quote(theme.muted)),
        ("width", "0"),
        ("height", "0"),
        ("margin", _quote(f"{room_x:.2f},{room_y:.2f}")),
        ("label", f"<{label}>"),
    ]
    return f"{_quote(name)} [{_attrs(attrs)}];"


def _against_the_flow(chart: Chart) -> set[ChartEdge]:
    """Feedback edges whose supplier lies at a later step of the flow than their customer.

    The step of a box is its longest distance, in handoffs, from the start of the flow (a
    collapsed view may have loops between departments: the handoff that closes one is left
    out, as dot does). Drawing such feedback along the flow keeps dot's ranks valid. Linear in
    the chart: asking, per feedback edge, whether its supplier is reachable was quadratic
    (16,000 feedback edges took 103 s).
    """
    step = _steps(chart)
    return {e for e in chart.edges if e.feedback and step[e.supplier] > step[e.customer]}


def _steps(chart: Chart) -> dict[str, int]:
    """Longest distance of each node from a node nobody supplies, over forward handoffs."""
    downstream: dict[str, list[str]] = {n.id: [] for n in chart.nodes}
    for edge in chart.edges:
        if not edge.feedback:
            downstream[edge.supplier].append(edge.customer)
    # Depth-first, without recursion: the finishing order reversed is a topological order
    # of the handoffs that close no loop.
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    order: list[str] = []
    kept: dict[str, list[str]] = {key: [] for key in downstream}
    for root in downstream:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(downstream[root]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                seen = state.get(child)
                if seen == 1:
                    continue  # closes a loop
                kept[node].append(child)
                if seen is None:
                    state[child] = 1
                    stack.append((child, iter(downstream[child])))
                    break
            else:
                state[node] = 2
                order.append(node)
                stack.pop()
    step = dict.fromkeys(downstream, 0)
    for node in reversed(order):
        for child in kept[node]:
            step[child] = max(step[child], step[node] + 1)
    return step


def _escaped(text: str) -> str:
    """User text as a quoted DOT string of Graphviz's escString kind (tooltip).

    A backslash is read twice: DOT's reader makes `\\\\` one `\\`, then Graphviz expands
    `\\N`, `\\G`... and makes `\\\\` one `\\`: so each becomes four. `\\n` (ours) breaks
    the line.
    """
    lines = [line.replace("\\", "\\" * 4).replace('"', '\\"') for line in text.split("\n")]
    return '"' + "\\n".join(lines) + '"'


def _quote(text: str) -> str:
    """A DOT quoted string for text that is ours or a well-formed id (no backslashes)."""
    return '"' + text.replace('"', '\\"') + '"'


def _number(value: float) -> str:
    return f"{value:g}"


def _attrs(attrs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{key}={value}" for key, value in attrs)
