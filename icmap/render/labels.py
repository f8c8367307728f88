"""HTML-like labels for Graphviz: node and edge labels, the title and the legend.

All text a user wrote is escaped here, once: as XML (so angle brackets, quotes and ampersands
can neither close a label nor reach SVG as markup), with backslashes doubled (Graphviz
expands `\\N`, `\\G`... even inside HTML-like labels) and control characters removed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from icmap.model import Settings
from icmap.render.chart import (
    WRAP_WIDTH,
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
from icmap.render.theme import Theme

TITLE_PATHS = 6  # critical-path lines in the title before "and N more"


def node_label(
    node: ChartNode,
    settings: Settings,
    theme: Theme,
    width: int = WRAP_WIDTH,
    across: bool = False,
) -> str:
    """A unit's or customer's name (wrapped at about `width` characters), its rank and SPOF
    badges, and its figures: badges stacked and a line per figure, or with `across` (where
    a box's height costs more than its width) badges side by side and figures on one line."""
    on_customer = node.kind is NodeKind.CUSTOMER
    name = lines(wrap(node.name, width))
    name = styled("B", name) if on_customer or node.kind is NodeKind.DEPARTMENT else name
    badges = []
    if node.bottleneck is not None and not node.orphan:
        badges.append(_badge(f"#{node.bottleneck}", theme.badge_fill, theme.badge_text))
    if node.spof:
        badges.append(_badge("SPOF", theme.spof_badge_fill, theme.spof_badge_text))
    rows = ["<TR>", f"<TD>{name}</TD>"]
    if badges:
        # Badges in a small table of their own, so they keep their size beside a name of
        # several lines: stacked, or side by side (`across`) with no room between and
        # round them, as tall as a line of the name.
        if across:
            stack = "<TR>" + "".join(badges) + "</TR>"
            room = 'CELLSPACING="1" CELLPADDING="1"'
        else:
            stack = "".join(f"<TR>{badge}</TR>" for badge in badges)
            room = 'CELLSPACING="2" CELLPADDING="2"'
        rows.append(
            f'<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="1" {room}>{stack}</TABLE></TD>'
        )
    rows.append("</TR>")
    span = ' COLSPAN="2"' if badges else ""
    colour = theme.customer_text if on_customer else theme.muted
    details = node_details(node, settings)
    for line in [" · ".join(details)] if across and details else details:
        rows.append(
            f'<TR><TD{span}><FONT POINT-SIZE="9" COLOR="{colour}">{text(line)}</FONT></TD></TR>'
        )
    return _table("".join(rows), padding=1)


def _badge(label: str, fill: str, colour: str) -> str:
    cell = f'<FONT POINT-SIZE="9" COLOR="{colour}"><B>{text(label)}</B></FONT>'
    return f'<TD BGCOLOR="{fill}" COLOR="{colour}" STYLE="rounded">{cell}</TD>'


def edge_label(
    edge: ChartEdge,
    settings: Settings,
    theme: Theme,
    width: int = WRAP_WIDTH + 2,
    time_inline: bool = False,
) -> str:
    """What is provided (wrapped at about `width` characters) and the handoff time, a breach
    in bold; "" when there is nothing. With `time_inline`, the time ends the last line when
    it fits in `width` (a line fewer), else it has a line of its own."""
    what, time = edge_text(edge, settings, width)
    parts = [text(line) for line in what if line.strip()]
    shown = ""
    if time and edge.breach is not None:
        shown = f'<FONT COLOR="{theme.breach}"><B>{text(time)}</B></FONT>'
    elif time:
        shown = f'<FONT COLOR="{theme.muted}">{text(time)}</FONT>'
    if shown and parts and time_inline and len(what[-1]) + 3 + len(time) <= width:
        parts[-1] += f" · {shown}"
    elif shown:
        parts.append(shown)
    if parts and edge.feedback:
        # Italic and in the feedback colour, so it does not read as part of a handoff's label.
        italic = "<BR/>".join(f"<I>{part}</I>" for part in parts)
        return f'<FONT COLOR="{theme.feedback}">{italic}</FONT>'
    return "<BR/>".join(parts)


def styled(tag: str, inner: str) -> str:
    """`inner` in an HTML-like element such as `B`; nothing when `inner` is empty (Graphviz
    cannot read an empty `<B></B>`, `<I></I>` or `<FONT></FONT>`)."""
    return f"<{tag}>{inner}</{tag}>" if inner else ""


def title(chart: Chart, theme: Theme, legend_beside: bool = False) -> str:
    """The org name, what the view shows, the critical path per customer, and the legend
    (under them, or beside them when `legend_beside`: a chart top to bottom is wide)."""
    rows = [f'<FONT POINT-SIZE="20">{styled("B", lines(wrap(chart.title, 60))) or " "}</FONT>']
    if chart.view:
        rows.append(f'<FONT POINT-SIZE="11" COLOR="{theme.muted}">{text(chart.view)}</FONT>')
    for line in chart.paths[:TITLE_PATHS]:
        rows.append(f'<FONT POINT-SIZE="12">{text(path_text(line, chart.settings))}</FONT>')
    if len(chart.paths) > TITLE_PATHS:
        more = len(chart.paths) - TITLE_PATHS
        rows.append(f'<FONT POINT-SIZE="11">and {more} more external customers</FONT>')
    legend = _legend(chart, theme, LEGEND_COLUMNS + 1 if legend_beside else LEGEND_COLUMNS)
    if not legend_beside:
        rows.append(legend)
    # One row per line of DOT: Graphviz ignores white space between table elements.
    body = "".join(f'\n    <TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    if not legend_beside:
        return _table(body, padding=2)
    beside = f'<TD VALIGN="TOP">{_table(body, padding=2)}</TD><TD VALIGN="TOP">{legend}</TD>'
    return _table(f"<TR>{beside}</TR>", padding=0)


LEGEND_COLUMNS = 3  # entries per legend row (one more beside the title: fewer rows)


def _legend(chart: Chart, theme: Theme, columns: int = LEGEND_COLUMNS) -> str:
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
        meaning = f"⚠ {ratio_text(2.0)} service breach: actual ÷ standard"
        entries.append((_line(theme.breach, 2, style), meaning))
    if any(e.feedback for e in edges):
        entries.append((_line(theme.feedback, 1, "dashed"), "feedback (on no path)"))
    if any(n.orphan for n in nodes):
        orphan = _box(theme.orphan_fill, theme.orphan_text, style="dashed")
        entries.append((orphan, "orphan: serves no external customer"))
    if any(n.kind is NodeKind.CUSTOMER for n in nodes):
        customer = _box(theme.customer_fill, theme.customer_border)
        entries.append((customer, "external customer"))
    rows = []
    for start in range(0, len(entries), columns):
        cells = "".join(
            f'<TD>{sample}</TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">{text(meaning)}</FONT></TD>'
            for sample, meaning in entries[start : start + columns]
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
        f'<TD WIDTH="40" HEIGHT="18" FIXEDSIZE="TRUE">{inside}</TD></TR></TABLE>'
    )
    if double:
        box = (
            f'<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="1" COLOR="{border}" '
            f'STYLE="rounded"><TR><TD>{box}</TD></TR></TABLE>'
        )
    return box


def _mini_badge(label: str, fill: str, colour: str) -> str:
    """A badge as in the nodes, small enough for a legend sample."""
    return (
        '<TABLE BORDER="0" CELLBORDER="1" CELLPADDING="1" CELLSPACING="0"><TR>'
        f'<TD BGCOLOR="{fill}" COLOR="{colour}" STYLE="rounded">'
        f'<FONT POINT-SIZE="9" COLOR="{colour}"><B>{label}</B></FONT></TD></TR></TABLE>'
    )


def _line(colour: str, width: int, style: str = "solid") -> str:
    """A legend sample of a kind of edge: a line `width` points thick."""
    return (
        f'<TABLE BORDER="0" CELLBORDER="{width}" CELLPADDING="0" CELLSPACING="0"><TR>'
        f'<TD SIDES="B" COLOR="{colour}" STYLE="{style}" WIDTH="40" HEIGHT="9" '
        'FIXEDSIZE="TRUE"></TD></TR></TABLE>'
    )


def _table(body: str, padding: int) -> str:
    return (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{padding}">{body}</TABLE>'
    )


def lines(texts: Iterable[str]) -> str:
    """Lines of user text, escaped, with line breaks between them."""
    return "<BR/>".join(text(line) for line in texts)


def text(value: str) -> str:
    """User text for an HTML-like label: XML-escaped, control characters removed.

    Graphviz still expands `\\N`, `\\G`... (node name, graph name) inside HTML-like labels,
    and reads `\\\\` as one backslash: so every backslash is doubled to stay itself. The `[`
    of `##[` is `&#91;` (the same character drawn), so a CI log that prints the DOT sees no
    GitHub `##[error]` command.
    """
    escaped = html.escape(clean(value), quote=True).replace("\\", "\\\\")
    return escaped.replace("\n", "<BR/>").replace("##[", "##&#91;")
