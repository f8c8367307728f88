"""Views for a workshop: which part of the org a chart shows, and how coarsely.

A view starts from the whole chart (chart.py) and narrows it: only what feeds one external
customer, only the critical paths, the neighbourhood of one unit; then it may collapse each
department into one node. Every step keeps the chart sorted, so views stay deterministic.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

from icmap.analysis.result import Analysis
from icmap.formatting import suggestion
from icmap.names import did_you_mean
from icmap.render.chart import (
    DEFAULT_BADGES,
    Chart,
    ChartEdge,
    ChartNode,
    NodeKind,
    chart_of,
    edge_key,
)


class UnknownId(ValueError):
    """A view names an id the org does not have; the message suggests the closest ones.

    `known` maps each id to its name: a user who types a name (or part of one) in a
    workshop is pointed to its id.
    """

    def __init__(self, what: str, wanted: str, known: dict[str, str]) -> None:
        close = did_you_mean(wanted, known)
        super().__init__(f"no {what} with id {wanted!r}{suggestion(close)}")
        self.wanted = wanted
        self.suggestions = tuple(close)


@dataclass(frozen=True, slots=True)
class ViewOptions:
    """Which part of the org to show: all of it by default."""

    focus: str | None = None  # a unit, external customer or department
    depth: int = 2  # hops from `focus`, upstream and downstream
    customer: str | None = None  # only what feeds this external customer
    critical_only: bool = False
    collapse: bool = False  # one node per department
    badges: int = DEFAULT_BADGES  # bottlenecks that get a rank badge


def view_of(analysis: Analysis, options: ViewOptions | None = None) -> Chart:
    """The chart of an analysis as `options` select it (UnknownId for an id not in the org)."""
    options = options or ViewOptions()
    chart = chart_of(analysis, options.badges)
    chart = _with_tied_critical_edges(chart, analysis)
    total = chart.units
    notes = []
    if options.customer is not None:
        chart = feeding(chart, options.customer)
        notes.append(f"what feeds {_name(chart, options.customer)}")
    if options.critical_only:
        chart = critical_only(chart)
        notes.append("critical paths only")
    if options.focus is not None:
        chart = around(chart, options.focus, options.depth)
        hops = f"{options.depth} hop" + ("" if options.depth == 1 else "s")
        notes.append(f"around {_name(chart, options.focus)}, {hops} each way")
    hidden = total - chart.units  # counted before collapsing: a department stands for many
    if hidden:
        notes.append(f"{hidden} of {total} units not shown")
    if options.collapse:
        chart = collapse_departments(chart)
        notes.append("one box per department")
    return replace(chart, view="; ".join(notes), hidden_units=hidden)


def feeding(chart: Chart, customer: str) -> Chart:
    """Only the external customer `customer` and the units whose work reaches it."""
    customers = {n.id: n.name for n in chart.nodes if n.kind is NodeKind.CUSTOMER}
    if customer not in customers:
        raise UnknownId("external customer", customer, customers)
    keep = _reach(chart, {customer}, upstream=True)
    chart = _keep(chart, keep)
    return replace(chart, paths=tuple(p for p in chart.paths if p.customer == customer))


def critical_only(chart: Chart) -> Chart:
    """Only the critical paths: the units and handoffs on a longest path to some customer."""
    edges = tuple(e for e in chart.edges if e.critical)
    ends = {e.supplier for e in edges} | {e.customer for e in edges}
    keep = {n.id for n in chart.nodes if n.critical and (n.id in ends or not edges)}
    return _keep(replace(chart, edges=edges), keep)


def around(chart: Chart, focus: str, depth: int) -> Chart:
    """The neighbourhood of `focus`: up to `depth` hops of suppliers and of customers.

    `focus` may be a unit, an external customer, or a department (then all its units).
    """
    clusters = {c.id: c.name for c in chart.clusters}
    ids = {n.id: n.name for n in chart.nodes}
    if focus in ids:
        seeds = {focus}
    elif focus in clusters:
        seeds = {n.id for n in chart.nodes if n.department == focus}
    else:
        raise UnknownId("unit, external customer or department", focus, ids | clusters)
    keep = _reach(chart, seeds, upstream=True, depth=depth)
    keep |= _reach(chart, seeds, upstream=False, depth=depth)
    return _keep(chart, keep)


def collapse_departments(chart: Chart) -> Chart:
    """One node per department; units outside departments and customers stay themselves.

    Edges between the same two nodes are merged into one with a count, the worst handoff
    and the worst breach; handoffs inside a department disappear.
    """
    group = {n.id: n.department or n.id for n in chart.nodes}
    nodes = [n for n in chart.nodes if n.department is None]
    for cluster in chart.clusters:
        members = [n for n in chart.nodes if n.department == cluster.id]
        if not members:
            continue
        ranks = [n.bottleneck for n in members if n.bottleneck is not None]
        nodes.append(
            ChartNode(
                id=cluster.id,
                name=cluster.name,
                kind=NodeKind.DEPARTMENT,
                critical=any(n.critical for n in members),
                bottleneck=min(ranks) if ranks else None,
                spof=any(n.spof for n in members),
                orphan=all(n.orphan for n in members),
                members=len(members),
                description=cluster.description,
                owner=cluster.owner,
            )
        )
    merged: dict[tuple[str, str, bool], list[ChartEdge]] = {}
    for edge in chart.edges:
        ends = (group[edge.supplier], group[edge.customer], edge.feedback)
        if ends[0] != ends[1]:
            merged.setdefault(ends, []).append(edge)
    edges = [_merge(s, c, fb, parts) for (s, c, fb), parts in merged.items()]
    return replace(
        chart,
        nodes=tuple(sorted(nodes, key=lambda n: n.id)),
        edges=tuple(sorted(edges, key=edge_key)),
        clusters=(),
    )


def _merge(supplier: str, customer: str, feedback: bool, parts: list[ChartEdge]) -> ChartEdge:
    if len(parts) == 1:
        return replace(parts[0], supplier=supplier, customer=customer)
    breaches = [e.breach for e in parts if e.breach is not None]
    return ChartEdge(
        supplier=supplier,
        customer=customer,
        handoff=max(e.handoff for e in parts),
        feedback=feedback,
        critical=any(e.critical for e in parts),
        breach=max(breaches) if breaches else None,
        count=sum(e.count for e in parts),
    )


def _keep(chart: Chart, keep: set[str]) -> Chart:
    nodes = tuple(n for n in chart.nodes if n.id in keep)
    edges = tuple(e for e in chart.edges if e.supplier in keep and e.customer in keep)
    used = {n.department for n in nodes}
    customers = {n.id for n in nodes if n.kind is NodeKind.CUSTOMER}
    return replace(
        chart,
        nodes=nodes,
        edges=edges,
        clusters=tuple(c for c in chart.clusters if c.id in used),
        paths=tuple(p for p in chart.paths if p.customer in customers),
    )


def _reach(chart: Chart, seeds: set[str], *, upstream: bool, depth: int = -1) -> set[str]:
    """Nodes within `depth` hops of the seeds (any distance when negative), feedback aside."""
    step: dict[str, list[str]] = {}
    for edge in chart.edges:
        if not edge.feedback:
            a, b = (edge.customer, edge.supplier) if upstream else (edge.supplier, edge.customer)
            step.setdefault(a, []).append(b)
    seen = set(seeds)
    queue = deque((seed, 0) for seed in sorted(seeds))
    while queue:
        node, hops = queue.popleft()
        if hops == depth:
            continue
        for nxt in step.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, hops + 1))
    return seen


def _with_tied_critical_edges(chart: Chart, analysis: Analysis) -> Chart:
    """Mark every handoff on a longest path as critical, not only on the one path reported.

    When two paths to a customer tie, both are critical: `Analysis.critical_edges` holds
    every such handoff, found by the schedule in exact integer time.
    """
    tight = analysis.critical_edges
    edges = tuple(
        replace(e, critical=True)
        if not e.critical and not e.feedback and (e.supplier, e.customer) in tight
        else e
        for e in chart.edges
    )
    return replace(chart, edges=edges)


def _name(chart: Chart, node_id: str) -> str:
    for node in chart.nodes:
        if node.id == node_id:
            return node.name
    for cluster in chart.clusters:
        if cluster.id == node_id:
            return cluster.name
    return node_id
