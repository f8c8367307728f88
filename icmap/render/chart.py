"""What a chart shows, independent of how it is drawn: nodes, edges, clusters and their marks.

`chart_of(analysis)` turns an analysis into a `Chart`; views (views.py) select from it, and the
DOT and Mermaid writers only translate it. Keeping every decision about *what* is marked here
means the two writers cannot disagree.
"""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass
from enum import StrEnum

from icmap import formatting
from icmap.analysis.result import Analysis
from icmap.model import Settings, format_duration

WRAP_WIDTH = 20  # characters per line of a name: keeps boxes compact on a wall chart
MAX_TEXT = 200  # characters of one name or label drawn; the rest is cut with "…"
MAX_LINES = 8  # lines of one wrapped name or label drawn
MAX_DESCRIPTION = 1_000  # characters of a description kept for a tooltip
DEFAULT_BADGES = 5  # bottlenecks that get a rank badge; more would drown the chart in badges


class NodeKind(StrEnum):
    """What a node stands for."""

    UNIT = "unit"
    CUSTOMER = "customer"
    DEPARTMENT = "department"  # a collapsed department


@dataclass(frozen=True, slots=True)
class ChartNode:
    """A unit, an external customer or a collapsed department, with its marks."""

    id: str
    name: str
    kind: NodeKind
    department: str | None = None  # the cluster it is drawn in
    lead_time: float | None = None
    utilization: float | None = None
    finish: float | None = None  # external customers: when the work reaches them
    deadline: float | None = None
    critical: bool = False
    bottleneck: int | None = None  # rank among bottlenecks (1 = worst), when badged
    spof: bool = False
    orphan: bool = False
    late: bool = False
    members: int = 0  # collapsed departments: how many units it stands for
    description: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class ChartEdge:
    """Value flowing from a supplier to its customer (several handoffs when collapsed)."""

    supplier: str
    customer: str
    provides: str | None = None
    handoff: float = 0.0  # the worst (longest) handoff time when it stands for several
    feedback: bool = False
    critical: bool = False
    breach: float | None = None  # the worst actual / standard ratio
    count: int = 1


@dataclass(frozen=True, slots=True)
class Cluster:
    """A department drawn as a labelled box around its units, with who owns it."""

    id: str
    name: str
    owner: str | None = None
    tags: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class PathLine:
    """The critical path length to one external customer, for the chart's title."""

    customer: str
    name: str
    length: float
    deadline: float | None = None
    units: int = 0  # units on the path, the customer not counted


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything one picture shows. Nodes are sorted by id, edges by their ends."""

    title: str
    settings: Settings
    nodes: tuple[ChartNode, ...]
    edges: tuple[ChartEdge, ...]
    clusters: tuple[Cluster, ...]
    paths: tuple[PathLine, ...]
    view: str = ""  # what the view shows, e.g. "around billing, 2 hops"
    hidden_units: int = 0  # units of the org left out of this view

    @property
    def units(self) -> int:
        """How many units (or collapsed departments) the chart draws."""
        return sum(1 for node in self.nodes if node.kind is not NodeKind.CUSTOMER)


def edge_key(edge: ChartEdge) -> tuple[str, str, bool, str]:
    """The order edges are written in: by supplier, customer, then feedback and provides."""
    return (edge.supplier, edge.customer, edge.feedback, edge.provides or "")


def chart_of(analysis: Analysis, badges: int = DEFAULT_BADGES) -> Chart:
    """The whole org as a chart: every unit, customer and dependency, with every mark.

    Only the `badges` worst bottlenecks get a rank badge.
    """
    org = analysis.org
    figures = {f.id: f for f in analysis.units}
    ranks = {b.id: b.rank for b in analysis.bottlenecks if b.rank <= badges}
    spofs = {s.id for s in analysis.single_points_of_failure}
    orphans = set(analysis.orphans)
    grouping = {d.id for d in org.departments if d.roles}
    paths = {p.customer: p for p in analysis.critical_paths}
    critical_edges = {pair for p in analysis.critical_paths for pair in itertools.pairwise(p.path)}
    nodes = [
        ChartNode(
            id=unit.id,
            name=shown_name(unit.label, unit.id),
            kind=NodeKind.UNIT,
            department=unit.department if unit.department in grouping else None,
            lead_time=unit.lead_time,
            utilization=figures[unit.id].utilization if unit.id in figures else None,
            critical=unit.id in figures and figures[unit.id].critical,
            bottleneck=ranks.get(unit.id),
            spof=unit.id in spofs,
            orphan=unit.id in orphans,
            description=_described(unit.description),
            owner=_described(unit.owner),
        )
        for unit in org.units
    ]
    for customer in org.external_customers:
        path = paths.get(customer.id)
        nodes.append(
            ChartNode(
                id=customer.id,
                name=shown_name(customer.label, customer.id),
                kind=NodeKind.CUSTOMER,
                finish=path.length if path is not None else None,
                deadline=customer.deadline,
                critical=path is not None,
                late=path is not None and path.slack is not None and path.slack < 0,
                description=_described(customer.description),
            )
        )
    edges = [
        ChartEdge(
            supplier=dep.supplier,
            customer=dep.customer,
            provides=shorten(dep.provides) if dep.provides else None,
            handoff=dep.handoff,
            feedback=dep.feedback,
            critical=not dep.feedback and (dep.supplier, dep.customer) in critical_edges,
            breach=dep.breach_ratio,
        )
        for dep in org.dependencies
    ]
    names = {c.id: shown_name(c.label, c.id) for c in org.external_customers}
    lines = tuple(
        PathLine(
            p.customer, names.get(p.customer, p.customer), p.length, p.deadline, len(p.path) - 1
        )
        for p in sorted(analysis.critical_paths, key=lambda p: p.customer)
    )
    clusters = tuple(
        sorted(
            (
                Cluster(
                    d.id,
                    shown_name(d.label, d.id),
                    owner=_described(d.owner),
                    tags=tuple(shorten(t) for t in d.tags if t.strip()),
                    description=_described(d.description),
                )
                for d in org.departments
                if d.id in grouping
            ),
            key=lambda c: c.id,
        )
    )
    return Chart(
        title=shown_name(org.name, "Organization"),
        settings=org.settings,
        nodes=tuple(sorted(nodes, key=lambda n: n.id)),
        edges=tuple(sorted(edges, key=edge_key)),
        clusters=clusters,
        paths=lines,
    )


def _described(description: str | None) -> str | None:
    """A description for a tooltip: at most MAX_DESCRIPTION characters, None when blank."""
    if description is None or not description.strip():
        return None
    return shorten(description, MAX_DESCRIPTION)


# Text helpers shared by the DOT and Mermaid writers.


def wrap(text: str, width: int = WRAP_WIDTH) -> list[str]:
    """Break a name into lines of about `width` characters on word boundaries.

    Line breaks the user wrote are kept; words longer than a line are split. Linear in the
    text: it is cut to MAX_TEXT characters and MAX_LINES lines first (`textwrap` alone is
    quadratic on one long word: a 6.4 MB name took 30 s). Blank lines are dropped; a blank
    text gives no lines.
    """
    lines: list[str] = []
    for paragraph in clean(shorten(text)).split("\n"):
        lines.extend(
            textwrap.wrap(paragraph, width=width, break_long_words=True, break_on_hyphens=True)
        )
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1] + " …"]
    return lines


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    """`text` cut to `limit` characters, ending in "…" when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_name(name: str, ident: str) -> str:
    """The name a chart shows: cut to MAX_TEXT characters; the id when the name is blank."""
    name = shorten(name)
    return name if clean(name).strip() else ident


