"""Chart themes: the colours, line styles and shapes every mark of a chart is drawn with.

Each mark carries a second cue besides colour (a line width, a line style, a double border,
a badge or a glyph), so that the `print` theme stays readable in greyscale and for readers
who do not tell red from green.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT = "Helvetica,Arial,sans-serif"


@dataclass(frozen=True, slots=True)
class Theme:
    """How a chart looks: one colour or style per mark (Graphviz colour names or #rrggbb)."""

    name: str
    background: str
    text: str  # titles, names
    muted: str  # details under a name, edge labels
    node_fill: str
    node_border: str
    cluster_fill: str
    cluster_border: str
    customer_fill: str
    customer_border: str
    customer_text: str
    edge: str
    critical: str  # critical path: edges and unit borders
    bottleneck_fill: str
    badge_fill: str  # bottleneck rank badge
    badge_text: str
    spof_badge_fill: str
    spof_badge_text: str
    breach: str
    breach_style: str  # Graphviz edge style of a service breach (off the critical path)
    feedback: str
    orphan_fill: str
    orphan_text: str
    late: str  # "late" note on an external customer that misses its deadline
    mermaid_theme: str  # Mermaid's own theme name


THEMES: dict[str, Theme] = {
    theme.name: theme
    for theme in (
        Theme(
            name="default",
            background="white",
            text="#1f2933",
            muted="#52606d",
            node_fill="#ffffff",
            node_border="#7b8794",
            cluster_fill="#f1f4f8",
            cluster_border="#9aa5b1",
            customer_fill="#2f7d4f",
            customer_border="#1e5235",
            customer_text="#ffffff",
            edge="#7b8794",
            critical="#1d4ed8",
            bottleneck_fill="#ffe8cc",
            badge_fill="#d9480f",
            badge_text="#ffffff",
            spof_badge_fill="#6741d9",
            spof_badge_text="#ffffff",
            breach="#c92a2a",
            breach_style="solid",
            feedback="#9aa5b1",
            orphan_fill="#eceff1",
            orphan_text="#9aa5b1",
            late="#c92a2a",
            mermaid_theme="default",
        ),
        Theme(
            name="print",
            background="white",
            text="#000000",
            muted="#333333",
            node_fill="#ffffff",
            node_border="#555555",
            cluster_fill="#f2f2f2",
            cluster_border="#777777",
            customer_fill="#333333",
            customer_border="#000000",
            customer_text="#ffffff",
            edge="#777777",
            critical="#000000",
            bottleneck_fill="#d9d9d9",
            badge_fill="#000000",
            badge_text="#ffffff",
            spof_badge_fill="#ffffff",
            spof_badge_text="#000000",
            breach="#000000",
            breach_style="dotted",
            feedback="#999999",
            orphan_fill="#ffffff",
            orphan_text="#888888",
            late="#000000",
            mermaid_theme="neutral",
        ),
        Theme(
            name="dark",
            background="#1b1f24",
            text="#e6edf3",
            muted="#a5b3c2",
            node_fill="#2a3038",
            node_border="#6e7b8b",
            cluster_fill="#22272e",
            cluster_border="#4b5563",
            customer_fill="#3fb27f",
            customer_border="#8ce0b5",
            customer_text="#0d1117",
            edge="#8b98a8",
            critical="#58a6ff",
            bottleneck_fill="#5a3a1e",
            badge_fill="#ff8c42",
            badge_text="#0d1117",
            spof_badge_fill="#b197fc",
            spof_badge_text="#0d1117",
            breach="#ff6b6b",
            breach_style="solid",
            feedback="#6e7b8b",
            orphan_fill="#1b1f24",
            orphan_text="#6e7b8b",
            late="#ff6b6b",
            mermaid_theme="dark",
        ),
    )
}


def theme_named(name: str) -> Theme:
    """The theme called `name` (ValueError listing the themes if there is none)."""
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}") from None
