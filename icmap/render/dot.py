"""The chart as Graphviz DOT text: a pure function, sorted, the same bytes for the same org.

DOT is written by hand rather than through `graphviz.Digraph` so that every byte is under
our control. All text a user wrote goes into HTML-like labels, escaped as XML (so angle
brackets, quotes and ampersands can neither close a label nor reach SVG as markup) and with
backslashes doubled (Graphviz expands `\\N`, `\\G`... even there). Node names in the
DOT are ids that match the org format's id pattern; anything else gets a generated name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from icmap.format import ID_PATTERN
from icmap.render.chart import (
    Chart,
    ChartEdge,
    ChartNode,
    NodeKind,
    clean,
    edge_text,
    node_details,
    path_text,
    ratio_text,
    wrap,
)
from icmap.render.theme import FONT, Theme, theme_named

DIRECTIONS = ("LR", "TB")
LARGE = 300  # units in a view above which dot gets settings that trade polish for speed
TITLE_PATHS = 6  # critical-path lines in the title before "and N more"
_SAFE_ID = re.compile(ID_PATTERN)


def to_dot(
    chart: Chart,
    *,
    theme: Theme | str = "default",
    direction: str = "LR",
    dpi: float | None = None,
) -> str:
    """DOT text for a chart: clusters per department, marks per the theme, a title, a legend.

    `dpi` is written into the graph (it sets the pixel size of PNG output).
    """
    if isinstance(theme, str):
        theme = theme_named(theme)
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; choose one of {', '.join(DIRECTIONS)}")
    names = _dot_names(chart.nodes)
    out = ["digraph icmap {"]
    out.append("  graph [" + _attrs(_graph_attrs(chart, theme, direction, dpi)) + "];")
    out.append("  node [" + _attrs(_node_defaults(theme)) + "];")
    out.append("  edge [" + _attrs(_edge_defaults(theme)) + "];")
    for cluster in chart.clusters:
        members = [n for n in chart.nodes if n.department == cluster.id]
        out.append(f"  subgraph {_quote('cluster_' + names.get(cluster.id, cluster.id))} {{")
        out.append("    graph [" + _attrs(_cluster_attrs(cluster.name, theme)) + "];")
        out.extend(f"    {_node(n, names, chart, theme)}" for n in members)
        out.append("  }")
    out.extend(f"  {_node(n, names, chart, theme)}" for n in chart.nodes if n.department is None)
    customers = [names[n.id] for n in chart.nodes if n.kind is NodeKind.CUSTOMER]
    if customers:
        # The external customers are where value ends up: one column (or row) at the end.
        out.append("  { rank=sink; " + " ".join(_quote(c) + ";" for c in customers) + " }")
    backwards = _against_the_flow(chart)
    out.extend(f"  {_edge(e, names, chart, theme, e in backwards)}" for e in chart.edges)
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_names(nodes: Iterable[ChartNode]) -> dict[str, str]:
    """DOT node names: the id when it is a well-formed id, else `_n<i>` (never a valid id)."""
    names: dict[str, str] = {}
    for index, node in enumerate(nodes, start=1):
        names[node.id] = node.id if _SAFE_ID.match(node.id) else f"_n{index}"
    return names


def _graph_attrs(
    chart: Chart, theme: Theme, direction: str, dpi: float | None
) -> list[tuple[str, str]]:
    attrs = [
        ("rankdir", direction),
        ("bgcolor", _quote(theme.background)),
        ("fontname", _quote(FONT)),
        ("fontcolor", _quote(theme.text)),
        ("label", _html(_title(chart, theme))),
        ("labelloc", "t"),
        ("labeljust", "l"),
        ("newrank", "true"),
        ("nodesep", "0.35"),
        ("ranksep", "0.45" if direction == "LR" else "0.4"),
        ("pad", "0.3"),
        ("outputorder", "edgesfirst"),
    ]
    if dpi is not None:
        attrs.append(("dpi", _number(dpi)))
    if chart.units > LARGE:
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


def _node_defaults(theme: Theme) -> list[tuple[str, str]]:
    return [
        ("shape", "box"),
        ("style", _quote("rounded,filled")),
        ("fontname", _quote(FONT)),
        ("fontsize", "12"),
        ("fontcolor", _quote(theme.text)),
        ("color", _quote(theme.node_border)),
        ("fillcolor", _quote(theme.node_fill)),
        ("penwidth", "1.2"),
        ("margin", _quote("0.12,0.06")),
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


def _cluster_attrs(name: str, theme: Theme) -> list[tuple[str, str]]:
    label = f'<FONT POINT-SIZE="13"><B>{_lines(wrap(name, 32))}</B></FONT>'
    return [
        ("label", _html(label)),
        ("style", _quote("rounded,filled")),
        ("fillcolor", _quote(theme.cluster_fill)),
        ("color", _quote(theme.cluster_border)),
        ("fontcolor", _quote(theme.text)),
        ("labeljust", "l"),
        ("margin", "12"),
    ]


def _node(node: ChartNode, names: dict[str, str], chart: Chart, theme: Theme) -> str:
    attrs = {"label": _html(_node_label(node, chart, theme))}
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
    return f"{_quote(names[node.id])} [{_attrs(list(attrs.items()))}];"


def _node_label(node: ChartNode, chart: Chart, theme: Theme) -> str:
    on_customer = node.kind is NodeKind.CUSTOMER
    name = _lines(wrap(node.name))
    name = f"<B>{name}</B>" if on_customer or node.kind is NodeKind.DEPARTMENT else name
    badges = []
    if node.bottleneck is not None and not node.orphan:
        badges.append(_badge(f"#{node.bottleneck}", theme.badge_fill, theme.badge_text))
    if node.spof:
        badges.append(_badge("SPOF", theme.spof_badge_fill, theme.spof_badge_text))
    rows = ["<TR>", f"<TD>{name}</TD>"]
    if badges:
        # Badges stacked in a small table of their own, so they keep their size beside
        # a name of several lines.
        stack = "".join(f"<TR>{badge}</TR>" for badge in badges)
        rows.append(
            '<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" '
            f'CELLPADDING="2">{stack}</TABLE></TD>'
        )
    rows.append("</TR>")
    span = ' COLSPAN="2"' if badges else ""
    colour = theme.customer_text if on_customer else theme.muted
    for line in node_details(node, chart.settings):
        rows.append(
            f'<TR><TD{span}><FONT POINT-SIZE="9" COLOR="{colour}">{_text(line)}</FONT></TD></TR>'
        )
    return _table("".join(rows), padding=1)


def _badge(text: str, fill: str, colour: str) -> str:
    cell = f'<FONT POINT-SIZE="9" COLOR="{colour}"><B>{_text(text)}</B></FONT>'
    return f'<TD BGCOLOR="{fill}" COLOR="{colour}" STYLE="rounded">{cell}</TD>'


def _edge(
    edge: ChartEdge, names: dict[str, str], chart: Chart, theme: Theme, backwards: bool
) -> str:
    what, time = edge_text(edge, chart.settings)
    parts = [_text(line) for line in what]
    if time:
        colour = theme.breach if edge.breach is not None else theme.muted
        bold = edge.breach is not None
        parts.append(
            f'<FONT COLOR="{colour}">{"<B>" if bold else ""}{_text(time)}'
            + ("</B>" if bold else "")
            + "</FONT>"
        )
    attrs = []
    if parts and edge.feedback:
        # Italic and in the feedback colour, so it does not read as part of a handoff's label.
        italic = "<BR/>".join(f"<I>{part}</I>" for part in parts)
        attrs.append(("label", _html(f'<FONT COLOR="{theme.feedback}">{italic}</FONT>')))
    elif parts:
        attrs.append(("label", _html("<BR/>".join(parts))))
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
    ends = f"{_quote(names[tail])} -> {_quote(names[head])}"
    return f"{ends} [{_attrs(attrs)}];" if attrs else f"{ends};"


def _against_the_flow(chart: Chart) -> set[ChartEdge]:
    """Feedback edges whose supplier lies downstream of their customer in the chart."""
    downstream: dict[str, list[str]] = {}
    for edge in chart.edges:
        if not edge.feedback:
            downstream.setdefault(edge.supplier, []).append(edge.customer)
    backwards = set()
    for edge in chart.edges:
        if not edge.feedback:
            continue
        seen, stack = {edge.customer}, [edge.customer]
        while stack and edge.supplier not in seen:
            for nxt in downstream.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        if edge.supplier in seen:
            backwards.add(edge)
    return backwards


def _title(chart: Chart, theme: Theme) -> str:
    rows = [f'<FONT POINT-SIZE="20"><B>{_lines(wrap(chart.title, 60))}</B></FONT>']
    if chart.view:
        rows.append(f'<FONT POINT-SIZE="11" COLOR="{theme.muted}">{_text(chart.view)}</FONT>')
    for line in chart.paths[:TITLE_PATHS]:
        rows.append(f'<FONT POINT-SIZE="12">{_text(path_text(line, chart.settings))}</FONT>')
    if len(chart.paths) > TITLE_PATHS:
        more = len(chart.paths) - TITLE_PATHS
        rows.append(f'<FONT POINT-SIZE="11">and {more} more external customers</FONT>')
    rows.append(_legend(chart, theme))
    # One row per line of DOT: Graphviz ignores white space between table elements.
    body = "".join(f'\n    <TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    return _table(body, padding=2)


LEGEND_COLUMNS = 3  # entries per legend row


def _legend(chart: Chart, theme: Theme) -> str:
    """A small grid explaining each mark the chart uses (marks it does not use are left out)."""
    nodes, edges = chart.nodes, chart.edges
    entries = [(_box(theme.node_fill, theme.node_border), "unit")]
    if any(n.critical and n.kind is not NodeKind.CUSTOMER for n in nodes):
        entries.append((_box(theme.node_fill, theme.critical, width=3), "unit on a critical path"))
    if any(e.critical for e in edges):
        entries.append((_line(theme.critical, 4), "critical path"))
    if any(n.bottleneck is not None for n in nodes):
        badge = _mini_badge("#1", theme.badge_fill, theme.badge_text)
        entries.append(
            (_box(theme.bottleneck_fill, theme.node_border, badge), "bottleneck, by rank")
        )
    if any(n.spof for n in nodes):
        badge = _mini_badge("SPOF", theme.spof_badge_fill, theme.spof_badge_text)
        entries.append(
            (
                _box(theme.node_fill, theme.node_border, badge, double=True),
                "single point of failure",
            )
        )
    if any(e.breach is not None for e in edges):
        style = "solid" if theme.breach_style == "solid" else "dotted"
        text = f"⚠ {ratio_text(2.0)} service breach: actual ÷ standard"
        entries.append((_line(theme.breach, 2, style), text))
    if any(e.feedback for e in edges):
        entries.append((_line(theme.feedback, 1, "dashed"), "feedback (on no path)"))
    if any(n.orphan for n in nodes):
        orphan = _box(theme.orphan_fill, theme.orphan_text, style="dashed")
        entries.append((orphan, "orphan: serves no external customer"))
    if any(n.kind is NodeKind.CUSTOMER for n in nodes):
        customer = _box(theme.customer_fill, theme.customer_border)
        entries.append((customer, "external customer"))
    rows = []
    for start in range(0, len(entries), LEGEND_COLUMNS):
        cells = "".join(
            f'<TD>{sample}</TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">{_text(text)}</FONT></TD>'
            for sample, text in entries[start : start + LEGEND_COLUMNS]
        )
        rows.append(f"\n      <TR>{cells}</TR>")
    return (
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="1">'
        + "".join(rows)
        + "</TABLE>"
    )


def _box(
    fill: str,
    border: str,
    inside: str = "",
    *,
    width: int = 1,
    double: bool = False,
    style: str = "rounded",
) -> str:
    """A legend sample of a kind of box: a small box drawn like it."""
    box = (
        f'<TABLE BORDER="{width}" CELLBORDER="0" CELLPADDING="0" COLOR="{border}" '
        f'BGCOLOR="{fill}" STYLE="{style}"><TR>'
        f'<TD WIDTH="34" HEIGHT="16" FIXEDSIZE="TRUE">{inside}</TD></TR></TABLE>'
    )
    if double:
        box = (
            f'<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="1" COLOR="{border}" '
            f'STYLE="rounded"><TR><TD>{box}</TD></TR></TABLE>'
        )
    return box


def _mini_badge(text: str, fill: str, colour: str) -> str:
    """A badge as in the nodes, small enough for a legend sample."""
    return (
        '<TABLE BORDER="0" CELLBORDER="1" CELLPADDING="1" CELLSPACING="0"><TR>'
        f'<TD BGCOLOR="{fill}" COLOR="{colour}" STYLE="rounded">'
        f'<FONT POINT-SIZE="6" COLOR="{colour}"><B>{text}</B></FONT></TD></TR></TABLE>'
    )


def _line(colour: str, width: int, style: str = "solid") -> str:
    """A legend sample of a kind of edge: a line `width` points thick."""
    return (
        f'<TABLE BORDER="0" CELLBORDER="{width}" CELLPADDING="0" CELLSPACING="0"><TR>'
        f'<TD SIDES="B" COLOR="{colour}" STYLE="{style}" WIDTH="34" HEIGHT="9" '
        'FIXEDSIZE="TRUE"></TD></TR></TABLE>'
    )


def _table(body: str, padding: int) -> str:
    return (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{padding}">{body}</TABLE>'
    )


def _lines(lines: Iterable[str]) -> str:
    return "<BR/>".join(_text(line) for line in lines)


def _text(text: str) -> str:
    """User text for an HTML-like label: XML-escaped, control characters removed.

    Graphviz still expands `\\N`, `\\G`... (node name, graph name) inside HTML-like labels,
    and reads `\\\\` as one backslash: so every backslash is doubled to stay itself.
    """
    escaped = html.escape(clean(text), quote=True).replace("\\", "\\\\")
    return escaped.replace("\n", "<BR/>")


def _html(label: str) -> str:
    return f"<{label}>"


def _quote(text: str) -> str:
    """A DOT quoted string for text that is ours or a well-formed id (no backslashes)."""
    return '"' + text.replace('"', '\\"') + '"'


def _number(value: float) -> str:
    return f"{value:g}"


def _attrs(attrs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{key}={value}" for key, value in attrs)