def clean(text: str) -> str:
    """Text safe for any output: newlines kept, tabs and other control characters as spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c if c == "\n" or c.isprintable() else " " for c in text)


def ratio_text(ratio: float) -> str:
    """A breach ratio as people read it, as every report writes it: `×2.25`, `×∞`."""
    return formatting.ratio(ratio)


def node_details(node: ChartNode, settings: Settings) -> list[str]:
    """The small lines under a node's name: lead time, utilization, finish, deadline."""
    if node.kind is NodeKind.CUSTOMER:
        lines = []
        if node.finish is not None:
            lines.append(f"gets it after {format_duration(node.finish, settings)}")
        if node.deadline is not None:
            due = f"deadline {format_duration(node.deadline, settings)}"
            if node.finish is not None and node.finish > node.deadline:
                due += f" · {format_duration(node.finish - node.deadline, settings)} late"
            lines.append(due)
        return lines
    first = []
    if node.kind is NodeKind.DEPARTMENT:
        first.append(f"{node.members} unit" + ("" if node.members == 1 else "s"))
    elif node.lead_time is not None:
        first.append(f"lead {format_duration(node.lead_time, settings)}")
    if node.utilization is not None:
        first.append(f"load {node.utilization:.0%}")
    return [" · ".join(first)] if first else []


def edge_text(
    edge: ChartEdge, settings: Settings, width: int = WRAP_WIDTH + 2
) -> tuple[list[str], str]:
    """An edge label as (lines of what is provided, the time line with any breach ratio),
    what is provided wrapped at about `width` characters."""
    if edge.count > 1:
        what = [f"{edge.count} handoffs"]
        time = f"worst {format_duration(edge.handoff, settings)}" if edge.handoff else ""
    else:
        what = wrap(edge.provides, width) if edge.provides else []
        time = format_duration(edge.handoff, settings) if edge.handoff else ""
    if edge.breach is not None:
        time = f"{time} ⚠ {ratio_text(edge.breach)}".strip()
    return what, time


def cluster_details(cluster: Cluster) -> str:
    """The small line under a department's name: its owner and tags ("" when none)."""
    parts = []
    if cluster.owner:
        parts.append(f"Owner: {cluster.owner}")
    if cluster.tags:
        parts.append("Tags: " + ", ".join(cluster.tags))
    return " · ".join(parts)


def tooltip(name: str, description: str | None, owner: str | None) -> str:
    """What a box says when pointed at in SVG: its name, description and owner."""
    lines = [clean(name)]
    if description:
        lines.append(clean(description))
    if owner:
        lines.append(f"Owner: {clean(owner)}")
    return "\n".join(lines)


def path_text(line: PathLine, settings: Settings) -> str:
    """One title line: the critical path length to a customer and how it meets its deadline."""
    text = f"Critical path to {line.name}: {format_duration(line.length, settings)}"
    text += f" through {line.units} unit" + ("" if line.units == 1 else "s")
    if line.deadline is not None:
        slack = line.deadline - line.length
        if slack < 0:
            text += f", {format_duration(-slack, settings)} late"
        else:
            text += f", {format_duration(slack, settings)} to spare"
        text += f" (deadline {format_duration(line.deadline, settings)})"
    return text
