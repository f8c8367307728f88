"""The chart as a Mermaid `flowchart` (GitHub renders it in Markdown): a pure function.

Node and subgraph ids are generated (`n1`, `c1`, ...) in the chart's sorted order, so no id a
user wrote reaches Mermaid's syntax. Every label is a quoted string whose characters that
mean something to Mermaid or HTML are written as Mermaid entity codes (`#quot;`, `#lt;`,
`#35;`...), which Mermaid turns back into the characters as text.
"""

from __future__ import annotations

from dataclasses import replace

from icmap.render.chart import (
    Chart,
    ChartNode,
    NodeKind,
    PathLine,
    clean,
    edge_text,
    node_details,
    path_text,
    shorten,
    wrap,
)
from icmap.render.theme import Theme, theme_named

DIRECTIONS = ("LR", "TB")
TITLE_LENGTH = 80  # characters of a subgraph's (one-line) title

# Characters written as entity codes inside a quoted label. Letters, digits, spaces and
# harmless punctuation stay as they are so the source remains readable.
_ENTITIES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "\\": "#92;",
    "%": "#37;",
    ";": "#59;",
    "|": "#124;",
    "{": "#123;",
    "}": "#125;",
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "*": "#42;",
    "_": "#95;",
    "~": "#126;",
    "$": "#36;",
    "=": "#61;",
    "'": "#39;",
    ":": "#58;",  # Mermaid strips a character after `style...:...#...;` anywhere in a line
}


def to_mermaid(chart: Chart, *, theme: Theme | str = "default", direction: str = "LR") -> str:
    """A Mermaid flowchart of the chart: departments as subgraphs, marks as classes."""
    if isinstance(theme, str):
        theme = theme_named(theme)
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; choose one of {', '.join(DIRECTIONS)}")
    ids = {node.id: f"n{i}" for i, node in enumerate(chart.nodes, start=1)}
    out = [
        "---",
        f"title: {_yaml_string(chart.title)}",
        "config:",
        f"  theme: {theme.mermaid_theme}",
        "---",
        f"flowchart {direction}",
    ]
    for paths_line in chart.paths:
        out.append(f"  %% {_comment(paths_line, ids, chart)}")
    for index, cluster in enumerate(chart.clusters, start=1):
        # One line: Mermaid leaves room for one line of a subgraph's title (the first node
        # covered a second one) and widens the subgraph to fit it.
        title = " ".join(clean(shorten(cluster.name, TITLE_LENGTH)).split())
        out.append(f'  subgraph c{index}["{escape(title)}"]')
        out.extend(
            f"    {_node(n, ids[n.id], chart)}" for n in chart.nodes if n.department == cluster.id
        )
        out.append("  end")
    out.extend(f"  {_node(n, ids[n.id], chart)}" for n in chart.nodes if n.department is None)
    critical_links: list[int] = []
    breach_links: list[int] = []
    for index, edge in enumerate(chart.edges):
        what, time = edge_text(edge, chart.settings)
        label = _label_text([*what, time] if time else what)
        arrow = "-.->" if edge.feedback else "==>" if edge.critical else "-->"
        text = f'|"{label}"|' if label else ""
        out.append(f"  {ids[edge.supplier]} {arrow}{text} {ids[edge.customer]}")
        # As in DOT: the critical path keeps its colour; the label carries any breach.
        if edge.critical:
            critical_links.append(index)
        elif edge.breach is not None:
            breach_links.append(index)
    out.extend(_styles(chart, ids, theme, critical_links, breach_links))
    return "\n".join(out) + "\n"


def to_markdown(chart: Chart, *, theme: Theme | str = "default", direction: str = "LR") -> str:
    """The Mermaid flowchart inside a ```mermaid fence, ready to paste into Markdown."""
    return "```mermaid\n" + to_mermaid(chart, theme=theme, direction=direction) + "```\n"


def _node(node: ChartNode, node_id: str, chart: Chart) -> str:
    badges = []
    if node.bottleneck is not None and not node.orphan:
        badges.append(f"#{node.bottleneck} bottleneck")
    if node.spof:
        badges.append("SPOF")
    if node.orphan:
        badges.append("orphan")
    lines = wrap(node.name)
    if badges:
        lines.append(" · ".join(badges))
    lines.extend(node_details(node, chart.settings))
    label = _label_text(lines)
    if node.kind is NodeKind.CUSTOMER:
        return f'{node_id}>"{label}"]'  # Mermaid's flag shape: the end of the flow
    return f'{node_id}("{label}")'


def _styles(
    chart: Chart, ids: dict[str, str], theme: Theme, critical: list[int], breach: list[int]
) -> list[str]:
    classes = {
        "customer": f"fill:{theme.customer_fill},stroke:{theme.customer_border},"
        f"color:{theme.customer_text}",
        "critical": f"stroke:{theme.critical},stroke-width:3px",
        "bottleneck": f"fill:{theme.bottleneck_fill}",
        "spof": "stroke-width:5px",
        "orphan": f"fill:{theme.orphan_fill},color:{theme.orphan_text},stroke-dasharray:5 5",
    }
    members: dict[str, list[str]] = {name: [] for name in classes}
    for node in chart.nodes:
        if node.kind is NodeKind.CUSTOMER:
            members["customer"].append(ids[node.id])
            continue
        if node.critical:
            members["critical"].append(ids[node.id])
        if node.bottleneck is not None and not node.orphan:
            members["bottleneck"].append(ids[node.id])
        if node.spof:
            members["spof"].append(ids[node.id])
        if node.orphan:
            members["orphan"].append(ids[node.id])
    out = []
    for name, style in classes.items():
        if members[name]:
            out.append(f"  classDef {name} {style}")
            out.append(f"  class {','.join(members[name])} {name}")
    if critical:
        indexes = ",".join(str(i) for i in critical)
        out.append(f"  linkStyle {indexes} stroke:{theme.critical},stroke-width:3px")
    if breach:
        indexes = ",".join(str(i) for i in breach)
        out.append(
            f"  linkStyle {indexes} stroke:{theme.breach},stroke-width:3px,color:{theme.breach}"
        )
    return out


def _label_text(lines: list[str]) -> str:
    """Lines for a quoted Mermaid label: special characters as entity codes, `<br>` between."""
    return "<br>".join(escape(line) for line in lines)


def escape(text: str) -> str:
    """Text made inert inside a quoted Mermaid label; newlines become `<br>`."""
    out = []
    for char in clean(text):
        if char == "\n":
            out.append("<br>")
        else:
            out.append(_ENTITIES.get(char, char))
    return "".join(out)


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar for the front matter title (one line, escaped).

    `%` is written `\\x25`, so no `%%` a user wrote appears anywhere in the text: Mermaid
    obeys `%%{init: …}%%` directives (themes, CSS) wherever it finds them. The `[` of
    `##[` is written `\\x5b` too (GitHub Actions obeys `##[error]` anywhere in a log line).
    """
    one_line = " ".join(clean(text).split())
    escaped = one_line.replace("\\", "\\\\").replace('"', '\\"').replace("%", "\\x25")
    escaped = escaped.replace("##[", "##\\x5b")  # no GitHub `##[error]` log command
    return '"' + escaped + '"'


def _comment(line: PathLine, ids: dict[str, str], chart: Chart) -> str:
    """A `%%` comment line, with no user text in it: Mermaid reads directives in comments
    (`%%{init: …}%%`), so the customer is named by its node id (`n7`), not its name."""
    named = ids.get(line.customer, "a customer outside this view")
    return " ".join(clean(path_text(replace(line, name=named), chart.settings)).split())
